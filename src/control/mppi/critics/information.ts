// Information: a reward (negative cost) for passing over cells where the map is unsure, the
// map's std summed along the trajectory. Off by default; an informative planner turns it on.
import type { RolloutBatch } from '../batch.ts';
import { G, GRID_HEADER, cellIndex } from '../grid.ts';
import type { Critic } from './critic.ts';

export const informationCritic: Critic = {
  name: 'information',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const w = b.settings.weights.information;
    const g = b.map;
    if (w === 0 || g[G.valid] < 0.5) return;
    const plane = g[G.rows] * g[G.cols];
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let acc = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const c = cellIndex(g, b.northM[i], b.eastM[i]);
        if (c < 0) continue;
        const s = g[GRID_HEADER + plane + c];
        if (s > 0) acc += s;
      }
      b.costs[k] -= w * acc;
    }
  },
};
