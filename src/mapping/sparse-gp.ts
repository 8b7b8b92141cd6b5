// Streaming sparse GP over (north, east): a fixed budget of M inducing points on a lattice whose
// posterior summarises every sample seen, updated with each batch in O(b s²) (s: the lattice
// nodes within reach of a sample's kernel) and O(M²) memory, whatever the number of samples.
//
// With inducing inputs fixed, the streaming variational update of Bui, Nguyen & Turner
// ("Streaming Sparse Gaussian Process Approximations", NeurIPS 2017, eq. 5 and §3.1) reduces to
// adding each batch's sufficient statistics to the collapsed (Titsias 2009, "Variational
// Learning of Inducing Variables in Sparse Gaussian Processes", AISTATS) posterior. Kept in
// unit-variance kernel form, k₁ = k / σ_f²:
//   Φ = Σ k₁ₙ k₁ₙᵀ,  φ = Σ k₁ₙ yₙ,  Σ k₁ₙ,  Σ yₙ,  Σ yₙ²,  N,
// so that the signal and noise variances can change at any time without the data:
//   B = σ_f² K₁ + (σ_f⁴/σ²) Φ,   b = σ_f² (φ − m₀ Σ k₁),
//   mean(x) = m₀ + k_xᵀ B⁻¹ b / σ²,  var(x) = k_xx − k_xᵀ K_uu⁻¹ k_x + k_xᵀ B⁻¹ k_x,
// and so that the collapsed bound of any (σ_f², σ²) is a function of them (profiledBound:
// online type-II maximum likelihood without stored samples, src/mapping/adaptive.ts).
// A batch only adds outer products over the nodes its samples reach (the RBF is cut where it
// falls below 1e-6 of its peak); the O(M³) factorisation of B runs when a posterior is next
// needed (refresh(): a map publication, a prediction), not per batch. A factorisation that
// fails (not positive definite even with jitter, or not finite) is rejected and counted: the
// statistics go back to those of the last good posterior, which is kept.
// Outliers: a sample that fails an innovation test against the last refreshed posterior is held
// (a suspect) and tested again against the next one, which knows the samples that came with it;
// only a sample that fails both is an outlier. Against a posterior seconds old, a new drop-off
// would otherwise look like a run of outliers and never be learned.
import { InducingGrid, type GridBounds } from './grid-basis.ts';
import { Quarantine } from './quarantine.ts';
import { CollapsedStats } from './collapsed-stats.ts';
import { choleskyJitter, choleskyUpper, inverseFromUpper, logDetFromUpper, solveUpper, solveUpperT } from './linalg.ts';

/**
 * What online type-II maximum likelihood maximises: the collapsed variational bound, or the DTC
 * marginal likelihood (the bound without its trace term) — see profiledBound.
 */
export type MapObjective = 'collapsed' | 'dtc';

export interface GpHypers {
  /** RBF length scale, m. */
  lengthScaleM: number;
  /** Signal variance σ_f², m². */
  signalVarM2: number;
  /** Observation noise variance σ², m². */
  noiseVarM2: number;
}

export interface SparseGpOptions {
  /** Area the inducing lattice covers, local metres. */
  bounds: GridBounds;
  /** Lattice rows (north) and columns (east): M = rows × cols. */
  rows: number;
  cols: number;
  hypers: GpHypers;
  /** Reject a sample whose innovation exceeds this many predictive sigmas (0: no test). */
  outlierGateSigma: number;
  /** Samples learned before the outlier test starts (the early posterior is the prior). */
  outlierWarmupSamples: number;
  /** Prior mean; NaN: the mean of the first accepted batch. */
  priorMean: number;
  /**
   * Growth: a sample outside the lattice extends it (same M, wider spacing) up to this span, m;
   * beyond it the sample is counted invalid. 0 or absent: the lattice stays where it was placed.
   */
  growMaxSpanM?: number;
}

export interface BatchResult {
  accepted: number;
  /** Failed the innovation test against the last refreshed posterior: held for a re-test. */
  suspects: number;
  invalid: number;
  /** True when the batch broke the factor and was undone. */
  failed: boolean;
}

