// Online hyperparameter adaptation for the streaming map, without storing samples.
//
// The streaming sparse GP keeps its data as sufficient statistics in unit-variance kernel form
// (sparse-gp.ts), so for a given length scale ℓ the collapsed variational bound of Titsias
// (2009, eq. 9) — the objective whose streaming form Bui et al. (2017) maximise — is a function
// of the statistics and of (σ_f², σ²) alone. Maximising it over (σ_f², σ²) is type-II maximum
// likelihood on every sample seen so far: for a fixed ratio ρ = σ_f²/σ² the best σ² is in closed
// form (StreamingSparseGp.profiledBound), and ρ is found by a coarse scan and a golden-section
// search on log ρ. Length scales need statistics of their own (k₁ depends on ℓ): one member per
// candidate ℓ learns every batch (cheap: outer products over a sample's support), and the member
// with the highest bound serves the map. Memory is the members' statistics only: O(L M²) for L
// candidates, whatever the number of samples.
//
// For evaluation, the objective may instead be the DTC marginal likelihood (the bound without its
// trace term tr(K_nn − Q_nn)/2σ²). On a fixed lattice the trace term grows as ℓ shrinks toward
// the lattice spacing: with many random samples it keeps ℓ above the exact GP's own ML-II choice,
// which DTC finds. The mapper keeps the bound: on survey tracks, where most nodes see few
// samples, DTC lets σ_f² grow (the trace term is what penalises it): in the default simulated
// survey it took σ_f to 275 m and the map's final RMSE to 6.6 m, against 0.84 m with the bound.
//
// The search runs in small steps (fitStep), a few bound evaluations at a time (each O(M³/3)),
// so that a node can spread it over its map publications without holding up the control loop;
// a new one starts whenever the data have grown by a factor (1.25: O(log N) searches in all).
// refit() runs one whole search, for evaluations and tests.
import type { GridBounds } from './grid-basis.ts';
import { StreamingSparseGp, type BatchResult, type GpHypers, type MapObjective } from './sparse-gp.ts';

export interface AdaptiveGpOptions {
  /** Area the inducing lattices cover, local metres. */
  bounds: GridBounds;
  /** Lattice rows (north) and columns (east) of every member. */
  rows: number;
  cols: number;
  /** Candidate RBF length scales, m. */
  lengthScalesM: readonly number[];
  /** Range searched for σ_f²/σ². */
  minRatio: number;
  maxRatio: number;
  /** Hyperparameters before the first search has finished (the length scale picks the member). */
  initial: GpHypers;
  /** The serving member's outlier test (the others learn what it accepts). */
  outlierGateSigma: number;
  outlierWarmupSamples: number;
  /** Samples before the first search (the bound of a handful of samples says little). */
  minSamples: number;
  /** A new search starts once the samples have grown by this factor since the last one began. */
  regrowthFactor: number;
  /** Lattice growth for data outside it (StreamingSparseGp's growMaxSpanM). */
  growMaxSpanM?: number;
  /** What the search maximises (profiledBound); the collapsed bound when absent. */
  objective?: MapObjective;
}

export const DEFAULT_ADAPTIVE_RANGE = { minRatio: 0.1, maxRatio: 1e6, regrowthFactor: 1.25 };

/** Points of the coarse scan of log ρ before the golden-section refinement. */
const SCAN_POINTS = 9;
/** Golden-section steps: the bracket of two scan intervals shrinks to ~1e-4 of its width. */
const GOLDEN_STEPS = 20;
const INV_PHI = (Math.sqrt(5) - 1) / 2;

export interface MemberFit {
  lengthScaleM: number;
  /** The bound per sample at the best ratio, its ratio and noise variance. */
  bound: number;
  ratio: number;
  noiseVarM2: number;
  /** Samples behind this fit. */
  samples: number;
}

export class AdaptiveSparseGp {
  readonly members: StreamingSparseGp[];
  /** The last completed fit of each member (undefined before its first search). */
  readonly fits: (MemberFit | undefined)[];
  /** Completed searches over all members. */
  searches = 0;
  private serving: number;
  private search?: Generator<void, void, void>;
  /** Samples when the last search began. */
  private searchedAt = 0;
  private readonly scratch: { a: Float64Array; r: Float64Array; v: Float64Array };
  private readonly keepN: Float64Array;
  private readonly keepE: Float64Array;
  private readonly keepZ: Float64Array;

  constructor(readonly options: AdaptiveGpOptions) {
    if (options.lengthScalesM.length === 0) throw new Error('adaptive map: no candidate length scales');
    this.members = options.lengthScalesM.map(
      (lengthScaleM) =>
        new StreamingSparseGp({
          bounds: options.bounds,
          rows: options.rows,
          cols: options.cols,
          hypers: { ...options.initial, lengthScaleM },
          outlierGateSigma: options.outlierGateSigma,
          outlierWarmupSamples: options.outlierWarmupSamples,
          priorMean: NaN,
          growMaxSpanM: options.growMaxSpanM,
        }),
    );
    this.fits = this.members.map(() => undefined);
    // Suspects the serving member clears at a refresh go to the others too.
    this.members.forEach((gp, i) => {
      gp.onRelease = (n, e, z, count) => {
        for (let j = 0; j < this.members.length; j++) if (j !== i) this.members[j].learn(n, e, z, count, false);
      };
    });
    // The member nearest the initial length scale serves first.
    let best = 0;
    const d = (l: number) => Math.abs(Math.log(l / options.initial.lengthScaleM));
    options.lengthScalesM.forEach((l, i) => {
      if (d(l) < d(options.lengthScalesM[best])) best = i;
    });
    this.serving = best;
    const m = options.rows * options.cols;
    this.scratch = { a: new Float64Array(m * m), r: new Float64Array(m * m), v: new Float64Array(m) };
    this.keepN = new Float64Array(1024);
    this.keepE = new Float64Array(1024);
    this.keepZ = new Float64Array(1024);
  }

