// Goal: squared distance of the horizon's last point to the goal (the carrot ahead on the
// path, or the hold point once the survey is done).
import type { RolloutBatch } from '../batch.ts';
import { P } from '../problem.ts';
import type { Critic } from './critic.ts';

export const goalCritic: Critic = {
  name: 'goal',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const w = b.settings.weights.goal;
    if (w === 0) return;
    const gN = b.problem.f[P.goalN];
    const gE = b.problem.f[P.goalE];
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      const i = k * T + T - 1;
      const dn = b.northM[i] - gN;
      const de = b.eastM[i] - gE;
      b.costs[k] += w * (dn * dn + de * de);
    }
  },
};