export interface GpCounters {
  samples: number;
  /** Times the lattice grew to take in a sample outside it. */
  regrids: number;
  /** Samples beyond the greatest extent the lattice may grow to (also counted invalid). */
  beyondReach: number;
  outliers: number;
  invalid: number;
  failedUpdates: number;
}

export class StreamingSparseGp {
  grid: InducingGrid;
  hypers: GpHypers;
  readonly m: number;
  priorMean: number;
  readonly counters: GpCounters = { samples: 0, regrids: 0, beyondReach: 0, outliers: 0, invalid: 0, failedUpdates: 0 };
  /** Sufficient statistics, and their copy at the last good refresh. */
  private readonly stats: CollapsedStats;
  private readonly good: CollapsedStats;
  /** Batches learned since the last refresh (lost if the refresh fails). */
  private pendingBatches = 0;
  /** The unit-variance K₁ = K_n ⊗ K_e (full, with the axis jitter). */
  private k1: Float64Array;
  /** Upper factor of B (B = RᵀR) at the last refresh, and the buffer the next one is built in. */
  private r: Float64Array;
  private rNext: Float64Array;
  /** Statistics changed since the last refresh. */
  private dirty = true;
  /** b and B⁻¹ b at the last refresh, and the prior mean they were computed with. */
  private readonly b: Float64Array;
  private readonly alpha: Float64Array;
  private alphaMean = NaN;
  /** The hyperparameters of the last refreshed posterior. */
  private refHypers: GpHypers;
  /** Samples behind the last refreshed posterior (the outlier test waits for enough). */
  private refreshedSamples = 0;
  /** B⁻¹ for grid predictions, valid when !invDirty. */
  private inv: Float64Array;
  private invDirty = true;
  /** B⁻¹ regrouped for grid predictions (see refreshPairs), valid when !pairsDirty. */
  private readonly pairs: Float64Array;
  private pairsDirty = true;
  private readonly work: Float64Array;
  private readonly kn: Float64Array;
  private readonly ke: Float64Array;
  private readonly k: Float64Array;
  private readonly c: Float64Array;
  private readonly v: Float64Array;
  private readonly accepted: Uint8Array;
  /** Support of the last basis() call: lattice rows [n0, n1) and columns [e0, e1). */
  private n0 = 0;
  private n1 = 0;
  private e0 = 0;
  private e1 = 0;
  /** Axis distance beyond which the unit kernel is below SUPPORT_EPS, m. */
  private readonly reachM: number;
  /** Suspects awaiting their re-test against the next refreshed posterior. */
  private readonly held = new Quarantine();
  /** The innovation of the last sample isOutlier() judged an outlier. */
  private lastInnovation = 0;
  /** Called with the suspects a refresh cleared and learned (other models may want them too). */
  onRelease?: (northM: Float64Array, eastM: Float64Array, value: Float64Array, count: number) => void;

  constructor(readonly options: SparseGpOptions) {
    const { rows, cols } = options;
    this.m = rows * cols;
    this.hypers = { ...options.hypers };
    this.refHypers = this.hypers;
    this.priorMean = options.priorMean;
    this.grid = new InducingGrid(options.bounds, rows, cols, this.hypers.lengthScaleM);
    this.reachM = this.hypers.lengthScaleM * Math.sqrt(2 * Math.log(1 / SUPPORT_EPS));
    const mm = this.m * this.m;
    this.stats = new CollapsedStats(this.m);
    this.good = new CollapsedStats(this.m);
    this.k1 = new Float64Array(mm);
    this.grid.fullK1(this.k1);
    this.r = new Float64Array(mm);
    this.rNext = new Float64Array(mm);
    this.inv = new Float64Array(mm);
    this.work = new Float64Array(mm);
    this.b = new Float64Array(this.m);
    this.alpha = new Float64Array(this.m);
    this.kn = new Float64Array(rows);
    this.ke = new Float64Array(cols);
    this.k = new Float64Array(this.m);
    this.c = new Float64Array(this.m);
    this.v = new Float64Array(this.m);
    this.accepted = new Uint8Array(1024);
    this.pairs = new Float64Array(((rows * (rows + 1)) / 2) * ((cols * (cols + 1)) / 2));
    this.resetPosterior();
  }

