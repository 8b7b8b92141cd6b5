import { describe, expect, it } from 'vitest';
import { compareAdaptive, compareWithExact, memoryGrowth } from '../../../src/mapping/eval/acceptance.ts';
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

  it('a bracketed ML-II search finds the full-range maximum when it holds it, and says when it does not', () => {
    const o = { ns: [150], noiseSd: 1, seed: 2, side: 10, batch: 10, lengthScalesM: [4, 6, 9, 13.5] };
    const [full] = compareAdaptive(terrain, o, () => {});
    expect(full.mlAtBracketEdge).toBeUndefined();
    const ratio = (h: { signalVarM2: number; noiseVarM2: number }) => h.signalVarM2 / h.noiseVarM2;
    // Here the online fit's σ_f²/σ² is more than 1.6² below the ML-II one: a narrow bracket must flag it.
    expect(ratio(full.ml) / ratio(full.online)).toBeGreaterThan(1.6 ** 2);
    const [narrow] = compareAdaptive(terrain, { ...o, mlBracket: 1.6 }, () => {});
    expect(narrow.mlAtBracketEdge).toBe(true);
    const [wide] = compareAdaptive(terrain, { ...o, mlBracket: 4 }, () => {});
    expect(wide.mlAtBracketEdge).toBe(false);
    expect(wide.onlineRmse).toBe(full.onlineRmse);
    expect(Math.abs(Math.log(wide.ml.lengthScaleM / full.ml.lengthScaleM))).toBeLessThan(0.15);
    expect(Math.abs(wide.exactMlRmse - full.exactMlRmse) / full.exactMlRmse).toBeLessThan(0.02);
  });

  it('memory is measured once per count and the map learns every sample', () => {
    let calls = 0;
    const rows = memoryGrowth(terrain, { counts: [100, 30], side: 6, batch: 10, hypers, seed: 1 }, () => (calls++, { heapUsedBytes: 1, arrayBuffersBytes: 2 }));
    expect(calls).toBe(2);
    expect(rows.map((r) => r.samples)).toEqual([30, 100]);
  });
});
