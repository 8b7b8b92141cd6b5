import { describe, expect, it } from 'vitest';
import { CALM } from '../../src/model/vessel.ts';
import { DEFAULT_DISTURBANCE_OPTIONS, Disturbances } from '../../sim/disturbance.ts';
import { mean, std } from './helpers.ts';

const env = () => ({ ...CALM });

describe('current field', () => {
  it('is divergence-free: water neither appears nor vanishes', () => {
    const d = new Disturbances({ ...DEFAULT_DISTURBANCE_OPTIONS, currentVariationMps: 0.2 }, 3);
    const e = env();
    const h = 0.01;
    for (const [n, ea] of [[0, 0], [37, -81], [-120, 150]]) {
      d.currentAt(n + h, ea, 100, e);
      const nPlus = e.currentNorthMps;
      d.currentAt(n - h, ea, 100, e);
      const dN = (nPlus - e.currentNorthMps) / (2 * h);
      d.currentAt(n, ea + h, 100, e);
      const ePlus = e.currentEastMps;
      d.currentAt(n, ea - h, 100, e);
      const dE = (ePlus - e.currentEastMps) / (2 * h);
      expect(Math.abs(dN + dE)).toBeLessThan(1e-6);
    }
  });

  it('has the configured mean speed and direction, and varies in space and time', () => {
    const d = new Disturbances({ ...DEFAULT_DISTURBANCE_OPTIONS, meanCurrentMps: 0.5, currentDirectionDeg: 90 }, 3);
    const e = env();
    const north: number[] = [];
    const east: number[] = [];
    for (let n = -200; n <= 200; n += 10) {
      for (let ea = -200; ea <= 200; ea += 10) {
        d.currentAt(n, ea, 0, e);
        north.push(e.currentNorthMps);
        east.push(e.currentEastMps);
      }
    }
    // Towards the east at 0.5 m/s, within the +-20 % breathing and +-15 deg swing of the mean.
    expect(mean(east)).toBeGreaterThan(0.35);
    expect(mean(east)).toBeLessThan(0.65);
    expect(std(east)).toBeGreaterThan(0.01);
    d.currentAt(0, 0, 0, e);
    const at0 = e.currentEastMps;
    d.currentAt(0, 0, 300, e);
    expect(e.currentEastMps).not.toBeCloseTo(at0, 3);
  });
});

describe('gusts', () => {
  it('average the mean wind force with the configured gust sigma, same for the same seed', () => {
    const o = { ...DEFAULT_DISTURBANCE_OPTIONS, meanWindForceN: 5, windDirectionDeg: 0, gustSigmaN: 3 };
    const a = new Disturbances(o, 8);
    const b = new Disturbances(o, 8);
    const ea = env();
    const eb = env();
    const fn: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      a.stepWind(0.1, ea);
      b.stepWind(0.1, eb);
      fn.push(ea.forceNorthN);
    }
    expect(eb.forceNorthN).toBe(ea.forceNorthN);
    // 10 000 s with tau = 4 s: ~1250 independent samples, so the mean is within ~0.1 N.
    expect(mean(fn)).toBeCloseTo(5, 0);
    expect(std(fn)).toBeGreaterThan(2.7);
    expect(std(fn)).toBeLessThan(3.3);
  });
});
