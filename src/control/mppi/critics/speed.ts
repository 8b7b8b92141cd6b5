// Speed: squared error of the surge speed to the leg's reference.
import type { RolloutBatch } from '../batch.ts';
import { P } from '../problem.ts';
import type { Critic } from './critic.ts';

export const speedCritic: Critic = {
  name: 'speed',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const w = b.settings.weights.speed;
    if (w === 0) return;
    const ref = b.problem.f[P.uRefMps];
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const d = b.uMps[i] - ref;
        acc += d * d;
      }
      b.costs[k] += w * acc;
    }
  },
};
