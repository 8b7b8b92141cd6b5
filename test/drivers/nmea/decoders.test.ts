// One test per sentence type, built with frameSentence; expectations computed by hand.
import { describe, expect, it } from 'vitest';
import { frameSentence } from '../../../src/drivers/nmea/checksum.ts';
import { NmeaParser } from '../../../src/drivers/nmea/parser.ts';
import { only, parseText } from '../helpers.ts';

const decode = (body: string) => only(parseText(new NmeaParser(), frameSentence(body)));
const rejectReason = (body: string) => {
  const [r] = parseText(new NmeaParser(), frameSentence(body));
  return r.kind === 'rejected' ? r.reason : 'accepted';
};

describe('GGA', () => {
  it('decodes the textbook example', () => {
    const s = decode('GPGGA,123519.25,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');
    expect(s).toEqual({
      sentence: 'GGA',
      talker: 'GP',
      timeUtc: '12:35:19.250',
      timeUtcS: 12 * 3600 + 35 * 60 + 19.25, // 45319.25
      latDeg: 48 + 7.038 / 60, // 48.1173
      lonDeg: 11 + 31 / 60, // 11.516666...
      fixQuality: 1,
      satellites: 8,
      hdop: 0.9,
      altM: 545.4,
      geoidSeparationM: 46.9,
    });
  });

  it('keeps quality 0 with every empty field absent', () => {
    const s = decode('GPGGA,,,,,,0,,,,M,,M,,');
    expect(s).toEqual({ sentence: 'GGA', talker: 'GP', fixQuality: 0 });
    expect('latDeg' in s).toBe(false);
  });

  it('signs southern and western coordinates negative', () => {
    const s = decode('GPGGA,030719.000,3747.0873,S,17518.8938,W,1,08,1.1,59.9,M,23.7,M,,0000');
    expect(s).toMatchObject({ latDeg: -(37 + 47.0873 / 60), lonDeg: -(175 + 18.8938 / 60), dgpsStationId: '0000' });
  });

  it('rejects non-numeric or out-of-range fields as malformed', () => {
    expect(rejectReason('GPGGA,123519,4807.038,N,01131.000,E,x,08,0.9,545.4,M,46.9,M,,')).toBe('malformed');
    expect(rejectReason('GPGGA,123519,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')).toBe('malformed');
    expect(rejectReason('GPGGA,123519,4807.038,Q,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')).toBe('malformed');
    expect(rejectReason('GPGGA,253519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')).toBe('malformed');
  });
});

describe('RMC', () => {
  it('decodes speed in m/s, date, and signed variation', () => {
    const s = decode('GPRMC,113258,A,3238.9148,N,10822.4466,W,005.3,247.1,181022,009.3,E');
    expect(s).toEqual({
      sentence: 'RMC',
      talker: 'GP',
      timeUtc: '11:32:58.000',
      timeUtcS: 41578,
      status: 'A',
      latDeg: 32 + 38.9148 / 60,
      lonDeg: -(108 + 22.4466 / 60),
      speedMps: (5.3 * 1852) / 3600, // 2.7265...
      courseDeg: 247.1,
      dateUtc: '2022-10-18',
      magneticVariationDeg: 9.3,
    });
  });

  it('keeps status V and reads the FAA mode and nav status', () => {
    const s = decode('GNRMC,000653.00,V,,,,,,,090624,15.8,W,N,V');
    expect(s).toEqual({
      sentence: 'RMC',
      talker: 'GN',
      timeUtc: '00:06:53.000',
      timeUtcS: 413,
      status: 'V',
      dateUtc: '2024-06-09',
      magneticVariationDeg: -15.8,
      faaMode: 'N',
      navStatus: 'V',
    });
  });

  it('reads a 1999 date from a two-digit year of 99', () => {
    expect(decode('GPRMC,010203,A,0000.000,N,00000.000,E,0,0,311299,,')).toMatchObject({ dateUtc: '1999-12-31' });
  });
});

