// Dense linear algebra on row-major Float64Array matrices, just what the GP needs: Cholesky
// with jitter, triangular solves and the rank-one Cholesky update. Algorithms as in Golub & Van
// Loan, "Matrix Computations" (4th ed.): §4.2 (Cholesky), §3.1 (triangular systems), §6.5.4
// (updating a Cholesky factor with Givens-like rotations).
//
// Factors are stored as UPPER triangles R with A = Rᵀ R (R = Lᵀ), so that the inner loops of the
// rank-one update and of the solves run over contiguous rows.

/** Cholesky of the symmetric n×n `a` (row-major, only the upper triangle read) into upper `r`. */
export function choleskyUpper(a: Float64Array, n: number, r: Float64Array): boolean {
  // Not positive definite (or NaN): false, and the caller adds jitter or rejects.
  r.set(a.subarray(0, n * n));
  return choleskyInPlace(r, n);
}

/**
 * Cholesky with growing diagonal jitter (relative to the mean diagonal), the usual remedy for
 * kernel matrices that are PD in exact arithmetic but not in floating point (Rasmussen &
 * Williams, "Gaussian Processes for Machine Learning", 2006, §A.4). Returns the jitter used,
 * or NaN when even the largest jitter fails.
 */
export function choleskyJitter(a: Float64Array, n: number, r: Float64Array, work: Float64Array, maxTries = 6): number {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i];
  meanDiag = n > 0 ? meanDiag / n : 1;
  if (!(meanDiag > 0) || !Number.isFinite(meanDiag)) return NaN;
  let jitter = 0;
  for (let t = 0; t <= maxTries; t++) {
    work.set(a.subarray(0, n * n));
    for (let i = 0; i < n; i++) work[i * n + i] += jitter;
    if (choleskyUpper(work, n, r)) return jitter;
    jitter = jitter === 0 ? 1e-10 * meanDiag : jitter * 10;
  }
  return NaN;
}

/** Solves Rᵀ x = b in place (forward substitution), R upper n×n. */
export function solveUpperT(r: Float64Array, n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const xi = x[i] / r[i * n + i];
    x[i] = xi;
    const row = i * n;
    for (let j = i + 1; j < n; j++) x[j] -= r[row + j] * xi;
  }
}

/** Solves R x = b in place (back substitution), R upper n×n. */
export function solveUpper(r: Float64Array, n: number, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= r[row + j] * x[j];
    x[i] = s / r[row + i];
  }
}

/**
 * Rank-one update: R ← chol(RᵀR + x xᵀ), O(n²), `x` destroyed. Returns false (R then partly
 * updated; the caller restores it) if a non-finite value appears.
 */
export function cholUpdate(r: Float64Array, n: number, x: Float64Array): boolean {
  for (let k = 0; k < n; k++) {
    const row = k * n;
    const rkk = r[row + k];
    const xk = x[k];
    const h = Math.sqrt(rkk * rkk + xk * xk);
    if (!(h > 0) || !Number.isFinite(h)) return false;
    // c = h / r_kk, s = x_k / r_kk; new r_kj = (r_kj + s x_j) / c, new x_j = c x_j − s r_kj.
    const c = h / rkk;
    const s = xk / rkk;
    const invC = rkk / h;
    r[row + k] = h;
    for (let j = k + 1; j < n; j++) {
      const rj = (r[row + j] + s * x[j]) * invC;
      r[row + j] = rj;
      x[j] = c * x[j] - s * rj;
    }
  }
  return true;
}