  /** The member whose map is served. */
  get gp(): StreamingSparseGp {
    return this.members[this.serving];
  }

  /** The hyperparameters of the served map. */
  hypers(): GpHypers {
    return this.gp.hypers;
  }

  /**
   * The serving member learns the batch (and tests it for outliers); every other member learns
   * the samples it accepted, so that all bounds are of the same data.
   */
  learn(northM: ArrayLike<number>, eastM: ArrayLike<number>, value: ArrayLike<number>, count: number): BatchResult {
    const res = this.gp.learn(northM, eastM, value, count);
    const mask = this.gp.acceptedMask();
    let k = 0;
    for (let i = 0; i < Math.min(count, this.keepN.length); i++) {
      if (!mask[i]) continue;
      this.keepN[k] = northM[i];
      this.keepE[k] = eastM[i];
      this.keepZ[k] = value[i];
      k++;
    }
    if (k > 0) for (let j = 0; j < this.members.length; j++) if (j !== this.serving) this.members[j].learn(this.keepN, this.keepE, this.keepZ, k, false);
    return res;
  }

  /**
   * Advances the hyperparameter search by up to `evaluations` bound evaluations; starts a new
   * search when none is running and enough samples have come. Returns true when a search
   * finished in this call (the served member and its variances may have changed).
   */
  fitStep(evaluations: number): boolean {
    if (!this.search) {
      const n = this.gp.sampleCount;
      if (n < this.options.minSamples || n < this.options.regrowthFactor * this.searchedAt) return false;
      this.searchedAt = n;
      this.search = this.runSearch();
    }
    for (let i = 0; i < evaluations; i++) {
      if (this.search.next().done) {
        this.search = undefined;
        return true;
      }
    }
    return false;
  }

  /** One whole search now (evaluations and tests). */
  refit(): void {
    this.search = undefined;
    const min = this.options.minSamples;
    if (this.gp.sampleCount < Math.max(2, min)) return;
    this.searchedAt = this.gp.sampleCount;
    for (const _ of this.runSearch());
  }

  /** The bound of one member at one ratio (NaN where it cannot be evaluated). */
  bound(member: number, ratio: number): { bound: number; noiseVarM2: number } {
    return this.members[member].profiledBound(ratio, this.scratch, this.options.objective);
  }

  /** The served member's map: mean and latent variance on a lattice. */
  predictGrid(northAxisM: Float64Array, eastAxisM: Float64Array, meanOut: Float64Array, varOut: Float64Array): void {
    const gp = this.gp;
    gp.recentre();
    gp.predictGrid(northAxisM, eastAxisM, meanOut, varOut);
  }

  /** Approximate bytes held by the bank (independent of the number of samples). */
  stateBytes(): number {
    let s = 8 * (2 * this.scratch.a.length + this.scratch.v.length);
    for (const gp of this.members) s += gp.stateBytes();
    return s;
  }

  /** A search over every member, yielding after each bound evaluation. */
  private *runSearch(): Generator<void, void, void> {
    const lo = Math.log(this.options.minRatio);
    const hi = Math.log(this.options.maxRatio);
    for (let j = 0; j < this.members.length; j++) {
      const samples = this.members[j].sampleCount;
      const f = (logRatio: number) => {
        const r = this.bound(j, Math.exp(logRatio));
        return { value: Number.isFinite(r.bound) ? r.bound : -Infinity, noise: r.noiseVarM2 };
      };
      // Coarse scan, then golden-section search in the bracket around the best scan point.
      const xs: number[] = [];
      const fs: number[] = [];
      for (let i = 0; i < SCAN_POINTS; i++) {
        const x = lo + ((hi - lo) * i) / (SCAN_POINTS - 1);
        xs.push(x);
        fs.push(f(x).value);
        yield;
      }
      let best = 0;
      for (let i = 1; i < SCAN_POINTS; i++) if (fs[i] > fs[best]) best = i;
      let a = xs[Math.max(0, best - 1)];
      let b = xs[Math.min(SCAN_POINTS - 1, best + 1)];
      let c = b - INV_PHI * (b - a);
      let d = a + INV_PHI * (b - a);
      let fc = f(c).value;
      let fd = f(d).value;
      yield;
      for (let i = 0; i < GOLDEN_STEPS; i++) {
        if (fc >= fd) {
          b = d;
          d = c;
          fd = fc;
          c = b - INV_PHI * (b - a);
          fc = f(c).value;
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + INV_PHI * (b - a);
          fd = f(d).value;
        }
        yield;
      }
      let x = (a + b) / 2;
      let r = f(x);
      if (!(r.value >= fs[best])) {
        x = xs[best];
        r = f(x);
      }
      this.fits[j] = Number.isFinite(r.value) ? { lengthScaleM: this.members[j].hypers.lengthScaleM, bound: r.value, ratio: Math.exp(x), noiseVarM2: r.noise, samples } : undefined;
      yield;
    }
    // The best member serves, with its fitted variances.
    let best = -1;
    for (let j = 0; j < this.members.length; j++) {
      const fit = this.fits[j];
      if (fit && (best < 0 || fit.bound > (this.fits[best]?.bound ?? -Infinity))) best = j;
    }
    if (best >= 0) {
      const fit = this.fits[best]!;
      this.members[best].setVariances(fit.ratio * fit.noiseVarM2, fit.noiseVarM2);
      this.serving = best;
    }
    this.searches++;
  }
}
