// Decoders of the NMEA 0183 sentences coxswain uses. Field layouts follow NMEA 0183 v4.11 as
// summarised in gpsd's "NMEA Revealed" (https://gpsd.gitlab.io/gpsd/NMEA.html); field numbers
// in the comments count from 0 after the address field.
import type {
  DbsSentence,
  DbtSentence,
  DecoderTable,
  DptSentence,
  GgaSentence,
  GllSentence,
  HdgSentence,
  HdmSentence,
  HdtSentence,
  MtwSentence,
  RmcSentence,
  RotSentence,
  VtgSentence,
  XdrMeasurement,
  XdrSentence,
  ZdaSentence,
} from '../sentence.ts';
import type { FieldReader } from './fields.ts';
import { compact, M_PER_FATHOM, M_PER_FOOT, MPS_PER_KMH, MPS_PER_KNOT } from './fields.ts';

function done<T extends object>(r: FieldReader, s: T): T | undefined {
  return r.bad ? undefined : compact(s);
}

/** Checks a unit letter field: empty or the expected letter. */
function unit(r: FieldReader, i: number, expected: string): void {
  const t = r.text(i);
  if (t !== '' && t !== expected) r.fail(`field ${i}: expected unit '${expected}', found '${t}'`);
}

// GGA: 0 time, 1-2 lat, 3-4 lon, 5 quality, 6 satellites, 7 hdop, 8 alt, 9 M, 10 geoid sep, 11 M,
// 12 DGPS age, 13 DGPS station.
function gga(talker: string, r: FieldReader): GgaSentence | undefined {
  const time = r.time(0);
  const s: GgaSentence = {
    sentence: 'GGA',
    talker,
    timeUtc: time?.text,
    timeUtcS: time?.seconds,
    latDeg: r.angle(1, 'lat'),
    lonDeg: r.angle(3, 'lon'),
    fixQuality: r.int(5),
    satellites: r.int(6),
    hdop: r.num(7),
    altM: r.num(8),
    geoidSeparationM: r.num(10),
    dgpsAgeS: r.num(12),
    dgpsStationId: r.str(13),
  };
  unit(r, 9, 'M');
  unit(r, 11, 'M');
  return done(r, s);
}

// RMC: 0 time, 1 status, 2-3 lat, 4-5 lon, 6 speed kn, 7 course, 8 date, 9-10 variation, 11 mode,
// 12 nav status (4.1).
function rmc(talker: string, r: FieldReader): RmcSentence | undefined {
  const time = r.time(0);
  const speedKn = r.num(6);
  const s: RmcSentence = {
    sentence: 'RMC',
    talker,
    timeUtc: time?.text,
    timeUtcS: time?.seconds,
    status: r.letter(1, ['A', 'V'] as const),
    latDeg: r.angle(2, 'lat'),
    lonDeg: r.angle(4, 'lon'),
    speedMps: speedKn === undefined ? undefined : speedKn * MPS_PER_KNOT,
    courseDeg: r.num(7),
    dateUtc: r.dateDdMmYy(8),
    magneticVariationDeg: r.signedByEW(9),
    faaMode: r.str(11),
    navStatus: r.str(12),
  };
  return done(r, s);
}

// VTG: 0 course true, 1 T, 2 course magnetic, 3 M, 4 speed kn, 5 N, 6 speed km/h, 7 K, 8 mode.
function vtg(talker: string, r: FieldReader): VtgSentence | undefined {
  const kn = r.num(4);
  const kmh = r.num(6);
  unit(r, 1, 'T');
  unit(r, 3, 'M');
  unit(r, 5, 'N');
  unit(r, 7, 'K');
  const s: VtgSentence = {
    sentence: 'VTG',
    talker,
    courseDeg: r.num(0),
    courseMagneticDeg: r.num(2),
    // Knots carry more digits than km/h in every capture we have; km/h is the fallback.
    speedMps: kn !== undefined ? kn * MPS_PER_KNOT : kmh !== undefined ? kmh * MPS_PER_KMH : undefined,
    faaMode: r.str(8),
  };
  return done(r, s);
}

// GLL: 0-1 lat, 2-3 lon, 4 time, 5 status, 6 mode.
function gll(talker: string, r: FieldReader): GllSentence | undefined {
  const time = r.time(4);
  const s: GllSentence = {
    sentence: 'GLL',
    talker,
    latDeg: r.angle(0, 'lat'),
    lonDeg: r.angle(2, 'lon'),
    timeUtc: time?.text,
    timeUtcS: time?.seconds,
    status: r.letter(5, ['A', 'V'] as const),
    faaMode: r.str(6),
  };
  return done(r, s);
}

