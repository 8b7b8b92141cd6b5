import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTENTIVE_STREAM, StreamingAttentiveGp, type StreamingAttentiveOptions } from '../../src/mapping/attentive-gp.ts';
import { AttentionField, attentiveGradient } from '../../src/mapping/kernels/attentive-fit.ts';
import { AttentiveKernel } from '../../src/mapping/kernels/index.ts';
import { choleskyUpper, logDetFromUpper, solveUpper, solveUpperT } from '../../src/mapping/linalg.ts';
import { MapperNode } from '../../src/mapping/mapper-node.ts';
import { DEFAULT_MAPPING_OPTIONS } from '../../src/mapping/options.ts';

const bounds = { minNorthM: 0, maxNorthM: 100, minEastM: 0, maxEastM: 100 };
const SIDE = 5;
const LS = [8, 30];

function options(over: Partial<StreamingAttentiveOptions> = {}): StreamingAttentiveOptions {
  return {
    bounds,
    rows: SIDE,
    cols: SIDE,
    lengthScalesM: LS,
    ...DEFAULT_ATTENTIVE_STREAM,
    featureSide: 2,
    signalVarM2: 4,
    noiseVarM2: 0.25,
    minNoiseVarM2: 1e-6,
    minSamples: 1e9,
    outlierGateSigma: 0,
    outlierWarmupSamples: 0,
    ...over,
  };
}

/** A deterministic scatter over the area and a field with a rough east and a smooth west. */
function samples(n: number, seed = 1): { n: Float64Array; e: Float64Array; z: Float64Array } {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const out = { n: new Float64Array(n), e: new Float64Array(n), z: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.n[i] = 100 * rnd();
    out.e[i] = 100 * rnd();
    out.z[i] = 10 + 2 * Math.sin(out.n[i] / 25) + (out.e[i] > 50 ? 1.5 * Math.sin(out.n[i] / 7) * Math.sin(out.e[i] / 7) : 0) + 0.05 * (rnd() - 0.5);
  }
  return out;
}

function learnAll(gp: StreamingAttentiveGp, d: { n: Float64Array; e: Float64Array; z: Float64Array }, batch = 10): void {
  for (let i = 0; i < d.n.length; i += batch) {
    const b = Math.min(batch, d.n.length - i);
    gp.learn(d.n.subarray(i, i + b), d.e.subarray(i, i + b), d.z.subarray(i, i + b), b);
  }
}

/** The lattice the model places its inducing inputs on. */
function lattice(): { n: number[]; e: number[] } {
  const n: number[] = [];
  const e: number[] = [];
  for (let a = 0; a < SIDE; a++) for (let c = 0; c < SIDE; c++) (n.push((100 * a) / (SIDE - 1)), e.push((100 * c) / (SIDE - 1)));
  return { n, e };
}

/** Dense n × n Cholesky solve of A x = b. */
function solve(a: Float64Array, n: number, b: Float64Array): Float64Array {
  const r = new Float64Array(n * n);
  if (!choleskyUpper(a, n, r)) throw new Error('not PD');
  const x = Float64Array.from(b);
  solveUpperT(r, n, x);
  solveUpper(r, n, x);
  return x;
}

