import { describe, expect, it } from 'vitest';
import { frameSentence } from '../../../src/drivers/nmea/checksum.ts';
import { VectorNavParser } from '../../../src/drivers/vectornav/parser.ts';
import { only, parseText } from '../helpers.ts';

// A $VNYMR line as a VN-100 sends it: yaw, pitch, roll (deg), mag (gauss), accel (m/s^2), gyro (rad/s).
const YMR = 'VNYMR,+010.071,-000.278,-000.761,-00.2284,+00.6230,+00.7455,-00.033,+00.132,-09.765,-00.000179,+00.001230,-00.000532';

describe('VectorNav $VNYMR', () => {
  it('decodes the twelve fields in register order', () => {
    expect(only(parseText(new VectorNavParser(), frameSentence(YMR)))).toEqual({
      sentence: 'YMR',
      talker: 'VN',
      yawDeg: 10.071,
      pitchDeg: -0.278,
      rollDeg: -0.761,
      magGauss: [-0.2284, 0.623, 0.7455],
      accelMps2: [-0.033, 0.132, -9.765],
      gyroRadps: [-0.000179, 0.00123, -0.000532],
    });
  });

  it('accepts *XX only when disabled checksums are allowed', () => {
    const line = `$${YMR}*XX\r\n`;
    expect(parseText(new VectorNavParser(), line)[0]).toMatchObject({ kind: 'rejected', reason: 'checksum' });
    expect(only(parseText(new VectorNavParser({ acceptDisabledChecksum: true }), line))).toMatchObject({ yawDeg: 10.071 });
  });

  it('rejects a short or empty-field YMR as malformed, and NMEA sentences as unsupported', () => {
    const p = new VectorNavParser();
    parseText(p, frameSentence('VNYMR,1,2,3') + frameSentence('VNYMR,1,2,3,4,5,6,7,8,9,10,11,') + frameSentence('GPHDT,1,T'));
    expect(p.stats().rejected).toEqual({ checksum: 0, malformed: 2, unsupported: 1 });
  });
});
