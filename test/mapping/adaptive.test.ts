import { describe, expect, it } from 'vitest';
import { AdaptiveSparseGp } from '../../src/mapping/adaptive.ts';

// A field with a 20–25 m structure, sampled on a golden-ratio spread with ±0.05 m wobble.
const field = (n: number, e: number) => 3 * Math.sin(n / 20) + 2 * Math.cos(e / 25);

function stream(bank: AdaptiveSparseGp, count: number) {
  for (let i = 0; i < count; i += 10) {
    const n = new Float64Array(10);
    const e = new Float64Array(10);
    const z = new Float64Array(10);
    for (let k = 0; k < 10; k++) {
      n[k] = (((i + k) * 0.618034) % 1) * 150;
      e[k] = (((i + k) * 0.754878) % 1) * 150;
      z[k] = field(n[k], e[k]) + 0.05 * Math.sin(97 * (i + k));
    }
    bank.learn(n, e, z, 10);
  }
}

describe('AdaptiveSparseGp', () => {
  const bounds = { minNorthM: 0, maxNorthM: 150, minEastM: 0, maxEastM: 150 };

  it('selects the length scale of the data over much shorter and much longer ones', () => {
    const bank = new AdaptiveSparseGp({ bounds, rows: 12, cols: 12, lengthScalesM: [3, 25, 300], snrRatios: [100] });
    stream(bank, 400);
    expect(bank.hypers().lengthScaleM).toBe(25);
    // The scores order as the fit: 25 m best; the 300 m model cannot follow the field.
    expect(bank.score(1)).toBeGreaterThan(bank.score(0));
    expect(bank.score(1)).toBeGreaterThan(bank.score(2));
  });

  it('profiles the signal variance: ŝ² near the field variance (9/2 + 4/2 = 6.5 m²) for a long-scale model', () => {
    const bank = new AdaptiveSparseGp({ bounds, rows: 12, cols: 12, lengthScalesM: [25], snrRatios: [1000] });
    stream(bank, 400);
    const h = bank.hypers();
    // One-step-ahead innovations shrink as the map fills in, so ŝ² sits below the prior
    // variance of the field; it must be positive, finite and of its order.
    expect(h.signalVarM2).toBeGreaterThan(0.05);
    expect(h.signalVarM2).toBeLessThan(20);
    expect(h.noiseVarM2).toBeCloseTo(h.signalVarM2 / 1000, 12);
  });

  it('predicts a finite grid with variances scaled by ŝ²', () => {
    const bank = new AdaptiveSparseGp({ bounds, rows: 8, cols: 8, lengthScalesM: [25, 50], snrRatios: [10, 100] });
    stream(bank, 100);
    const ax = Float64Array.from([10, 75, 140]);
    const m = new Float64Array(9);
    const v = new Float64Array(9);
    bank.predictGrid(ax, ax, m, v);
    for (let i = 0; i < 9; i++) expect(Number.isFinite(m[i]) && v[i] > 0).toBe(true);
    expect(bank.stateBytes()).toBe(4 * bank.members[0].gp.stateBytes());
  });
});
