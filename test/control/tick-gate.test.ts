import { describe, expect, it } from 'vitest';
import { holdingReason, tickDtS } from '../../src/control/tick-gate.ts';
import type { NavState } from '../../src/msg/index.ts';

const nav = (stampNs: bigint, valid = true): NavState => ({
  stampNs, northM: 0, eastM: 0, yawRad: 0, uMps: 1, vMps: 0, rRadps: 0, positionSigmaM: 1, yawSigmaRad: 0.01, valid,
});

describe('tick gate', () => {
  it('measures the elapsed period, falling back to the nominal one on the first tick and after a gap', () => {
    // 10 Hz: nominal 0.1 s.
    expect(tickDtS(undefined, 5_000_000_000n, 10)).toBe(0.1);
    expect(tickDtS(1_000_000_000n, 1_150_000_000n, 10)).toBeCloseTo(0.15, 12);
    expect(tickDtS(1_000_000_000n, 1_300_000_000n, 10)).toBe(0.1); // 0.3 s > two periods
    expect(tickDtS(1_000_000_000n, 1_000_000_000n, 10)).toBe(0.1); // no time passed
  });

  it('holds for the first reason that applies: disabled, no nav, invalid nav, stale nav', () => {
    const now = 10_000_000_000n;
    expect(holdingReason(false, nav(now), now, 0.5)).toBe('disabled');
    expect(holdingReason(true, undefined, now, 0.5)).toBe('noNav');
    expect(holdingReason(true, nav(now, false), now, 0.5)).toBe('invalid');
    expect(holdingReason(true, nav(now - 600_000_000n), now, 0.5)).toBe('stale');
    expect(holdingReason(true, nav(now - 400_000_000n), now, 0.5)).toBe('none');
  });
});