  /** Forgets every sample: B = K_uu. */
  resetPosterior(): void {
    this.stats.clear();
    this.good.clear();
    this.pendingBatches = 0;
    this.dirty = true;
    if (!this.refresh()) throw new Error('sparse GP: K_uu is not positive definite');
  }

  /**
   * New signal and noise variances (the length scale is the lattice's): exact, the statistics
   * do not depend on them; the next refresh refactorises.
   */
  setVariances(signalVarM2: number, noiseVarM2: number): void {
    if (!(signalVarM2 > 0) || !(noiseVarM2 > 0) || !Number.isFinite(signalVarM2 / noiseVarM2)) {
      throw new Error(`sparse GP: variances must be positive and finite (signal ${signalVarM2}, noise ${noiseVarM2})`);
    }
    this.hypers = { ...this.hypers, signalVarM2, noiseVarM2 };
    this.dirty = true;
  }

  /** Moves the constant prior mean to the average of the learned samples (exact; refactorises nothing). */
  recentre(): void {
    if (this.stats.n === 0) return;
    const target = this.stats.sumY / this.stats.n;
    if (target === this.priorMean || !Number.isFinite(target)) return;
    this.priorMean = target;
    this.dirty = true;
  }

  /** Unit-variance k(x, u) into `out` and the two axis vectors into kn/ke; records the support. */
  basis(northM: number, eastM: number, out: Float64Array): void {
    this.grid.axisValues(this.grid.northM, northM, this.kn);
    this.grid.axisValues(this.grid.eastM, eastM, this.ke);
    this.grid.kron(this.kn, this.ke, out);
    [this.n0, this.n1] = span(this.grid.northM, northM, this.reachM);
    [this.e0, this.e1] = span(this.grid.eastM, eastM, this.reachM);
  }

