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
