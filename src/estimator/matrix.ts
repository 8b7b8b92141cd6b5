// Dense row-major matrix kernels for the EKF. The matrices are tiny (10 x 10), so plain loops
// over preallocated Float64Arrays beat any library; every function writes into `out` and
// allocates nothing. `out` must not alias an input unless stated.

/** out (r x c) = a (r x k) * b (k x c). */
export function mul(a: Float64Array, b: Float64Array, r: number, k: number, c: number, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += a[i * k + l] * b[l * c + j];
      out[i * c + j] = s;
    }
  }
}

/** out (r x c) = a (r x k) * b^T, where b is (c x k). */
export function mulBt(a: Float64Array, b: Float64Array, r: number, k: number, c: number, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += a[i * k + l] * b[j * k + l];
      out[i * c + j] = s;
    }
  }
}

/** Makes a square matrix exactly symmetric, in place, to stop round-off from accumulating. */
export function symmetrise(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (m[i * n + j] + m[j * n + i]);
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  }
}

/** True when every element of the first `len` is finite. */
export function allFinite(m: Float64Array, len: number): boolean {
  for (let i = 0; i < len; i++) if (!Number.isFinite(m[i])) return false;
  return true;
}

/** True when a symmetric matrix has a strictly positive, finite diagonal (a cheap PD screen). */
export function positiveDiagonal(m: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const d = m[i * n + i];
    if (!(d > 0) || d === Infinity) return false;
  }
  return true;
}

/**
 * out (n x n) = F P F' for a transition F whose rows from `dynRows` on are identity rows
 * (states held between steps); T (n x n) is scratch. Costs ~2 dynRows n^2 instead of 2 n^3.
 */
export function propagateCovariance(F: Float64Array, P: Float64Array, n: number, dynRows: number, T: Float64Array, out: Float64Array): void {
  // T = F P: identity rows copy P's rows.
  for (let i = 0; i < n; i++) {
    if (i >= dynRows) {
      for (let j = 0; j < n; j++) T[i * n + j] = P[i * n + j];
      continue;
    }
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += F[i * n + l] * P[l * n + j];
      T[i * n + j] = s;
    }
  }
  // out = T F': column j of F' is row j of F, the identity from dynRows on.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j >= dynRows) {
        out[i * n + j] = T[i * n + j];
        continue;
      }
      let s = 0;
      for (let l = 0; l < n; l++) s += T[i * n + l] * F[j * n + l];
      out[i * n + j] = s;
    }
  }
}

/**
 * P <- (I - K H) P (I - K H)' + K R K' for an m-dimensional update, expanded as
 * P - K (P H')' - (P H') K' + K S K' with S = H P H' + R: the same matrix as the Joseph form for
 * any gain K, in O(n^2 m) rather than O(n^3). PHt is P H' (n x m), S is m x m; writes into out.
 */
export function josephUpdate(P: Float64Array, K: Float64Array, PHt: Float64Array, S: Float64Array, n: number, m: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = P[i * n + j];
      for (let a = 0; a < m; a++) {
        const kia = K[i * m + a];
        s -= kia * PHt[j * m + a] + PHt[i * m + a] * K[j * m + a];
        let ks = 0;
        for (let b = 0; b < m; b++) ks += S[a * m + b] * K[j * m + b];
        s += kia * ks;
      }
      out[i * n + j] = s;
    }
  }
}