describe('streaming attentive GP', () => {
  it('with a fixed kernel, its posterior is the collapsed sparse posterior computed densely', () => {
    const gp = new StreamingAttentiveGp(options());
    const theta = Float64Array.from([0.8, -0.5, 0.3, 0, -0.4, 0.6, 0.1, 0.2]);
    const beta = Float64Array.from([0.2, -0.1]);
    expect(gp.setKernel(theta, beta, 4, 0.25)).toBe(true);
    const d = samples(60);
    learnAll(gp, d);
    gp.recentre();
    const q = { n: Float64Array.from([12, 50, 77]), e: Float64Array.from([88, 50, 3]) };
    const mean = new Float64Array(3);
    const variance = new Float64Array(3);
    gp.predict(q.n, q.e, mean, variance);
    // Dense: mean = m₀ + k_*ᵀ (σ² K_uu + K_uf K_fu)⁻¹ K_uf (y − m₀), var = k_** − k_*ᵀK_uu⁻¹k_* + σ² k_*ᵀ(…)⁻¹k_*.
    const field = new AttentionField(bounds, 2, 2, theta, beta);
    const k = new AttentiveKernel(LS, 4, field.weights);
    const u = lattice();
    const m = u.n.length;
    const kuu = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) kuu[i * m + j] = k.k(u.n[i], u.e[i], u.n[j], u.e[j]) + (i === j ? 1e-6 * 4 : 0);
    const m0 = d.z.reduce((a, b) => a + b, 0) / d.z.length;
    const a = new Float64Array(m * m);
    const rhs = new Float64Array(m);
    for (let i = 0; i < m * m; i++) a[i] = 0.25 * kuu[i];
    for (let s = 0; s < d.n.length; s++) {
      const ks = u.n.map((_, i) => k.k(u.n[i], u.e[i], d.n[s], d.e[s]));
      for (let i = 0; i < m; i++) {
        rhs[i] += ks[i] * (d.z[s] - m0);
        for (let j = 0; j < m; j++) a[i * m + j] += ks[i] * ks[j];
      }
    }
    const w = solve(a, m, rhs);
    for (let t = 0; t < 3; t++) {
      const ks = Float64Array.from(u.n.map((_, i) => k.k(u.n[i], u.e[i], q.n[t], q.e[t])));
      const expectedMean = m0 + ks.reduce((s, v, i) => s + v * w[i], 0);
      const kInv = solve(kuu, m, ks);
      const aInv = solve(a, m, ks);
      const expectedVar = 4 - ks.reduce((s, v, i) => s + v * kInv[i], 0) + 0.25 * ks.reduce((s, v, i) => s + v * aInv[i], 0);
      expect(mean[t]).toBeCloseTo(expectedMean, 6);
      expect(variance[t]).toBeCloseTo(expectedVar, 6);
    }
  });

  it('the summary likelihood is the collapsed bound of the samples under the kernel they were learned with', () => {
    const gp = new StreamingAttentiveGp(options());
    const d = samples(40);
    learnAll(gp, d);
    gp.recentre();
    const sum = gp.summary();
    const { value } = gp.summaryLikelihood(gp.field, sum, 4, 0.25);
    // Dense: log N(y − m₀; 0, Q + σ² I) − tr(K_ff − Q)/2σ², Q = K_fu K_uu⁻¹ K_uf, with the
    // initial (equal-weight) field.
    const k = new AttentiveKernel(LS, 4, gp.field.weights);
    const u = lattice();
    const m = u.n.length;
    const n = d.n.length;
    const kuu = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) kuu[i * m + j] = k.k(u.n[i], u.e[i], u.n[j], u.e[j]) + (i === j ? 1e-6 * 4 : 0);
    const kuf = Array.from({ length: n }, (_, s) => Float64Array.from(u.n.map((_, i) => k.k(u.n[i], u.e[i], d.n[s], d.e[s]))));
    const proj = kuf.map((col) => solve(kuu, m, col));
    const c = new Float64Array(n * n);
    let trace = 0;
    for (let s = 0; s < n; s++)
      for (let t = 0; t < n; t++) {
        const q = kuf[s].reduce((acc, v, i) => acc + v * proj[t][i], 0);
        c[s * n + t] = q + (s === t ? 0.25 : 0);
        if (s === t) trace += 4 - q;
      }
    const m0 = d.z.reduce((a, b) => a + b, 0) / n;
    const yc = d.z.map((v) => v - m0);
    const r = new Float64Array(n * n);
    expect(choleskyUpper(c, n, r)).toBe(true);
    const z = Float64Array.from(yc);
    solveUpperT(r, n, z);
    const expected = -0.5 * z.reduce((s, v) => s + v * v, 0) - 0.5 * logDetFromUpper(r, n) - 0.5 * n * Math.log(2 * Math.PI) - trace / (2 * 0.25);
    expect(value).toBeCloseTo(expected, 5);
  });

  it('its gradient (weight field, log σ_f², log σ²) matches central differences', () => {
    const gp = new StreamingAttentiveGp(options());
    learnAll(gp, samples(50));
    gp.recentre();
    const sum = gp.summary();
    const theta = Float64Array.from([0.4, -0.3, 0.2, 0.1, -0.2, 0.5, 0.3, -0.1]);
    const beta = Float64Array.from([0.1, -0.2]);
    const field = new AttentionField(bounds, 2, 2, theta, beta);
    const s2 = 3;
    const sn2 = 0.2;
    const g = { g: new Float64Array(SIDE ** 4), logNoise: 0, logSignalTrace: 0 };
    const { gram } = gp.summaryLikelihood(field, sum, s2, sn2, g);
    const grad = { theta: new Float64Array(8), beta: new Float64Array(2), logSignal: 0 };
    attentiveGradient(g.g, gram, s2, field, grad);
    grad.logSignal += g.logSignalTrace;
    const h = 1e-5;
    const at = (a: number, b: number) => gp.summaryLikelihood(field, sum, a, b).value;
    const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1, Math.abs(y));
    expect(rel(g.logNoise, (at(s2, sn2 * Math.exp(h)) - at(s2, sn2 * Math.exp(-h))) / (2 * h))).toBeLessThan(1e-5);
    // K carries a relative jitter of 1e-6 that the analytic gradient leaves out.
    expect(rel(grad.logSignal, (at(s2 * Math.exp(h), sn2) - at(s2 * Math.exp(-h), sn2)) / (2 * h))).toBeLessThan(1e-3);
    for (const [arr, gr] of [
      [theta, grad.theta],
      [beta, grad.beta],
    ] as const) {
      for (let k = 0; k < arr.length; k += 3) {
        const o = arr[k];
        arr[k] = o + h;
        const a = at(s2, sn2);
        arr[k] = o - h;
        const b = at(s2, sn2);
        arr[k] = o;
        expect(rel(gr[k], (a - b) / (2 * h))).toBeLessThan(1e-5);
      }
    }
  });

  it('moving to the same kernel changes nothing; the summary carries what was learned to a new one', () => {
    const gp = new StreamingAttentiveGp(options());
    const d = samples(80);
    learnAll(gp, d);
    gp.recentre();
    const q = { n: Float64Array.from([10, 40, 60, 90]), e: Float64Array.from([20, 45, 70, 85]) };
    const before = { m: new Float64Array(4), v: new Float64Array(4) };
    gp.predict(q.n, q.e, before.m, before.v);
    expect(gp.setKernel(gp.field.theta, gp.field.beta, 4, 0.25)).toBe(true);
    const same = { m: new Float64Array(4), v: new Float64Array(4) };
    gp.predict(q.n, q.e, same.m, same.v);
    for (let i = 0; i < 4; i++) {
      expect(same.m[i]).toBeCloseTo(before.m[i], 8);
      expect(same.v[i]).toBeCloseTo(before.v[i], 8);
    }
    // A different field: the map moves a little and keeps most of what the samples taught it.
    const theta = Float64Array.from({ length: 8 }, (_, i) => (i % 3) * 0.3 - 0.3);
    expect(gp.setKernel(theta, Float64Array.from([0.3, -0.3]), 4, 0.25)).toBe(true);
    const moved = { m: new Float64Array(4), v: new Float64Array(4) };
    gp.predict(q.n, q.e, moved.m, moved.v);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(moved.m[i] - before.m[i])).toBeLessThan(0.5);
      expect(4 - moved.v[i]).toBeGreaterThan(0.5 * (4 - before.v[i]));
    }
    expect(gp.sampleCount).toBe(80);
  });

  it('predicts a grid through the separable components exactly as point by point', () => {
    const gp = new StreamingAttentiveGp(options({ rows: 6, cols: 7, lengthScalesM: [8, 20, 45] }));
    const f = 4 * 3;
    expect(gp.setKernel(Float64Array.from({ length: f }, (_, i) => Math.sin(i)), Float64Array.from([0.3, -0.2, 0.1]), 3, 0.2)).toBe(true);
    learnAll(gp, samples(150));
    gp.recentre();
    const na = Float64Array.from([-5, 0, 13, 50.5, 99, 104]);
    const ea = Float64Array.from([2, 33, 71, 100]);
    const grid = { m: new Float64Array(24), v: new Float64Array(24) };
    gp.predictGrid(na, ea, grid.m, grid.v);
    const n = Float64Array.from({ length: 24 }, (_, k) => na[Math.floor(k / 4)]);
    const e = Float64Array.from({ length: 24 }, (_, k) => ea[k % 4]);
    const pts = { m: new Float64Array(24), v: new Float64Array(24) };
    gp.predict(n, e, pts.m, pts.v);
    for (let k = 0; k < 24; k++) {
      expect(grid.m[k]).toBeCloseTo(pts.m[k], 9);
      expect(grid.v[k]).toBeCloseTo(pts.v[k], 9);
    }
  });

  it('refuses a kernel whose variances are not positive and finite, and keeps the map it had', () => {
    const gp = new StreamingAttentiveGp(options());
    learnAll(gp, samples(50));
    const q = { n: Float64Array.from([30, 70]), e: Float64Array.from([30, 70]) };
    const before = { m: new Float64Array(2), v: new Float64Array(2) };
    gp.predict(q.n, q.e, before.m, before.v);
    const theta = Float64Array.from(gp.field.theta);
    expect(gp.setKernel(Float64Array.from({ length: 8 }, () => 1), Float64Array.from([1, 0]), NaN, 0.25)).toBe(false);
    expect(gp.setKernel(theta, gp.field.beta, 4, 0)).toBe(false);
    // Finite and positive, but its posterior overflows: built, then refused at the factorisation.
    expect(gp.setKernel(Float64Array.from({ length: 8 }, () => 0.5), Float64Array.from([0, 1]), 1e300, 0.25)).toBe(false);
    expect(gp.counters.failedUpdates).toBe(3);
    expect(Array.from(gp.field.theta)).toEqual(Array.from(theta));
    const after = { m: new Float64Array(2), v: new Float64Array(2) };
    gp.predict(q.n, q.e, after.m, after.v);
    expect(Array.from(after.m)).toEqual(Array.from(before.m));
    expect(Array.from(after.v)).toEqual(Array.from(before.v));
    expect(() => gp.setKernel([1], [0, 0], 4, 0.25)).toThrow('expected 8 weights and 2 biases');
  });

  it('serves the same map while a fit is spread over publications, until the fit ends', () => {
    const o = options({ minSamples: 40, firstFitSteps: 6 });
    const fitting = new StreamingAttentiveGp(o);
    const still = new StreamingAttentiveGp({ ...o, minSamples: 1e9 });
    const d = samples(120);
    const q = { n: Float64Array.from([15, 55, 85]), e: Float64Array.from([25, 60, 90]) };
    const a = { m: new Float64Array(3), v: new Float64Array(3) };
    const b = { m: new Float64Array(3), v: new Float64Array(3) };
    let finished = false;
    for (let i = 0; i < 120 && !finished; i += 10) {
      for (const gp of [fitting, still]) gp.learn(d.n.subarray(i, i + 10), d.e.subarray(i, i + 10), d.z.subarray(i, i + 10), 10);
      finished = fitting.fitStep(1);
      if (finished) break;
      // (The fit recentres its model's prior mean; the twin follows.)
      fitting.recentre();
      still.recentre();
      fitting.predict(q.n, q.e, a.m, a.v);
      still.predict(q.n, q.e, b.m, b.v);
      for (let k = 0; k < 3; k++) {
        expect(a.m[k]).toBeCloseTo(b.m[k], 9);
        expect(a.v[k]).toBeCloseTo(b.v[k], 9);
      }
    }
    expect(finished).toBe(true);
    expect(fitting.fits).toBe(1);
    expect(fitting.sampleCount).toBe(still.sampleCount);
  });

  it('learns a weight field that favours the short component where the field is rough, and fits better', () => {
    const gp = new StreamingAttentiveGp(options({ rows: 12, cols: 12, lengthScalesM: [6, 30], featureSide: 3, firstFitSteps: 120, signalVarM2: 1, noiseVarM2: 1 }));
    const d = samples(1500, 7);
    learnAll(gp, d);
    gp.recentre();
    const before = gp.summaryLikelihood(gp.field, gp.summary(), 1, 1).value;
    // Error against the noise-free field on a lattice, before and after the fit.
    const axis = Float64Array.from({ length: 20 }, (_, i) => 2.5 + 5 * i);
    const mean = new Float64Array(400);
    const variance = new Float64Array(400);
    const err = () => {
      gp.predictGrid(axis, axis, mean, variance);
      let s = 0;
      for (let i = 0; i < 20; i++)
        for (let j = 0; j < 20; j++) {
          const [n, e] = [axis[i], axis[j]];
          const truth = 10 + 2 * Math.sin(n / 25) + (e > 50 ? 1.5 * Math.sin(n / 7) * Math.sin(e / 7) : 0);
          s += (mean[i * 20 + j] - truth) ** 2 / 400;
        }
      return Math.sqrt(s);
    };
    const rmseBefore = err();
    gp.refit();
    expect(err()).toBeLessThan(rmseBefore);
    expect(gp.fits).toBe(1);
    expect(gp.lastObjective).toBeGreaterThan(before);
    const w = new Float64Array(2);
    let west = 0;
    let east = 0;
    for (const n of [20, 50, 80]) {
      gp.field.weights(n, 15, w);
      west += w[0] / 3;
      gp.field.weights(n, 85, w);
      east += w[0] / 3;
    }
    expect(east).toBeGreaterThan(west + 0.1);
    // And the noise is learned near the samples' own (uniform ±0.025: σ² ≈ 2e-4) plus what the
    // lattice cannot resolve: far below the prior guess of 1.
    expect(gp.noiseVarM2).toBeLessThan(0.2);
  });

  it('counts bad samples and spikes, learns a new drop-off, and never returns NaN', () => {
    const gp = new StreamingAttentiveGp(options({ rows: 12, cols: 12, lengthScalesM: [15, 30], outlierGateSigma: 5, outlierWarmupSamples: 20, noiseVarM2: 0.01 }));
    const d = samples(400);
    learnAll(gp, d);
    gp.refresh();
    const learned = gp.sampleCount;
    const res = gp.learn([NaN, 50, 500, 50], [50, Infinity, 50, 50], [10, 10, 10, 1e9], 4);
    expect(res).toEqual({ accepted: 0, invalid: 4, suspects: 0 });
    expect(gp.counters.beyondReach).toBe(1);
    // A spike far outside the informed posterior's spread is held, then at the next posterior
    // (which it does not move) counted as an outlier and not learned.
    expect(gp.learn([50], [50], [60], 1).suspects).toBe(1);
    gp.refresh();
    expect(gp.counters.outliers).toBe(1);
    expect(gp.sampleCount).toBe(learned);
    // A new drop-off: soundings 8 m below the map, all within a few metres of each other, agree
    // with each other at their re-test and are learned.
    const n = Float64Array.from({ length: 10 }, (_, i) => 30 + 0.4 * i);
    const e = Float64Array.from({ length: 10 }, (_, i) => 40 + 0.3 * (i % 3));
    const before = new Float64Array(1);
    const v = new Float64Array(1);
    gp.predict([31.8], [40.3], before, v);
    const z = Float64Array.from(n, () => before[0] - 8);
    expect(gp.learn(n, e, z, 10).suspects).toBe(10);
    gp.refresh();
    expect(gp.sampleCount).toBe(learned + 10);
    expect(gp.counters.outliers).toBe(1);
    const after = new Float64Array(1);
    gp.predict([31.8], [40.3], after, v);
    expect(after[0]).toBeLessThan(before[0] - 4);
    const mean = new Float64Array(100);
    const variance = new Float64Array(100);
    const axis = Float64Array.from({ length: 10 }, (_, i) => 5 + 10 * i);
    gp.predictGrid(axis, axis, mean, variance);
    expect(mean.every(Number.isFinite) && variance.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
  });
});

