// Streaming sparse GP over (north, east): a fixed budget of M inducing points on a lattice whose
// posterior summarises every sample seen, updated with each batch in O(b M²) and O(M²) memory,
// whatever the number of samples.
//
// With inducing inputs and hyperparameters fixed, the streaming variational update of Bui,
// Nguyen & Turner ("Streaming Sparse Gaussian Process Approximations", NeurIPS 2017, eq. 5 and
// §3.1) reduces to adding each batch's sufficient statistics to the collapsed (Titsias 2009,
// "Variational Learning of Inducing Variables in Sparse Gaussian Processes", AISTATS) posterior:
//   B = K_uu + Σ k_n k_nᵀ / σ²,   b = Σ k_n (y_n − m₀),
//   mean(x) = m₀ + k_xᵀ B⁻¹ b / σ²,  var(x) = k_xx − k_xᵀ K_uu⁻¹ k_x + k_xᵀ B⁻¹ k_x.
// B is kept as its Cholesky factor, updated once per batch by a blocked rank-b update (O(b M²),
// one sweep over the factor). A batch either
// applies whole or not at all: a non-finite factor restores the previous posterior and is
// counted. Outliers are rejected by an innovation test against the posterior before the batch.
import { InducingGrid, type GridBounds } from './grid-basis.ts';
import { cholUpdateBlock, choleskyJitter, inverseFromUpper, solveUpper, solveUpperT } from './linalg.ts';

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
}

export interface BatchResult {
  accepted: number;
  outliers: number;
  invalid: number;
  /** True when the batch broke the factor and was undone. */
  failed: boolean;
}

export interface GpCounters {
  samples: number;
  outliers: number;
  invalid: number;
  failedUpdates: number;
}

export class StreamingSparseGp {
  grid: InducingGrid;
  hypers: GpHypers;
  readonly m: number;
  priorMean: number;
  readonly counters: GpCounters = { samples: 0, outliers: 0, invalid: 0, failedUpdates: 0 };
  /** Upper factor of B (B = RᵀR). */
  private r: Float64Array;
  private rBackup: Float64Array;
  private b: Float64Array;
  private bBackup: Float64Array;
  /** B⁻¹ b, valid when !alphaDirty. */
  private alpha: Float64Array;
  private alphaDirty = true;
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
  private readonly v: Float64Array;
  private readonly c: Float64Array;
  private readonly accepted: Uint8Array;
  /** Basis vectors of up to BLOCK samples, interleaved (x_q[j] at j·BLOCK + q). */
  private readonly xs: Float64Array;
  private readonly cs = new Float64Array(BLOCK);
  private readonly ss = new Float64Array(BLOCK);
  private readonly ics = new Float64Array(BLOCK);
  private blockFailed = false;
  /** Rows [backupFrom, M) of the factor are saved in rBackup for the batch in progress. */
  private backupFrom = 0;
  /** Σ k₁(x_n, u) over learned samples, to re-centre b when the prior mean moves. */
  private readonly sumK: Float64Array;
  private readonly kBackup: Float64Array;
  private sumY = 0;

  constructor(readonly options: SparseGpOptions) {
    const { rows, cols } = options;
    this.m = rows * cols;
    this.hypers = { ...options.hypers };
    this.priorMean = options.priorMean;
    this.grid = new InducingGrid(options.bounds, rows, cols, this.hypers.lengthScaleM);
    const mm = this.m * this.m;
    this.r = new Float64Array(mm);
    this.rBackup = new Float64Array(mm);
    this.inv = new Float64Array(mm);
    this.work = new Float64Array(mm);
    this.b = new Float64Array(this.m);
    this.bBackup = new Float64Array(this.m);
    this.alpha = new Float64Array(this.m);
    this.kn = new Float64Array(rows);
    this.ke = new Float64Array(cols);
    this.k = new Float64Array(this.m);
    this.v = new Float64Array(this.m);
    this.c = new Float64Array(this.m);
    this.accepted = new Uint8Array(1024);
    this.xs = new Float64Array(this.m * BLOCK);
    this.pairs = new Float64Array(((rows * (rows + 1)) / 2) * ((cols * (cols + 1)) / 2));
    this.sumK = new Float64Array(this.m);
    this.kBackup = new Float64Array(this.m);
    this.resetPosterior();
  }

  /** Forgets every sample: B = K_uu. */
  resetPosterior(): void {
    this.grid.fullK1(this.work);
    const s2 = this.hypers.signalVarM2;
    for (let i = 0; i < this.work.length; i++) this.work[i] *= s2;
    const jitter = choleskyJitter(this.work, this.m, this.r, this.inv);
    if (Number.isNaN(jitter)) throw new Error('sparse GP: K_uu is not positive definite');
    this.b.fill(0);
    this.sumK.fill(0);
    this.sumY = 0;
    this.alphaDirty = true;
    this.invDirty = true;
  }

