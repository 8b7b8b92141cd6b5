// Lane/path tracking: squared cross-track distance to the active leg, or to the next leg once
// a predicted point has passed the active leg's end, plus 1 - cos of the heading error to that
// leg's direction (keeps the bow along the lane rather than crabbing across it).
import type { RolloutBatch } from '../batch.ts';
import { P } from '../problem.ts';
import type { Critic } from './critic.ts';

export const pathCritic: Critic = {
  name: 'path',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const wPath = b.settings.weights.path;
    const wHead = b.settings.weights.heading;
    if (wPath === 0 && wHead === 0) return;
    const p = b.problem.f;
    const aN = p[P.aFromN], aE = p[P.aFromE];
    let adN = p[P.aToN] - aN, adE = p[P.aToE] - aE;
    const aLen = Math.hypot(adN, adE);
    if (aLen > 1e-6) { adN /= aLen; adE /= aLen; } else { adN = 1; adE = 0; }
    const bN = p[P.bFromN], bE = p[P.bFromE];
    let bdN = p[P.bToN] - bN, bdE = p[P.bToE] - bE;
    const bLen = Math.hypot(bdN, bdE);
    if (bLen > 1e-6) { bdN /= bLen; bdE /= bLen; } else { bdN = adN; bdE = adE; }
    const hasB = p[P.hasB] > 0.5;
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const rn = b.northM[i] - aN;
        const re = b.eastM[i] - aE;
        let e = -rn * adE + re * adN;
        let cN = adN, cE = adE;
        if (hasB && rn * adN + re * adE > aLen) {
          e = -(b.northM[i] - bN) * bdE + (b.eastM[i] - bE) * bdN;
          cN = bdN; cE = bdE;
        }
        acc += wPath * e * e + wHead * (1 - (b.cosYaw[i] * cN + b.sinYaw[i] * cE));
      }
      b.costs[k] += acc;
    }
  },
};
