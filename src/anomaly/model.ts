// The graph-network encoder and its anomaly score, with hand-derived reverse-mode gradients.
//
// Each sensor channel is a node with FEATURES_PER_NODE standardised features. One round of
// message passing over the physical couplings (a graph network in the sense of Battaglia et al.
// 2018, "Relational inductive biases, deep learning, and graph networks", with node-specific
// weights and mean aggregation):
//   h_i = tanh(W1_i x_i + b1_i)                  node encoder
//   m_i = sum_j A_ij h_j                         A row-normalised adjacency (graph.ts)
//   z_i = W2_i h_i + W3_i m_i + b2_i             node embedding
//   s_i = |z_i - c_i|^2                          distance from learned normality (Deep SVDD,
//         + sum_f g_if^2 max(0, |x_if| - t_if)^2 Ruff et al. 2018), one score per node, plus
//                                                each input's excursion beyond the largest
//                                                value normal windows reached (t, fixed when
//                                                training starts), weighted by learned g: tanh
//                                                saturates, so without it a 5-sigma and an
//                                                8-sigma shift would look alike
// Training (train.ts) pulls normal windows to the centres and pushes anomalous ones beyond a
// margin: the contrastive loss of Hadsell, Chopra and LeCun (2006) against a prototype.
// Parameters are float32-representable so that the ONNX export computes the same function.
import { FEATURES_PER_NODE as F, NODE_COUNT as N, normalisedAdjacency } from './graph.ts';

export const HIDDEN = 16;
export const EMBED = 8;
/** Starting value of the input weights g_if. */
const INITIAL_INPUT_WEIGHT = 0.1;

/** Offsets of each parameter block in the flat parameter vector. */
export const LAYOUT = (() => {
  let o = 0;
  const take = (n: number) => {
    const at = o;
    o += n;
    return at;
  };
  const w1 = take(N * HIDDEN * F);
  const b1 = take(N * HIDDEN);
  const w2 = take(N * EMBED * HIDDEN);
  const w3 = take(N * EMBED * HIDDEN);
  const b2 = take(N * EMBED);
  const g = take(N * F);
  return { w1, b1, w2, w3, b2, g, size: o };
})();

export interface GraphModel {
  /** Trainable parameters, LAYOUT order, row-major matrices (out x in). */
  params: Float64Array;
  /** Centres c_i, N x EMBED (fixed, not trained). */
  centres: Float64Array;
  /** Input floors t (N*F, fixed, not trained): an input counts in the excursion term beyond |x| = t. */
  inputFloor: Float64Array;
  adjacency: Float64Array;
}

/** Scratch for one window's forward pass, reused by backward. */
export interface Activations {
  h: Float64Array;
  m: Float64Array;
  z: Float64Array;
  scores: Float64Array;
}

export function newActivations(): Activations {
  return { h: new Float64Array(N * HIDDEN), m: new Float64Array(N * HIDDEN), z: new Float64Array(N * EMBED), scores: new Float64Array(N) };
}

/** Glorot-uniform initialisation from a seeded generator; biases zero. */
export function initModel(random: () => number): GraphModel {
  const params = new Float64Array(LAYOUT.size);
  const fill = (at: number, count: number, fanIn: number, fanOut: number) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    for (let k = 0; k < count; k++) params[at + k] = Math.fround((2 * random() - 1) * lim);
  };
  fill(LAYOUT.w1, N * HIDDEN * F, F, HIDDEN);
  fill(LAYOUT.w2, N * EMBED * HIDDEN, HIDDEN, EMBED);
  fill(LAYOUT.w3, N * EMBED * HIDDEN, HIDDEN, EMBED);
  // Input weights start small and equal: the gradient of g^2 e^2 vanishes at g = 0.
  params.fill(Math.fround(INITIAL_INPUT_WEIGHT), LAYOUT.g, LAYOUT.g + N * F);
  return { params, centres: new Float64Array(N * EMBED), inputFloor: new Float64Array(N * F), adjacency: normalisedAdjacency() };
}

/** How far input k lies beyond its floor: max(0, |x_k| - t_k). */
function excursion(model: GraphModel, x: ArrayLike<number>, k: number): number {
  const e = Math.abs(x[k]) - model.inputFloor[k];
  return e > 0 ? e : 0;
}

