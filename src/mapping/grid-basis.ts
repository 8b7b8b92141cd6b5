// The inducing points on a regular north × east lattice and the RBF kernel that factorises over
// the two axes: K_uu = σ_f² (K_n ⊗ K_e). Keeping that structure makes k(x, u) cost rows + cols
// exponentials instead of rows × cols, and lets grid predictions contract one axis at a time
// (the Kronecker trick of Saatçi, "Scalable Inference for Structured Gaussian Process Models",
// PhD thesis, Cambridge 2011; Wilson & Nickisch, "KISS-GP", ICML 2015).
import { choleskyJitter, inverseFromUpper, solveUpperT } from './linalg.ts';

export interface GridBounds {
  minNorthM: number;
  maxNorthM: number;
  minEastM: number;
  maxEastM: number;
}

/** Relative jitter on the 1-D factors, so that K_uu's factor stays exactly Kronecker. */
const AXIS_JITTER = 1e-6;

export class InducingGrid {
  readonly m: number;
  readonly northM: Float64Array;
  readonly eastM: Float64Array;
  /** Upper Cholesky factors of the 1-D unit-variance kernel matrices (with jitter). */
  readonly rNorth: Float64Array;
  readonly rEast: Float64Array;
  /** log det of the unit-variance K_uu (σ_f² = 1). */
  readonly logDetK1: number;
  private readonly inv2l2: number;
  private readonly tmpN: Float64Array;
  private readonly tmpE: Float64Array;
  private inverses?: { north: Float64Array; east: Float64Array };

  constructor(
    readonly bounds: GridBounds,
    readonly rows: number,
    readonly cols: number,
    readonly lengthScaleM: number,
  ) {
    this.m = rows * cols;
    this.northM = axis(bounds.minNorthM, bounds.maxNorthM, rows);
    this.eastM = axis(bounds.minEastM, bounds.maxEastM, cols);
    this.inv2l2 = 1 / (2 * lengthScaleM * lengthScaleM);
    this.rNorth = this.axisFactor(this.northM);
    this.rEast = this.axisFactor(this.eastM);
    let ld = 0;
    for (let i = 0; i < rows; i++) ld += 2 * cols * Math.log(this.rNorth[i * rows + i]);
    for (let j = 0; j < cols; j++) ld += 2 * rows * Math.log(this.rEast[j * cols + j]);
    this.logDetK1 = ld;
    this.tmpN = new Float64Array(rows);
    this.tmpE = new Float64Array(cols);
  }

  /** Unit-variance 1-D kernel values from `x` to each node of an axis. */
  axisValues(nodes: Float64Array, x: number, out: Float64Array): void {
    for (let a = 0; a < nodes.length; a++) {
      const d = x - nodes[a];
      out[a] = Math.exp(-d * d * this.inv2l2);
    }
  }

  /** kn ⊗ ke into `out` (length m), unit variance. */
  kron(kn: Float64Array, ke: Float64Array, out: Float64Array): void {
    const c = this.cols;
    for (let a = 0; a < this.rows; a++) {
      const v = kn[a];
      const row = a * c;
      for (let j = 0; j < c; j++) out[row + j] = v * ke[j];
    }
  }

  /** kᵀ K⁻¹ k for a 1-D axis vector (unit variance), via its factor. `k` is left intact. */
  axisQuad(r: Float64Array, k: Float64Array, tmp: Float64Array): number {
    tmp.set(k);
    solveUpperT(r, k.length, tmp);
    let s = 0;
    for (let i = 0; i < k.length; i++) s += tmp[i] * tmp[i];
    return s;
  }

  quadNorth(kn: Float64Array): number {
    return this.axisQuad(this.rNorth, kn, this.tmpN);
  }

  quadEast(ke: Float64Array): number {
    return this.axisQuad(this.rEast, ke, this.tmpE);
  }

  /**
   * The Nyström projection of another lattice's basis onto this one's, per axis:
   * k_this(x) ≈ (W_n ⊗ W_e) k_from(x) with W = K(this, from) K(from, from)⁻¹ (Williams & Seeger,
   * "Using the Nyström Method to Speed Up Kernel Machines", NIPS 2000). Exact in the span of
   * `from`'s basis, close wherever `from`'s nodes are dense against the length scale.
   */
  projectionFrom(from: InducingGrid): { north: Float64Array; east: Float64Array } {
    const inv = from.axisInverses();
    const project = (to: Float64Array, src: Float64Array, srcInv: Float64Array) => {
      const n = to.length;
      const m = src.length;
      const w = new Float64Array(n * m);
      const k = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        this.axisValues(src, to[i], k);
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let t = 0; t < m; t++) s += k[t] * srcInv[t * m + j];
          w[i * m + j] = s;
        }
      }
      return w;
    };
    return { north: project(this.northM, from.northM, inv.north), east: project(this.eastM, from.eastM, inv.east) };
  }

  /** K_n⁻¹ and K_e⁻¹ (unit variance, with the axis jitter): K_uu⁻¹ = σ_f⁻² K_n⁻¹ ⊗ K_e⁻¹. */
  axisInverses(): { north: Float64Array; east: Float64Array } {
    if (!this.inverses) {
      const inv = (r: Float64Array, n: number) => {
        const out = new Float64Array(n * n);
        inverseFromUpper(r, n, out, new Float64Array(n * n));
        return out;
      };
      this.inverses = { north: inv(this.rNorth, this.rows), east: inv(this.rEast, this.cols) };
    }
    return this.inverses;
  }

  /** The full unit-variance K_uu = K_n ⊗ K_e (with the axis jitter), row-major m × m. */
  fullK1(out: Float64Array): void {
    const kn = this.axisMatrix(this.northM);
    const ke = this.axisMatrix(this.eastM);
    const r = this.rows;
    const c = this.cols;
    for (let a = 0; a < r; a++)
      for (let j = 0; j < c; j++)
        for (let a2 = 0; a2 < r; a2++) {
          const v = kn[a * r + a2];
          const base = (a * c + j) * this.m + a2 * c;
          for (let j2 = 0; j2 < c; j2++) out[base + j2] = v * ke[j * c + j2];
        }
  }

  private axisMatrix(nodes: Float64Array): Float64Array {
    const n = nodes.length;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const d = nodes[i] - nodes[j];
        k[i * n + j] = Math.exp(-d * d * this.inv2l2);
      }
      k[i * n + i] += AXIS_JITTER;
    }
    return k;
  }

  private axisFactor(nodes: Float64Array): Float64Array {
    const n = nodes.length;
    const r = new Float64Array(n * n);
    // Unit diagonal plus jitter: PD for any distinct nodes; more jitter only if rounding bites.
    if (Number.isNaN(choleskyJitter(this.axisMatrix(nodes), n, r, new Float64Array(n * n)))) {
      throw new Error('inducing grid: axis kernel matrix is not positive definite');
    }
    return r;
  }
}

function axis(min: number, max: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? (min + max) / 2 : min + ((max - min) * i) / (n - 1);
  return out;
}