describe('VTG, GLL, ZDA', () => {
  it('VTG prefers knots and falls back to km/h', () => {
    expect(decode('GPVTG,318.0,T,341.9,M,000.5,N,0000.9,K,A')).toEqual({
      sentence: 'VTG', talker: 'GP', courseDeg: 318, courseMagneticDeg: 341.9, speedMps: 0.5 * 1852 / 3600, faaMode: 'A',
    });
    // 36 km/h = 10 m/s
    expect(decode('GPVTG,,T,,M,,N,36.0,K,A')).toMatchObject({ speedMps: 10 });
    expect(decode('GPVTG,,T,,M,,N,,K,N')).toEqual({ sentence: 'VTG', talker: 'GP', faaMode: 'N' });
  });

  it('GLL with time and status', () => {
    expect(decode('ECGLL,5119.881,N,00125.169,E,164326,A,D')).toEqual({
      sentence: 'GLL', talker: 'EC', latDeg: 51 + 19.881 / 60, lonDeg: 1 + 25.169 / 60,
      timeUtc: '16:43:26.000', timeUtcS: 60206, // 16*3600 + 43*60 + 26
      status: 'A', faaMode: 'D',
    });
  });

  it('ZDA with date and local zone', () => {
    expect(decode('INZDA,194104,16,09,2006,-05,00')).toEqual({
      sentence: 'ZDA', talker: 'IN', timeUtc: '19:41:04.000', timeUtcS: 70864, dateUtc: '2006-09-16', localZoneHours: -5, localZoneMinutes: 0,
    });
    expect(rejectReason('INZDA,194104,16,13,2006,-05,00')).toBe('malformed');
  });
});

describe('headings and rate of turn', () => {
  it('HDT, HDM, HDG and ROT', () => {
    expect(decode('GPHDT,274.07,T')).toEqual({ sentence: 'HDT', talker: 'GP', headingDeg: 274.07 });
    expect(decode('GPHDT,,T')).toEqual({ sentence: 'HDT', talker: 'GP' });
    expect(decode('04HDM,186.5,M')).toEqual({ sentence: 'HDM', talker: '04', headingDeg: 186.5 });
    expect(decode('24HDG,182.1,1.5,W,10.0,E')).toEqual({ sentence: 'HDG', talker: '24', headingDeg: 182.1, deviationDeg: -1.5, variationDeg: 10 });
    expect(decode('HCHDG,182.1,,,,')).toEqual({ sentence: 'HDG', talker: 'HC', headingDeg: 182.1 });
    expect(decode('APROT,-0.007,A')).toEqual({ sentence: 'ROT', talker: 'AP', rateDegPerMin: -0.007, status: 'A' });
  });
});

describe('depth and temperature', () => {
  it('DBT prefers metres; feet and fathoms convert', () => {
    expect(decode('SDDBT,7.7,f,2.3,M,1.3,F')).toEqual({ sentence: 'DBT', talker: 'SD', depthM: 2.3 });
    // 10 ft * 0.3048 = 3.048 m
    expect(decode('SDDBT,10.0,f,,M,,F')).toEqual({ sentence: 'DBT', talker: 'SD', depthM: 3.048 });
    // 2 fathoms * 1.8288 = 3.6576 m
    expect(decode('SDDBT,,f,,M,2,F')).toEqual({ sentence: 'DBT', talker: 'SD', depthM: 3.6576 });
  });

  it('DBS, DPT with offset and range, MTW', () => {
    expect(decode('23DBS,01.9,f,0.58,M,00.3,F')).toEqual({ sentence: 'DBS', talker: '23', depthM: 0.58 });
    expect(decode('INDPT,2.2,-0.5,100')).toEqual({ sentence: 'DPT', talker: 'IN', depthM: 2.2, offsetM: -0.5, maxRangeM: 100 });
    expect(decode('INDPT,,0.0')).toEqual({ sentence: 'DPT', talker: 'IN', offsetM: 0 });
    expect(decode('INMTW,17.9,C')).toEqual({ sentence: 'MTW', talker: 'IN', temperatureC: 17.9 });
    expect(rejectReason('INMTW,17.9,F')).toBe('malformed');
  });
});

describe('XDR', () => {
  it('lifts pitch and roll out of angular measurements', () => {
    expect(decode('APXDR,A,0.135,D,PTCH')).toEqual({
      sentence: 'XDR', talker: 'AP', measurements: [{ type: 'A', value: 0.135, unit: 'D', name: 'PTCH' }], pitchDeg: 0.135,
    });
    const s = decode('HCXDR,A,171,D,PITCH,A,-37,D,ROLL,G,367,,MAGX');
    expect(s).toMatchObject({ pitchDeg: 171, rollDeg: -37 });
    expect(s.sentence === 'XDR' && s.measurements[2]).toEqual({ type: 'G', value: 367, name: 'MAGX' });
  });

  it('rejects a body that is not groups of four', () => {
    expect(rejectReason('APXDR,A,0.135,D')).toBe('malformed');
  });
});
