// Streaming sparse GP with the non-stationary attentive kernel, whose weight field and signal
// variance are learned online from a summary of the data, never from stored samples.
//
// Kernel (kernels/index.ts, AttentiveKernel): k(x, x') = σ_f² Σ_p w_p(x) w_p(x') k_p(x, x'), RBF
// components of fixed length scales and a softmax weight field over a coarse feature lattice
// (kernels/attentive-fit.ts). Inducing inputs: a fixed lattice u over the survey area, M nodes.
//
// The data are kept in two parts (Bui, Nguyen & Turner, "Streaming Sparse Gaussian Process
// Approximations", NeurIPS 2017, §3, with the old and new inducing inputs the same):
//  - the samples since the kernel last changed (the segment), as the exact sufficient statistics
//    of the collapsed posterior under the current kernel (unit-variance form, as in sparse-gp.ts):
//      Φ = Σ k₁ₙ k₁ₙᵀ,  φ = Σ k₁ₙ yₙ,  ς = Σ k₁ₙ;
//  - everything before, as the Gaussian likelihood its samples put on the inducing values through
//    the projection of the kernel they were learned with, aₙ = K₁⁻¹k₁ₙ, in noise-free form:
//      Λ̄ = Σ aₙaₙᵀ,  η̄ = Σ aₙyₙ,  ξ̄ = Σ aₙ   (likelihood ∝ exp(−(uᵀΛ̄u − 2uᵀ(η̄ − m₀ξ̄))/2σ²)),
//    with Ψ̄ = K₁Λ̄K₁, K₁η̄ and K₁ξ̄ cached for the current kernel. Λ̄ does not depend on the
//    kernel: a new kernel only recomputes the caches. Keeping σ² out of it lets the noise change
//    at any time, as in sparse-gp.ts; the old samples' precision follows the current σ².
// With K = σ_f² K₁ and B = K (K⁻¹ + (Λ̄ + K₁⁻¹ΦK₁⁻¹)/σ²) K, the map is
//   B = σ_f² K₁ + (σ_f⁴/σ²)(Ψ̄ + Φ),   b = (σ_f²/σ²)(K₁η̄ − m₀K₁ξ̄ + φ − m₀ς),
//   mean(x) = m₀ + σ_f² k₁ₓᵀ B⁻¹ b,   var(x) = σ_f² − σ_f² k₁ₓᵀ K₁⁻¹ k₁ₓ + σ_f⁴ k₁ₓᵀ B⁻¹ k₁ₓ.
// When the kernel changes (a fit finished), the segment is first folded into the summary
// (Λ̄ += K₁⁻¹ΦK₁⁻¹, η̄ += K₁⁻¹φ, ξ̄ += K₁⁻¹ς, under the kernel it was learned with). Memory is
// O(M²) whatever the number of samples.
//
// Learning the kernel without the samples: with Λ = Λ̄/σ², η = (η̄ − m₀ξ̄)/σ², N, the centred
// yᵀy and t = Σₙ (1 − k₁ₙᵀK₁⁻¹k₁ₙ) (each sample under the kernel it was learned with, summed at
// the fold), the objective under a candidate kernel is
//   L = −N/2 log 2πσ² − yᵀy/2σ² + ½ cᵀG⁻¹c − ½ (log|G| − log|K|) − σ_f² t/2σ²,
//   c = Kη,  G = K + KΛK,
// which is the collapsed bound (Titsias 2009) of the samples under the kernel they were learned
// with: the DTC (projected process) likelihood of what they told the inducing values, less the
// trace term tr(K_nn − Q_nn)/2σ². Under another kernel, Q_nn would need k(xₙ, u) under it, which
// only the samples have: the trace stays that of the kernels they were learned with (it still
// sets σ_f² against σ²: without it a sparse model puts what its lattice cannot carry into a
// vanishing noise and an exploding posterior). Gradients: 2 ∂L/∂K = ααᵀ − (K + Λ⁻¹)⁻¹ with
// α = η − ΛKG⁻¹c and (K + Λ⁻¹)⁻¹ = Λ − ΛKG⁻¹KΛ, well defined where Λ is singular; ∂L/∂log σ²
// and ∂L/∂log σ_f² in closed form. Adam follows them over the weight field, log σ_f² and log σ²
// (attentiveGradient maps ∂L/∂K to the field). A fit runs whenever the samples have grown by a
// factor since the last one, in steps (fitStep), so that a node can spread it over its map
// publications.
//
// Numerics as in sparse-gp.ts: a factorisation that fails (not positive definite with jitter,
// or not finite) is rejected and counted; the segment goes back to the last good posterior, and
// a kernel whose posterior does not factorise is not taken. A fold follows a good refresh, so the
// summary only ever holds samples a posterior has accepted. Outliers: a sample whose innovation
// against the last refreshed posterior exceeds the gate (the noise never below its initial
// figure, so that a learned noise cannot tighten the gate on itself), where the posterior is
// informed (variance below a quarter of the prior), is held and tested again against the next
// posterior, as in sparse-gp.ts (quarantine.ts): a new drop-off is learned, a spike is counted
// and dropped. The lattice does not grow: samples outside it are counted beyond reach.
import type { GridBounds } from './grid-basis.ts';
import { clampVar, type GpCounters } from './sparse-gp.ts';
import { Quarantine } from './quarantine.ts';
import { CollapsedStats } from './collapsed-stats.ts';
import { AttentionField, attentiveGradient, attentiveGram } from './kernels/attentive-fit.ts';
import { choleskyJitter, choleskyUpper, inverseFromUpper, logDetFromUpper, solveUpper, solveUpperT } from './linalg.ts';

