// Decoded sentences: what the NMEA and VectorNav parsers hand out.
//
// Every decoded sentence carries `sentence` (the three-letter type, the union's tag) and
// `talker` (whatever precedes the type in the address field: "GP", "IN", "02", "VN", ...).
// Values are SI or degrees, with the unit in the name. A field the sentence leaves empty is
// absent from the object, never 0 and never NaN. Status fields (RMC 'V', GGA quality 0) are
// kept so a reader sees them; the mapping to bus messages drops such fixes.
import type { FieldReader } from './nmea/fields.ts';

/** FAA mode indicator of NMEA 2.3+: A autonomous, D differential, E estimated, F float RTK, M manual, N not valid, P precise, R fixed RTK, S simulator. */
export type FaaMode = string;

interface Base {
  talker: string;
}

/** GGA: fix data. */
export interface GgaSentence extends Base {
  sentence: 'GGA';
  timeUtc?: string;
  timeUtcS?: number;
  latDeg?: number;
  lonDeg?: number;
  /** 0 invalid, 1 GPS, 2 DGPS, 3 PPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning, 7 manual, 8 simulator. */
  fixQuality?: number;
  satellites?: number;
  hdop?: number;
  /** Antenna altitude above mean sea level. */
  altM?: number;
  /** Geoid separation: ellipsoid height minus MSL height. */
  geoidSeparationM?: number;
  dgpsAgeS?: number;
  dgpsStationId?: string;
}

/** RMC: recommended minimum. */
export interface RmcSentence extends Base {
  sentence: 'RMC';
  timeUtc?: string;
  timeUtcS?: number;
  /** 'A' valid, 'V' warning. */
  status?: 'A' | 'V';
  latDeg?: number;
  lonDeg?: number;
  speedMps?: number;
  /** Course over ground, true. */
  courseDeg?: number;
  dateUtc?: string;
  /** Magnetic variation, east positive. */
  magneticVariationDeg?: number;
  faaMode?: FaaMode;
  /** NMEA 4.1 navigational status. */
  navStatus?: string;
}

/** VTG: course and speed over ground. */
export interface VtgSentence extends Base {
  sentence: 'VTG';
  courseDeg?: number;
  courseMagneticDeg?: number;
  speedMps?: number;
  faaMode?: FaaMode;
}

/** GLL: geographic position. */
export interface GllSentence extends Base {
  sentence: 'GLL';
  latDeg?: number;
  lonDeg?: number;
  timeUtc?: string;
  timeUtcS?: number;
  status?: 'A' | 'V';
  faaMode?: FaaMode;
}

/** ZDA: time and date. */
export interface ZdaSentence extends Base {
  sentence: 'ZDA';
  timeUtc?: string;
  timeUtcS?: number;
  dateUtc?: string;
  localZoneHours?: number;
  localZoneMinutes?: number;
}

/** HDT: true heading. */
export interface HdtSentence extends Base {
  sentence: 'HDT';
  headingDeg?: number;
}

/** HDG: magnetic sensor heading with deviation and variation (east positive). */
export interface HdgSentence extends Base {
  sentence: 'HDG';
  /** Heading as the magnetic sensor reads it, before deviation. */
  headingDeg?: number;
  deviationDeg?: number;
  variationDeg?: number;
}

/** HDM: magnetic heading. */
export interface HdmSentence extends Base {
  sentence: 'HDM';
  headingDeg?: number;
}

/** ROT: rate of turn, positive turning to starboard. */
export interface RotSentence extends Base {
  sentence: 'ROT';
  rateDegPerMin?: number;
  status?: 'A' | 'V';
}

/** DBT: depth below the transducer. */
export interface DbtSentence extends Base {
  sentence: 'DBT';
  depthM?: number;
}

/** DPT: depth below the transducer, with the transducer offset. */
export interface DptSentence extends Base {
  sentence: 'DPT';
  depthM?: number;
  /** Positive: distance from transducer to waterline; negative: to the keel. */
  offsetM?: number;
  maxRangeM?: number;
}

/** DBS: depth below the surface. */
export interface DbsSentence extends Base {
  sentence: 'DBS';
  depthM?: number;
}

/** MTW: water temperature. */
export interface MtwSentence extends Base {
  sentence: 'MTW';
  temperatureC?: number;
}

/** One XDR measurement quadruple. */
export interface XdrMeasurement {
  /** Transducer type letter: A angular, C temperature, P pressure, G generic, ... */
  type: string;
  value?: number;
  unit?: string;
  name?: string;
}

/** XDR: transducer measurements; pitch and roll are lifted out when present. */
export interface XdrSentence extends Base {
  sentence: 'XDR';
  measurements: XdrMeasurement[];
  /** Pitch, bow up positive, from an angular measurement named PTCH or PITCH in degrees. */
  pitchDeg?: number;
  /** Roll, starboard down positive, from an angular measurement named ROLL in degrees. */
  rollDeg?: number;
}

/** VectorNav `$VNYMR`: attitude, magnetic, acceleration and angular rate (VN-100 register 27). */
export interface YmrSentence extends Base {
  sentence: 'YMR';
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  magGauss: [number, number, number];
  accelMps2: [number, number, number];
  gyroRadps: [number, number, number];
}

export type NmeaSentence =
  | GgaSentence
  | RmcSentence
  | VtgSentence
  | GllSentence
  | ZdaSentence
  | HdtSentence
  | HdgSentence
  | HdmSentence
  | RotSentence
  | DbtSentence
  | DptSentence
  | DbsSentence
  | MtwSentence
  | XdrSentence;

export type DecodedSentence = NmeaSentence | YmrSentence;

export type SentenceType = DecodedSentence['sentence'];

/** The three rejection reasons of every summary. */
export type RejectReason = 'checksum' | 'malformed' | 'unsupported';

export const REJECT_REASONS: readonly RejectReason[] = ['checksum', 'malformed', 'unsupported'];

/**
 * A decoder gets the talker and the fields after the address, plus a reader primed with them;
 * it returns the sentence, or undefined after marking the reader bad.
 */
export type SentenceDecoder = (talker: string, reader: FieldReader) => DecodedSentence | undefined;

/** Decoders by sentence type (the three letters after the talker). */
export type DecoderTable = Readonly<Record<string, SentenceDecoder>>;
