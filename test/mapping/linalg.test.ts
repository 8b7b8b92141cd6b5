import { describe, expect, it } from 'vitest';
import { cholUpdate, choleskyJitter, choleskyUpper, inverseFromUpper, solveUpper, solveUpperT } from '../../src/mapping/linalg.ts';

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
});