  /**
   * Learns one batch (north, east, value arrays of the same length ≤ 1024). `accepted[i]` tells
   * afterwards which samples were used; see acceptedMask(). `outlierTest` false skips the
   * innovation test (samples another model has already tested).
   */
  learn(northM: ArrayLike<number>, eastM: ArrayLike<number>, value: ArrayLike<number>, count: number, outlierTest = true): BatchResult {
    const res: BatchResult = { accepted: 0, suspects: 0, invalid: 0, failed: false };
    const n = Math.min(count, this.accepted.length);
    const valid = (i: number) => Number.isFinite(northM[i]) && Number.isFinite(eastM[i]) && Math.abs(value[i]) <= MAX_ABS_VALUE;
    if (Number.isNaN(this.priorMean)) {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) if (valid(i)) (s += value[i]), c++;
      if (c === 0) {
        this.counters.invalid += n;
        res.invalid = n;
        return res;
      }
      this.priorMean = s / c;
    }
    const test = outlierTest && this.options.outlierGateSigma > 0 && this.refreshedSamples > 0;
    const C = this.grid.cols;
    const { phi, phiY, sumK } = this.stats;
    const m = this.m;
    for (let i = 0; i < n; i++) {
      this.accepted[i] = 0;
      const y = value[i];
      if (!valid(i)) {
        res.invalid++;
        continue;
      }
      if (!this.inside(northM[i], eastM[i]) && !this.growTo(northM[i], eastM[i])) {
        res.invalid++;
        this.counters.beyondReach++;
        continue;
      }
      // A growth above refreshes the posterior: whether to test is decided per sample.
      const testing = test && this.refreshedSamples >= this.options.outlierWarmupSamples;
      if (testing && this.isOutlier(northM[i], eastM[i], y)) {
        res.suspects++;
        if (!this.held.hold(northM[i], eastM[i], y)) this.counters.outliers++;
        continue;
      }
      this.accepted[i] = 1;
      res.accepted++;
      // isOutlier() computed the basis when it ran; otherwise compute it here.
      if (!testing) this.basis(northM[i], eastM[i], this.k);
      // Φ += k kᵀ over the support only (upper triangle): rows [n0, n1) × columns [e0, e1).
      const { n0, n1, e0, e1 } = this;
      const k = this.k;
      for (let a = n0; a < n1; a++)
        for (let c = e0; c < e1; c++) {
          const p = a * C + c;
          const kp = k[p];
          phiY[p] += kp * y;
          sumK[p] += kp;
          const row = p * m;
          // Columns q ≥ p within the support: the rest of row a, then the rows below.
          for (let c2 = c; c2 < e1; c2++) phi[row + a * C + c2] += kp * k[a * C + c2];
          for (let a2 = a + 1; a2 < n1; a2++) {
            const base = a2 * C;
            for (let c2 = e0; c2 < e1; c2++) phi[row + base + c2] += kp * k[base + c2];
          }
        }
      this.stats.countValue(y);
    }
    this.counters.samples += res.accepted;
    this.counters.invalid += res.invalid;
    if (res.accepted > 0) {
      this.pendingBatches++;
      this.dirty = true;
    }
    return res;
  }

  /**
   * Factorises B from the statistics, if they changed: O(M³/3). Returns false when that failed;
   * the statistics then go back to those of the last good posterior (which stays), the batches
   * since are counted as failed updates and their samples taken off the count.
   */
  refresh(): boolean {
    if (!this.dirty) return this.retestHeld();
    const m = this.m;
    const { signalVarM2: s2, noiseVarM2: sn2 } = this.hypers;
    const w = this.work;
    const ratio = (s2 * s2) / sn2;
    for (let i = 0; i < m; i++) {
      const row = i * m;
      for (let j = i; j < m; j++) w[row + j] = s2 * this.k1[row + j] + ratio * this.stats.phi[row + j];
    }
    const jitter = choleskyJitter(w, m, this.rNext, this.inv);
    let ok = !Number.isNaN(jitter);
    const b = this.b;
    if (ok) {
      const m0 = Number.isNaN(this.priorMean) ? 0 : this.priorMean;
      for (let j = 0; j < m; j++) b[j] = s2 * (this.stats.phiY[j] - m0 * this.stats.sumK[j]);
      this.alpha.set(b);
      solveUpperT(this.rNext, m, this.alpha);
      solveUpper(this.rNext, m, this.alpha);
      for (let j = 0; j < m && ok; j++) if (!Number.isFinite(this.alpha[j])) ok = false;
    }
    this.invDirty = true;
    if (!ok) {
      this.counters.failedUpdates += this.pendingBatches;
      this.counters.samples -= this.stats.n - this.good.n;
      this.stats.copyFrom(this.good);
      this.pendingBatches = 0;
      // The last good posterior, whose factor is still in r: its hyperparameters, mean and α.
      this.hypers = { ...this.refHypers };
      this.priorMean = this.alphaMean;
      const rs2 = this.refHypers.signalVarM2;
      const m0 = Number.isNaN(this.alphaMean) ? 0 : this.alphaMean;
      for (let j = 0; j < m; j++) b[j] = rs2 * (this.stats.phiY[j] - m0 * this.stats.sumK[j]);
      this.alpha.set(b);
      solveUpperT(this.r, m, this.alpha);
      solveUpper(this.r, m, this.alpha);
      if (Number.isNaN(this.alphaMean)) this.alpha.fill(0);
      this.dirty = false;
      return false;
    }
    [this.r, this.rNext] = [this.rNext, this.r];
    if (Number.isNaN(this.priorMean)) this.alpha.fill(0);
    this.alphaMean = this.priorMean;
    this.refHypers = { ...this.hypers };
    this.refreshedSamples = this.stats.n;
    this.good.copyFrom(this.stats);
    this.pendingBatches = 0;
    this.dirty = false;
    return this.retestHeld();
  }

  /**
   * Suspects against the posterior just refreshed, which now holds the samples that came with
   * them (quarantine.ts; corroboration within a third of the length scale and three noise
   * sigmas). What passes is learned, and the posterior refreshed once more.
   */
  private retestHeld(): boolean {
    if (this.held.count === 0) return true;
    const innovation = (n: number, e: number, z: number) => (this.isOutlier(n, e, z) ? this.lastInnovation : NaN);
    const { cleared, outliers } = this.held.retest(innovation, this.hypers.lengthScaleM / 3, 3 * Math.sqrt(this.options.hypers.noiseVarM2));
    this.counters.outliers += outliers;
    if (cleared === 0) return true;
    const rel = this.held.released;
    this.learn(rel.n, rel.e, rel.z, cleared, false);
    this.onRelease?.(rel.n, rel.e, rel.z, cleared);
    return this.refresh();
  }

  /** Suspects awaiting their re-test. */
  get heldCount(): number {
    return this.held.count;
  }

  /**
   * The collapsed variational bound (Titsias 2009, eq. 9) of all the data learned, per sample,
   * at length scale ℓ (this lattice's), signal-to-noise ratio σ_f²/σ² = `ratio`, prior mean the
   * samples' mean, and the noise variance that maximises it for that ratio (closed form):
   *   F = −½ [N log 2πσ² + log|K₁ + ρΦ| − log|K₁| + (yᵀy − ρ φᵀ(K₁ + ρΦ)⁻¹φ) / σ² + ρ(N − tr K₁⁻¹Φ)]
   * with y and φ centred, ρ = ratio (the last term is tr(K_nn − Q_nn)/σ²); σ²* = (yᵀy − ρ φᵀ(…)⁻¹φ) / N.
   * With `objective` 'dtc', the same without the trace term: the DTC (projected process) marginal
   * likelihood log N(y; m₀, Q_nn + σ²I) (Seeger, Williams & Lawrence, AISTATS 2003), whose σ²* is
   * the same (the trace term does not depend on σ² at a fixed ratio).
   * Uses `scratch` (two M × M arrays) and leaves the posterior alone. NaN when it fails.
   */
  profiledBound(ratio: number, scratch: { a: Float64Array; r: Float64Array; v: Float64Array }, objective: MapObjective = 'collapsed'): { bound: number; noiseVarM2: number } {
    const { n: N, phi, phiY, sumK, sumY2 } = this.stats;
    const m = this.m;
    if (N < 2 || !(ratio > 0)) return { bound: NaN, noiseVarM2: NaN };
    const mean = this.stats.sumY / N;
    const { a, r, v } = scratch;
    for (let i = 0; i < m; i++) {
      const row = i * m;
      for (let j = i; j < m; j++) a[row + j] = this.k1[row + j] + ratio * phi[row + j];
    }
    if (!choleskyUpper(a, m, r)) return { bound: NaN, noiseVarM2: NaN };
    for (let j = 0; j < m; j++) v[j] = phiY[j] - mean * sumK[j];
    solveUpperT(r, m, v);
    let quad = 0;
    for (let j = 0; j < m; j++) quad += v[j] * v[j];
    const yy = sumY2 - N * mean * mean;
    const trace = objective === 'dtc' ? 0 : N - this.traceK1InvPhi();
    const noise = (yy - ratio * quad) / N;
    if (!(noise > 0)) return { bound: NaN, noiseVarM2: NaN };
    const bound = -0.5 * (N * Math.log(2 * Math.PI * noise) + logDetFromUpper(r, m) - this.grid.logDetK1 + N + ratio * trace);
    return { bound: bound / N, noiseVarM2: noise };
  }

  /** tr(K₁⁻¹ Φ) through K₁⁻¹ = K_n⁻¹ ⊗ K_e⁻¹: O(M²), no M × M inverse. */
  private traceK1InvPhi(): number {
    const { rows: R, cols: C } = this.grid;
    const m = this.m;
    const { north, east } = this.grid.axisInverses();
    let s = 0;
    for (let a = 0; a < R; a++)
      for (let c = 0; c < C; c++) {
        const p = a * C + c;
        for (let a2 = a; a2 < R; a2++) {
          const kn = north[a * R + a2];
          for (let c2 = a2 === a ? c : 0; c2 < C; c2++) {
            const q = a2 * C + c2;
            const w = kn * east[c * C + c2] * this.stats.phi[p * m + q];
            s += p === q ? w : 2 * w;
          }
        }
      }
    return s;
  }

  /** Samples behind the statistics (learned and not rolled back). */
  get sampleCount(): number {
    return this.stats.n;
  }

  private inside(northM: number, eastM: number): boolean {
    const b = this.grid.bounds;
    const maxSpan = this.options.growMaxSpanM ?? 0;
    if (!(maxSpan > 0)) return true;
    return northM >= b.minNorthM && northM <= b.maxNorthM && eastM >= b.minEastM && eastM <= b.maxEastM;
  }

  /**
   * Extends the lattice to take in (north, east) with a margin of a tenth of the new span: the
   * same M nodes, spread wider. The statistics move to the new basis by its Nyström projection
   * from the old one (k_new ≈ W k_old, so Φ → W Φ Wᵀ, φ → W φ, Σk → W Σk; W = W_n ⊗ W_e,
   * O(M² (rows + cols))): accurate because the data lie where the old nodes were. Then the
   * posterior is refreshed. False (nothing changes) when the new span would exceed growMaxSpanM.
   */
  private growTo(northM: number, eastM: number): boolean {
    const b = this.grid.bounds;
    const nb = { minNorthM: Math.min(b.minNorthM, northM), maxNorthM: Math.max(b.maxNorthM, northM), minEastM: Math.min(b.minEastM, eastM), maxEastM: Math.max(b.maxEastM, eastM) };
    const margin = 0.1 * Math.max(nb.maxNorthM - nb.minNorthM, nb.maxEastM - nb.minEastM);
    if (northM < b.minNorthM) nb.minNorthM -= margin;
    if (northM > b.maxNorthM) nb.maxNorthM += margin;
    if (eastM < b.minEastM) nb.minEastM -= margin;
    if (eastM > b.maxEastM) nb.maxEastM += margin;
    if (Math.max(nb.maxNorthM - nb.minNorthM, nb.maxEastM - nb.minEastM) > (this.options.growMaxSpanM ?? 0)) return false;
    const grid = new InducingGrid(nb, this.grid.rows, this.grid.cols, this.hypers.lengthScaleM);
    const w = grid.projectionFrom(this.grid);
    for (const st of [this.stats, this.good]) {
      this.projectMatrix(st.phi, w);
      this.projectVector(st.phiY, w);
      this.projectVector(st.sumK, w);
    }
    this.grid = grid;
    this.grid.fullK1(this.k1);
    this.counters.regrids++;
    this.dirty = true;
    this.refresh();
    return true;
  }

  /** x ← (W_n ⊗ W_e) x for a vector over the lattice. */
  private projectVector(x: Float64Array, w: { north: Float64Array; east: Float64Array }): void {
    const { rows: R, cols: C } = this.grid;
    const t = this.c;
    for (let a = 0; a < R; a++)
      for (let c2 = 0; c2 < C; c2++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += w.east[c2 * C + c] * x[a * C + c];
        t[a * C + c2] = s;
      }
    for (let a2 = 0; a2 < R; a2++)
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let a = 0; a < R; a++) s += w.north[a2 * R + a] * t[a * C + c];
        x[a2 * C + c] = s;
      }
  }

  /** Φ ← W Φ Wᵀ for the symmetric Φ kept as its upper triangle (written back full). */
  private projectMatrix(phi: Float64Array, w: { north: Float64Array; east: Float64Array }): void {
    const m = this.m;
    const a = this.work;
    for (let i = 0; i < m; i++) for (let j = i; j < m; j++) a[i * m + j] = a[j * m + i] = phi[i * m + j];
    // W Φ column by column, then W (W Φ)ᵀ = W Φ Wᵀ (Φ symmetric).
    const col = this.v;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < m; i++) col[i] = a[i * m + j];
        this.projectVector(col, w);
        for (let i = 0; i < m; i++) phi[j * m + i] = col[i];
      }
      if (pass === 0) a.set(phi);
    }
  }

  /** Which samples of the last batch were learned (1) or not (0). */
  acceptedMask(): Uint8Array {
    return this.accepted;
  }

  /** Posterior mean and latent variance at one point. */
  predictPoint(northM: number, eastM: number): { meanM: number; varM2: number } {
    this.refresh();
    this.basis(northM, eastM, this.k);
    return this.predictFromBasis();
  }

  /** Mean and latent variance at arbitrary points into the output arrays. */
  predict(northM: ArrayLike<number>, eastM: ArrayLike<number>, meanOut: Float64Array, varOut: Float64Array): void {
    this.refresh();
    for (let i = 0; i < meanOut.length; i++) {
      this.basis(northM[i], eastM[i], this.k);
      const p = this.predictFromBasis();
      meanOut[i] = p.meanM;
      varOut[i] = p.varM2;
    }
  }

  /**
   * Mean and latent variance on the lattice northAxis × eastAxis (row-major, row = north index),
   * with the Kronecker contraction: O(M³/3 + Qn·M²/4 + Qn·Qe·cols²/2) instead of O(Qn·Qe·M²).
   */
  predictGrid(northAxisM: Float64Array, eastAxisM: Float64Array, meanOut: Float64Array, varOut: Float64Array): void {
    this.refresh();
    const { rows: R, cols: C } = this.grid;
    const { signalVarM2: s2, noiseVarM2: sn2 } = this.hypers;
    const qe = eastAxisM.length;
    // East-axis vectors and their K_e⁻¹ quadratic forms, once per column.
    const keAll = new Float64Array(qe * C);
    const qeAll = new Float64Array(qe);
    for (let j = 0; j < qe; j++) {
      const ke = keAll.subarray(j * C, (j + 1) * C);
      this.grid.axisValues(this.grid.eastM, eastAxisM[j], ke);
      qeAll[j] = this.grid.quadEast(ke);
    }
    const sym = this.refreshPairs();
    const L = (C * (C + 1)) / 2;
    const vi = new Float64Array(L);
    const p = new Float64Array(C);
    const alpha = this.alpha;
    const meanScale = s2 / sn2;
    for (let i = 0; i < northAxisM.length; i++) {
      const kn = this.kn;
      this.grid.axisValues(this.grid.northM, northAxisM[i], kn);
      const qn = this.grid.quadNorth(kn);
      // p[c] = Σ_a kn[a] α[a, c]
      p.fill(0);
      for (let a = 0; a < R; a++) {
        const w = kn[a];
        for (let c = 0; c < C; c++) p[c] += w * alpha[a * C + c];
      }
      // vi = (kn ⊗ I)ᵀ B⁻¹ (kn ⊗ I), packed upper triangle, off-diagonal entries doubled.
      vi.fill(0);
      let pair = 0;
      for (let a = 0; a < R; a++) {
        for (let a2 = a; a2 < R; a2++, pair++) {
          const w = kn[a] * kn[a2];
          if (w < 1e-300) continue;
          const src = pair * L;
          for (let u = 0; u < L; u++) vi[u] += w * sym[src + u];
        }
      }
      for (let j = 0; j < qe; j++) {
        const ko = j * C;
        let mean = 0;
        let quad = 0;
        let u = 0;
        for (let c = 0; c < C; c++) {
          const kc = keAll[ko + c];
          mean += p[c] * kc;
          let row = 0;
          for (let c2 = c; c2 < C; c2++, u++) row += vi[u] * keAll[ko + c2];
          quad += kc * row;
        }
        const o = i * qe + j;
        meanOut[o] = this.priorMean + meanScale * mean;
        varOut[o] = clampVar(s2 - s2 * qn * qeAll[j] + s2 * s2 * quad, s2);
      }
    }
  }

  /**
   * B⁻¹ regrouped by pairs of lattice rows (a ≤ a'): the C × C block (a, a') plus its transpose
   * for a < a' (the block itself on the diagonal), packed upper triangle with off-diagonal
   * entries doubled. The grid's quadratic form (kn ⊗ ke)ᵀ B⁻¹ (kn ⊗ ke) then needs only
   * R(R+1)/2 · C(C+1)/2 products per grid row instead of R² C², and C(C+1)/2 per cell.
   */
  private refreshPairs(): Float64Array {
    this.refreshInverse();
    if (!this.pairsDirty) return this.pairs;
    const { rows: R, cols: C } = this.grid;
    const M = this.m;
    const L = (C * (C + 1)) / 2;
    const inv = this.inv;
    let pair = 0;
    for (let a = 0; a < R; a++) {
      for (let a2 = a; a2 < R; a2++, pair++) {
        let u = pair * L;
        for (let c = 0; c < C; c++) {
          const rowA = (a * C + c) * M + a2 * C;
          for (let c2 = c; c2 < C; c2++, u++) {
            // Block (a, a') at [c, c'] and its transpose's, i.e. block (a, a') at [c', c].
            let v = inv[rowA + c2];
            if (a !== a2) v += inv[(a * C + c2) * M + a2 * C + c];
            this.pairs[u] = c === c2 ? v : 2 * v;
          }
        }
      }
    }
    this.pairsDirty = false;
    return this.pairs;
  }

  /** Approximate heap held by the posterior, bytes (independent of the number of samples). */
  stateBytes(): number {
    return 8 * (7 * this.m * this.m + this.pairs.length + 9 * this.m);
  }

  /**
   * Innovation test. The latent variance is s²(1 − qk) + ‖R⁻ᵀk‖² ≥ s²(1 − qk), so a sample within
   * the gate for that lower bound passes without the O(M²) solve; only suspects pay for it.
   */
  private isOutlier(northM: number, eastM: number, y: number): boolean {
    const { signalVarM2: s2 } = this.refHypers;
    // The gate never tightens below the configured noise: learned from gated data, the noise
    // estimate would otherwise shrink with every rejection and reject ever more.
    const sn2 = Math.max(this.refHypers.noiseVarM2, this.options.hypers.noiseVarM2);
    this.basis(northM, eastM, this.k);
    let mean = 0;
    for (let j = 0; j < this.m; j++) mean += this.k[j] * this.alpha[j];
    const innovation = y - (this.alphaMean + (s2 * mean) / this.refHypers.noiseVarM2);
    const gate2 = this.options.outlierGateSigma * this.options.outlierGateSigma;
    const qk = this.grid.quadNorth(this.kn) * this.grid.quadEast(this.ke);
    const lower = Math.max(0, s2 - s2 * qk);
    if (innovation * innovation <= gate2 * (lower + sn2)) return false;
    const { varM2 } = this.predictFromBasis();
    // Where the data have not yet reduced the prior variance much, the posterior is no basis
    // for calling a sample wrong: a new basin is not an outlier.
    if (varM2 > UNINFORMED_VAR_FRACTION * s2) return false;
    this.lastInnovation = innovation;
    return innovation * innovation > gate2 * (varM2 + sn2);
  }

  private predictFromBasis(): { meanM: number; varM2: number } {
    const { signalVarM2: s2, noiseVarM2: sn2 } = this.refHypers;
    let mean = 0;
    for (let j = 0; j < this.m; j++) {
      mean += this.k[j] * this.alpha[j];
      this.c[j] = s2 * this.k[j];
    }
    solveUpperT(this.r, this.m, this.c);
    let quad = 0;
    for (let j = 0; j < this.m; j++) quad += this.c[j] * this.c[j];
    const qk = this.grid.quadNorth(this.kn) * this.grid.quadEast(this.ke);
    return { meanM: this.alphaMean + (s2 * mean) / sn2, varM2: clampVar(s2 - s2 * qk + quad, s2) };
  }

  private refreshInverse(): void {
    if (!this.invDirty) return;
    inverseFromUpper(this.r, this.m, this.inv, this.work);
    this.invDirty = false;
    this.pairsDirty = true;
  }
}


/** The RBF is cut where it falls below this fraction of its peak (a sample's support on the lattice). */
const SUPPORT_EPS = 1e-6;

/** A value beyond this magnitude is not a depth or a field reading: counted invalid. */
const MAX_ABS_VALUE = 1e6;

/** Nodes [i0, i1) of a sorted axis within `reach` of x. */
function span(nodes: Float64Array, x: number, reach: number): [number, number] {
  let i0 = 0;
  while (i0 < nodes.length && nodes[i0] < x - reach) i0++;
  let i1 = i0;
  while (i1 < nodes.length && nodes[i1] <= x + reach) i1++;
  return [i0, i1];
}

/** Posterior variance above this fraction of the prior counts as uninformed (no outlier test). */
const UNINFORMED_VAR_FRACTION = 0.25;

/**
 * Rounding can push a small variance below zero or a large one above the prior: clamp. A NaN
 * (a numerical failure) is reported as the prior, i.e. as knowing nothing, never as certainty.
 */
export function clampVar(v: number, prior: number): number {
  if (Number.isNaN(v)) return prior;
  if (!(v > 1e-12 * prior)) return 1e-12 * prior;
  return v > prior ? prior : v;
}
