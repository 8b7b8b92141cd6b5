import { describe, expect, it } from 'vitest';
import { AdaptiveSparseGp, type AdaptiveGpOptions } from '../../src/mapping/adaptive.ts';
import { choleskyUpper, logDetFromUpper, solveUpperT } from '../../src/mapping/linalg.ts';
import { StreamingSparseGp } from '../../src/mapping/sparse-gp.ts';

// A field with a 20–25 m structure, sampled on a golden-ratio spread with a small wobble.
const field = (n: number, e: number) => 3 * Math.sin(n / 20) + 2 * Math.cos(e / 25);

function draw(count: number) {
  const n = new Float64Array(count);
  const e = new Float64Array(count);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    n[i] = ((i * 0.618034) % 1) * 150;
    e[i] = ((i * 0.754878) % 1) * 150;
    z[i] = field(n[i], e[i]) + 0.05 * Math.sin(97 * i);
  }
  return { n, e, z };
}

function stream(bank: { learn: AdaptiveSparseGp['learn'] }, count: number) {
  const s = draw(count);
  for (let i = 0; i < count; i += 10) bank.learn(s.n.subarray(i), s.e.subarray(i), s.z.subarray(i), 10);
}

const bounds = { minNorthM: 0, maxNorthM: 150, minEastM: 0, maxEastM: 150 };
const options = (over: Partial<AdaptiveGpOptions> = {}): AdaptiveGpOptions => ({
  bounds,
  rows: 12,
  cols: 12,
  lengthScalesM: [25],
  minRatio: 0.1,
  maxRatio: 1e6,
  initial: { lengthScaleM: 25, signalVarM2: 1, noiseVarM2: 1 },
  outlierGateSigma: 0,
  outlierWarmupSamples: 0,
  minSamples: 50,
  regrowthFactor: 1.25,
  ...over,
});

/**
 * Titsias' collapsed bound from the samples themselves (dense N × N):
 * log N(y | m, Q + σ²I) − tr(K − Q) / (2σ²), Q = K_nu K_uu⁻¹ K_un, per sample.
 */
function bruteBound(gp: StreamingSparseGp, s: { n: Float64Array; e: Float64Array; z: Float64Array }, N: number, s2: number, sn2: number, withTrace = true): number {
  const M = gp.m;
  const kU = new Float64Array(M);
  const K1 = new Float64Array(M * M);
  gp.grid.fullK1(K1);
  const R = new Float64Array(M * M);
  expect(choleskyUpper(K1, M, R)).toBe(true);
  // V = R⁻ᵀ K1_un (M × N): Q = s² Vᵀ V.
  const V: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    gp.basis(s.n[i], s.e[i], kU);
    const v = Float64Array.from(kU);
    solveUpperT(R, M, v);
    V.push(v);
  }
  const A = new Float64Array(N * N);
  let trace = 0;
  for (let i = 0; i < N; i++) {
    let qii = 0;
    for (let j = 0; j < N; j++) {
      let q = 0;
      for (let k = 0; k < M; k++) q += V[i][k] * V[j][k];
      A[i * N + j] = s2 * q + (i === j ? sn2 : 0);
      if (i === j) qii = s2 * q;
    }
    trace += s2 - qii;
  }
  let mean = 0;
  for (let i = 0; i < N; i++) mean += s.z[i] / N;
  const RA = new Float64Array(N * N);
  expect(choleskyUpper(A, N, RA)).toBe(true);
  const y = Float64Array.from({ length: N }, (_, i) => s.z[i] - mean);
  solveUpperT(RA, N, y);
  let quad = 0;
  for (let i = 0; i < N; i++) quad += y[i] * y[i];
  const logN = -0.5 * (N * Math.log(2 * Math.PI) + logDetFromUpper(RA, N) + quad);
  return (logN - (withTrace ? trace / (2 * sn2) : 0)) / N;
}

