import { describe, expect, it } from 'vitest';
import { frameSentence } from '../../src/drivers/nmea/checksum.ts';
import { SentenceParser } from '../../src/drivers/nmea/parser.ts';
import { ALL_DECODERS } from '../../src/drivers/all-decoders.ts';
import { toBusSamples } from '../../src/drivers/to-bus.ts';
import { only, parseText } from './helpers.ts';

const STAMP = 123_000_000_000n;
const bus = (body: string) => toBusSamples(only(parseText(new SentenceParser({}, ALL_DECODERS), frameSentence(body))), STAMP);
const DEG = Math.PI / 180;

describe('toBusSamples', () => {
  it('GGA with a fix becomes a GnssFix; quality 0 becomes nothing', () => {
    expect(bus('GPGGA,123519,4807.038,N,01131.000,E,2,08,0.9,545.4,M,46.9,M,,')).toEqual([
      {
        topic: 'gnss',
        message: { stampNs: STAMP, latDeg: 48 + 7.038 / 60, lonDeg: 11 + 31 / 60, fixQuality: 2, altM: 545.4, satellites: 8, hdop: 0.9, timeUtcS: 45319 },
      },
    ]);
    expect(bus('GPGGA,123519,4807.038,N,01131.000,E,0,08,0.9,545.4,M,46.9,M,,')).toEqual([]);
  });

  it('RMC A gives a fix and a velocity; RMC V gives nothing', () => {
    const out = bus('GPRMC,113258,A,3238.9148,N,10822.4466,W,005.3,090.0,181022,009.3,E,D');
    expect(out.map((s) => s.topic)).toEqual(['gnss', 'gnssVelocity']);
    // FAA mode D (differential) reads as GGA quality 2.
    expect(out[0].message).toMatchObject({ fixQuality: 2, timeUtcS: 41578 });
    expect(out[1].message).toEqual({ stampNs: STAMP, speedMps: (5.3 * 1852) / 3600, courseRad: Math.PI / 2 });
    expect(bus('GPRMC,113258,V,3238.9148,N,10822.4466,W,005.3,247.1,181022,009.3,E')).toEqual([]);
  });

  it('GLL needs status A; VTG needs a speed and a mode other than N', () => {
    expect(bus('ECGLL,5119.881,N,00125.169,E,164326,V,N')).toEqual([]);
    expect(bus('ECGLL,5119.881,N,00125.169,E,164326,A,A')[0].topic).toBe('gnss');
    expect(bus('GPVTG,,T,,M,,N,,K,N')).toEqual([]);
    // VTG without a course: the velocity has no courseRad.
    expect(bus('GPVTG,,T,,M,1.0,N,,K,A')).toEqual([{ topic: 'gnssVelocity', message: { stampNs: STAMP, speedMps: 1852 / 3600 } }]);
  });

  it('headings: HDT true, HDM magnetic, HDG true only with variation; wrapped to [0, 2pi)', () => {
    expect(bus('GPHDT,270.0,T')).toEqual([{ topic: 'heading', message: { stampNs: STAMP, headingRad: 270 * DEG, isTrue: true } }]);
    expect(bus('APHDM,90.0,M')[0].message).toEqual({ stampNs: STAMP, headingRad: 90 * DEG, isTrue: false });
    // 355 sensor + 2 E deviation + 10 E variation = 367 -> 7 deg true.
    const hdg = bus('24HDG,355.0,2.0,E,10.0,E')[0].message as { headingRad: number; isTrue: boolean };
    expect(hdg.isTrue).toBe(true);
    expect(hdg.headingRad).toBeCloseTo(7 * DEG, 12);
    // 10 sensor - 3 W deviation = 7 deg magnetic.
    const mag = bus('24HDG,10.0,3.0,W,,')[0].message as { headingRad: number; isTrue: boolean };
    expect(mag.isTrue).toBe(false);
    expect(mag.headingRad).toBeCloseTo(7 * DEG, 12);
  });

  it('depth from DPT (with offset), DBT and DBS (offset 0: already below the surface); MTW as a scalar', () => {
    expect(bus('INDPT,2.2,0.5')).toEqual([{ topic: 'depth', message: { stampNs: STAMP, depthBelowTransducerM: 2.2, offsetM: 0.5 } }]);
    expect(bus('SDDBT,7.7,f,2.3,M,1.3,F')).toEqual([{ topic: 'depth', message: { stampNs: STAMP, depthBelowTransducerM: 2.3 } }]);
    expect(bus('23DBS,01.9,f,0.58,M,00.3,F')).toEqual([{ topic: 'depth', message: { stampNs: STAMP, depthBelowTransducerM: 0.58, offsetM: 0 } }]);
    expect(bus('INDPT,,0.0')).toEqual([]);
    expect(bus('INMTW,17.9,C')).toEqual([{ topic: 'scalar', message: { stampNs: STAMP, quantity: 'waterTemperatureC', value: 17.9 } }]);
  });

  it('VNYMR becomes an ImuSample with angles in radians and yaw wrapped to (-pi, pi]', () => {
    const [s] = bus('VNYMR,+270.000,+090.000,-045.000,1,2,3,4,5,6,7,8,9');
    expect(s.topic).toBe('imu');
    const m = s.message as { yawRad: number; pitchRad: number; rollRad: number };
    expect(m.yawRad).toBeCloseTo(-Math.PI / 2, 12); // 270 deg = -90 deg
    expect(m.pitchRad).toBeCloseTo(Math.PI / 2, 12);
    expect(m.rollRad).toBeCloseTo(-Math.PI / 4, 12);
    expect(s.message).toMatchObject({ magGauss: [1, 2, 3], accelMps2: [4, 5, 6], gyroRadps: [7, 8, 9], stampNs: STAMP });
  });

  it('ZDA, ROT and XDR have no bus topic', () => {
    expect(bus('INZDA,194104,16,09,2006,-05,00')).toEqual([]);
    expect(bus('APROT,0.013,A')).toEqual([]);
    expect(bus('APXDR,A,0.135,D,PTCH')).toEqual([]);
  });
});
