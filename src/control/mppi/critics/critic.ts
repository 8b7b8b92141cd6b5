// The one contract of a cost term (as Nav2's MPPI critics): score samples [k0, k1) of a
// rolled-out batch, adding into batch.costs. Critics allocate nothing and read only the batch.
import type { RolloutBatch } from '../batch.ts';

export interface Critic {
  readonly name: string;
  score(batch: RolloutBatch, k0: number, k1: number): void;
}
