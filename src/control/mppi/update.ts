// The MPPI update (Williams et al., "Information-Theoretic MPC", IEEE T-RO 34(6), 2018): the
// new nominal is the average of the sampled sequences weighted by exp(-(S_k - min S) / lambda).
// Subtracting the minimum keeps the exponentials in range; it cancels in the normalisation.
//
// Each sample's cost first gets the information-theoretic control-cost term of that paper
// (eq. 33 there, written with Nav2's name gamma for its weight):
//   S_k += gamma * sum_t sum_ch u_ch,t * eps_ch,k,t / sigma^2
// with u the nominal before the update and eps = (clamped sample) - u the perturbation the
// rollout really applied. It charges perturbations that push thrust further the way the plan
// already pushes it, so the plan does not drift to the thrust limits on noise alone.
import type { RolloutBatch } from './batch.ts';

export interface UpdateResult {
  /** Lowest sample cost. */
  minCost: number;
  /** Weighted mean cost: the expected cost of the new plan under the samples. */
  meanCost: number;
  /** Effective number of samples 1 / sum(w^2): how many samples the update really used. */
  effectiveSamples: number;
}

/** Writes the new nominal into batch.nominal; `weights` is scratch of length K. Non-finite costs get weight 0. */
export function updateNominal(b: RolloutBatch, weights: Float64Array, temperature: number, out: UpdateResult): UpdateResult {
  const K = b.K;
  const T = b.T;
  addControlCost(b);
  let min = Infinity;
  for (let k = 0; k < K; k++) if (b.costs[k] < min) min = b.costs[k];
  if (!Number.isFinite(min)) {
    out.minCost = NaN;
    out.meanCost = NaN;
    out.effectiveSamples = 0;
    return out;
  }
  const invLambda = 1 / temperature;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const s = b.costs[k];
    const w = s === s && s < Infinity ? Math.exp(-(s - min) * invLambda) : 0;
    weights[k] = w;
    sum += w;
  }
  let sq = 0;
  let mean = 0;
  for (let k = 0; k < K; k++) {
    const w = weights[k] / sum;
    weights[k] = w;
    sq += w * w;
    if (w > 0) mean += w * b.costs[k];
  }
  const nom = b.nominal;
  nom.fill(0);
  for (let k = 0; k < K; k++) {
    const w = weights[k];
    if (w < 1e-12) continue;
    const base = k * T;
    for (let t = 0; t < T; t++) {
      nom[t] += w * b.leftN[base + t];
      nom[T + t] += w * b.rightN[base + t];
    }
  }
  out.minCost = min;
  out.meanCost = mean;
  out.effectiveSamples = 1 / sq;
  return out;
}

/** Adds gamma * sum(u . eps) / sigma^2 to every sample's cost (see the header); sample 0 has eps = 0. */
export function addControlCost(b: RolloutBatch): void {
  const sigma = b.settings.noiseSigmaN;
  const gamma = b.settings.controlCostWeight;
  if (!(gamma > 0) || !(sigma > 0)) return;
  const scale = gamma / (sigma * sigma);
  const K = b.K;
  const T = b.T;
  const nom = b.nominal;
  for (let k = 0; k < K; k++) {
    const base = k * T;
    let acc = 0;
    for (let t = 0; t < T; t++) {
      const uL = nom[t];
      const uR = nom[T + t];
      acc += uL * (b.leftN[base + t] - uL) + uR * (b.rightN[base + t] - uR);
    }
    b.costs[k] += scale * acc;
  }
}

/** Shifts a nominal sequence (2T: left then right) by `steps`, repeating the last value. */
export function shiftNominal(nominal: Float32Array, T: number, steps: number): void {
  if (steps <= 0) return;
  for (let ch = 0; ch < 2; ch++) {
    const o = ch * T;
    for (let t = 0; t < T; t++) nominal[o + t] = nominal[o + Math.min(T - 1, t + steps)];
  }
}
