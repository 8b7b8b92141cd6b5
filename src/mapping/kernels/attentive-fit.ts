// Learning the weight field of the non-stationary (attentive) kernel by type-II maximum
// likelihood, for the exact GP (offline, N of a few hundred).
//
// Construction after Chen, Khardon & Liu ("AK: Attentive Kernel for Information Gathering",
// RSS 2022): k(x, x') = σ_f² Σ_p w_p(x) w_p(x') k_p(x, x'), RBF components k_p of fixed length
// scales, w(x) = softmax(a(x)) normalised to unit L2 norm, i.e. w_p = e^{a_p} / ‖e^{a}‖₂. AK
// computes a(x) with a neural network; here a_p(x) = β_p + Σ_f θ_pf φ_f(x), a linear layer on
// RBF bumps φ_f centred on a coarse lattice over the area (a one-hidden-layer network with fixed
// hidden units). θ, β, log σ_f² and log σ² are fitted by Adam (Kingma & Ba, ICLR 2015) on the
// log marginal likelihood with its analytic gradient (Rasmussen & Williams 2006, eq. 5.9):
//   ∂L/∂ϑ = ½ tr((ααᵀ − K⁻¹) ∂K/∂ϑ),  with, for the attention logits at sample i,
//   ∂K_ij/∂a_q(i) = σ_f² w_q(i) w_q(j) k_q(i, j) − w_q(i)² K⁰_ij   (K⁰ = K − σ²I).
import { choleskyInPlace, inverseFromUpper, logDetFromUpper, solveUpper, solveUpperT } from '../linalg.ts';
import type { GridBounds } from '../grid-basis.ts';
import { AttentiveKernel } from './index.ts';

export interface AttentiveFitOptions {
  /** Length scales of the RBF components, m. */
  lengthScalesM: number[];
  /** Area over which the weight field's features are laid out. */
  bounds: GridBounds;
  /** Feature lattice side (F = side² bumps). */
  featureSide: number;
  /** Adam steps. */
  iterations: number;
  /** Adam step size. */
  learningRate: number;
}

export const DEFAULT_ATTENTIVE_FIT = { featureSide: 3, iterations: 150, learningRate: 0.05 };

export interface AttentiveModel {
  kernel: AttentiveKernel;
  noiseVarM2: number;
  logMarginal: number;
  /** Logit weights θ (P × F, row-major) and biases β (P). */
  theta: Float64Array;
  beta: Float64Array;
}

/** The feature map and weight field for given parameters. */
export class AttentionField {
  readonly f: number;
  private readonly cn: Float64Array;
  private readonly ce: Float64Array;
  private readonly inv2w2: number;
  private readonly phi: Float64Array;
  constructor(
    bounds: GridBounds,
    side: number,
    readonly p: number,
    readonly theta: Float64Array,
    readonly beta: Float64Array,
  ) {
    this.f = side * side;
    this.cn = new Float64Array(this.f);
    this.ce = new Float64Array(this.f);
    const sn = (bounds.maxNorthM - bounds.minNorthM) / Math.max(1, side - 1);
    const se = (bounds.maxEastM - bounds.minEastM) / Math.max(1, side - 1);
    for (let a = 0; a < side; a++)
      for (let b = 0; b < side; b++) {
        this.cn[a * side + b] = bounds.minNorthM + a * sn;
        this.ce[a * side + b] = bounds.minEastM + b * se;
      }
    const w = Math.max(sn, se);
    this.inv2w2 = 1 / (2 * w * w);
    this.phi = new Float64Array(this.f);
  }

  features(northM: number, eastM: number, out: Float64Array): void {
    for (let k = 0; k < this.f; k++) {
      const dn = northM - this.cn[k];
      const de = eastM - this.ce[k];
      out[k] = Math.exp(-(dn * dn + de * de) * this.inv2w2);
    }
  }

  /** w(x): non-negative, unit L2 norm. */
  weights = (northM: number, eastM: number, out: Float64Array): void => {
    this.features(northM, eastM, this.phi);
    weightsFromFeatures(this.phi, this.theta, this.beta, this.p, this.f, out);
  };
}

