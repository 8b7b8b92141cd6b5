// Shallow water: from the learned map, a cautious depth (mean - k std) less the draft is the
// under-keel clearance; below its margin the shortfall costs, squared. No map yet, no cost:
// the geofence keeps the vessel off the shore meanwhile. Unknown (NaN) cells cost nothing.
import type { RolloutBatch } from '../batch.ts';
import { G, GRID_HEADER, cellIndex } from '../grid.ts';
import { M } from '../model.ts';
import type { Critic } from './critic.ts';

export const shallowCritic: Critic = {
  name: 'shallow',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const w = b.settings.weights.shallow;
    const g = b.map;
    if (w === 0 || g[G.valid] < 0.5) return;
    const plane = g[G.rows] * g[G.cols];
    const kSigma = b.settings.depthSigmaFactor;
    const need = b.settings.clearanceMarginM + b.model[M.draftM];
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const c = cellIndex(g, b.northM[i], b.eastM[i]);
        if (c < 0) continue;
        const depth = g[GRID_HEADER + c] - kSigma * g[GRID_HEADER + plane + c];
        // NaN (unknown) fails the comparison and costs nothing.
        if (depth < need) acc += (need - depth) * (need - depth);
      }
      b.costs[k] += w * acc;
    }
  },
};
