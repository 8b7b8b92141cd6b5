import { describe, expect, it } from 'vitest';
import { GaussMarkov, Rng } from '../../sim/random.ts';
import { mean, std } from './helpers.ts';

describe('Rng', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    const a = new Rng(42, 'gnss');
    const b = new Rng(42, 'gnss');
    for (let i = 0; i < 1000; i++) expect(a.nextU32()).toBe(b.nextU32());
  });

  it('gives unrelated sequences for other seeds and other stream names', () => {
    const base = Array.from({ length: 8 }, ((r) => () => r.nextU32())(new Rng(42, 'gnss')));
    const otherSeed = Array.from({ length: 8 }, ((r) => () => r.nextU32())(new Rng(43, 'gnss')));
    const otherStream = Array.from({ length: 8 }, ((r) => () => r.nextU32())(new Rng(42, 'imu')));
    expect(otherSeed).not.toEqual(base);
    expect(otherStream).not.toEqual(base);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(7);
    const xs = Array.from({ length: 100_000 }, () => r.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    // sqrt(1/12) = 0.2887
    expect(std(xs)).toBeCloseTo(0.2887, 2);
  });

  it('draws standard normals: mean 0, sd 1, about 4.55 % beyond 2 sigma', () => {
    const r = new Rng(11);
    const xs = Array.from({ length: 200_000 }, () => r.normal());
    expect(Math.abs(mean(xs))).toBeLessThan(0.01);
    expect(std(xs)).toBeGreaterThan(0.99);
    expect(std(xs)).toBeLessThan(1.01);
    const tail = xs.filter((x) => Math.abs(x) > 2).length / xs.length;
    expect(tail).toBeGreaterThan(0.042);
    expect(tail).toBeLessThan(0.049);
    expect(xs.every(Number.isFinite)).toBe(true);
  });
});

describe('GaussMarkov', () => {
  it('keeps its stationary sigma and decorrelates over its time constant', () => {
    const gm = new GaussMarkov(new Rng(5), 10, 2);
    const xs: number[] = [];
    for (let i = 0; i < 200_000; i++) xs.push(gm.step(0.5));
    expect(std(xs)).toBeGreaterThan(1.8);
    expect(std(xs)).toBeLessThan(2.2);
    // Lag-1 correlation at dt = 0.5 s, tau = 10 s: exp(-0.05) = 0.951.
    let c = 0;
    for (let i = 1; i < xs.length; i++) c += xs[i] * xs[i - 1];
    expect(c / (xs.length - 1) / (std(xs) ** 2)).toBeCloseTo(0.951, 2);
  });
});