// ZDA: 0 time, 1 day, 2 month, 3 year, 4 local zone hours (signed), 5 local zone minutes.
function zda(talker: string, r: FieldReader): ZdaSentence | undefined {
  const time = r.time(0);
  const day = r.int(1);
  const month = r.int(2);
  const year = r.int(3);
  let dateUtc: string | undefined;
  if (day !== undefined && month !== undefined && year !== undefined) dateUtc = r.isoDate(1, day, month, year);
  else if (day !== undefined || month !== undefined || year !== undefined) r.fail('ZDA date partly empty');
  const s: ZdaSentence = {
    sentence: 'ZDA',
    talker,
    timeUtc: time?.text,
    timeUtcS: time?.seconds,
    dateUtc,
    localZoneHours: r.num(4),
    localZoneMinutes: r.num(5),
  };
  return done(r, s);
}

function heading<T extends 'HDT' | 'HDM'>(type: T, unitLetter: string) {
  return (talker: string, r: FieldReader) => {
    unit(r, 1, unitLetter);
    return done(r, { sentence: type, talker, headingDeg: r.num(0) } as { sentence: T; talker: string; headingDeg?: number });
  };
}

// HDG: 0 sensor heading, 1-2 deviation E/W, 3-4 variation E/W.
function hdg(talker: string, r: FieldReader): HdgSentence | undefined {
  const s: HdgSentence = {
    sentence: 'HDG',
    talker,
    headingDeg: r.num(0),
    deviationDeg: r.signedByEW(1),
    variationDeg: r.signedByEW(3),
  };
  return done(r, s);
}

// ROT: 0 rate deg/min (negative to port), 1 status.
function rot(talker: string, r: FieldReader): RotSentence | undefined {
  return done(r, { sentence: 'ROT', talker, rateDegPerMin: r.num(0), status: r.letter(1, ['A', 'V'] as const) } as RotSentence);
}

/** Depth given three ways (feet f, metres M, fathoms F): prefer metres, then feet, then fathoms. */
function depthFfmF(r: FieldReader): number | undefined {
  unit(r, 1, 'f');
  unit(r, 3, 'M');
  unit(r, 5, 'F');
  const ft = r.num(0);
  const m = r.num(2);
  const fa = r.num(4);
  return m !== undefined ? m : ft !== undefined ? ft * M_PER_FOOT : fa !== undefined ? fa * M_PER_FATHOM : undefined;
}

function dbt(talker: string, r: FieldReader): DbtSentence | undefined {
  return done(r, { sentence: 'DBT', talker, depthM: depthFfmF(r) } as DbtSentence);
}

function dbs(talker: string, r: FieldReader): DbsSentence | undefined {
  return done(r, { sentence: 'DBS', talker, depthM: depthFfmF(r) } as DbsSentence);
}

// DPT: 0 depth below transducer m, 1 offset m, 2 max range m (NMEA 3.0).
function dpt(talker: string, r: FieldReader): DptSentence | undefined {
  return done(r, { sentence: 'DPT', talker, depthM: r.num(0), offsetM: r.num(1), maxRangeM: r.num(2) } as DptSentence);
}

// MTW: 0 temperature, 1 C.
function mtw(talker: string, r: FieldReader): MtwSentence | undefined {
  unit(r, 1, 'C');
  return done(r, { sentence: 'MTW', talker, temperatureC: r.num(0) } as MtwSentence);
}

// XDR: quadruples of type, value, unit, name.
function xdr(talker: string, r: FieldReader): XdrSentence | undefined {
  if (r.length === 0 || r.length % 4 !== 0) {
    r.fail(`XDR: expected groups of 4 fields, found ${r.length}`);
    return undefined;
  }
  const measurements: XdrMeasurement[] = [];
  let pitchDeg: number | undefined;
  let rollDeg: number | undefined;
  for (let i = 0; i < r.length; i += 4) {
    const m = compact<XdrMeasurement>({ type: r.text(i), value: r.num(i + 1), unit: r.str(i + 2), name: r.str(i + 3) });
    measurements.push(m);
    if (m.type === 'A' && m.unit === 'D' && m.value !== undefined) {
      if (m.name === 'PTCH' || m.name === 'PITCH') pitchDeg = m.value;
      else if (m.name === 'ROLL') rollDeg = m.value;
    }
  }
  return done(r, { sentence: 'XDR', talker, measurements, pitchDeg, rollDeg } as XdrSentence);
}

/** Decoders of the NMEA sentences this driver understands, by sentence type. */
export const NMEA_DECODERS: DecoderTable = {
  GGA: gga,
  RMC: rmc,
  VTG: vtg,
  GLL: gll,
  ZDA: zda,
  HDT: heading('HDT', 'T'),
  HDM: heading('HDM', 'M'),
  HDG: hdg,
  ROT: rot,
  DBT: dbt,
  DPT: dpt,
  DBS: dbs,
  MTW: mtw,
  XDR: xdr,
};
