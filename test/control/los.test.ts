import { describe, expect, it } from 'vitest';
import type { LosOptions } from '../../src/control/los.ts';
import { DEFAULT_LOS_OPTIONS, createLosOutput, createLosState, legErrors, losStep } from '../../src/control/los.ts';
import type { Leg } from '../../src/planning/plan.ts';

const leg = (fromN: number, fromE: number, toN: number, toE: number): Leg => ({
  fromNorthM: fromN,
  fromEastM: fromE,
  toNorthM: toN,
  toEastM: toE,
  kind: 'lane',
  speedMps: 1.5,
});

// Pure LOS, no crab terms, so the geometry can be checked by hand.
const plain: LosOptions = { ...DEFAULT_LOS_OPTIONS, lookaheadM: 10, switchRadiusM: 3, adaptiveGain: 0, useMeasuredCrab: false };

describe('legErrors', () => {
  it('measures cross-track positive to starboard of the leg', () => {
    // Leg due north from the origin; a point 2 m east is to starboard.
    expect(legErrors(leg(0, 0, 100, 0), 30, 2)).toEqual({ crossTrackM: 2, alongTrackM: 30, lengthM: 100 });
    // Leg due east: starboard is south, so a point 3 m north is at -3.
    const e = legErrors(leg(0, 0, 0, 100), 3, 40);
    expect(e.crossTrackM).toBeCloseTo(-3, 12);
    expect(e.alongTrackM).toBeCloseTo(40, 12);
  });

  it('works on a diagonal leg', () => {
    // Leg from (0,0) toward north-east; point (0, 10): along = 10 cos45 = 7.071, cross = +7.071.
    const e = legErrors(leg(0, 0, 100, 100), 0, 10);
    expect(e.alongTrackM).toBeCloseTo(10 / Math.SQRT2, 12);
    expect(e.crossTrackM).toBeCloseTo(10 / Math.SQRT2, 12);
  });
});

describe('losStep', () => {
  it('steers back toward the leg through the lookahead point', () => {
    const out = createLosOutput();
    // North leg, vessel 10 m to starboard with lookahead 10 m: chi_d = 0 - atan(10/10) = -45 deg.
    losStep(plain, createLosState(), leg(0, 0, 100, 0), 20, 10, 0, 1.5, 0, 0.1, out);
    expect(out.crossTrackM).toBeCloseTo(10, 12);
    expect(out.courseRefRad).toBeCloseTo(-Math.PI / 4, 12);
    expect(out.headingRefRad).toBeCloseTo(-Math.PI / 4, 12);
    expect(out.remainingM).toBeCloseTo(80, 12);
    expect(out.legDone).toBe(false);
  });

  it('heads along the leg when on it, for any leg direction', () => {
    const out = createLosOutput();
    // Leg toward the south-west: pi_p = atan2(-1, -1) = -135 deg.
    losStep(plain, createLosState(), leg(0, 0, -50, -50), -10, -10, 0, 1.5, 0, 0.1, out);
    expect(out.crossTrackM).toBeCloseTo(0, 12);
    expect(out.headingRefRad).toBeCloseTo((-3 * Math.PI) / 4, 12);
  });

  it('turns the bow into a cross current by the measured drift angle', () => {
    const o: LosOptions = { ...plain, useMeasuredCrab: true, crabFilterS: 0 };
    const out = createLosOutput();
    // On the leg, sway 0.2 m/s to starboard at 1.5 m/s surge: beta = atan2(0.2, 1.5) = 0.1326 rad,
    // so the heading reference sits 0.1326 rad to port of the leg.
    losStep(o, createLosState(), leg(0, 0, 100, 0), 10, 0, 0, 1.5, 0.2, 0.1, out);
    expect(out.courseRefRad).toBeCloseTo(0, 12);
    expect(out.headingRefRad).toBeCloseTo(-Math.atan2(0.2, 1.5), 12);
  });

  it('integrates a steady cross-track error into the adaptive crab estimate', () => {
    const o: LosOptions = { ...plain, adaptiveGain: 0.01, adaptZoneM: 5 };
    const state = createLosState();
    const out = createLosOutput();
    // e = 1 m held for 10 s at 10 Hz: d(beta)/dt = 0.01 * 10 * 1 / sqrt(100 + 1) = 0.00995 rad/s -> 0.0995 rad.
    for (let i = 0; i < 100; i++) losStep(o, state, leg(0, 0, 100, 0), 10, 1, 0, 1.5, 0, 0.1, out);
    expect(state.adaptiveCrabRad).toBeCloseTo(0.0995037, 6);
    // Outside the adaptation zone the estimate holds still.
    losStep(o, state, leg(0, 0, 100, 0), 10, 8, 0, 1.5, 0, 0.1, out);
    expect(state.adaptiveCrabRad).toBeCloseTo(0.0995037, 6);
  });

  it('switches legs inside the switching radius or past the end perpendicular', () => {
    const out = createLosOutput();
    const l = leg(0, 0, 100, 0);
    losStep(plain, createLosState(), l, 96.9, 0, 0, 1.5, 0, 0.1, out); // 3.1 m to go
    expect(out.legDone).toBe(false);
    losStep(plain, createLosState(), l, 97.1, 0, 0, 1.5, 0, 0.1, out); // 2.9 m to go
    expect(out.legDone).toBe(true);
    // Far off to the side but past the end's perpendicular: done too, not a U-turn back.
    losStep(plain, createLosState(), l, 101, 30, 0, 1.5, 0, 0.1, out);
    expect(out.remainingM).toBeCloseTo(-1, 12);
    expect(out.legDone).toBe(true);
  });

  it('finishes a zero-length leg at once and holds heading', () => {
    const out = createLosOutput();
    losStep(plain, createLosState(), leg(5, 5, 5, 5), 0, 0, 1.2, 1.5, 0, 0.1, out);
    expect(out.legDone).toBe(true);
    expect(out.headingRefRad).toBeCloseTo(1.2, 12);
  });
});
