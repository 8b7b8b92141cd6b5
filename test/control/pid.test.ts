import { describe, expect, it } from 'vitest';
import type { PidGains } from '../../src/control/pid.ts';
import { createPidState, pidHoldIntegral, pidStep } from '../../src/control/pid.ts';

const gains = (over: Partial<PidGains> = {}): PidGains => ({
  kp: 2,
  ki: 1,
  kd: 0.5,
  outMin: -10,
  outMax: 10,
  integralLimit: 100,
  ...over,
});

describe('pidStep', () => {
  it('sums P, I and D on the measurement rate', () => {
    const s = createPidState();
    // error 1, dt 0.1: P = 2, I = 1 * 0.1 = 0.1, D = -0.5 * rate 2 = -1 -> 1.1
    expect(pidStep(gains(), s, 1, 0, 0.1, 2)).toBeCloseTo(1.1, 12);
    expect(s.integral).toBeCloseTo(0.1, 12);
  });

  it('takes the derivative from the measurement, so a set-point step gives no kick', () => {
    const s = createPidState();
    pidStep(gains({ ki: 0 }), s, 0, 5, 0.1);
    // Set point jumps (error 0 -> 3) with the measurement still at 5: D stays 0, output = kp * 3.
    expect(pidStep(gains({ ki: 0 }), s, 3, 5, 0.1)).toBeCloseTo(6, 12);
    // Measurement moves 5 -> 5.2 in 0.1 s: rate 2, D = -0.5 * 2 = -1; P = 2 * 2.8 = 5.6 -> 4.6
    expect(pidStep(gains({ ki: 0 }), s, 2.8, 5.2, 0.1)).toBeCloseTo(4.6, 12);
  });

  it('clamps the output to its limits', () => {
    const s = createPidState();
    expect(pidStep(gains(), s, 100, 0, 0.1, 0)).toBe(10);
    expect(s.saturated).toBe(true);
    expect(pidStep(gains(), s, -100, 0, 0.1, 0)).toBe(-10);
  });

  it('does not wind up while saturated, so it recovers at once when the error reverses', () => {
    const s = createPidState();
    // 100 s of a large error that keeps the output pinned at +10.
    for (let i = 0; i < 1000; i++) pidStep(gains(), s, 20, 0, 0.1, 0);
    // Conditional integration froze the integral: P alone (40) saturates, so nothing was added.
    expect(s.integral).toBe(0);
    // The error reverses to -1: without windup the output is P + I = -2 + -0.1 = -2.1 right away.
    expect(pidStep(gains(), s, -1, 0, 0.1, 0)).toBeCloseTo(-2.1, 12);
  });

  it('bounds the integral share of the output', () => {
    const s = createPidState();
    // integralLimit 0.5 with ki 1: |integral| <= 0.5 however long the small error lasts.
    for (let i = 0; i < 1000; i++) pidStep(gains({ integralLimit: 0.5, kp: 0 }), s, 1, 0, 0.1, 0);
    expect(s.integral).toBeCloseTo(0.5, 12);
  });

  it('ignores non-finite input and returns 0 without touching its state', () => {
    const s = createPidState();
    pidStep(gains(), s, 1, 0, 0.1, 0);
    const before = { ...s };
    expect(pidStep(gains(), s, Number.NaN, 0, 0.1)).toBe(0);
    expect(pidStep(gains(), s, 1, Number.POSITIVE_INFINITY, 0.1)).toBe(0);
    expect(pidStep(gains(), s, 1, 0, 0)).toBe(0);
    expect(s).toEqual(before);
  });

  it('can undo the last integration when a downstream limit cut the output', () => {
    const s = createPidState();
    pidStep(gains(), s, 1, 0, 0.1, 0);
    pidStep(gains(), s, 1, 0, 0.1, 0);
    expect(s.integral).toBeCloseTo(0.2, 12);
    pidHoldIntegral(s);
    expect(s.integral).toBeCloseTo(0.1, 12);
  });
});