function weightsFromFeatures(phi: Float64Array, theta: Float64Array, beta: Float64Array, p: number, f: number, out: Float64Array): void {
  let max = -Infinity;
  for (let q = 0; q < p; q++) {
    let a = beta[q];
    for (let k = 0; k < f; k++) a += theta[q * f + k] * phi[k];
    out[q] = a;
    if (a > max) max = a;
  }
  let s = 0;
  for (let q = 0; q < p; q++) {
    out[q] = Math.exp(out[q] - max);
    s += out[q] * out[q];
  }
  const inv = 1 / Math.sqrt(s);
  for (let q = 0; q < p; q++) out[q] *= inv;
}

/**
 * The attention quantities at n points: features φ (n × F), weights w (n × P), the unit
 * component kernels k_p (P × n × n) and the unit attentive kernel K₁ (n × n, no noise).
 */
export interface AttentiveGram {
  n: number;
  phi: Float64Array;
  w: Float64Array;
  kp: Float64Array;
  k1: Float64Array;
}

export function attentiveGram(xn: ArrayLike<number>, xe: ArrayLike<number>, lengthScalesM: readonly number[], field: AttentionField): AttentiveGram {
  const n = xn.length;
  const p = lengthScalesM.length;
  const f = field.f;
  const phi = new Float64Array(n * f);
  const w = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    field.features(xn[i], xe[i], phi.subarray(i * f, (i + 1) * f));
    weightsFromFeatures(phi.subarray(i * f, (i + 1) * f), field.theta, field.beta, p, f, w.subarray(i * p, (i + 1) * p));
  }
  const inv2l2 = lengthScalesM.map((l) => 1 / (2 * l * l));
  const kp = new Float64Array(p * n * n);
  const k1 = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const dn = xn[i] - xn[j];
      const de = xe[i] - xe[j];
      const d2 = dn * dn + de * de;
      let s = 0;
      for (let q = 0; q < p; q++) {
        const v = Math.exp(-d2 * inv2l2[q]);
        kp[q * n * n + i * n + j] = v;
        kp[q * n * n + j * n + i] = v;
        s += w[i * p + q] * w[j * p + q] * v;
      }
      k1[i * n + j] = s;
      k1[j * n + i] = s;
    }
  return { n, phi, w, kp, k1 };
}

/**
 * Gradient of an objective L with respect to the weight field (θ, β) and log σ_f², given
 * G = 2 ∂L/∂K for the signal kernel matrix K = σ_f² K₁ at the gram's points (symmetric n × n):
 *   ∂L/∂ϑ = ½ tr(G ∂K/∂ϑ),  ∂K_ij/∂a_q(i) = σ_f² w_q(i) w_q(j) k_q(i, j) − w_q(i)² K_ij.
 * Writes (does not accumulate) grad.theta, grad.beta and grad.logSignal.
 */
export function attentiveGradient(
  g: Float64Array,
  gram: AttentiveGram,
  signalVarM2: number,
  field: AttentionField,
  grad: { theta: Float64Array; beta: Float64Array; logSignal: number },
): void {
  const { n, phi, w, kp, k1 } = gram;
  const p = field.p;
  const f = field.f;
  const s2 = signalVarM2;
  grad.theta.fill(0);
  grad.beta.fill(0);
  let gs = 0;
  for (let i = 0; i < n; i++) {
    let gk0 = 0;
    for (let j = 0; j < n; j++) gk0 += g[i * n + j] * k1[i * n + j];
    gk0 *= s2;
    gs += gk0;
    for (let q = 0; q < p; q++) {
      let gkq = 0;
      const base = q * n * n + i * n;
      for (let j = 0; j < n; j++) gkq += g[i * n + j] * w[j * p + q] * kp[base + j];
      const wiq = w[i * p + q];
      const da = s2 * wiq * gkq - wiq * wiq * gk0;
      grad.beta[q] += da;
      for (let k = 0; k < f; k++) grad.theta[q * f + k] += da * phi[i * f + k];
    }
  }
  grad.logSignal = 0.5 * gs;
}

