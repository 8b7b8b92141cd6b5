// Online hyperparameter adaptation for the streaming map, without storing samples.
//
// A bank of streaming sparse GPs, one per candidate (length scale ℓ, signal-to-noise ratio
// r = σ_f²/σ²), each with unit signal variance. Every batch is first predicted by each member
// and then learned by it. By the chain rule, log p(y₁..y_N) = Σ_n log p(y_n | y_<n): the
// running sum of one-step-ahead predictive log densities is the marginal likelihood that type-II
// maximum likelihood maximises (Dawid's prequential principle, J. R. Stat. Soc. A 147, 1984;
// for GPs, Rasmussen & Williams 2006 §5.4.2). The posterior mean does not depend on the overall
// scale s² = σ_f², and the predictive variance is s²(v_n + 1/r) with v_n the unit-scale latent
// variance, so s² is profiled out in closed form from two running sums per member:
//   ŝ² = (1/N) Σ e_n² / (v_n + 1/r),   log L = −½ [N log(2π ŝ²) + Σ log(v_n + 1/r) + N].
// The member with the highest log L is the map; its hyperparameters are (ℓ, ŝ², ŝ²/r). Memory is
// the bank's posteriors only: O(K M²) for K candidates, whatever the number of samples.
//
// Within a batch every sample is predicted from the posterior before the batch (not the one
// after its predecessors), a small departure from the exact chain rule shared by all members.
import type { GridBounds } from './grid-basis.ts';
import { StreamingSparseGp, type GpHypers } from './sparse-gp.ts';

export interface AdaptiveGpOptions {
  /** Area the inducing lattices cover, local metres. */
  bounds: GridBounds;
  /** Lattice rows (north) and columns (east) of every member. */
  rows: number;
  cols: number;
  /** Candidate RBF length scales, m. */
  lengthScalesM: readonly number[];
  /** Candidate signal-to-noise variance ratios σ_f²/σ². */
  snrRatios: readonly number[];
}

export const DEFAULT_ADAPTIVE_CANDIDATES = {
  /** Spread by factors of about 1.6 around the mapper's default length scale (30 m). */
  lengthScalesM: [12, 19, 30, 48, 76],
  snrRatios: [3, 30, 300],
};

interface Member {
  gp: StreamingSparseGp;
  ratio: number;
  /** Σ e²/(v + 1/r) and Σ log(v + 1/r) over scored samples. */
  sumStdSq: number;
  sumLogVar: number;
  scored: number;
}

export class AdaptiveSparseGp {
  readonly members: Member[] = [];
  private samples = 0;

  constructor(readonly options: AdaptiveGpOptions) {
    for (const lengthScaleM of options.lengthScalesM)
      for (const ratio of options.snrRatios) {
        const gp = new StreamingSparseGp({
          bounds: options.bounds,
          rows: options.rows,
          cols: options.cols,
          hypers: { lengthScaleM, signalVarM2: 1, noiseVarM2: 1 / ratio },
          // Gates in unit scale would be wrong while ŝ² is unknown; the bank scores every sample.
          outlierGateSigma: 0,
          outlierWarmupSamples: 0,
          priorMean: NaN,
        });
        this.members.push({ gp, ratio, sumStdSq: 0, sumLogVar: 0, scored: 0 });
      }
  }

  /** Scores the batch with every member, then lets every member learn it. */
  learn(northM: ArrayLike<number>, eastM: ArrayLike<number>, value: ArrayLike<number>, count: number): void {
    for (const mb of this.members) {
      // Before the first batch the prior mean is unknown: nothing to score against.
      if (mb.gp.counters.samples > 0) {
        for (let i = 0; i < count; i++) {
          const y = value[i];
          if (!Number.isFinite(northM[i]) || !Number.isFinite(eastM[i]) || !Number.isFinite(y)) continue;
          const p = mb.gp.predictPoint(northM[i], eastM[i]);
          const tv = p.varM2 + 1 / mb.ratio;
          const e = y - p.meanM;
          if (!Number.isFinite(e) || !(tv > 0)) continue;
          mb.sumStdSq += (e * e) / tv;
          mb.sumLogVar += Math.log(tv);
          mb.scored++;
        }
      }
      mb.gp.learn(northM, eastM, value, count);
    }
    this.samples += count;
  }

  /** Profiled prequential log likelihood of one member (−Infinity before any score). */
  score(index: number): number {
    const mb = this.members[index];
    if (mb.scored === 0) return -Infinity;
    const s2 = mb.sumStdSq / mb.scored;
    return -0.5 * (mb.scored * Math.log(2 * Math.PI * s2) + mb.sumLogVar + mb.scored);
  }

  /** Index of the best-scoring member (the first one before any score). */
  bestIndex(): number {
    let best = 0;
    for (let k = 1; k < this.members.length; k++) if (this.score(k) > this.score(best)) best = k;
    return best;
  }

  /** The selected hyperparameters in absolute units. */
  hypers(): GpHypers {
    const k = this.bestIndex();
    const mb = this.members[k];
    const s2 = mb.scored > 0 ? mb.sumStdSq / mb.scored : 1;
    return { lengthScaleM: mb.gp.hypers.lengthScaleM, signalVarM2: s2, noiseVarM2: s2 / mb.ratio };
  }

  /** The selected member's map: mean and latent variance (scaled by ŝ²) on a lattice. */
  predictGrid(northAxisM: Float64Array, eastAxisM: Float64Array, meanOut: Float64Array, varOut: Float64Array): void {
    const gp = this.members[this.bestIndex()].gp;
    gp.recentre();
    gp.predictGrid(northAxisM, eastAxisM, meanOut, varOut);
    const s2 = this.hypers().signalVarM2;
    for (let i = 0; i < varOut.length; i++) varOut[i] *= s2;
  }

  /** Approximate bytes held by the bank (independent of the number of samples). */
  stateBytes(): number {
    let s = 0;
    for (const mb of this.members) s += mb.gp.stateBytes();
    return s;
  }
}