describe('mapper node with the attentive kernel', () => {
  it('publishes a finite map and fits its kernel over the publications', () => {
    const o = {
      ...DEFAULT_MAPPING_OPTIONS,
      kernel: 'attentive' as const,
      inducingRows: 8,
      inducingCols: 8,
      lengthScaleM: 20,
      gridCells: 20,
      attentive: { ...DEFAULT_MAPPING_OPTIONS.attentive, minSamples: 100, stepsPerPublish: 50 },
    };
    const node = new MapperNode(o, bounds);
    const d = samples(400);
    for (let i = 0; i < d.n.length; i++) {
      node.add({ stampNs: BigInt(i) * 100_000_000n, northM: d.n[i], eastM: d.e[i], depthM: d.z[i] } as Parameters<MapperNode['add']>[0]);
      if (i % 100 === 99) node.grid(BigInt(i) * 100_000_000n);
    }
    const grid = node.grid(400n * 100_000_000n)!;
    expect(grid.samples).toBe(400);
    expect(grid.inducingPoints).toBe(64);
    expect(Array.from(grid.mean).every(Number.isFinite) && Array.from(grid.std).every((s) => Number.isFinite(s) && s > 0)).toBe(true);
    const h = node.hyperparameters();
    expect(h.kernel).toBe('attentive');
    expect(h.searches).toBeGreaterThanOrEqual(1);
    expect(h.lengthScalesM).toEqual([10, 20, 40]);
  });
});
