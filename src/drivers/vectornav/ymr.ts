// VectorNav `$VNYMR`: the ASCII output of the VN-100 "Yaw, Pitch, Roll, Magnetic, Acceleration
// and Angular Rates" register (register 27). Field order, after the address field:
//   0-2  yaw, pitch, roll          degrees
//   3-5  magnetic X, Y, Z          gauss (compensated)
//   6-8  acceleration X, Y, Z      m/s^2 (compensated)
//   9-11 angular rate X, Y, Z      rad/s (compensated)
// (VN-100 user manual, section on register 27 / YMR async output; the same order is used by
// open-source drivers such as osgar's vn100 parser.) The sentence must carry all twelve.
import type { DecoderTable, YmrSentence } from '../sentence.ts';
import type { FieldReader } from '../nmea/fields.ts';

export const YMR_FIELD_COUNT = 12;

export function decodeYmr(talker: string, r: FieldReader): YmrSentence | undefined {
  if (r.length !== YMR_FIELD_COUNT) {
    r.fail(`YMR: expected ${YMR_FIELD_COUNT} fields, found ${r.length}`);
    return undefined;
  }
  const v = new Array<number>(YMR_FIELD_COUNT);
  for (let i = 0; i < YMR_FIELD_COUNT; i++) {
    const x = r.num(i);
    // Every YMR field is always sent; an empty one means a corrupted line.
    if (x === undefined) {
      r.fail(`YMR: field ${i} empty or not a number`);
      return undefined;
    }
    v[i] = x;
  }
  return {
    sentence: 'YMR',
    talker,
    yawDeg: v[0],
    pitchDeg: v[1],
    rollDeg: v[2],
    magGauss: [v[3], v[4], v[5]],
    accelMps2: [v[6], v[7], v[8]],
    gyroRadps: [v[9], v[10], v[11]],
  };
}

/** The VectorNav ASCII sentences this driver decodes. Other VN outputs are 'unsupported'. */
export const VECTORNAV_DECODERS: DecoderTable = { YMR: decodeYmr };
