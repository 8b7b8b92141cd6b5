// The exact GP (Rasmussen & Williams 2006, Algorithm 2.1): the reference the streaming map is
// measured against, with any kernel. O(N³) time and O(N²) memory: an evaluation tool, never
// run onboard. Includes type-II maximum likelihood over (length scale, σ_f², σ²) with σ_f²
// profiled out in closed form.
import type { Kernel } from './kernels/index.ts';
import { RbfKernel } from './kernels/index.ts';
import { choleskyInPlace, logDetFromUpper, solveUpper, solveUpperT } from './linalg.ts';

export interface ExactGpFit {
  n: number;
  /** Upper Cholesky factor of K + σ²I. */
  r: Float64Array;
  /** (K + σ²I)⁻¹ (y − m₀). */
  alpha: Float64Array;
  meanM: number;
  logMarginal: number;
}

export class ExactGp {
  private fit?: ExactGpFit;
  constructor(
    readonly kernel: Kernel,
    readonly noiseVarM2: number,
  ) {}

  /** Conditions on the samples; the prior mean is their average. Returns false if not PD. */
  learn(northM: ArrayLike<number>, eastM: ArrayLike<number>, value: ArrayLike<number>): boolean {
    this.xn = Float64Array.from(northM);
    this.xe = Float64Array.from(eastM);
    const n = value.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += value[i];
    mean /= Math.max(1, n);
    // One N×N buffer, factored in place (N = 5000 is 200 MB); on failure it is rebuilt with
    // more diagonal jitter (Rasmussen & Williams §A.4).
    const r = new Float64Array(n * n);
    let ok = false;
    for (let t = 0, jitter = 0; t < 6 && !ok; t++, jitter = jitter === 0 ? 1e-8 * (this.kernel.diag(0, 0) + this.noiseVarM2) : jitter * 10) {
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) r[i * n + j] = this.kernel.k(northM[i], eastM[i], northM[j], eastM[j]);
        r[i * n + i] += this.noiseVarM2 + jitter;
      }
      ok = choleskyInPlace(r, n);
    }
    if (!ok) return false;
    const alpha = new Float64Array(n);
    for (let i = 0; i < n; i++) alpha[i] = value[i] - mean;
    solveUpperT(r, n, alpha);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += alpha[i] * alpha[i];
    solveUpper(r, n, alpha);
    const logMarginal = -0.5 * quad - 0.5 * logDetFromUpper(r, n) - 0.5 * n * Math.log(2 * Math.PI);
    this.fit = { n, r, alpha, meanM: mean, logMarginal };
    return true;
  }

  private xn = new Float64Array(0);
  private xe = new Float64Array(0);

  get logMarginal(): number {
    return this.fit?.logMarginal ?? NaN;
  }

  /** Posterior mean (always) and latent variance (when varOut is given) at points. */
  predict(northM: ArrayLike<number>, eastM: ArrayLike<number>, meanOut: Float64Array, varOut?: Float64Array): void {
    const f = this.fit;
    if (!f) throw new Error('exact GP: predict before learn');
    const kx = new Float64Array(f.n);
    for (let q = 0; q < meanOut.length; q++) {
      let m = 0;
      for (let i = 0; i < f.n; i++) {
        kx[i] = this.kernel.k(northM[q], eastM[q], this.xn[i], this.xe[i]);
        m += kx[i] * f.alpha[i];
      }
      meanOut[q] = f.meanM + m;
      if (varOut) {
        solveUpperT(f.r, f.n, kx);
        let s = 0;
        for (let i = 0; i < f.n; i++) s += kx[i] * kx[i];
        varOut[q] = Math.max(0, this.kernel.diag(northM[q], eastM[q]) - s);
      }
    }
  }
}

export interface MlFit {
  lengthScaleM: number;
  signalVarM2: number;
  noiseVarM2: number;
  logMarginal: number;
}

/**
 * Type-II maximum likelihood for the RBF: golden-section search over log ℓ, and inside it over
 * log r with r = σ_f²/σ² (K = σ_f²(K₁ + I/r)); for given (ℓ, r) the best σ_f² is
 * yᵀ(K₁ + I/r)⁻¹y / N in closed form.
 */
export function fitRbfMl(
  northM: ArrayLike<number>,
  eastM: ArrayLike<number>,
  value: ArrayLike<number>,
  range: { minLengthM: number; maxLengthM: number; minRatio: number; maxRatio: number },
  iterations = 12,
): MlFit {
  const n = value.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += value[i];
  mean /= n;
  const r = new Float64Array(n * n);
  const y = new Float64Array(n);
  const profile = (lengthM: number, ratio: number): MlFit => {
    const unit = new RbfKernel({ lengthScaleM: lengthM, signalVarM2: 1 });
    // Built straight into the factor's buffer and factored in place (row-wise, cache-friendly).
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) r[i * n + j] = unit.k(northM[i], eastM[i], northM[j], eastM[j]);
      r[i * n + i] += 1 / ratio;
    }
    if (!choleskyInPlace(r, n)) return { lengthScaleM: lengthM, signalVarM2: NaN, noiseVarM2: NaN, logMarginal: -Infinity };
    for (let i = 0; i < n; i++) y[i] = value[i] - mean;
    solveUpperT(r, n, y);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += y[i] * y[i];
    const s2 = quad / n;
    // log N(y; 0, s²(K₁ + I/r)) at the optimal s².
    const lml = -0.5 * n - 0.5 * (n * Math.log(s2) + logDetFromUpper(r, n)) - 0.5 * n * Math.log(2 * Math.PI);
    return { lengthScaleM: lengthM, signalVarM2: s2, noiseVarM2: s2 / ratio, logMarginal: lml };
  };
  const inner = (lengthM: number): MlFit =>
    golden(Math.log(range.minRatio), Math.log(range.maxRatio), iterations, (lr) => profile(lengthM, Math.exp(lr)));
  return golden(Math.log(range.minLengthM), Math.log(range.maxLengthM), iterations, (ll) => inner(Math.exp(ll)));
}

/** Golden-section maximisation of fit.logMarginal over [lo, hi]; returns the best fit seen. */
function golden(lo: number, hi: number, iterations: number, f: (x: number) => MlFit): MlFit {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  let best = f1.logMarginal > f2.logMarginal ? f1 : f2;
  for (let i = 0; i < iterations; i++) {
    if (f1.logMarginal > f2.logMarginal) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = f(x2);
    }
    for (const c of [f1, f2]) if (c.logMarginal > best.logMarginal) best = c;
  }
  return best;
}
