// Speed: squared error of the speed over ground along the leg (the active leg, or the next
// once a predicted point has passed the active leg's end, as the path critic) to the leg's
// reference, itself a speed over ground (planning/plan.ts). The rollout's u, v are over
// ground. Surge alone would ask for the reference in the boat's axis while it crabs into a
// cross current, and would reward speed in any direction.
//
// Astern: squared surge through the water when it is negative (the boat driven backwards).
// Speed along the leg does not care which way the bow points, and a boat whose bow points
// back along the lane makes way down it astern as well: without this term MPPI settles into
// that local minimum (a 5 s horizon cannot see a 180-degree turn through), crawling down a
// lane stern first at full reverse thrust (coxswain compare, mismatch-current seed 10).
import type { RolloutBatch } from '../batch.ts';
import { P } from '../problem.ts';
import type { Critic } from './critic.ts';
import { createLegPair, readLegs } from './legs.ts';

const legs = createLegPair();

export const speedCritic: Critic = {
  name: 'speed',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const w = b.settings.weights.speed;
    const wAstern = b.settings.weights.astern;
    if (w === 0 && wAstern === 0) return;
    const p = b.problem.f;
    const ref = p[P.uRefMps];
    const curN = p[P.curN], curE = p[P.curE];
    const l = readLegs(p, legs);
    // Locals, not property loads, in the hot loop (the next-leg test of legs.ts inlined).
    const aN = l.aN, aE = l.aE, adN = l.adN, adE = l.adE, aLen = l.aLen, bdN = l.bdN, bdE = l.bdE, hasB = l.hasB;
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      let astern = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const next = hasB && (b.northM[i] - aN) * adN + (b.eastM[i] - aE) * adE > aLen;
        const cN = next ? bdN : adN;
        const cE = next ? bdE : adE;
        const cy = b.cosYaw[i];
        const sy = b.sinYaw[i];
        const u = b.uMps[i];
        const d = u * (cy * cN + sy * cE) + b.vMps[i] * (cy * cE - sy * cN) - ref;
        acc += d * d;
        // Surge through the water: over-ground surge less the current's component along the bow.
        const ur = u - (curN * cy + curE * sy);
        if (ur < 0) astern += ur * ur;
      }
      b.costs[k] += w * acc + wAstern * astern;
    }
  },
};
