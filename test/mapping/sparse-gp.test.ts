import { describe, expect, it } from 'vitest';
import { ExactGp } from '../../src/mapping/exact-gp.ts';
import { RbfKernel } from '../../src/mapping/kernels/index.ts';
import { StreamingSparseGp, type SparseGpOptions } from '../../src/mapping/sparse-gp.ts';

const hypers = { lengthScaleM: 30, signalVarM2: 4, noiseVarM2: 0.01 };
const options = (over: Partial<SparseGpOptions> = {}): SparseGpOptions => ({
  bounds: { minNorthM: 0, maxNorthM: 100, minEastM: 0, maxEastM: 100 },
  rows: 8,
  cols: 8,
  hypers,
  outlierGateSigma: 0,
  outlierWarmupSamples: 0,
  priorMean: 0,
  ...over,
});
const field = (n: number, e: number) => Math.sin(n / 25) + 0.5 * Math.cos(e / 20);

function samples(count: number) {
  const n = new Float64Array(count);
  const e = new Float64Array(count);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    // A deterministic low-discrepancy spread (golden-ratio sequence).
    n[i] = ((i * 0.618034) % 1) * 100;
    e[i] = ((i * 0.754878) % 1) * 100;
    z[i] = field(n[i], e[i]);
  }
  return { n, e, z };
}

