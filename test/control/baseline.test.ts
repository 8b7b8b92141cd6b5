import { describe, expect, it } from 'vitest';
import { BaselineController, DEFAULT_BASELINE_OPTIONS, createMixOutput, mixThrust } from '../../src/control/baseline.ts';
import { OTTER } from '../../src/model/vessel.ts';
import type { NavState } from '../../src/msg/index.ts';
import type { Leg } from '../../src/planning/plan.ts';

// Otter: b = 0.395 m, forward 119.68 N, reverse 119.68 * 0.01289/0.02216 = 69.62 N per thruster.
const FWD = OTTER.maxForwardThrustN;
const REV = OTTER.maxReverseThrustN;
const B = OTTER.thrusterYM;

describe('mixThrust', () => {
  it('splits surge evenly and yaw moment differentially', () => {
    const m = mixThrust(OTTER, 100, 0, createMixOutput());
    expect(m.leftN).toBeCloseTo(50, 12);
    expect(m.rightN).toBeCloseTo(50, 12);
    // N = 7.9 N m -> D = 7.9 / 0.395 = 20 N: left 60, right 40.
    const t = mixThrust(OTTER, 100, 7.9, createMixOutput());
    expect(t.leftN).toBeCloseTo(60, 9);
    expect(t.rightN).toBeCloseTo(40, 9);
  });

  it('gives a positive yaw moment (bow to starboard) with more thrust on the port side', () => {
    const m = mixThrust(OTTER, 0, 5, createMixOutput());
    expect(m.leftN).toBeGreaterThan(m.rightN);
    expect(B * (m.leftN - m.rightN)).toBeCloseTo(5, 9);
    const n = mixThrust(OTTER, 0, -5, createMixOutput());
    expect(n.leftN).toBeLessThan(n.rightN);
  });

  it('keeps the yaw moment and cuts surge when both cannot be had', () => {
    // Full ahead (2 * 119.68 N) plus a 20 N m turn: D = 50.6 N; S <= 2 FWD - D, so surge gives way.
    const m = mixThrust(OTTER, 2 * FWD, 20, createMixOutput());
    expect(B * (m.leftN - m.rightN)).toBeCloseTo(20, 9);
    expect(m.leftN).toBeCloseTo(FWD, 9);
    expect(m.surgeLimited).toBe(true);
    expect(m.yawLimited).toBe(false);
  });

  it('caps the yaw moment at one thruster full ahead and the other full astern', () => {
    const m = mixThrust(OTTER, 50, 1000, createMixOutput());
    expect(m.leftN).toBeCloseTo(FWD, 9);
    expect(m.rightN).toBeCloseTo(-REV, 9);
    expect(m.yawLimited).toBe(true);
  });

  it('respects the weaker reverse thrust', () => {
    const m = mixThrust(OTTER, -1000, 0, createMixOutput());
    expect(m.leftN).toBeCloseTo(-REV, 9);
    expect(m.rightN).toBeCloseTo(-REV, 9);
  });

  it('turns NaN demands into zero thrust', () => {
    const m = mixThrust(OTTER, Number.NaN, Number.NaN, createMixOutput());
    expect([m.leftN, m.rightN]).toEqual([0, 0]);
  });
});

const nav = (over: Partial<NavState> = {}): NavState => ({
  stampNs: 0n,
  northM: 0,
  eastM: 0,
  yawRad: 0,
  uMps: 1.5,
  vMps: 0,
  rRadps: 0,
  positionSigmaM: 0.1,
  yawSigmaRad: 0.01,
  valid: true,
  ...over,
});
const north: Leg = { fromNorthM: 0, fromEastM: 0, toNorthM: 100, toEastM: 0, kind: 'lane', speedMps: 1.5 };

describe('BaselineController', () => {
  it('turns toward a leg that lies to port', () => {
    const c = new BaselineController(DEFAULT_BASELINE_OPTIONS, OTTER);
    // Vessel 5 m east of a northbound leg (to starboard of it): it must turn to port, right > left.
    const out = c.step(nav({ eastM: 5 }), north, 0.1);
    expect(out.crossTrackM).toBeCloseTo(5, 12);
    expect(out.headingRefRad).toBeLessThan(0);
    expect(out.rightN).toBeGreaterThan(out.leftN);
  });

  it('pushes forward with equal thrust when on the leg at the reference speed', () => {
    const c = new BaselineController(DEFAULT_BASELINE_OPTIONS, OTTER);
    const out = c.step(nav(), north, 0.1);
    // Feed-forward only: -X_u * 1.5 = 77.55 * 1.5 = 116.3 N in total, 58.2 N each.
    expect(out.leftN).toBeCloseTo(out.rightN, 9);
    expect(out.leftN + out.rightN).toBeCloseTo(-OTTER.xuNsPerM * 1.5, 6);
  });

  it('commands zero thrust on invalid or non-finite navigation', () => {
    const c = new BaselineController(DEFAULT_BASELINE_OPTIONS, OTTER);
    for (const bad of [nav({ valid: false }), nav({ northM: Number.NaN }), nav({ rRadps: Number.POSITIVE_INFINITY })]) {
      const out = c.step(bad, north, 0.1);
      expect([out.leftN, out.rightN]).toEqual([0, 0]);
    }
  });

  it('reports the leg done at the switching radius', () => {
    const c = new BaselineController(DEFAULT_BASELINE_OPTIONS, OTTER);
    expect(c.step(nav({ northM: 90 }), north, 0.1).legDone).toBe(false);
    expect(c.step(nav({ northM: 99 }), north, 0.1).legDone).toBe(true);
  });
});
