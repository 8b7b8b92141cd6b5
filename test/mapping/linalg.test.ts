import { describe, expect, it } from 'vitest';
import { cholUpdate, cholUpdateBlock, choleskyInPlace, choleskyJitter, choleskyUpper, inverseFromUpper, solveUpper, solveUpperT } from '../../src/mapping/linalg.ts';

describe('linalg', () => {
  // A = [[4, 2], [2, 3]] = RᵀR with R = [[2, 1], [0, √2]].
  const a = Float64Array.from([4, 2, 2, 3]);

  it('factors a 2×2 SPD matrix as in the hand computation', () => {
    const r = new Float64Array(4);
    expect(choleskyUpper(a, 2, r)).toBe(true);
    expect(Array.from(r)).toEqual([2, 1, 0, expect.closeTo(Math.SQRT2, 12)]);
  });

  it('refuses an indefinite matrix and a NaN', () => {
    const r = new Float64Array(4);
    expect(choleskyUpper(Float64Array.from([1, 2, 2, 1]), 2, r)).toBe(false);
    expect(choleskyUpper(Float64Array.from([NaN, 0, 0, 1]), 2, r)).toBe(false);
    expect(choleskyJitter(Float64Array.from([NaN, 0, 0, 1]), 2, r, new Float64Array(4))).toBeNaN();
  });

  it('adds jitter to a singular PSD matrix', () => {
    const r = new Float64Array(4);
    const j = choleskyJitter(Float64Array.from([1, 1, 1, 1]), 2, r, new Float64Array(4));
    expect(j).toBeGreaterThan(0);
  });

  it('solves A x = b through the factor: b = (8, 7) gives x = (1.25, 1.5)', () => {
    const r = new Float64Array(4);
    choleskyUpper(a, 2, r);
    const x = Float64Array.from([8, 7]);
    solveUpperT(r, 2, x);
    solveUpper(r, 2, x);
    expect(x[0]).toBeCloseTo(1.25, 12);
    expect(x[1]).toBeCloseTo(1.5, 12);
  });

  it('rank-one update equals refactoring A + xxᵀ; inverse matches', () => {
    const r = new Float64Array(4);
    choleskyUpper(a, 2, r);
    expect(cholUpdate(r, 2, Float64Array.from([1, 2]))).toBe(true);
    // A + xxᵀ = [[5, 4], [4, 7]]
    const r2 = new Float64Array(4);
    choleskyUpper(Float64Array.from([5, 4, 4, 7]), 2, r2);
    for (let i = 0; i < 4; i++) expect(r[i]).toBeCloseTo(r2[i], 12);
    const inv = new Float64Array(4);
    inverseFromUpper(r, 2, inv, new Float64Array(4));
    // [[5,4],[4,7]]⁻¹ = [[7,−4],[−4,5]] / 19
    expect(Array.from(inv).map((v) => v * 19)).toEqual([7, -4, -4, 5].map((v) => expect.closeTo(v, 10)));
  });

  it('rank-2 block update equals refactoring A + x₁x₁ᵀ + x₂x₂ᵀ', () => {
    const r = new Float64Array(4);
    choleskyUpper(a, 2, r);
    // x₁ = (1, 2), x₂ = (0, 1), interleaved [x₁[0], x₂[0], x₁[1], x₂[1]]; x₂'s leading zero
    // skips its rotation of row 0. A + … = [[5, 4], [4, 8]]: R = [[√5, 4/√5], [0, √4.8]].
    const s = new Float64Array(2);
    expect(cholUpdateBlock(r, 2, Float64Array.from([1, 0, 2, 1]), 2, new Float64Array(2), s, new Float64Array(2))).toBe(true);
    expect(r[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(r[1]).toBeCloseTo(4 / Math.sqrt(5), 12);
    expect(r[3]).toBeCloseTo(Math.sqrt(4.8), 12);
  });

  it('block update of a 9×9 factor by 3 vectors equals three rank-one updates (the unrolled and the tail columns)', () => {
    const n = 9;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = Math.exp(-((i - j) ** 2) / 4) + (i === j ? 0.1 : 0);
    const r1 = new Float64Array(n * n);
    choleskyUpper(m, n, r1);
    const r2 = Float64Array.from(r1);
    const vs = [0, 1, 2].map((q) => Float64Array.from({ length: n }, (_, j) => Math.sin(1 + q * 3 + j)));
    for (const v of vs) cholUpdate(r1, n, Float64Array.from(v));
    const xs = new Float64Array(n * 3);
    for (let j = 0; j < n; j++) for (let q = 0; q < 3; q++) xs[j * 3 + q] = vs[q][j];
    expect(cholUpdateBlock(r2, n, xs, 3, new Float64Array(3), new Float64Array(3), new Float64Array(3))).toBe(true);
    for (let i = 0; i < n * n; i++) expect(r2[i]).toBeCloseTo(r1[i], 12);
  });

  it('refuses a non-finite rotation in a block update', () => {
    const r = Float64Array.from([1, 0, 0, 1]);
    expect(cholUpdateBlock(r, 2, Float64Array.from([Infinity, 0]), 1, new Float64Array(1), new Float64Array(1), new Float64Array(1))).toBe(false);
  });

  it('in-place Cholesky gives R = [[2, 1], [0, √2]] and refuses an indefinite matrix', () => {
    const m = Float64Array.from(a);
    expect(choleskyInPlace(m, 2)).toBe(true);
    expect(Array.from(m)).toEqual([2, 1, 0, expect.closeTo(Math.SQRT2, 12)]);
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
  });
});
