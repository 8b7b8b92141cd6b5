// Geofence/shore: squared intrusion into the margin along the shore, from the precomputed
// signed distance grid, plus a fixed collision cost for every step outside the water.
import type { RolloutBatch } from '../batch.ts';
import { sampleBilinear } from '../grid.ts';
import type { Critic } from './critic.ts';

export const geofenceCritic: Critic = {
  name: 'geofence',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const w = b.settings.weights.geofence;
    if (w === 0) return;
    const margin = b.settings.shoreMarginM;
    const crash = b.settings.collisionCost;
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const d = sampleBilinear(b.fence, b.northM[i], b.eastM[i]);
        if (d < margin) acc += w * (margin - d) * (margin - d) + (d < 0 ? crash : 0);
      }
      b.costs[k] += acc;
    }
  },
};
