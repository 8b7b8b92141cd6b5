// From decoded sentences to bus messages. Pure: the sentence and the stamp of the bytes that
// carried it in, the messages out.
//
// Only samples a consumer can trust become messages: a fix needs a valid status (RMC/GLL 'A',
// GGA quality > 0) and both coordinates; a velocity needs a speed. Angles become radians;
// headings and courses are wrapped to [0, 2 pi) as compass angles, IMU yaw to (-pi, pi].
import type { StampNs, Topics } from '../msg/index.ts';
import { degToRad, wrap2Pi, wrapPi } from '../geo/index.ts';
import type { DecodedSentence } from './sentence.ts';

export type BusSample = { [K in keyof Topics]: { topic: K; message: Topics[K] } }[keyof Topics];

const NONE: readonly BusSample[] = Object.freeze([]);

/** GnssFix quality for RMC/GLL, which carry an FAA mode instead of a GGA quality. */
function qualityFromFaaMode(mode: string | undefined): number {
  switch (mode) {
    case 'D':
      return 2;
    case 'R':
      return 4;
    case 'F':
      return 5;
    case 'E':
      return 6;
    default:
      return 1;
  }
}

/**
 * The bus messages a decoded sentence yields, stamped with `stampNs`:
 *  GGA (quality > 0), GLL ('A'), RMC ('A') → gnss; RMC ('A'), VTG (mode not 'N') → gnssVelocity;
 *  HDT → heading (true); HDM → heading (magnetic); HDG → heading, true when it carries a
 *  variation; DPT, DBT, DBS → depth; MTW → scalar 'waterTemperatureC'; YMR → imu.
 * ZDA, ROT and XDR carry nothing the bus has a topic for and yield nothing.
 */
export function toBusSamples(s: DecodedSentence, stampNs: StampNs): readonly BusSample[] {
  switch (s.sentence) {
    case 'GGA': {
      if (!s.fixQuality || s.latDeg === undefined || s.lonDeg === undefined) return NONE;
      const fix: Topics['gnss'] = { stampNs, latDeg: s.latDeg, lonDeg: s.lonDeg, fixQuality: s.fixQuality };
      if (s.altM !== undefined) fix.altM = s.altM;
      if (s.satellites !== undefined) fix.satellites = s.satellites;
      if (s.hdop !== undefined) fix.hdop = s.hdop;
      if (s.timeUtcS !== undefined) fix.timeUtcS = s.timeUtcS;
      return [{ topic: 'gnss', message: fix }];
    }
    case 'GLL': {
      if (s.status !== 'A' || s.faaMode === 'N' || s.latDeg === undefined || s.lonDeg === undefined) return NONE;
      const fix: Topics['gnss'] = { stampNs, latDeg: s.latDeg, lonDeg: s.lonDeg, fixQuality: qualityFromFaaMode(s.faaMode) };
      if (s.timeUtcS !== undefined) fix.timeUtcS = s.timeUtcS;
      return [{ topic: 'gnss', message: fix }];
    }
    case 'RMC': {
      if (s.status !== 'A' || s.faaMode === 'N') return NONE;
      const out: BusSample[] = [];
      if (s.latDeg !== undefined && s.lonDeg !== undefined) {
        const fix: Topics['gnss'] = { stampNs, latDeg: s.latDeg, lonDeg: s.lonDeg, fixQuality: qualityFromFaaMode(s.faaMode) };
        if (s.timeUtcS !== undefined) fix.timeUtcS = s.timeUtcS;
        out.push({ topic: 'gnss', message: fix });
      }
      if (s.speedMps !== undefined) out.push({ topic: 'gnssVelocity', message: velocity(stampNs, s.speedMps, s.courseDeg) });
      return out;
    }
    case 'VTG':
      if (s.faaMode === 'N' || s.speedMps === undefined) return NONE;
      return [{ topic: 'gnssVelocity', message: velocity(stampNs, s.speedMps, s.courseDeg) }];
    case 'HDT':
      if (s.headingDeg === undefined) return NONE;
      return [{ topic: 'heading', message: { stampNs, headingRad: wrap2Pi(degToRad(s.headingDeg)), isTrue: true } }];
    case 'HDM':
      if (s.headingDeg === undefined) return NONE;
      return [{ topic: 'heading', message: { stampNs, headingRad: wrap2Pi(degToRad(s.headingDeg)), isTrue: false } }];
    case 'HDG': {
      if (s.headingDeg === undefined) return NONE;
      // Sensor heading + deviation = magnetic heading; + variation = true heading (east positive).
      const magneticDeg = s.headingDeg + (s.deviationDeg ?? 0);
      const isTrue = s.variationDeg !== undefined;
      const deg = isTrue ? magneticDeg + (s.variationDeg as number) : magneticDeg;
      return [{ topic: 'heading', message: { stampNs, headingRad: wrap2Pi(degToRad(deg)), isTrue } }];
    }
    case 'DPT': {
      if (s.depthM === undefined) return NONE;
      const depth: Topics['depth'] = { stampNs, depthBelowTransducerM: s.depthM };
      if (s.offsetM !== undefined) depth.offsetM = s.offsetM;
      return [{ topic: 'depth', message: depth }];
    }
    case 'DBT':
      if (s.depthM === undefined) return NONE;
      return [{ topic: 'depth', message: { stampNs, depthBelowTransducerM: s.depthM } }];
    case 'DBS':
      // Depth below the surface: as if the transducer sat at the waterline, so offset 0 makes
      // depth + offset the depth below the surface, as it is for DPT.
      if (s.depthM === undefined) return NONE;
      return [{ topic: 'depth', message: { stampNs, depthBelowTransducerM: s.depthM, offsetM: 0 } }];
    case 'MTW':
      if (s.temperatureC === undefined) return NONE;
      return [{ topic: 'scalar', message: { stampNs, quantity: 'waterTemperatureC', value: s.temperatureC } }];
    case 'YMR':
      return [
        {
          topic: 'imu',
          message: {
            stampNs,
            yawRad: wrapPi(degToRad(s.yawDeg)),
            pitchRad: degToRad(s.pitchDeg),
            rollRad: degToRad(s.rollDeg),
            gyroRadps: [s.gyroRadps[0], s.gyroRadps[1], s.gyroRadps[2]],
            accelMps2: [s.accelMps2[0], s.accelMps2[1], s.accelMps2[2]],
            magGauss: [s.magGauss[0], s.magGauss[1], s.magGauss[2]],
          },
        },
      ];
    case 'ZDA':
    case 'ROT':
    case 'XDR':
      return NONE;
  }
}

function velocity(stampNs: StampNs, speedMps: number, courseDeg: number | undefined): Topics['gnssVelocity'] {
  const v: Topics['gnssVelocity'] = { stampNs, speedMps };
  if (courseDeg !== undefined) v.courseRad = wrap2Pi(degToRad(courseDeg));
  return v;
}
