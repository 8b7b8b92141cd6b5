import { describe, expect, it } from 'vitest';
import { compareWithExact, memoryGrowth } from '../../../src/mapping/eval/acceptance.ts';
import type { Terrain } from '../../../src/mapping/eval/terrain.ts';

// A 40 × 40 smooth synthetic "terrain" (cell units), so the test needs no data files.
const terrain: Terrain = { name: 'synthetic', rows: 40, cols: 40, z: Float64Array.from({ length: 1600 }, (_, k) => 50 + 20 * Math.sin(Math.floor(k / 40) / 7) * Math.cos((k % 40) / 9)) };
const hypers = { lengthScaleM: 8, signalVarM2: 200, noiseVarM2: 1 };

describe('terrain acceptance', () => {
  it('a lattice denser than the length scale is within 2 % of the exact GP', () => {
    const rows = compareWithExact(terrain, { ns: [60, 120], noiseSd: 1, seed: 3, side: 12, batch: 10, hypers }, () => {});
    expect(rows.map((r) => r.n)).toEqual([60, 120]);
    for (const r of rows) expect(Math.abs(r.diffPct)).toBeLessThan(2);
  });

  it('memory is measured once per count and the map learns every sample', () => {
    let calls = 0;
    const rows = memoryGrowth(terrain, { counts: [100, 30], side: 6, batch: 10, hypers, seed: 1 }, () => (calls++, { heapUsedBytes: 1, arrayBuffersBytes: 2 }));
    expect(calls).toBe(2);
    expect(rows.map((r) => r.samples)).toEqual([30, 100]);
  });
});