/** Log marginal likelihood and its gradient (θ, β, log σ_f², log σ²) for the samples. */
export function attentiveObjective(
  xn: ArrayLike<number>,
  xe: ArrayLike<number>,
  yc: Float64Array,
  lengthScalesM: readonly number[],
  field: AttentionField,
  logSignal: number,
  logNoise: number,
  grad?: { theta: Float64Array; beta: Float64Array; logSignal: number; logNoise: number },
): number {
  const n = yc.length;
  const s2 = Math.exp(logSignal);
  const sn2 = Math.exp(logNoise);
  const gram = attentiveGram(xn, xe, lengthScalesM, field);
  const r = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) r[i] = s2 * gram.k1[i];
  for (let i = 0; i < n; i++) r[i * n + i] += sn2;
  if (!choleskyInPlace(r, n)) return -Infinity;
  const alpha = Float64Array.from(yc);
  solveUpperT(r, n, alpha);
  let quad = 0;
  for (let i = 0; i < n; i++) quad += alpha[i] * alpha[i];
  solveUpper(r, n, alpha);
  const lml = -0.5 * quad - 0.5 * logDetFromUpper(r, n) - 0.5 * n * Math.log(2 * Math.PI);
  if (!grad) return lml;
  // G = ααᵀ − K⁻¹
  const g = new Float64Array(n * n);
  inverseFromUpper(r, n, g, new Float64Array(n * n));
  let trace = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      g[i * n + j] = alpha[i] * alpha[j] - g[i * n + j];
      if (i === j) trace += g[i * n + i];
    }
  attentiveGradient(g, gram, s2, field, grad);
  grad.logNoise = 0.5 * sn2 * trace;
  return lml;
}

/** Fits the attentive kernel to the samples (prior mean: their average). */
export function fitAttentive(xn: ArrayLike<number>, xe: ArrayLike<number>, y: ArrayLike<number>, o: AttentiveFitOptions): AttentiveModel {
  const n = y.length;
  const p = o.lengthScalesM.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  const yc = Float64Array.from({ length: n }, (_, i) => y[i] - mean);
  let v = 0;
  for (let i = 0; i < n; i++) v += (yc[i] * yc[i]) / n;
  const f = o.featureSide * o.featureSide;
  const theta = new Float64Array(p * f);
  const beta = new Float64Array(p);
  const field = new AttentionField(o.bounds, o.featureSide, p, theta, beta);
  // Parameters packed: θ, β, log σ_f², log σ².
  const dim = p * f + p + 2;
  const x = new Float64Array(dim);
  x[dim - 2] = Math.log(Math.max(v, 1e-12));
  x[dim - 1] = Math.log(Math.max(1e-4 * v, 1e-12));
  const m1 = new Float64Array(dim);
  const m2 = new Float64Array(dim);
  const grad = { theta: new Float64Array(p * f), beta: new Float64Array(p), logSignal: 0, logNoise: 0 };
  const gvec = new Float64Array(dim);
  let best = { lml: -Infinity, x: Float64Array.from(x) };
  const b1 = 0.9;
  const b2 = 0.999;
  for (let it = 1; it <= o.iterations; it++) {
    theta.set(x.subarray(0, p * f));
    beta.set(x.subarray(p * f, p * f + p));
    const lml = attentiveObjective(xn, xe, yc, o.lengthScalesM, field, x[dim - 2], x[dim - 1], grad);
    if (!Number.isFinite(lml)) break;
    if (lml > best.lml) best = { lml, x: Float64Array.from(x) };
    gvec.set(grad.theta, 0);
    gvec.set(grad.beta, p * f);
    gvec[dim - 2] = grad.logSignal;
    gvec[dim - 1] = grad.logNoise;
    for (let k = 0; k < dim; k++) {
      m1[k] = b1 * m1[k] + (1 - b1) * gvec[k];
      m2[k] = b2 * m2[k] + (1 - b2) * gvec[k] * gvec[k];
      const mh = m1[k] / (1 - b1 ** it);
      const vh = m2[k] / (1 - b2 ** it);
      x[k] += (o.learningRate * mh) / (Math.sqrt(vh) + 1e-8); // ascent
    }
    // Keep the noise above 1e-8 of the signal: the factor must stay well conditioned.
    x[dim - 1] = Math.max(x[dim - 1], x[dim - 2] + Math.log(1e-8));
  }
  theta.set(best.x.subarray(0, p * f));
  beta.set(best.x.subarray(p * f, p * f + p));
  const s2 = Math.exp(best.x[dim - 2]);
  const kernel = new AttentiveKernel(o.lengthScalesM, s2, field.weights);
  return { kernel, noiseVarM2: Math.exp(best.x[dim - 1]), logMarginal: best.lml, theta, beta };
}