  /**
   * Moves the constant prior mean to the average of the learned samples. Exact: b = s² Σ k₁(y − m₀)
   * shifts by −s² Δm Σ k₁, which is kept. O(M); called before predictions when following the mean.
   */
  recentre(): void {
    const n = this.counters.samples;
    if (n === 0) return;
    const target = this.sumY / n;
    const dm = target - this.priorMean;
    if (dm === 0 || !Number.isFinite(dm)) return;
    const s2 = this.hypers.signalVarM2;
    for (let j = 0; j < this.m; j++) this.b[j] -= s2 * dm * this.sumK[j];
    this.priorMean = target;
    this.alphaDirty = true;
  }

  /** Unit-variance k(x, u) into `out` and the two axis vectors into kn/ke. */
  basis(northM: number, eastM: number, out: Float64Array): void {
    this.grid.axisValues(this.grid.northM, northM, this.kn);
    this.grid.axisValues(this.grid.eastM, eastM, this.ke);
    this.grid.kron(this.kn, this.ke, out);
  }

  /**
   * Learns one batch (north, east, value arrays of the same length ≤ 1024). `accepted[i]` tells
   * afterwards which samples were used; see acceptedMask().
   */
  learn(northM: ArrayLike<number>, eastM: ArrayLike<number>, value: ArrayLike<number>, count: number): BatchResult {
    const res: BatchResult = { accepted: 0, outliers: 0, invalid: 0, failed: false };
    const n = Math.min(count, this.accepted.length);
    if (Number.isNaN(this.priorMean)) {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) if (Number.isFinite(value[i])) (s += value[i]), c++;
      if (c === 0) {
        this.counters.invalid += n;
        res.invalid = n;
        return res;
      }
      this.priorMean = s / c;
    }
    const { signalVarM2: s2, noiseVarM2: sn2 } = this.hypers;
    const test = this.options.outlierGateSigma > 0 && this.counters.samples >= this.options.outlierWarmupSamples;
    if (test) this.refreshAlpha();
    // Pass 1: validate and test every sample against the posterior before the batch.
    for (let i = 0; i < n; i++) {
      this.accepted[i] = 0;
      const y = value[i];
      if (!Number.isFinite(northM[i]) || !Number.isFinite(eastM[i]) || !Number.isFinite(y)) {
        res.invalid++;
        continue;
      }
      if (test && this.isOutlier(northM[i], eastM[i], y)) {
        res.outliers++;
        continue;
      }
      this.accepted[i] = 1;
    }
    // Pass 2: one rank-b update of B's factor for the whole batch; all or nothing.
    this.backupFrom = this.m;
    this.bBackup.set(this.b);
    this.kBackup.set(this.sumK);
    let sumY = 0;
    const scale = s2 / Math.sqrt(sn2);
    const m = this.m;
    let p = 0;
    // Rows above the first non-zero basis entry of every vector are left alone by the update,
    // so only the rows below it need a backup.
    let firstRow = m;
    for (let i = 0; i < n; i++) {
      if (!this.accepted[i]) continue;
      if (p === BLOCK) {
        this.flushBlock(p, firstRow);
        if (this.blockFailed) break;
        p = 0;
        firstRow = m;
      }
      this.basis(northM[i], eastM[i], this.k);
      const yc = value[i] - this.priorMean;
      for (let j = 0; j < m; j++) {
        const kj = this.k[j];
        this.sumK[j] += kj;
        this.b[j] += s2 * kj * yc;
        this.xs[j * BLOCK + p] = scale * kj;
        if (kj !== 0 && j < firstRow) firstRow = j;
      }
      p++;
      sumY += value[i];
      res.accepted++;
    }
    if (p > 0 && !this.blockFailed) this.flushBlock(p, firstRow);
    res.failed = this.blockFailed;
    this.blockFailed = false;
    for (let j = 0; j < m && !res.failed; j++) if (!Number.isFinite(this.b[j])) res.failed = true;
    if (res.failed) {
      this.restoreFactor();
      this.b.set(this.bBackup);
      this.sumK.set(this.kBackup);
      sumY = 0;
      this.counters.failedUpdates++;
      res.accepted = 0;
      this.accepted.fill(0, 0, n);
    }
    this.sumY += sumY;
    this.counters.samples += res.accepted;
    this.counters.outliers += res.outliers;
    this.counters.invalid += res.invalid;
    if (res.accepted > 0) {
      this.alphaDirty = true;
      this.invDirty = true;
    }
    return res;
  }

  /**
   * Applies the p interleaved vectors in `xs` as one rank-p update. Across the batch, the rows
   * below the first touched row are backed up once (the factor of the batch's start).
   */
  private flushBlock(p: number, firstRow: number): void {
    const m = this.m;
    if (this.backupFrom > firstRow) {
      this.rBackup.set(this.r.subarray(firstRow * m, this.backupFrom * m), firstRow * m);
      this.backupFrom = firstRow;
    }
    if (p < BLOCK) {
      // Compact the interleaving from stride BLOCK to stride p.
      for (let j = 0; j < m; j++) for (let q = 0; q < p; q++) this.xs[j * p + q] = this.xs[j * BLOCK + q];
    }
    if (!cholUpdateBlock(this.r, m, this.xs, p, this.cs, this.ss, this.ics)) this.blockFailed = true;
  }

  /** Puts back the rows of the factor saved since the batch began. */
  private restoreFactor(): void {
    const m = this.m;
    this.r.set(this.rBackup.subarray(this.backupFrom * m, m * m), this.backupFrom * m);
  }

  /** Which samples of the last batch were learned (1) or not (0). */
  acceptedMask(): Uint8Array {
    return this.accepted;
  }

  /** Posterior mean and latent variance at one point. */
  predictPoint(northM: number, eastM: number): { meanM: number; varM2: number } {
    this.refreshAlpha();
    this.basis(northM, eastM, this.k);
    return this.predictFromBasis();
  }

  /** Mean and latent variance at arbitrary points into the output arrays. */
  predict(northM: ArrayLike<number>, eastM: ArrayLike<number>, meanOut: Float64Array, varOut: Float64Array): void {
    this.refreshAlpha();
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
    this.refreshAlpha();
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
    return 8 * (4 * this.m * this.m + 5 * this.m);
  }

  /**
   * Innovation test. The latent variance is s²(1 − qk) + ‖R⁻ᵀk‖² ≥ s²(1 − qk), so a sample within
   * the gate for that lower bound passes without the O(M²) solve; only suspects pay for it.
   */
  private isOutlier(northM: number, eastM: number, y: number): boolean {
    const { signalVarM2: s2, noiseVarM2: sn2 } = this.hypers;
    this.basis(northM, eastM, this.k);
    let mean = 0;
    for (let j = 0; j < this.m; j++) mean += this.k[j] * this.alpha[j];
    const innovation = y - (this.priorMean + (s2 * mean) / sn2);
    const gate2 = this.options.outlierGateSigma * this.options.outlierGateSigma;
    const qk = this.grid.quadNorth(this.kn) * this.grid.quadEast(this.ke);
    const lower = Math.max(0, s2 - s2 * qk);
    if (innovation * innovation <= gate2 * (lower + sn2)) return false;
    const { varM2 } = this.predictFromBasis();
    // Where the data have not yet reduced the prior variance much, the posterior is no basis
    // for calling a sample wrong: a new basin is not an outlier.
    if (varM2 > UNINFORMED_VAR_FRACTION * s2) return false;
    return innovation * innovation > gate2 * (varM2 + sn2);
  }

  private predictFromBasis(): { meanM: number; varM2: number } {
    const { signalVarM2: s2, noiseVarM2: sn2 } = this.hypers;
    let mean = 0;
    for (let j = 0; j < this.m; j++) {
      mean += this.k[j] * this.alpha[j];
      this.c[j] = s2 * this.k[j];
    }
    solveUpperT(this.r, this.m, this.c);
    let quad = 0;
    for (let j = 0; j < this.m; j++) quad += this.c[j] * this.c[j];
    const qk = this.grid.quadNorth(this.kn) * this.grid.quadEast(this.ke);
    return { meanM: this.priorMean + (s2 * mean) / sn2, varM2: clampVar(s2 - s2 * qk + quad, s2) };
  }

  private refreshAlpha(): void {
    if (!this.alphaDirty) return;
    this.alpha.set(this.b);
    solveUpperT(this.r, this.m, this.alpha);
    solveUpper(this.r, this.m, this.alpha);
    if (Number.isNaN(this.priorMean)) this.alpha.fill(0);
    this.alphaDirty = false;
  }

  private refreshInverse(): void {
    if (!this.invDirty) return;
    inverseFromUpper(this.r, this.m, this.inv, this.work);
    this.invDirty = false;
    this.pairsDirty = true;
  }
}

/**
 * Samples per rank-b factor update: enough to amortise the sweep over R, few enough that the
 * b rotations of a row stay in registers and L1.
 */
const BLOCK = 16;

/** Posterior variance above this fraction of the prior counts as uninformed (no outlier test). */
const UNINFORMED_VAR_FRACTION = 0.25;

/** Rounding can push a small variance below zero or a large one above the prior: clamp. */
function clampVar(v: number, prior: number): number {
  if (!(v > 1e-12 * prior)) return 1e-12 * prior;
  return v > prior ? prior : v;
}