export interface StreamingAttentiveOptions {
  /** Area the inducing lattice and the weight field's features cover, local metres. */
  bounds: GridBounds;
  /** Inducing lattice rows (north) × columns (east): M = rows × cols. */
  rows: number;
  cols: number;
  /** Length scales of the kernel's RBF components, m. */
  lengthScalesM: readonly number[];
  /** Weight-field feature lattice side (F = side² bumps). */
  featureSide: number;
  /** Signal and noise variances before they are learned, m². */
  signalVarM2: number;
  noiseVarM2: number;
  /** The learned noise variance never goes below this, m². */
  minNoiseVarM2: number;
  /** Samples before the first fit. */
  minSamples: number;
  /** A new fit starts once the samples have grown by this factor since the last one began. */
  regrowthFactor: number;
  /** Adam steps of the first fit, and of each later (warm-started) one. */
  firstFitSteps: number;
  fitSteps: number;
  learningRate: number;
  /** Reject a sample whose innovation exceeds this many predictive sigmas (0: no test). */
  outlierGateSigma: number;
  /** Samples learned before the outlier test starts. */
  outlierWarmupSamples: number;
}

/** The summary a kernel fit works on (centred on the prior mean; see the header). */
export interface AttentiveSummary {
  lambda: Float64Array;
  eta: Float64Array;
  /** Centred Σ y². */
  yy: number;
  n: number;
  /** Σ (1 − k₁ₙᵀK₁⁻¹k₁ₙ), each sample under the kernel it was learned with. */
  trace: number;
}

export const DEFAULT_ATTENTIVE_STREAM = { featureSide: 3, regrowthFactor: 1.25, firstFitSteps: 150, fitSteps: 40, learningRate: 0.05 };

/** Largest lattice: the model holds about a dozen M × M arrays and a fit step costs about 10 M³. */
export const MAX_ATTENTIVE_INDUCING = 1024;

/** Relative jitter on K₁'s diagonal: keeps the factor of a lattice kernel well conditioned. */
const K1_JITTER = 1e-6;
/** Posterior variance above this fraction of the prior counts as uninformed (no outlier test). */
const UNINFORMED_VAR_FRACTION = 0.25;
const MAX_ABS_VALUE = 1e6;

export class StreamingAttentiveGp {
  readonly m: number;
  readonly p: number;
  readonly counters: GpCounters = { samples: 0, regrids: 0, beyondReach: 0, outliers: 0, invalid: 0, failedUpdates: 0 };
  signalVarM2: number;
  noiseVarM2: number;
  priorMean = NaN;
  /** Completed fits of the kernel. */
  fits = 0;
  /** The summary's bound (summaryLikelihood) at the best point of the last fit. */
  lastObjective = NaN;
  readonly field: AttentionField;
  private readonly un: Float64Array;
  private readonly ue: Float64Array;
  private readonly inv2l2: Float64Array;
  /** Weights at the inducing nodes (M × P) under the current field. */
  private readonly wu: Float64Array;
  private k1: Float64Array;
  private r1: Float64Array;
  // Segment statistics (upper triangle of Φ), their copy at the last good refresh.
  private readonly seg: CollapsedStats;
  private readonly good: CollapsedStats;
  // Everything before the segment (see the header): Λ̄ (full), η̄, ξ̄; the caches Ψ̄ = K₁Λ̄K₁,
  // K₁η̄, K₁ξ̄; count and sums of its samples.
  private readonly lam: Float64Array;
  private readonly eta: Float64Array;
  private readonly xi: Float64Array;
  private psi: Float64Array;
  private kEta: Float64Array;
  private kXi: Float64Array;
  private foldedN = 0;
  private foldedY = 0;
  private foldedY2 = 0;
  /** Σ (1 − k₁ₙᵀK₁⁻¹k₁ₙ) of the folded samples, each under the kernel it was learned with. */
  private foldedTrace = 0;
  // Posterior at the last refresh.
  private r: Float64Array;
  private rNext: Float64Array;
  private readonly alpha: Float64Array;
  private ref = { s2: 0, sn2: 0, m0: 0, samples: 0 };
  private dirty = true;
  /** s2 K₁⁻¹ − s2² B⁻¹ for grid predictions (valid when !cDirty). */
  private readonly cmat: Float64Array;
  private cDirty = true;
  private readonly work: Float64Array;
  private readonly work2: Float64Array;
  private readonly kx: Float64Array;
  private readonly wx: Float64Array;
  private readonly v: Float64Array;
  private readonly accepted: Uint8Array;
  private fitting?: Generator<void, void, void>;
  /** Suspects awaiting their re-test against the next refreshed posterior. */
  private readonly held = new Quarantine();
  private fittedAt = 0;

