// The EKF's structured matrix kernels against hand-computed dense results.
import { describe, expect, it } from 'vitest';
import { josephUpdate, propagateCovariance } from '../../src/estimator/matrix.ts';

const close = (got: Float64Array, want: number[]): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));
};

describe('propagateCovariance', () => {
  it('equals F P F\' when only the first rows of F are dynamic', () => {
    // F = [[1, 0.5], [0, 1]] (row 1 held), P = [[2, 1], [1, 3]].
    // F P = [[2.5, 2.5], [1, 3]]; (F P) F' = [[2.5 + 1.25, 2.5], [1 + 1.5, 3]] = [[3.75, 2.5], [2.5, 3]].
    const F = Float64Array.from([1, 0.5, 0, 1]);
    const P = Float64Array.from([2, 1, 1, 3]);
    const out = new Float64Array(4);
    propagateCovariance(F, P, 2, 1, new Float64Array(4), out);
    close(out, [3.75, 2.5, 2.5, 3]);
  });
});

describe('josephUpdate', () => {
  // P = [[2, 1], [1, 3]], H = [1, 0], R = 1: P H' = [2, 1], S = 3.
  const P = Float64Array.from([2, 1, 1, 3]);
  const PHt = Float64Array.from([2, 1]);
  const S = Float64Array.from([3]);

  it('gives P - K S K\' for the optimal gain', () => {
    // K = P H' / S = [2/3, 1/3]; K S K' = [[4/3, 2/3], [2/3, 1/3]].
    const out = new Float64Array(4);
    josephUpdate(P, Float64Array.from([2 / 3, 1 / 3]), PHt, S, 2, 1, out);
    close(out, [2 / 3, 1 / 3, 1 / 3, 8 / 3]);
  });

  it('gives the Joseph form for a gain that is not optimal', () => {
    // K = [0.5, 0]: (I - K H) = diag(0.5, 1); (I - K H) P (I - K H)' = [[0.5, 0.5], [0.5, 3]];
    // plus K R K' = [[0.25, 0], [0, 0]].
    const out = new Float64Array(4);
    josephUpdate(P, Float64Array.from([0.5, 0]), PHt, S, 2, 1, out);
    close(out, [0.75, 0.5, 0.5, 3]);
  });
});