describe('StreamingSparseGp', () => {
  it('with no data predicts the prior: mean m₀, variance σ_f²', () => {
    const gp = new StreamingSparseGp(options({ priorMean: 3 }));
    const p = gp.predictPoint(50, 50);
    expect(p.meanM).toBe(3);
    expect(p.varM2).toBeCloseTo(4, 3);
  });

  it('matches the exact GP when the lattice is dense relative to the length scale', () => {
    const s = samples(200);
    const gp = new StreamingSparseGp(options({ rows: 12, cols: 12 }));
    for (let i = 0; i < 200; i += 10) gp.learn(s.n.subarray(i), s.e.subarray(i), s.z.subarray(i), 10);
    const ex = new ExactGp(new RbfKernel(hypers), hypers.noiseVarM2);
    ex.learn(s.n, s.e, s.z.map((v) => v)); // exact GP centres on the sample mean; compare shapes
    const q = { n: Float64Array.from([10, 40, 77]), e: Float64Array.from([20, 60, 33]) };
    const m = new Float64Array(3);
    const v = new Float64Array(3);
    gp.predict(q.n, q.e, m, v);
    for (let i = 0; i < 3; i++) expect(Math.abs(m[i] - field(q.n[i], q.e[i]))).toBeLessThan(0.05);
    expect(gp.counters.samples).toBe(200);
  });

  it('grid prediction (Kronecker path) equals point prediction', () => {
    const s = samples(100);
    const gp = new StreamingSparseGp(options());
    gp.learn(s.n, s.e, s.z, 100);
    const axN = Float64Array.from([5, 50, 95]);
    const axE = Float64Array.from([10, 70]);
    const mg = new Float64Array(6);
    const vg = new Float64Array(6);
    gp.predictGrid(axN, axE, mg, vg);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) {
        const p = gp.predictPoint(axN[i], axE[j]);
        expect(mg[i * 2 + j]).toBeCloseTo(p.meanM, 8);
        expect(vg[i * 2 + j]).toBeCloseTo(p.varM2, 5);
      }
  });

  it('counts NaN input as invalid and rejects a 2× depth spike as an outlier', () => {
    const s = samples(300);
    const gp = new StreamingSparseGp(options({ outlierGateSigma: 5, outlierWarmupSamples: 100, hypers: { ...hypers, noiseVarM2: 0.0025 } }));
    for (let i = 0; i < 300; i += 10) gp.learn(s.n.subarray(i), s.e.subarray(i), s.z.subarray(i), 10);
    // The test runs against the last refreshed posterior (a map publication refreshes it).
    gp.refresh();
    const r = gp.learn([50, 50, NaN], [50, 50, 1], [field(50, 50) + 5, field(50, 50), 0], 3);
    expect(r).toEqual({ accepted: 1, suspects: 1, invalid: 1, failed: false });
    // Held, then tested again against the refreshed posterior: still a spike, now an outlier.
    expect(gp.heldCount).toBe(1);
    gp.refresh();
    expect(gp.heldCount).toBe(0);
    expect(gp.counters.outliers).toBe(1);
    const p = gp.predictPoint(50, 50);
    expect(Number.isFinite(p.meanM) && Number.isFinite(p.varM2)).toBe(true);
  });

  it('suspects that agree with each other (a new drop-off) are learned at the re-test; a lone spike is not', () => {
    const gp = new StreamingSparseGp(options({ outlierGateSigma: 5, outlierWarmupSamples: 50, hypers: { ...hypers, noiseVarM2: 0.0025 } }));
    const s = samples(200);
    for (let i = 0; i < 200; i += 10) gp.learn(s.n.subarray(i), s.e.subarray(i), s.z.subarray(i), 10);
    gp.refresh();
    // Six soundings 2 m apart where the bottom has dropped by 3 m since the map was made, and
    // one spike elsewhere.
    const n = [40, 42, 44, 46, 48, 50, 20];
    const e = [60, 60, 60, 60, 60, 60, 20];
    const z = n.map((x, i) => field(x, e[i]) + (i < 6 ? -3 : 3));
    const r = gp.learn(n, e, z, 7);
    expect(r.suspects).toBe(7);
    gp.refresh();
    expect(gp.counters.outliers).toBe(1);
    expect(gp.counters.samples).toBe(206);
    expect(gp.predictPoint(45, 60).meanM).toBeLessThan(field(45, 60) - 1);
  });

  it('grows its lattice to take in data outside it: close to a lattice placed on the grown area from the start', () => {
    const s = samples(150);
    const grown = new StreamingSparseGp(options({ rows: 10, cols: 10, growMaxSpanM: 400 }));
    grown.learn(s.n, s.e, s.z, 150);
    expect(grown.counters.regrids).toBe(0);
    // Data east of the lattice (east 100..160 m): the lattice grows, M stays.
    const far = { n: [20, 50, 80, 35, 65], e: [130, 145, 160, 115, 150] };
    const fz = far.n.map((n, i) => field(n, far.e[i]));
    expect(grown.learn(far.n, far.e, fz, 5).accepted).toBe(5);
    expect(grown.counters.regrids).toBeGreaterThanOrEqual(1);
    expect(grown.m).toBe(100);
    const b = grown.grid.bounds;
    expect(b.maxEastM).toBeGreaterThanOrEqual(160);
    const placed = new StreamingSparseGp(options({ rows: 10, cols: 10, bounds: { ...b } }));
    placed.learn(s.n, s.e, s.z, 150);
    placed.learn(far.n, far.e, fz, 5);
    for (const [n, e] of [[10, 10], [50, 50], [90, 90], [50, 145]]) {
      const g = grown.predictPoint(n, e);
      const p = placed.predictPoint(n, e);
      expect(Math.abs(g.meanM - p.meanM)).toBeLessThan(0.02);
      expect(Math.abs(Math.sqrt(g.varM2) - Math.sqrt(p.varM2))).toBeLessThan(0.02);
    }
  });

  it('a sample beyond the greatest extent is counted, and the lattice stays', () => {
    const gp = new StreamingSparseGp(options({ growMaxSpanM: 300 }));
    gp.learn([50], [50], [1], 1);
    const r = gp.learn([50, 5000], [50, 50], [1, 1], 2);
    expect(r.invalid).toBe(1);
    expect(gp.counters.beyondReach).toBe(1);
    expect(gp.grid.bounds.maxNorthM).toBe(100);
  });

  it('a value no depth can have is counted invalid; the posterior does not move', () => {
    const gp = new StreamingSparseGp(options());
    gp.learn([50], [50], [1], 1);
    const before = gp.predictPoint(40, 40);
    const r = gp.learn([50, 51], [50, 51], [1e308, Infinity], 2);
    expect(r).toEqual({ accepted: 0, suspects: 0, invalid: 2, failed: false });
    expect(gp.predictPoint(40, 40)).toEqual(before);
  });

  it('a refresh that cannot factorise is rejected and counted, and the last good posterior kept', () => {
    const gp = new StreamingSparseGp(options());
    const s = samples(40);
    gp.learn(s.n, s.e, s.z, 20);
    const before = gp.predictPoint(40, 40);
    gp.learn(s.n.subarray(20), s.e.subarray(20), s.z.subarray(20), 10);
    gp.learn(s.n.subarray(30), s.e.subarray(30), s.z.subarray(30), 10);
    // Variances so far apart that σ_f⁴/σ² overflows: B is not finite.
    gp.setVariances(1e200, 1e-100);
    expect(gp.refresh()).toBe(false);
    expect(gp.counters.failedUpdates).toBe(2);
    expect(gp.counters.samples).toBe(20);
    expect(gp.hypers.noiseVarM2).toBe(hypers.noiseVarM2);
    expect(gp.predictPoint(40, 40)).toEqual(before);
  });

  it('new signal and noise variances need no data again: same as learning with them from the start', () => {
    const s = samples(60);
    const a = new StreamingSparseGp(options());
    const b = new StreamingSparseGp(options({ hypers: { ...hypers, signalVarM2: 2 * hypers.signalVarM2, noiseVarM2: 3 * hypers.noiseVarM2 } }));
    a.learn(s.n, s.e, s.z, 60);
    b.learn(s.n, s.e, s.z, 60);
    a.setVariances(2 * hypers.signalVarM2, 3 * hypers.noiseVarM2);
    for (const [n, e] of [[10, 10], [50, 80]]) {
      expect(a.predictPoint(n, e).meanM).toBeCloseTo(b.predictPoint(n, e).meanM, 9);
      expect(a.predictPoint(n, e).varM2).toBeCloseTo(b.predictPoint(n, e).varM2, 9);
    }
  });

  it('recentre moves the prior mean without changing the data fit near samples', () => {
    const gp = new StreamingSparseGp(options({ priorMean: NaN }));
    gp.learn([50, 52], [50, 50], [10, 12], 2);
    const before = gp.predictPoint(51, 50).meanM;
    gp.recentre();
    expect(gp.priorMean).toBe(11);
    expect(gp.predictPoint(51, 50).meanM).toBeCloseTo(before, 1);
  });

  it('one batch of 25 (two blocks) gives the same posterior as 25 batches of one', () => {
    const s = samples(25);
    const whole = new StreamingSparseGp(options());
    const single = new StreamingSparseGp(options());
    expect(whole.learn(s.n, s.e, s.z, 25).accepted).toBe(25);
    for (let i = 0; i < 25; i++) single.learn(s.n.subarray(i), s.e.subarray(i), s.z.subarray(i), 1);
    for (const [n, e] of [[10, 10], [50, 80], [90, 30]]) {
      const a = whole.predictPoint(n, e);
      const b = single.predictPoint(n, e);
      expect(a.meanM).toBeCloseTo(b.meanM, 9);
      expect(a.varM2).toBeCloseTo(b.varM2, 9);
    }
  });
});