describe('StreamingSparseGp.profiledBound', () => {
  const N = 60;
  const s = draw(N);
  const gp = new StreamingSparseGp({ bounds, rows: 5, cols: 5, hypers: { lengthScaleM: 40, signalVarM2: 1, noiseVarM2: 1 }, outlierGateSigma: 0, outlierWarmupSamples: 0, priorMean: 0 });
  gp.learn(s.n, s.e, s.z, N);
  const M = gp.m;
  const scratch = { a: new Float64Array(M * M), r: new Float64Array(M * M), v: new Float64Array(M) };

  it('equals the collapsed bound computed from the samples, at the closed-form noise variance, which maximises it', () => {
    for (const ratio of [0.5, 20, 3000]) {
      const { bound, noiseVarM2 } = gp.profiledBound(ratio, scratch);
      expect(bound).toBeCloseTo(bruteBound(gp, s, N, ratio * noiseVarM2, noiseVarM2), 6);
      for (const f of [0.8, 1.25]) expect(bruteBound(gp, s, N, ratio * noiseVarM2 * f, noiseVarM2 * f)).toBeLessThan(bound);
    }
  });

  it("with the 'dtc' objective, equals the DTC marginal likelihood (no trace term) at the same closed-form noise", () => {
    for (const ratio of [0.5, 20, 3000]) {
      const collapsed = gp.profiledBound(ratio, scratch);
      const dtc = gp.profiledBound(ratio, scratch, 'dtc');
      expect(dtc.noiseVarM2).toBe(collapsed.noiseVarM2);
      expect(dtc.bound).toBeCloseTo(bruteBound(gp, s, N, ratio * dtc.noiseVarM2, dtc.noiseVarM2, false), 6);
      for (const f of [0.8, 1.25]) expect(bruteBound(gp, s, N, ratio * dtc.noiseVarM2 * f, dtc.noiseVarM2 * f, false)).toBeLessThan(dtc.bound);
      expect(dtc.bound).toBeGreaterThan(collapsed.bound);
    }
  });
});

describe('AdaptiveSparseGp', () => {
  it('selects the length scale of the data over much shorter and much longer ones', () => {
    const bank = new AdaptiveSparseGp(options({ lengthScalesM: [4, 25, 300] }));
    stream(bank, 400);
    bank.refit();
    expect(bank.hypers().lengthScaleM).toBe(25);
    const [short, right, long] = bank.fits.map((f) => f!.bound);
    expect(right).toBeGreaterThan(short);
    expect(right).toBeGreaterThan(long);
  });

  it('learns the variances: σ_f² of the order of the field variance (6.5 m²), σ² small, without the samples', () => {
    const bank = new AdaptiveSparseGp(options());
    stream(bank, 400);
    bank.refit();
    const h = bank.hypers();
    expect(h.signalVarM2).toBeGreaterThan(1);
    expect(h.signalVarM2).toBeLessThan(40);
    expect(h.noiseVarM2).toBeLessThan(0.05);
    expect(bank.fits[0]!.samples).toBe(400);
  });

  it('spreads the search over steps; the served map switches when one completes', () => {
    const bank = new AdaptiveSparseGp(options({ lengthScalesM: [4, 25], initial: { lengthScaleM: 4, signalVarM2: 1, noiseVarM2: 1 } }));
    stream(bank, 30);
    expect(bank.fitStep(100)).toBe(false); // fewer than minSamples: no search yet
    stream(bank, 400);
    expect(bank.hypers().lengthScaleM).toBe(4);
    let steps = 0;
    while (!bank.fitStep(3)) steps++;
    expect(steps).toBeGreaterThan(10);
    expect(bank.searches).toBe(1);
    expect(bank.hypers().lengthScaleM).toBe(25);
    // The next search waits until the data have grown by a quarter.
    expect(bank.fitStep(1000)).toBe(false);
    stream(bank, 100);
    expect(bank.fitStep(1000)).toBe(false);
    stream(bank, 20);
    expect(bank.fitStep(1000)).toBe(true);
    expect(bank.searches).toBe(2);
  });

  it('every member holds the same data; memory does not grow with the samples', () => {
    const bank = new AdaptiveSparseGp(options({ lengthScalesM: [10, 25, 50], outlierGateSigma: 4, outlierWarmupSamples: 50 }));
    stream(bank, 200);
    const bytes = bank.stateBytes();
    bank.gp.refresh();
    // A spike the served member rejects is not learned by the others either.
    bank.learn([75], [75], [field(75, 75) + 50], 1);
    stream(bank, 200);
    bank.gp.refresh();
    const counts = bank.members.map((m) => m.sampleCount);
    expect(new Set(counts).size).toBe(1);
    expect(bank.gp.counters.outliers).toBeGreaterThanOrEqual(1);
    expect(bank.stateBytes()).toBe(bytes);
  });

  it('predicts a finite grid', () => {
    const bank = new AdaptiveSparseGp(options({ rows: 8, cols: 8, lengthScalesM: [25, 50] }));
    stream(bank, 100);
    bank.refit();
    const ax = Float64Array.from([10, 75, 140]);
    const m = new Float64Array(9);
    const v = new Float64Array(9);
    bank.predictGrid(ax, ax, m, v);
    for (let i = 0; i < 9; i++) expect(Number.isFinite(m[i]) && v[i] > 0).toBe(true);
  });
});
