// Control effort and smoothness: squared commanded thrust, and squared step-to-step change
// (the first step against the command last sent), both over the largest forward thrust.
import type { RolloutBatch } from '../batch.ts';
import { M } from '../model.ts';
import { P } from '../problem.ts';
import type { Critic } from './critic.ts';

export const effortCritic: Critic = {
  name: 'effort',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const wE = b.settings.weights.effort;
    const wS = b.settings.weights.smoothness;
    if (wE === 0 && wS === 0) return;
    const inv2 = 1 / (b.model[M.maxFwdN] * b.model[M.maxFwdN]);
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let prevL = b.problem.f[P.lastCmdL];
      let prevR = b.problem.f[P.lastCmdR];
      let effort = 0;
      let change = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const l = b.leftN[i];
        const r = b.rightN[i];
        effort += l * l + r * r;
        change += (l - prevL) * (l - prevL) + (r - prevR) * (r - prevR);
        prevL = l;
        prevR = r;
      }
      b.costs[k] += (wE * effort + wS * change) * inv2;
    }
  },
};