  constructor(readonly options: StreamingAttentiveOptions) {
    const { rows, cols, bounds } = options;
    if (!(rows >= 1 && cols >= 1)) throw new Error('attentive map: the lattice needs at least one row and column');
    if (options.lengthScalesM.length === 0) throw new Error('attentive map: no component length scales');
    if (rows * cols > MAX_ATTENTIVE_INDUCING) throw new Error(`attentive map: ${rows} × ${cols} inducing points exceed ${MAX_ATTENTIVE_INDUCING}`);
    this.m = rows * cols;
    this.p = options.lengthScalesM.length;
    this.signalVarM2 = options.signalVarM2;
    this.noiseVarM2 = Math.max(options.noiseVarM2, options.minNoiseVarM2);
    const m = this.m;
    this.un = new Float64Array(m);
    this.ue = new Float64Array(m);
    const sn = rows > 1 ? (bounds.maxNorthM - bounds.minNorthM) / (rows - 1) : 0;
    const se = cols > 1 ? (bounds.maxEastM - bounds.minEastM) / (cols - 1) : 0;
    for (let a = 0; a < rows; a++)
      for (let c = 0; c < cols; c++) {
        this.un[a * cols + c] = bounds.minNorthM + a * sn;
        this.ue[a * cols + c] = bounds.minEastM + c * se;
      }
    this.inv2l2 = Float64Array.from(options.lengthScalesM, (l) => 1 / (2 * l * l));
    const f = options.featureSide * options.featureSide;
    this.field = new AttentionField(bounds, options.featureSide, this.p, new Float64Array(this.p * f), new Float64Array(this.p));
    this.wu = new Float64Array(m * this.p);
    const mm = m * m;
    this.k1 = new Float64Array(mm);
    this.r1 = new Float64Array(mm);
    this.seg = new CollapsedStats(m);
    this.good = new CollapsedStats(m);
    this.lam = new Float64Array(mm);
    this.eta = new Float64Array(m);
    this.xi = new Float64Array(m);
    this.psi = new Float64Array(mm);
    this.kEta = new Float64Array(m);
    this.kXi = new Float64Array(m);
    this.r = new Float64Array(mm);
    this.rNext = new Float64Array(mm);
    this.alpha = new Float64Array(m);
    this.cmat = new Float64Array(mm);
    this.work = new Float64Array(mm);
    this.work2 = new Float64Array(mm);
    this.kx = new Float64Array(m);
    this.wx = new Float64Array(this.p);
    this.v = new Float64Array(m);
    this.accepted = new Uint8Array(1024);
    if (!this.buildKernel(this.field, this.wu, this.k1, this.r1)) throw new Error('attentive map: K_uu is not positive definite');
    if (!this.refresh()) throw new Error('attentive map: the prior posterior failed to factorise');
  }

  /** Samples learned (all segments). */
  get sampleCount(): number {
    return this.foldedN + this.seg.n;
  }

  /** Which samples of the last batch were learned (1) or not (0). */
  acceptedMask(): Uint8Array {
    return this.accepted;
  }

  /** Unit-variance k₁(x, u) for every inducing node into `out`. */
  basis(northM: number, eastM: number, out: Float64Array): void {
    const p = this.p;
    this.field.weights(northM, eastM, this.wx);
    for (let j = 0; j < this.m; j++) {
      const dn = northM - this.un[j];
      const de = eastM - this.ue[j];
      const d2 = dn * dn + de * de;
      let s = 0;
      for (let q = 0; q < p; q++) s += this.wx[q] * this.wu[j * p + q] * Math.exp(-d2 * this.inv2l2[q]);
      out[j] = s;
    }
  }