/** Forward pass of one standardised window x (N*F) into `act`; returns act.scores. Allocates nothing. */
export function forward(model: GraphModel, x: ArrayLike<number>, act: Activations): Float64Array {
  const p = model.params;
  const { h, m, z, scores } = act;
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < HIDDEN; a++) {
      let s = p[LAYOUT.b1 + i * HIDDEN + a];
      const w = LAYOUT.w1 + (i * HIDDEN + a) * F;
      for (let f = 0; f < F; f++) s += p[w + f] * x[i * F + f];
      h[i * HIDDEN + a] = Math.tanh(s);
    }
  }
  const A = model.adjacency;
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < HIDDEN; a++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += A[i * N + j] * h[j * HIDDEN + a];
      m[i * HIDDEN + a] = s;
    }
  }
  for (let i = 0; i < N; i++) {
    let si = 0;
    for (let e = 0; e < EMBED; e++) {
      let s = p[LAYOUT.b2 + i * EMBED + e];
      const w2 = LAYOUT.w2 + (i * EMBED + e) * HIDDEN;
      const w3 = LAYOUT.w3 + (i * EMBED + e) * HIDDEN;
      for (let a = 0; a < HIDDEN; a++) s += p[w2 + a] * h[i * HIDDEN + a] + p[w3 + a] * m[i * HIDDEN + a];
      z[i * EMBED + e] = s;
      const d = s - model.centres[i * EMBED + e];
      si += d * d;
    }
    for (let f = 0; f < F; f++) {
      const gx = p[LAYOUT.g + i * F + f] * excursion(model, x, i * F + f);
      si += gx * gx;
    }
    scores[i] = si;
  }
  return scores;
}

/**
 * Accumulates into `grad` the gradient of sum_i g_i * s_i for the window whose forward pass is in
 * `act`. `dh` and `dm` are scratch of N*HIDDEN.
 */
export function backward(
  model: GraphModel,
  x: ArrayLike<number>,
  act: Activations,
  g: ArrayLike<number>,
  grad: Float64Array,
  dh: Float64Array,
  dm: Float64Array,
): void {
  const p = model.params;
  const { h, m, z } = act;
  dh.fill(0);
  dm.fill(0);
  for (let i = 0; i < N; i++) {
    if (g[i] === 0) continue;
    for (let f = 0; f < F; f++) {
      const e = excursion(model, x, i * F + f);
      grad[LAYOUT.g + i * F + f] += 2 * g[i] * p[LAYOUT.g + i * F + f] * e * e;
    }
    for (let e = 0; e < EMBED; e++) {
      const dz = 2 * g[i] * (z[i * EMBED + e] - model.centres[i * EMBED + e]);
      grad[LAYOUT.b2 + i * EMBED + e] += dz;
      const w2 = LAYOUT.w2 + (i * EMBED + e) * HIDDEN;
      const w3 = LAYOUT.w3 + (i * EMBED + e) * HIDDEN;
      for (let a = 0; a < HIDDEN; a++) {
        grad[w2 + a] += dz * h[i * HIDDEN + a];
        grad[w3 + a] += dz * m[i * HIDDEN + a];
        dh[i * HIDDEN + a] += dz * p[w2 + a];
        dm[i * HIDDEN + a] += dz * p[w3 + a];
      }
    }
  }
  const A = model.adjacency;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const aij = A[i * N + j];
      if (aij === 0) continue;
      for (let a = 0; a < HIDDEN; a++) dh[j * HIDDEN + a] += aij * dm[i * HIDDEN + a];
    }
  }
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < HIDDEN; a++) {
      const hv = h[i * HIDDEN + a];
      const da = dh[i * HIDDEN + a] * (1 - hv * hv);
      if (da === 0) continue;
      grad[LAYOUT.b1 + i * HIDDEN + a] += da;
      const w = LAYOUT.w1 + (i * HIDDEN + a) * F;
      for (let f = 0; f < F; f++) grad[w + f] += da * x[i * F + f];
    }
  }
}

/** Adam (Kingma and Ba 2015) over a flat parameter vector. */
export class Adam {
  private readonly mom: Float64Array;
  private readonly vel: Float64Array;
  private t = 0;
  constructor(
    size: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.mom = new Float64Array(size);
    this.vel = new Float64Array(size);
  }

  step(params: Float64Array, grad: Float64Array): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (let k = 0; k < params.length; k++) {
      this.mom[k] = this.beta1 * this.mom[k] + (1 - this.beta1) * grad[k];
      this.vel[k] = this.beta2 * this.vel[k] + (1 - this.beta2) * grad[k] * grad[k];
      params[k] -= (this.lr * (this.mom[k] / c1)) / (Math.sqrt(this.vel[k] / c2) + this.eps);
    }
  }
}

/**
 * Model input from a raw window: standardised, then compressed with sign(z) ln(1 + |z|) so that
 * the heavy tails of normal data (a rare spurious sounding is 40 sigma) do not dominate.
 */
export function prepareInput(raw: ArrayLike<number>, mean: ArrayLike<number>, std: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let k = 0; k < out.length; k++) {
    const z = (raw[k] - mean[k]) / std[k];
    out[k] = z < 0 ? -Math.log1p(-z) : Math.log1p(z);
  }
  return out;
}

/** Rounds parameters and centres to float32, the precision the ONNX model stores. */
export function roundToFloat32(model: GraphModel): void {
  for (let k = 0; k < model.params.length; k++) model.params[k] = Math.fround(model.params[k]);
  for (let k = 0; k < model.centres.length; k++) model.centres[k] = Math.fround(model.centres[k]);
  for (let k = 0; k < model.inputFloor.length; k++) model.inputFloor[k] = Math.fround(model.inputFloor[k]);
}
