import { describe, expect, it } from 'vitest';
import { Geofence, createVerdict } from '../../src/supervisor/geofence.ts';
import { OTTER } from '../../src/model/vessel.ts';
import type { NavState } from '../../src/msg/index.ts';

// A 100 m x 100 m square lake, corners at (0,0) and (100,100); fence margin 5 m.
const SQUARE = [
  { northM: 0, eastM: 0 },
  { northM: 0, eastM: 100 },
  { northM: 100, eastM: 100 },
  { northM: 100, eastM: 0 },
];
const fence = new Geofence(SQUARE, { marginM: 5, reactionS: 0.5, brakeDecelMps2: 1, minLookAheadM: 3 }, OTTER);

function nav(northM: number, eastM: number, yawDeg: number, uMps: number): NavState {
  return { stampNs: 0n, northM, eastM, yawRad: (yawDeg * Math.PI) / 180, uMps, vMps: 0, rRadps: 0, positionSigmaM: 1, yawSigmaRad: 0.01, valid: true };
}
const cmd = (leftN: number, rightN: number) => ({ stampNs: 0n, leftN, rightN });

describe('geofence', () => {
  it('is the shoreline moved inwards by the margin', () => {
    expect(fence.contains(50, 50)).toBe(true);
    expect(fence.contains(94, 50)).toBe(true); // 6 m from the north shore
    expect(fence.contains(96, 50)).toBe(false); // 4 m: inside the lake, outside the fence
    expect(fence.contains(150, 50)).toBe(false);
    expect(fence.contains(Number.NaN, 50)).toBe(false);
  });

  it('stopping distance: u tr + u^2 / 2a, at least the minimum look-ahead', () => {
    expect(fence.stoppingDistanceM(2)).toBeCloseTo(2 * 0.5 + 4 / 2, 9); // 3 m
    expect(fence.stoppingDistanceM(3)).toBeCloseTo(1.5 + 4.5, 9); // 6 m
    expect(fence.stoppingDistanceM(0.5)).toBe(3);
    expect(fence.stoppingDistanceM(Number.NaN)).toBe(3);
  });

  it('lets a command pass when the point one stopping distance ahead is inside', () => {
    // At 3 m/s heading north from n = 88: ahead point n = 94, 6 m from the shore: inside.
    const v = fence.check(nav(88, 50, 0, 3), cmd(100, 100), createVerdict());
    expect(v).toEqual({ safe: true, outside: false, leftN: 100, rightN: 100 });
  });

  it('replaces a forward command that would leave the fence: surge to braking, steering kept', () => {
    // From n = 90 the ahead point is n = 96, 4 m from the shore: outside the fence.
    const v = fence.check(nav(90, 50, 0, 3), cmd(100, 60), createVerdict());
    expect(v.safe).toBe(false);
    // Braking -min(rev, 60 * 3) = -rev (full astern, ~69.6 N) per thruster, plus half the
    // differential (+-20 N); the right one's -rev - 20 N is clamped back to full astern.
    const rev = OTTER.maxReverseThrustN;
    expect(v.leftN).toBeCloseTo(-rev + 20, 9);
    expect(v.rightN).toBeCloseTo(-rev, 9);
  });

  it('uses the GNSS speed over ground when the estimate is slower (a diverged estimator)', () => {
    // Estimated u = -1 (1 m/s: 3 m ahead, n = 91, inside), GNSS says 3 m/s (6 m, n = 94: inside
    // from 88; from 89 it is n = 95, exactly the margin line; from 90 outside).
    expect(fence.check(nav(90, 50, 0, -1), cmd(100, 100), createVerdict()).safe).toBe(true);
    expect(fence.check(nav(90, 50, 0, -1), cmd(100, 100), createVerdict(), 3).safe).toBe(false);
  });

  it('never blocks turning, reversing or zero thrust', () => {
    expect(fence.check(nav(99, 50, 0, 3), cmd(-50, -50), createVerdict()).safe).toBe(true);
    expect(fence.check(nav(99, 50, 0, 3), cmd(50, -50), createVerdict()).safe).toBe(true);
  });

  it('outside already with the bow pointing in: driving on is the way back', () => {
    const v = fence.check(nav(98, 50, 180, 1), cmd(80, 80), createVerdict());
    expect(v.outside).toBe(true);
    expect(v.safe).toBe(true);
  });
});