  /** Learns one batch (≤ 1024 samples); tests each against the last refreshed posterior first. */
  learn(northM: ArrayLike<number>, eastM: ArrayLike<number>, value: ArrayLike<number>, count: number, outlierTest = true): { accepted: number; invalid: number; suspects: number } {
    const res = { accepted: 0, invalid: 0, suspects: 0 };
    const n = Math.min(count, this.accepted.length);
    const b = this.options.bounds;
    const valid = (i: number) => Number.isFinite(northM[i]) && Number.isFinite(eastM[i]) && Math.abs(value[i]) <= MAX_ABS_VALUE;
    const inside = (i: number) => northM[i] >= b.minNorthM && northM[i] <= b.maxNorthM && eastM[i] >= b.minEastM && eastM[i] <= b.maxEastM;
    if (Number.isNaN(this.priorMean)) {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) if (valid(i) && inside(i)) (s += value[i]), c++;
      if (c > 0) this.priorMean = s / c;
    }
    const m = this.m;
    const k = this.kx;
    const testing = outlierTest && this.options.outlierGateSigma > 0 && this.ref.samples > 0 && this.ref.samples >= this.options.outlierWarmupSamples;
    for (let i = 0; i < n; i++) {
      this.accepted[i] = 0;
      if (!valid(i)) {
        res.invalid++;
        continue;
      }
      const xn = northM[i];
      const xe = eastM[i];
      if (!inside(i)) {
        res.invalid++;
        this.counters.beyondReach++;
        continue;
      }
      const y = value[i];
      this.basis(xn, xe, k);
      if (testing && !Number.isNaN(this.innovation(y))) {
        res.suspects++;
        if (!this.held.hold(xn, xe, y)) this.counters.outliers++;
        continue;
      }
      this.accepted[i] = 1;
      res.accepted++;
      const { phi, phiY, sumK } = this.seg;
      for (let a = 0; a < m; a++) {
        const ka = k[a];
        if (ka === 0) continue;
        phiY[a] += ka * y;
        sumK[a] += ka;
        const row = a * m;
        for (let c = a; c < m; c++) phi[row + c] += ka * k[c];
      }
      this.seg.countValue(y);
    }
    this.counters.samples += res.accepted;
    this.counters.invalid += res.invalid;
    if (res.accepted > 0) this.dirty = true;
    return res;
  }

  /**
   * The innovation test against the last refreshed posterior, for the sample whose basis is in
   * `kx`: its residual when it fails, NaN when it passes. The noise in the gate is never below its
   * initial figure (a learned noise must not tighten the gate on itself), and where the posterior
   * is uninformed nothing fails.
   */
  private innovation(y: number): number {
    const { s2, m0 } = this.ref;
    let mean = 0;
    for (let j = 0; j < this.m; j++) mean += this.kx[j] * this.alpha[j];
    const r = y - (m0 + s2 * mean);
    const sn2 = Math.max(this.ref.sn2, this.options.noiseVarM2);
    const gate2 = this.options.outlierGateSigma ** 2;
    // The variance is ≥ 0: a residual within the gate of the noise alone passes without the
    // variance's two O(M²) solves (most samples).
    if (r * r <= gate2 * sn2) return NaN;
    const varM2 = this.latentVar();
    return varM2 < UNINFORMED_VAR_FRACTION * s2 && r * r > gate2 * (varM2 + sn2) ? r : NaN;
  }

  /**
   * Suspects against the posterior just refreshed (quarantine.ts; corroboration within a third
   * of the shortest component's length scale and three initial noise sigmas); what passes is
   * learned and the posterior refreshed once more.
   */
  private retestHeld(): boolean {
    if (this.held.count === 0) return true;
    const test = (n: number, e: number, z: number) => {
      this.basis(n, e, this.kx);
      return this.innovation(z);
    };
    const { cleared, outliers } = this.held.retest(test, Math.min(...this.options.lengthScalesM) / 3, 3 * Math.sqrt(this.options.noiseVarM2));
    this.counters.outliers += outliers;
    if (cleared === 0) return true;
    const rel = this.held.released;
    this.learn(rel.n, rel.e, rel.z, cleared, false);
    return this.refresh();
  }

  /** Moves the constant prior mean to the average of the learned samples (exact). */
  recentre(): void {
    const total = this.sampleCount;
    if (total === 0) return;
    const target = (this.foldedY + this.seg.sumY) / total;
    if (target !== this.priorMean && Number.isFinite(target)) {
      this.priorMean = target;
      this.dirty = true;
    }
  }

  /**
   * Factorises B if the statistics or hyperparameters changed: O(M³/3). False when that failed:
   * the segment goes back to the last good posterior (kept), its samples since are taken off the
   * count, and the failure is counted once.
   */
  refresh(): boolean {
    if (!this.dirty) return this.retestHeld();
    this.dirty = false;
    const cache = { k1: this.k1, psi: this.psi, kEta: this.kEta, kXi: this.kXi };
    if (this.factor(cache, this.signalVarM2, this.noiseVarM2)) {
      this.commit(this.signalVarM2, this.noiseVarM2);
      return this.retestHeld();
    }
    this.counters.failedUpdates++;
    this.counters.samples -= this.seg.n - this.good.n;
    this.seg.copyFrom(this.good);
    return false;
  }

  /** B for a kernel's caches and the segment into rNext, B⁻¹b into `v`. False when not PD or not finite. */
  private factor(c: { k1: Float64Array; psi: Float64Array; kEta: Float64Array; kXi: Float64Array }, s2: number, sn2: number): boolean {
    const m = this.m;
    const w = this.work;
    const ratio = (s2 * s2) / sn2;
    for (let i = 0; i < m; i++) {
      const row = i * m;
      for (let j = i; j < m; j++) w[row + j] = s2 * c.k1[row + j] + ratio * (c.psi[row + j] + this.seg.phi[row + j]);
    }
    if (Number.isNaN(choleskyJitter(w, m, this.rNext, this.work2))) return false;
    const m0 = Number.isNaN(this.priorMean) ? 0 : this.priorMean;
    const a = this.v;
    for (let j = 0; j < m; j++) a[j] = (s2 / sn2) * (c.kEta[j] - m0 * c.kXi[j] + this.seg.phiY[j] - m0 * this.seg.sumK[j]);
    solveUpperT(this.rNext, m, a);
    solveUpper(this.rNext, m, a);
    return a.every(Number.isFinite);
  }

  /** Takes the posterior factor() left: the factor, α, the reference figures and the good copy. */
  private commit(s2: number, sn2: number): void {
    [this.r, this.rNext] = [this.rNext, this.r];
    this.alpha.set(this.v);
    this.ref = { s2, sn2, m0: Number.isNaN(this.priorMean) ? 0 : this.priorMean, samples: this.sampleCount };
    this.cDirty = true;
    this.good.copyFrom(this.seg);
  }

  /** Posterior mean and latent variance at points. */
  predict(northM: ArrayLike<number>, eastM: ArrayLike<number>, meanOut: Float64Array, varOut: Float64Array): void {
    this.refresh();
    this.refreshC();
    const m = this.m;
    const c = this.cmat;
    const k = this.kx;
    for (let i = 0; i < meanOut.length; i++) {
      this.basis(northM[i], eastM[i], k);
      let mean = 0;
      let quad = 0;
      for (let a = 0; a < m; a++) {
        const ka = k[a];
        mean += ka * this.alpha[a];
        const row = a * m;
        let s = 0;
        for (let b = a + 1; b < m; b++) s += c[row + b] * k[b];
        quad += ka * (c[row + a] * ka + 2 * s);
      }
      meanOut[i] = this.ref.m0 + this.ref.s2 * mean;
      varOut[i] = clampVar(this.ref.s2 - quad, this.ref.s2);
    }
  }

  /** Mean and latent variance on the lattice northAxis × eastAxis (row-major, row = north). */
  predictGrid(northAxisM: Float64Array, eastAxisM: Float64Array, meanOut: Float64Array, varOut: Float64Array): void {
    this.refresh();
    this.refreshC();
    // Each component is separable on the lattice: k₁(x, u_ac) = Σ_p w_p(x) w_p(u_ac) e_p(n − n_a) e_p(e − e_c).
    // Per grid row i and component pair (p, q), the C × C matrix
    //   Y_pq = Σ_{a,a'} e_p(n_i − n_a) e_q(n_i − n_a') [D_p C D_q]_{(a,·),(a',·)}   (D_p = diag w_p(u))
    // reduces the quadratic form kᵀCk of each cell of the row to Σ_pq w_p w_q e_pᵀ Y_pq e_q
    // (Y_qp = Y_pqᵀ, so q ≥ p): O(P² M²/2) per row and O(P² cols²/2) per cell instead of O(M²)
    // per cell.
    const { rows: R, cols: C } = this.options;
    const P = this.p;
    const M = this.m;
    const qn = northAxisM.length;
    const qe = eastAxisM.length;
    const axis = (grid: Float64Array, nodes: (k: number) => number, count: number) => {
      const out = new Float64Array(P * grid.length * count);
      for (let p = 0; p < P; p++)
        for (let i = 0; i < grid.length; i++)
          for (let k = 0; k < count; k++) out[(p * grid.length + i) * count + k] = Math.exp(-((grid[i] - nodes(k)) ** 2) * this.inv2l2[p]);
      return out;
    };
    const en = axis(northAxisM, (a) => this.un[a * C], R);
    const ee = axis(eastAxisM, (c) => this.ue[c], C);
    // X_pq = D_p C D_q, and the weighted α per component.
    const x = new Float64Array(P * P * M * M);
    for (let p = 0; p < P; p++)
      for (let q = p; q < P; q++) {
        const base = (p * P + q) * M * M;
        for (let j = 0; j < M; j++) {
          const wj = this.wu[j * P + p];
          for (let k = 0; k < M; k++) x[base + j * M + k] = wj * this.cmat[j * M + k] * this.wu[k * P + q];
        }
      }
    const y = new Float64Array(P * P * C * C);
    const v = new Float64Array(P * C);
    const w = new Float64Array(P);
    const { s2, m0 } = this.ref;
    for (let i = 0; i < qn; i++) {
      y.fill(0);
      v.fill(0);
      for (let p = 0; p < P; p++) {
        const enp = (p * qn + i) * R;
        for (let a = 0; a < R; a++) {
          const f = en[enp + a];
          for (let c = 0; c < C; c++) v[p * C + c] += f * this.wu[(a * C + c) * P + p] * this.alpha[a * C + c];
        }
        for (let q = p; q < P; q++) {
          const enq = (q * qn + i) * R;
          const base = (p * P + q) * M * M;
          const yb = (p * P + q) * C * C;
          for (let a = 0; a < R; a++) {
            const fa = en[enp + a];
            if (fa < 1e-300) continue;
            for (let a2 = 0; a2 < R; a2++) {
              const f = fa * en[enq + a2];
              if (f < 1e-300) continue;
              for (let c = 0; c < C; c++) {
                const src = base + (a * C + c) * M + a2 * C;
                const dst = yb + c * C;
                for (let c2 = 0; c2 < C; c2++) y[dst + c2] += f * x[src + c2];
              }
            }
          }
        }
      }
      for (let j = 0; j < qe; j++) {
        this.field.weights(northAxisM[i], eastAxisM[j], w);
        let mean = 0;
        let quad = 0;
        for (let p = 0; p < P; p++) {
          const eep = (p * qe + j) * C;
          let mp = 0;
          for (let c = 0; c < C; c++) mp += ee[eep + c] * v[p * C + c];
          mean += w[p] * mp;
          // Y_qp = Y_pqᵀ: the pairs q > p count twice.
          for (let q = p; q < P; q++) {
            const eeq = (q * qe + j) * C;
            const yb = (p * P + q) * C * C;
            let s = 0;
            for (let c = 0; c < C; c++) {
              let row = 0;
              for (let c2 = 0; c2 < C; c2++) row += y[yb + c * C + c2] * ee[eeq + c2];
              s += ee[eep + c] * row;
            }
            quad += (q === p ? 1 : 2) * w[p] * w[q] * s;
          }
        }
        const o = i * qe + j;
        meanOut[o] = m0 + s2 * mean;
        varOut[o] = clampVar(s2 - quad, s2);
      }
    }
  }

  /**
   * Advances the kernel fit by up to `steps` Adam steps; starts a new fit when none is running
   * and the samples have grown enough. True when a fit finished in this call.
   */
  fitStep(steps: number): boolean {
    if (!this.fitting) {
      const n = this.sampleCount;
      if (n < Math.max(2, this.options.minSamples) || n < this.options.regrowthFactor * this.fittedAt) return false;
      this.fittedAt = n;
      this.fitting = this.runFit();
    }
    for (let i = 0; i < steps; i++) {
      if (this.fitting.next().done) {
        this.fitting = undefined;
        return true;
      }
    }
    return false;
  }

  /** Runs the fit under way, if any, to its end. True when one finished. */
  finishFit(): boolean {
    if (!this.fitting) return false;
    for (const _ of this.fitting);
    this.fitting = undefined;
    return true;
  }

  /** One whole fit now (evaluations and tests). */
  refit(): void {
    this.fitting = undefined;
    if (this.sampleCount < 2) return;
    this.fittedAt = this.sampleCount;
    for (const _ of this.runFit());
  }

  /**
   * The log likelihood of the data summary (Λ̄, η̄ centred, yᵀy centred, N) under a weight
   * field, σ_f² = s2 and σ² = sn2 (see the header), and with `grad` 2 ∂/∂K into `grad.g` and
   * ∂/∂log σ² into `grad.logNoise`. NaN when a factorisation fails.
   */
  summaryLikelihood(
    field: AttentionField,
    sum: AttentiveSummary,
    s2: number,
    sn2: number,
    grad?: { g: Float64Array; logNoise: number; logSignalTrace: number },
  ): { value: number; gram: ReturnType<typeof attentiveGram> } {
    const m = this.m;
    const gram = attentiveGram(this.un, this.ue, this.options.lengthScalesM, field);
    const kk = new Float64Array(m * m);
    for (let i = 0; i < m * m; i++) kk[i] = s2 * gram.k1[i];
    for (let i = 0; i < m; i++) kk[i * m + i] += K1_JITTER * s2;
    const rk = new Float64Array(m * m);
    if (!choleskyUpper(kk, m, rk)) return { value: NaN, gram };
    const inv = 1 / sn2;
    // Λ = Λ̄/σ², η = η̄/σ²; H = K Λ, G = K + H K, c = K η.
    const h = matMul(kk, sum.lambda, m);
    for (let i = 0; i < m * m; i++) h[i] *= inv;
    const gm = matMul(h, kk, m);
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) {
        const v = kk[i * m + j] + 0.5 * (gm[i * m + j] + gm[j * m + i]);
        gm[i * m + j] = v;
        gm[j * m + i] = v;
      }
    const rg = new Float64Array(m * m);
    if (Number.isNaN(choleskyJitter(gm, m, rg, this.work))) return { value: NaN, gram };
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += kk[i * m + j] * sum.eta[j];
      c[i] = s * inv;
    }
    const z = Float64Array.from(c);
    solveUpperT(rg, m, z);
    let quad = 0;
    for (let i = 0; i < m; i++) quad += z[i] * z[i];
    const j = 0.5 * quad - 0.5 * (logDetFromUpper(rg, m) - logDetFromUpper(rk, m));
    const traceTerm = (0.5 * s2 * sum.trace) / sn2;
    const value = -0.5 * sum.n * Math.log(2 * Math.PI * sn2) - (0.5 * sum.yy) / sn2 + j - traceTerm;
    if (!grad) return { value, gram };
    // z = G⁻¹c; α = η − Hᵀz; μ = K z (posterior mean of u); (K + D)⁻¹ = Λ − XᵀX, X = R_G⁻ᵀ H.
    solveUpper(rg, m, z);
    const alpha = new Float64Array(m);
    for (let i = 0; i < m; i++) alpha[i] = sum.eta[i] * inv;
    for (let i = 0; i < m; i++) {
      const zi = z[i];
      if (zi === 0) continue;
      const row = i * m;
      for (let k = 0; k < m; k++) alpha[k] -= h[row + k] * zi;
    }
    // ∂/∂log σ² = −N/2 + yᵀy/2σ² + ½ tr(SΛ) + ½ μᵀΛμ − μᵀη, S = K G⁻¹ K, tr(SΛ) = M − tr(G⁻¹K).
    const mu = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += kk[i * m + k] * z[k];
      mu[i] = s;
    }
    let muLamMu = 0;
    let muEta = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += sum.lambda[i * m + k] * mu[k];
      muLamMu += mu[i] * s * inv;
      muEta += mu[i] * sum.eta[i] * inv;
    }
    const ginv = this.work2;
    inverseFromUpper(rg, m, ginv, this.work);
    let trGinvK = 0;
    for (let i = 0; i < m * m; i++) trGinvK += ginv[i] * kk[i];
    grad.logNoise = -0.5 * sum.n + (0.5 * sum.yy) / sn2 + 0.5 * (m - trGinvK) + 0.5 * muLamMu - muEta + traceTerm;
    grad.logSignalTrace = -traceTerm;
    const xm = h; // X overwrites H, row by row (forward substitution on whole rows).
    for (let i = 0; i < m; i++) {
      const row = i * m;
      for (let k = 0; k < i; k++) {
        const f = rg[k * m + i];
        if (f === 0) continue;
        const src = k * m;
        for (let q = 0; q < m; q++) xm[row + q] -= f * xm[src + q];
      }
      const d = 1 / rg[row + i];
      for (let q = 0; q < m; q++) xm[row + q] *= d;
    }
    const g = grad.g;
    for (let i = 0; i < m; i++)
      for (let q = i; q < m; q++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += xm[k * m + i] * xm[k * m + q];
        const v = alpha[i] * alpha[q] - (sum.lambda[i * m + q] * inv - s);
        g[i * m + q] = v;
        g[q * m + i] = v;
      }
    return { value, gram };
  }

  /**
   * The whole summary (segment folded in), centred on the prior mean: Λ̄, η̄ − m₀ξ̄, the centred
   * yᵀy and N (copies).
   */
  summary(): AttentiveSummary {
    this.fold();
    const m0 = Number.isNaN(this.priorMean) ? 0 : this.priorMean;
    const eta = Float64Array.from(this.eta, (v, i) => v - m0 * this.xi[i]);
    const n = this.foldedN;
    const yy = this.foldedY2 - 2 * m0 * this.foldedY + n * m0 * m0;
    return { lambda: Float64Array.from(this.lam), eta, yy, n, trace: Math.max(0, this.foldedTrace) };
  }

  /**
   * Folds the segment into the summary under the current kernel, after a refresh (so that only
   * samples an accepted posterior holds are folded): Λ̄ += K₁⁻¹ΦK₁⁻¹ (O(M³)), η̄, ξ̄ likewise,
   * and the caches by Φ, φ, ς.
   */
  private fold(): void {
    this.refresh();
    const seg = this.seg;
    if (seg.n === 0) return;
    const m = this.m;
    const full = this.work;
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) {
        const v = seg.phi[i * m + j];
        full[i * m + j] = v;
        full[j * m + i] = v;
        this.psi[i * m + j] += v;
        if (j !== i) this.psi[j * m + i] += v;
      }
    solveBoth(this.r1, m, full, this.work2);
    // Σ k₁ₙᵀK₁⁻¹k₁ₙ = tr(K₁⁻¹Φ) = tr(K₁ · K₁⁻¹ΦK₁⁻¹).
    let q = 0;
    for (let i = 0; i < m * m; i++) {
      this.lam[i] += full[i];
      q += this.k1[i] * full[i];
    }
    this.foldedTrace += seg.n - q;
    for (const [stat, into, cache] of [
      [seg.phiY, this.eta, this.kEta],
      [seg.sumK, this.xi, this.kXi],
    ] as const) {
      const u = Float64Array.from(stat);
      solveUpperT(this.r1, m, u);
      solveUpper(this.r1, m, u);
      for (let i = 0; i < m; i++) {
        into[i] += u[i];
        cache[i] += stat[i];
      }
    }
    this.foldedN += seg.n;
    this.foldedY += seg.sumY;
    this.foldedY2 += seg.sumY2;
    seg.clear();
    this.good.clear();
  }

  /** Unit K₁ at the nodes (with jitter) and its factor, and the weights at the nodes. */
  private buildKernel(field: AttentionField, wu: Float64Array, k1: Float64Array, r1: Float64Array): boolean {
    const m = this.m;
    const p = this.p;
    for (let j = 0; j < m; j++) field.weights(this.un[j], this.ue[j], wu.subarray(j * p, (j + 1) * p));
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) {
        const dn = this.un[i] - this.un[j];
        const de = this.ue[i] - this.ue[j];
        const d2 = dn * dn + de * de;
        let s = 0;
        for (let q = 0; q < p; q++) s += wu[i * p + q] * wu[j * p + q] * Math.exp(-d2 * this.inv2l2[q]);
        k1[i * m + j] = s;
        k1[j * m + i] = s;
      }
    for (let i = 0; i < m; i++) k1[i * m + i] += K1_JITTER;
    return choleskyUpper(k1, m, r1);
  }

  /** A fit: Adam on the summary's likelihood over the weight field, log σ_f² and log σ², yielding after each step. */
  private *runFit(): Generator<void, void, void> {
    const steps = this.fits === 0 ? this.options.firstFitSteps : this.options.fitSteps;
    this.recentre();
    const sum = this.summary();
    // A field of its own: the served one must not move while samples come in during the fit.
    const f = this.options.featureSide * this.options.featureSide;
    const field = new AttentionField(this.options.bounds, this.options.featureSide, this.p, Float64Array.from(this.field.theta), Float64Array.from(this.field.beta));
    const pf = this.p * f;
    const dim = pf + this.p + 2;
    const x = new Float64Array(dim);
    x.set(field.theta, 0);
    x.set(field.beta, pf);
    x[dim - 2] = Math.log(this.signalVarM2);
    x[dim - 1] = Math.log(this.noiseVarM2);
    const minLogNoise = Math.log(this.options.minNoiseVarM2);
    const m1 = new Float64Array(dim);
    const m2 = new Float64Array(dim);
    const g = { g: new Float64Array(this.m * this.m), logNoise: 0, logSignalTrace: 0 };
    const grad = { theta: new Float64Array(pf), beta: new Float64Array(this.p), logSignal: 0 };
    let best = { value: -Infinity, x: Float64Array.from(x) };
    const b1 = 0.9;
    const b2 = 0.999;
    for (let it = 1; it <= steps; it++) {
      field.theta.set(x.subarray(0, pf));
      field.beta.set(x.subarray(pf, pf + this.p));
      const s2 = Math.exp(x[dim - 2]);
      const { value, gram } = this.summaryLikelihood(field, sum, s2, Math.exp(x[dim - 1]), g);
      if (!Number.isFinite(value)) break;
      if (value > best.value) best = { value, x: Float64Array.from(x) };
      attentiveGradient(g.g, gram, s2, field, grad);
      grad.logSignal += g.logSignalTrace;
      const gv = (k: number) => (k < pf ? grad.theta[k] : k < pf + this.p ? grad.beta[k - pf] : k === dim - 2 ? grad.logSignal : g.logNoise);
      for (let k = 0; k < dim; k++) {
        const gk = gv(k);
        m1[k] = b1 * m1[k] + (1 - b1) * gk;
        m2[k] = b2 * m2[k] + (1 - b2) * gk * gk;
        x[k] += (this.options.learningRate * (m1[k] / (1 - b1 ** it))) / (Math.sqrt(m2[k] / (1 - b2 ** it)) + 1e-8);
      }
      x[dim - 1] = Math.max(x[dim - 1], minLogNoise);
      yield;
    }
    this.lastObjective = best.value;
    const c = best.x;
    if (Number.isFinite(best.value) && this.changeKernel(c.subarray(0, pf), c.subarray(pf, pf + this.p), Math.exp(c[dim - 2]), Math.exp(c[dim - 1]))) this.fits++;
  }

  /** Sets the kernel (weight field θ, β; σ_f², σ²), moving what was learned to it. False when refused. */
  setKernel(theta: ArrayLike<number>, beta: ArrayLike<number>, signalVarM2: number, noiseVarM2: number): boolean {
    if (theta.length !== this.field.theta.length || beta.length !== this.p) throw new Error(`attentive map: expected ${this.field.theta.length} weights and ${this.p} biases`);
    return this.changeKernel(Float64Array.from(theta), Float64Array.from(beta), signalVarM2, noiseVarM2);
  }

  /**
   * Moves to weight-field parameters (θ, β), σ_f² = s2 and σ² = sn2: folds the segment (old
   * kernel), builds K₁ and the caches Ψ̄ = K₁Λ̄K₁, K₁η̄, K₁ξ̄ for the new kernel, and takes it only
   * if its posterior factorises (otherwise nothing changes but the fold, and the failure is
   * counted). True when taken.
   */
  private changeKernel(theta: Float64Array, beta: Float64Array, s2: number, sn2: number): boolean {
    if (!(s2 > 0 && sn2 > 0 && Number.isFinite(s2) && Number.isFinite(sn2))) {
      this.counters.failedUpdates++;
      return false;
    }
    this.fold();
    const m = this.m;
    const field = new AttentionField(this.options.bounds, this.options.featureSide, this.p, theta, beta);
    const wu = new Float64Array(m * this.p);
    const k1 = new Float64Array(m * m);
    const r1 = new Float64Array(m * m);
    let ok = this.buildKernel(field, wu, k1, r1);
    const psi = ok ? matMul(matMul(k1, this.lam, m), k1, m) : k1;
    for (let i = 0; i < m && ok; i++)
      for (let j = i + 1; j < m; j++) {
        const v = 0.5 * (psi[i * m + j] + psi[j * m + i]);
        psi[i * m + j] = v;
        psi[j * m + i] = v;
      }
    const cache = { k1, psi, kEta: matVec(k1, this.eta, m), kXi: matVec(k1, this.xi, m) };
    ok = ok && psi.every(Number.isFinite) && this.factor(cache, s2, sn2);
    if (!ok) {
      this.counters.failedUpdates++;
      return false;
    }
    this.field.theta.set(theta);
    this.field.beta.set(beta);
    this.wu.set(wu);
    this.k1 = k1;
    this.r1 = r1;
    this.psi = psi;
    this.kEta = cache.kEta;
    this.kXi = cache.kXi;
    this.signalVarM2 = s2;
    this.noiseVarM2 = sn2;
    this.dirty = false;
    this.commit(s2, sn2);
    return true;
  }

  /** Latent variance at the point whose basis is in `kx`, under the last refreshed posterior. */
  private latentVar(): number {
    const m = this.m;
    const { s2 } = this.ref;
    const k = this.kx;
    const v = this.v;
    v.set(k);
    solveUpperT(this.r1, m, v);
    let q1 = 0;
    for (let j = 0; j < m; j++) q1 += v[j] * v[j];
    for (let j = 0; j < m; j++) v[j] = s2 * k[j];
    solveUpperT(this.r, m, v);
    let q2 = 0;
    for (let j = 0; j < m; j++) q2 += v[j] * v[j];
    return clampVar(s2 - s2 * q1 + q2, s2);
  }

  /** C = σ_f² K₁⁻¹ − σ_f⁴ B⁻¹ (full) for the batch predictions. */
  private refreshC(): void {
    if (!this.cDirty) return;
    const m = this.m;
    const s2 = this.ref.s2;
    inverseFromUpper(this.r1, m, this.cmat, this.work);
    inverseFromUpper(this.r, m, this.work2, this.work);
    for (let i = 0; i < m * m; i++) this.cmat[i] = s2 * this.cmat[i] - s2 * s2 * this.work2[i];
    this.cDirty = false;
  }
}

/** a ← A⁻¹ a A⁻¹ for symmetric a (full, n × n) and A = RᵀR: solves on columns, then on rows. */
function solveBoth(r: Float64Array, n: number, a: Float64Array, col: Float64Array): void {
  const c = col.subarray(0, n);
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) c[i] = a[i * n + j];
      solveUpperT(r, n, c);
      solveUpper(r, n, c);
      for (let i = 0; i < n; i++) a[i * n + j] = c[i];
    }
    // A⁻¹ a is not symmetric; transpose so that the second pass solves on its rows.
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const t = a[i * n + j];
        a[i * n + j] = a[j * n + i];
        a[j * n + i] = t;
      }
  }
}

/** Dense n × n matrix times vector. */
function matVec(a: Float64Array, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Dense n × n product a b, row-major. */
function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let k = 0; k < n; k++) {
      const f = a[row + k];
      if (f === 0) continue;
      const src = k * n;
      for (let j = 0; j < n; j++) out[row + j] += f * b[src + j];
    }
  }
  return out;
}
