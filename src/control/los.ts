// Line-of-sight path following for straight legs (Fossen, Handbook of Marine Craft
// Hydrodynamics and Motion Control, 2nd ed., 2021, §12.4).
//
// Path-tangential angle pi_p = atan2(dE, dN). Along- and cross-track errors of the vessel at p,
// leg from p0 (marine NED):
//   s = (pN - p0N) cos pi_p + (pE - p0E) sin pi_p
//   e = -(pN - p0N) sin pi_p + (pE - p0E) cos pi_p      (positive to starboard of the leg)
// Lookahead LOS course: chi_d = pi_p - atan(e / Delta). A current makes the vessel crab: its
// course over ground is chi = psi + beta with beta = atan2(v, u) over ground, so the heading
// reference is psi_d = chi_d - beta. Beta is taken from the navigation solution (filtered), and
// what that misses (a biased sway estimate, a heading-loop offset) is removed by the adaptive
// LOS estimate beta_hat of Fossen, Pettersen & Galeazzi (IEEE TCST 23(2), 2015):
//   psi_d = pi_p - beta_hat - atan(e / Delta),   d(beta_hat)/dt = gamma * Delta * e / sqrt(Delta^2 + e^2).
import { wrapPi } from '../geo/index.ts';
import type { Leg } from '../planning/plan.ts';

export interface LosOptions {
  /** Lookahead distance Delta: smaller converges faster, larger oscillates less. */
  lookaheadM: number;
  /** A leg is done when the along-track distance left is below this (or negative: the end's perpendicular is passed). */
  switchRadiusM: number;
  /** Adaptation gain gamma of the residual crab estimate, rad per (m s). 0 turns it off. */
  adaptiveGain: number;
  /** Bound on the residual crab estimate. */
  maxAdaptiveCrabRad: number;
  /** Adapt only when the cross-track error is below this, so a leg entered far off does not wind it up. */
  adaptZoneM: number;
  /** Use the measured drift angle atan2(v, u) as feed-forward. */
  useMeasuredCrab: boolean;
  /** Time constant of the low-pass on the measured drift angle. */
  crabFilterS: number;
  /** Bound on the measured drift angle used. */
  maxMeasuredCrabRad: number;
  /** Below this speed over ground the drift angle is meaningless and is not updated. */
  minSpeedForCrabMps: number;
}

export const DEFAULT_LOS_OPTIONS: Readonly<LosOptions> = Object.freeze({
  lookaheadM: 6,
  switchRadiusM: 3,
  adaptiveGain: 0.002,
  maxAdaptiveCrabRad: 0.3,
  adaptZoneM: 4,
  useMeasuredCrab: true,
  crabFilterS: 2,
  maxMeasuredCrabRad: 0.6,
  minSpeedForCrabMps: 0.5,
});

export interface LosState {
  /** Residual crab estimate of adaptive LOS, reset at each new leg (it depends on the leg's direction). */
  adaptiveCrabRad: number;
  /** Low-passed measured drift angle. */
  measuredCrabRad: number;
}

export function createLosState(): LosState {
  return { adaptiveCrabRad: 0, measuredCrabRad: 0 };
}

export interface LosOutput {
  /** Heading reference, (-pi, pi]. */
  headingRefRad: number;
  /** Course-over-ground reference, (-pi, pi]. */
  courseRefRad: number;
  /** Signed cross-track error, positive to starboard of the leg. */
  crossTrackM: number;
  /** Distance travelled along the leg from its start. */
  alongTrackM: number;
  /** Along-track distance left to the leg's end (negative once past it). */
  remainingM: number;
  /** The switching condition holds: move on to the next leg. */
  legDone: boolean;
}

export function createLosOutput(): LosOutput {
  return { headingRefRad: 0, courseRefRad: 0, crossTrackM: 0, alongTrackM: 0, remainingM: 0, legDone: false };
}

/** Cross-track and along-track errors of a point relative to a leg (pure geometry, for metrics too). */
export function legErrors(leg: Leg, northM: number, eastM: number): { crossTrackM: number; alongTrackM: number; lengthM: number } {
  const dN = leg.toNorthM - leg.fromNorthM;
  const dE = leg.toEastM - leg.fromEastM;
  const lengthM = Math.hypot(dN, dE);
  if (lengthM === 0) return { crossTrackM: 0, alongTrackM: 0, lengthM };
  const c = dN / lengthM;
  const s = dE / lengthM;
  const rn = northM - leg.fromNorthM;
  const re = eastM - leg.fromEastM;
  return { crossTrackM: -rn * s + re * c, alongTrackM: rn * c + re * s, lengthM };
}

/**
 * One guidance step: writes references and errors into `out` (no allocation). `uMps`, `vMps`
 * are body velocities over ground. Inputs are assumed finite (the caller checks nav).
 */
export function losStep(
  o: LosOptions,
  state: LosState,
  leg: Leg,
  northM: number,
  eastM: number,
  yawRad: number,
  uMps: number,
  vMps: number,
  dtS: number,
  out: LosOutput,
): LosOutput {
  const dN = leg.toNorthM - leg.fromNorthM;
  const dE = leg.toEastM - leg.fromEastM;
  const length = Math.hypot(dN, dE);
  if (!(length > 1e-6)) {
    // A zero-length leg has no direction; hold heading and move on.
    out.headingRefRad = wrapPi(yawRad);
    out.courseRefRad = out.headingRefRad;
    out.crossTrackM = 0;
    out.alongTrackM = 0;
    out.remainingM = 0;
    out.legDone = true;
    return out;
  }
  const cp = dN / length;
  const sp = dE / length;
  const piP = Math.atan2(dE, dN);
  const rn = northM - leg.fromNorthM;
  const re = eastM - leg.fromEastM;
  const e = -rn * sp + re * cp;
  const s = rn * cp + re * sp;
  const delta = o.lookaheadM;

  if (o.useMeasuredCrab && Math.hypot(uMps, vMps) >= o.minSpeedForCrabMps && dtS > 0) {
    let beta = Math.atan2(vMps, uMps);
    beta = Math.min(o.maxMeasuredCrabRad, Math.max(-o.maxMeasuredCrabRad, beta));
    const a = o.crabFilterS > 0 ? Math.min(1, dtS / o.crabFilterS) : 1;
    state.measuredCrabRad += a * (beta - state.measuredCrabRad);
  } else if (!o.useMeasuredCrab) {
    state.measuredCrabRad = 0;
  }
  if (o.adaptiveGain > 0 && Math.abs(e) < o.adaptZoneM && dtS > 0) {
    const next = state.adaptiveCrabRad + dtS * o.adaptiveGain * delta * e / Math.sqrt(delta * delta + e * e);
    state.adaptiveCrabRad = Math.min(o.maxAdaptiveCrabRad, Math.max(-o.maxAdaptiveCrabRad, next));
  }

  const chiD = piP - Math.atan(e / delta);
  out.courseRefRad = wrapPi(chiD);
  out.headingRefRad = wrapPi(chiD - state.measuredCrabRad - state.adaptiveCrabRad);
  out.crossTrackM = e;
  out.alongTrackM = s;
  out.remainingM = length - s;
  out.legDone = length - s < o.switchRadiusM;
  return out;
}

/** Call when a new leg starts: the residual crab belongs to the old leg's direction. */
export function losNewLeg(state: LosState): void {
  state.adaptiveCrabRad = 0;
}