/** B⁻¹ from its upper factor (B = RᵀR) into `out` (full symmetric), using `work` (n×n). */
export function inverseFromUpper(r: Float64Array, n: number, out: Float64Array, work: Float64Array): void {
  // work ← X = R⁻¹ (upper) by back substitution on whole rows (contiguous axpys), then
  // B⁻¹ = X Xᵀ.
  work.fill(0, 0, n * n);
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const d = 1 / r[row + i];
    work[row + i] = 1;
    for (let k = i + 1; k < n; k++) {
      const f = r[row + k];
      if (f === 0) continue;
      const src = k * n;
      for (let j = k; j < n; j++) work[row + j] -= f * work[src + j];
    }
    for (let j = i; j < n; j++) work[row + j] *= d;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      const from = j; // R⁻¹ is upper: row i has entries from column i; row j from column j ≥ i.
      for (let k = from; k < n; k++) s += work[i * n + k] * work[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
}

/** log det(RᵀR) from its upper factor. */
export function logDetFromUpper(r: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(r[i * n + i]);
  return 2 * s;
}

/**
 * Rank-p update R ← chol(RᵀR + Σ_s x_s x_sᵀ) for p vectors stored row-wise in `xs` (p × n,
 * destroyed): the p rotations of each row are applied while the row is in cache, which is the
 * same arithmetic as p calls of cholUpdate in a cache-friendlier order. False on a non-finite
 * value (R then partly updated; the caller restores it).
 */
export function cholUpdateMany(r: Float64Array, n: number, xs: Float64Array, p: number): boolean {
  for (let k = 0; k < n; k++) {
    const row = k * n;
    for (let q = 0; q < p; q++) {
      const xo = q * n;
      const rkk = r[row + k];
      const xk = xs[xo + k];
      if (xk === 0) continue;
      const h = Math.sqrt(rkk * rkk + xk * xk);
      if (!(h > 0) || !Number.isFinite(h)) return false;
      const c = h / rkk;
      const s = xk / rkk;
      const invC = rkk / h;
      r[row + k] = h;
      for (let j = k + 1; j < n; j++) {
        const rj = (r[row + j] + s * xs[xo + j]) * invC;
        r[row + j] = rj;
        xs[xo + j] = c * xs[xo + j] - s * rj;
      }
    }
  }
  return true;
}

/**
 * Rank-p update R ← chol(RᵀR + Σ_q x_q x_qᵀ) in one sweep over R (the blocked form of the
 * rotation-based update, Golub & Van Loan §6.5.4). `xs` holds the p vectors interleaved,
 * x_q[j] at xs[j·p + q] (destroyed), so that all p rotations of row k are applied to each
 * element r_kj while it sits in a register: R is read and written once instead of p times.
 * `cs`, `ss`, `ics` are scratch of length ≥ p. O(p n²). False on a non-finite value (R then
 * partly updated; the caller restores it).
 */
export function cholUpdateBlock(
  r: Float64Array,
  n: number,
  xs: Float64Array,
  p: number,
  cs: Float64Array,
  ss: Float64Array,
  ics: Float64Array,
): boolean {
  for (let k = 0; k < n; k++) {
    const row = k * n;
    const xk0 = k * p;
    let rkk = r[row + k];
    let active = false;
    // The p rotations of row k chain only through r_kk, so all of them are known up front.
    for (let q = 0; q < p; q++) {
      const xk = xs[xk0 + q];
      if (xk === 0) {
        // Identity rotation: leading zeros of a local basis vector cost nothing.
        cs[q] = 1;
        ss[q] = 0;
        ics[q] = 1;
        continue;
      }
      const h = Math.sqrt(rkk * rkk + xk * xk);
      if (!(h > 0) || !Number.isFinite(h)) return false;
      cs[q] = h / rkk;
      ss[q] = xk / rkk;
      ics[q] = rkk / h;
      rkk = h;
      active = true;
    }
    if (!active) continue;
    r[row + k] = rkk;
    // Four columns at a time: each element's p rotations form a dependent chain, so four
    // independent chains keep the floating-point units busy (2.5× faster than one in V8).
    let j = k + 1;
    for (; j + 3 < n; j += 4) {
      let ra = r[row + j];
      let rb = r[row + j + 1];
      let rc = r[row + j + 2];
      let rd = r[row + j + 3];
      const xa = j * p;
      const xb = xa + p;
      const xc = xb + p;
      const xd = xc + p;
      for (let q = 0; q < p; q++) {
        const s = ss[q];
        const ic = ics[q];
        const c = cs[q];
        const qa = xs[xa + q];
        const qb = xs[xb + q];
        const qc = xs[xc + q];
        const qd = xs[xd + q];
        ra = (ra + s * qa) * ic;
        rb = (rb + s * qb) * ic;
        rc = (rc + s * qc) * ic;
        rd = (rd + s * qd) * ic;
        xs[xa + q] = c * qa - s * ra;
        xs[xb + q] = c * qb - s * rb;
        xs[xc + q] = c * qc - s * rc;
        xs[xd + q] = c * qd - s * rd;
      }
      r[row + j] = ra;
      r[row + j + 1] = rb;
      r[row + j + 2] = rc;
      r[row + j + 3] = rd;
    }
    for (; j < n; j++) {
      let rj = r[row + j];
      const xo = j * p;
      for (let q = 0; q < p; q++) {
        const xq = xs[xo + q];
        rj = (rj + ss[q] * xq) * ics[q];
        xs[xo + q] = cs[q] * xq - ss[q] * rj;
      }
      r[row + j] = rj;
    }
  }
  return true;
}

/**
 * In-place Cholesky A = RᵀR of a large SPD matrix (upper triangle of `a` overwritten by R, the
 * strict lower triangle zeroed), right-looking so that every inner loop runs along a row: the
 * exact GP's N = 5000 factor would otherwise stride through memory column-wise. False when not
 * positive definite (`a` is then destroyed).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const d = a[row + i];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const rii = Math.sqrt(d);
    a[row + i] = rii;
    const inv = 1 / rii;
    for (let j = i + 1; j < n; j++) a[row + j] *= inv;
    for (let j = 0; j < i; j++) a[row + j] = 0;
    // Trailing update of the upper triangle: a_kj -= r_ik r_ij for k ≤ j.
    for (let k = i + 1; k < n; k++) {
      const f = a[row + k];
      if (f === 0) continue;
      const dst = k * n;
      for (let j = k; j < n; j++) a[dst + j] -= f * a[row + j];
    }
  }
  return true;
}
