import { describe, expect, it } from 'vitest';
import { AttentionField, attentiveObjective, fitAttentive } from '../../../src/mapping/kernels/attentive-fit.ts';
import { AttentiveKernel, Matern52Kernel, RbfKernel } from '../../../src/mapping/kernels/index.ts';

const bounds = { minNorthM: 0, maxNorthM: 100, minEastM: 0, maxEastM: 100 };
const n = 24;
const xn = Float64Array.from({ length: n }, (_, i) => ((i * 0.618034) % 1) * 100);
const xe = Float64Array.from({ length: n }, (_, i) => ((i * 0.754878) % 1) * 100);
// Flat in the west, a steep step in the east: the case a non-stationary kernel exists for.
const y = Float64Array.from({ length: n }, (_, i) => (xe[i] > 60 ? 5 * Math.tanh((xn[i] - 50) / 4) : 0.01 * xn[i]));
const yc = (() => {
  const m = y.reduce((a, b) => a + b, 0) / n;
  return y.map((v) => v - m);
})();

describe('stationary kernels', () => {
  it('RBF and Matérn 5/2 at distance ℓ: σ²e^{-1/2} and σ²(1 + √5 + 5/3)e^{-√5}', () => {
    expect(new RbfKernel({ lengthScaleM: 10, signalVarM2: 2 }).k(0, 0, 6, 8)).toBeCloseTo(2 * Math.exp(-0.5), 12);
    const r = Math.sqrt(5);
    expect(new Matern52Kernel({ lengthScaleM: 10, signalVarM2: 2 }).k(0, 0, 6, 8)).toBeCloseTo(2 * (1 + r + 5 / 3) * Math.exp(-r), 12);
  });
});

describe('attentive kernel', () => {
  it('has k(x, x) = σ_f² for any weights, and equal weights average the components', () => {
    const p = 2;
    const field = new AttentionField(bounds, 2, p, Float64Array.from([3, -1, 0, 2, -2, 1, 0.5, 0]), Float64Array.from([0.3, -0.3]));
    const k = new AttentiveKernel([5, 50], 4, field.weights);
    expect(k.k(20, 70, 20, 70)).toBeCloseTo(4, 12);
    const flat = new AttentionField(bounds, 2, p, new Float64Array(8), new Float64Array(2));
    const kf = new AttentiveKernel([5, 50], 4, flat.weights);
    // w = (1/√2, 1/√2): k = 4 · ½ (e^{-d²/50} + e^{-d²/5000}) at d = 10.
    expect(kf.k(0, 0, 10, 0)).toBeCloseTo(2 * (Math.exp(-100 / 50) + Math.exp(-100 / 5000)), 12);
  });

  it('the analytic gradient of the log marginal likelihood matches central differences', () => {
    const p = 2;
    const theta = Float64Array.from([0.4, -0.3, 0.2, 0.1, -0.2, 0.5, 0.3, -0.1]);
    const beta = Float64Array.from([0.1, -0.2]);
    const field = new AttentionField(bounds, 2, p, theta, beta);
    const ls = [6, 40];
    const grad = { theta: new Float64Array(8), beta: new Float64Array(2), logSignal: 0, logNoise: 0 };
    attentiveObjective(xn, xe, yc, ls, field, Math.log(4), Math.log(0.05), grad);
    const h = 1e-5;
    const fd = (set: (d: number) => void) => {
      set(h);
      const a = attentiveObjective(xn, xe, yc, ls, field, Math.log(4), Math.log(0.05));
      set(-2 * h);
      const b = attentiveObjective(xn, xe, yc, ls, field, Math.log(4), Math.log(0.05));
      set(h);
      return (a - b) / (2 * h);
    };
    for (const k of [0, 3, 6]) expect(grad.theta[k]).toBeCloseTo(fd((d) => (theta[k] += d)), 4);
    expect(grad.beta[1]).toBeCloseTo(fd((d) => (beta[1] += d)), 4);
    const fs = (attentiveObjective(xn, xe, yc, ls, field, Math.log(4) + h, Math.log(0.05)) - attentiveObjective(xn, xe, yc, ls, field, Math.log(4) - h, Math.log(0.05))) / (2 * h);
    expect(grad.logSignal).toBeCloseTo(fs, 4);
    const fnz = (attentiveObjective(xn, xe, yc, ls, field, Math.log(4), Math.log(0.05) + h) - attentiveObjective(xn, xe, yc, ls, field, Math.log(4), Math.log(0.05) - h)) / (2 * h);
    expect(grad.logNoise).toBeCloseTo(fnz, 4);
  });

  it('fitting raises the marginal likelihood above the equal-weight start', () => {
    const ls = [6, 40];
    const start = attentiveObjective(xn, xe, yc, ls, new AttentionField(bounds, 2, 2, new Float64Array(8), new Float64Array(2)), Math.log(Math.max(1e-12, yc.reduce((a, b) => a + b * b, 0) / n)), Math.log(1e-4 * (yc.reduce((a, b) => a + b * b, 0) / n)));
    const fit = fitAttentive(xn, xe, y, { lengthScalesM: ls, bounds, featureSide: 2, iterations: 40, learningRate: 0.05 });
    expect(fit.logMarginal).toBeGreaterThan(start);
    expect(Number.isFinite(fit.noiseVarM2) && fit.noiseVarM2 > 0).toBe(true);
  });
});
