// Lane/path tracking: squared cross-track distance to the active leg, or to the next leg once
// a predicted point has passed the active leg's end (legs.ts), plus two alignment terms
// against that leg's direction:
//   heading — 1 - cos(bow heading - leg direction): keeps the bow along the lane;
//   course  — 1 - cos(course over ground - leg direction), the course from the over-ground
//             velocity (u, v are over ground in the rollout). In a cross current the bow must
//             crab into the current for the track to follow the lane; the course term asks for
//             exactly that, where the heading term fights the crab angle (with a 0.5 m/s
//             current across a 1.5 m/s lane the crab is 19 degrees).
//   turn    — max(0, cos 45 deg - cos(bow heading - leg direction)): nothing within the crab
//             angles of a lane, then growing to 1.7 at 180 degrees. The heading term alone is
//             kept weak so as not to fight the crab; in a turn onto the next lane (a heading
//             error of 90 to 180 degrees) that leaves too little to turn for, and the boat
//             stopped and spun slowly while the current set it 7 m off the lane
//             (mismatch-current seed 8). This term gives the turn its drive.
// Below ~0.3 m/s the course is ill-defined: the speed is softened by COURSE_SOFT_MPS, so the
// term fades to a constant 1 at rest instead of swinging with noise.
import type { RolloutBatch } from '../batch.ts';
import type { Critic } from './critic.ts';
import { createLegPair, readLegs } from './legs.ts';

/** Speed (m/s) added in quadrature to the over-ground speed in the course term's denominator. */
export const COURSE_SOFT_MPS = 0.3;
/** Cosine of the heading error (45 degrees) below which the turn term starts to cost. */
export const TURN_FREE_COS = Math.SQRT1_2;

const legs = createLegPair();

export const pathCritic: Critic = {
  name: 'path',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const wPath = b.settings.weights.path;
    const wHead = b.settings.weights.heading;
    const wCourse = b.settings.weights.course;
    const wTurn = b.settings.weights.turn;
    if (wPath === 0 && wHead === 0 && wCourse === 0 && wTurn === 0) return;
    const l = readLegs(b.problem.f, legs);
    // Locals, not property loads, in the hot loop (the next-leg test of legs.ts inlined).
    const aN = l.aN, aE = l.aE, adN = l.adN, adE = l.adE, aLen = l.aLen, bN = l.bN, bE = l.bE, bdN = l.bdN, bdE = l.bdE, hasB = l.hasB;
    const soft2 = COURSE_SOFT_MPS * COURSE_SOFT_MPS;
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const n = b.northM[i];
        const e = b.eastM[i];
        const rn = n - aN;
        const re = e - aE;
        let xt: number, cN: number, cE: number;
        if (hasB && rn * adN + re * adE > aLen) {
          xt = -(n - bN) * bdE + (e - bE) * bdN;
          cN = bdN; cE = bdE;
        } else {
          xt = -rn * adE + re * adN;
          cN = adN; cE = adE;
        }
        const cy = b.cosYaw[i];
        const sy = b.sinYaw[i];
        const u = b.uMps[i];
        const v = b.vMps[i];
        // Over-ground velocity along the leg: (u cy - v sy, u sy + v cy) . (cN, cE).
        const along = u * (cy * cN + sy * cE) + v * (cy * cE - sy * cN);
        const course = 1 - along / Math.sqrt(u * u + v * v + soft2);
        const cosErr = cy * cN + sy * cE;
        const turn = cosErr < TURN_FREE_COS ? TURN_FREE_COS - cosErr : 0;
        acc += wPath * xt * xt + wHead * (1 - cosErr) + wCourse * course + wTurn * turn;
      }
      b.costs[k] += acc;
    }
  },
};
