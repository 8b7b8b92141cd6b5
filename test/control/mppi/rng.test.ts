import { describe, expect, it } from 'vitest';
import { gaussianPair, pcgHash } from '../../../src/control/mppi/rng.ts';

describe('counter-based random numbers', () => {
  it('pcgHash matches the PCG hash of Jarzynski & Olano (values from an independent Python transcription)', () => {
    expect(pcgHash(0)).toBe(129708002);
    expect(pcgHash(1)).toBe(2831084092);
    expect(pcgHash(0xffffffff)).toBe(3861530882);
  });

  it('gives the same pair for the same key and index, and another for the next index', () => {
    const a = gaussianPair(42, 7, { z0: 0, z1: 0 });
    const b = gaussianPair(42, 7, { z0: 0, z1: 0 });
    const c = gaussianPair(42, 8, { z0: 0, z1: 0 });
    expect(b).toEqual(a);
    expect(c.z0).not.toBe(a.z0);
  });

  it('draws normals with mean 0, variance 1, bounded by sqrt(3) x 2 = 3.46', () => {
    const z = { z0: 0, z1: 0 };
    let sum = 0;
    let sq = 0;
    let max = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      gaussianPair(3, i, z);
      sum += z.z0 + z.z1;
      sq += z.z0 * z.z0 + z.z1 * z.z1;
      max = Math.max(max, Math.abs(z.z0), Math.abs(z.z1));
    }
    // Standard error of the mean over 40000 draws is 0.005; of the variance ~0.007.
    expect(Math.abs(sum / (2 * n))).toBeLessThan(0.03);
    expect(Math.abs(sq / (2 * n) - 1)).toBeLessThan(0.04);
    expect(max).toBeLessThanOrEqual(Math.sqrt(3) * 2);
  });
});
