// The baseline controller: LOS guidance → heading PID and speed PI → differential thrust.
// Pure: no timers, no I/O; the GuidanceNode feeds it navigation and a leg at a fixed rate.
//
// Control allocation for two fixed thrusters at y = ±b (Fossen 2021 §11.2 for the general
// case): surge force X = L + R, yaw moment N = b (L - R) (see src/model/vessel.ts: a harder
// port thruster turns the bow to starboard), so L = X/2 + N/(2b), R = X/2 - N/(2b). The
// thrusters are asymmetric (reverse is weaker), and when both demands cannot be met the yaw
// moment wins: a boat that cannot steer cannot hold a line, while one that is a little slow can.
import type { NavState } from '../msg/index.ts';
import type { Leg } from '../planning/plan.ts';
import type { VesselParams } from '../model/vessel.ts';
import { clampThrust } from '../model/vessel.ts';
import { wrapPi } from '../geo/index.ts';
import type { LosOptions } from './los.ts';
import { DEFAULT_LOS_OPTIONS, createLosOutput, createLosState, losNewLeg, losStep } from './los.ts';
import type { PidGains } from './pid.ts';
import { createPidState, pidHoldIntegral, pidStep, resetPid } from './pid.ts';

export interface BaselineControllerOptions {
  /** Line-of-sight guidance. */
  los: LosOptions;
  /** Heading loop: yaw moment per radian of heading error. */
  headingKpNmPerRad: number;
  /** Heading loop: yaw moment per radian-second of integrated heading error. */
  headingKiNmPerRadS: number;
  /** Heading loop: yaw moment per rad/s of yaw rate (damping; derivative on the measurement). */
  headingKdNmsPerRad: number;
  /** Largest yaw moment the heading integrator may contribute. */
  headingIntegralLimitNm: number;
  /** Speed loop: surge force per m/s of speed error. */
  speedKpNsPerM: number;
  /** Speed loop: surge force per metre of integrated speed error. */
  speedKiNPerM: number;
  /** Largest surge force the speed integrator may contribute. */
  speedIntegralLimitN: number;
  /** Add the model's calm-water drag at the reference speed as feed-forward surge force. */
  speedFeedForward: boolean;
  /** Scale the speed reference by cos(heading error), floored here, so the vessel slows to turn. */
  turnSpeedFloor: number;
}

export const DEFAULT_BASELINE_OPTIONS: Readonly<BaselineControllerOptions> = Object.freeze({
  los: DEFAULT_LOS_OPTIONS,
  // Otter yaw: m33 = Iz - N_rdot = 37.1 kg m^2, linear damping 37.1 N m s. kp = 120 and
  // kd = 80 put the closed-loop poles near s = -1.6 +- 0.9 i (m33 s^2 + (37 + kd) s + kp), and
  // saturate the 75 N m the thrusters can give at ~35 deg of error. No heading integral by
  // default: integral action lives in the adaptive LOS, where it removes the cross-track
  // offset itself; a heading integrator only winds up in the turns. Trimmed in closed loop
  // (test/control/closed-loop.test.ts): RMS 0.34 m -> 0.04 m against kp 50, kd 45, ki 5.
  headingKpNmPerRad: 120,
  headingKiNmPerRadS: 0,
  headingKdNmsPerRad: 80,
  headingIntegralLimitNm: 10,
  // Surge: m11 = 60.5 kg, X_u = -77.6 N s/m; the feed-forward carries the load, PI trims.
  speedKpNsPerM: 120,
  speedKiNPerM: 30,
  speedIntegralLimitN: 60,
  speedFeedForward: true,
  turnSpeedFloor: 0.3,
});

/** Differential thrust from a surge force and a yaw moment, plus which demand was cut. */
export interface MixOutput {
  leftN: number;
  rightN: number;
  /** The yaw moment asked for exceeded what the thrusters can give. */
  yawLimited: boolean;
  /** The surge force was cut to keep the yaw moment. */
  surgeLimited: boolean;
}

export function createMixOutput(): MixOutput {
  return { leftN: 0, rightN: 0, yawLimited: false, surgeLimited: false };
}

/** Allocates (X, N) to the two thrusters within their asymmetric limits, yaw moment first. */
export function mixThrust(p: VesselParams, surgeForceN: number, yawMomentNm: number, out: MixOutput): MixOutput {
  const fwd = p.maxForwardThrustN;
  const rev = p.maxReverseThrustN;
  const x = Number.isFinite(surgeForceN) ? surgeForceN : 0;
  const n = Number.isFinite(yawMomentNm) ? yawMomentNm : 0;
  // Differential D = L - R; its extreme is one thruster full ahead, the other full astern.
  const dMax = fwd + rev;
  let d = n / p.thrusterYM;
  out.yawLimited = Math.abs(d) > dMax;
  if (d > dMax) d = dMax;
  if (d < -dMax) d = -dMax;
  // With D fixed, L = (S + D)/2 and R = (S - D)/2 must both lie in [-rev, fwd]:
  // S in [-2 rev + |D|, 2 fwd - |D|], never empty since |D| <= fwd + rev.
  const sLo = -2 * rev + Math.abs(d);
  const sHi = 2 * fwd - Math.abs(d);
  const s = Math.min(sHi, Math.max(sLo, x));
  out.surgeLimited = s !== x;
  out.leftN = clampThrust(p, (s + d) / 2);
  out.rightN = clampThrust(p, (s - d) / 2);
  return out;
}

export interface BaselineOutput {
  leftN: number;
  rightN: number;
  headingRefRad: number;
  speedRefMps: number;
  crossTrackM: number;
  alongTrackM: number;
  remainingM: number;
  /** LOS switching condition: the caller moves to the next leg. */
  legDone: boolean;
  yawLimited: boolean;
  surgeLimited: boolean;
}

export class BaselineController {
  private readonly headingGains: PidGains;
  private readonly speedGains: PidGains;
  private readonly headingPid = createPidState();
  private readonly speedPid = createPidState();
  private readonly losState = createLosState();
  private readonly los = createLosOutput();
  private readonly mix = createMixOutput();
  private readonly out: BaselineOutput = {
    leftN: 0,
    rightN: 0,
    headingRefRad: 0,
    speedRefMps: 0,
    crossTrackM: 0,
    alongTrackM: 0,
    remainingM: 0,
    legDone: false,
    yawLimited: false,
    surgeLimited: false,
  };

  constructor(
    private readonly options: BaselineControllerOptions,
    private readonly params: VesselParams,
  ) {
    const maxMomentNm = params.thrusterYM * (params.maxForwardThrustN + params.maxReverseThrustN);
    this.headingGains = {
      kp: options.headingKpNmPerRad,
      ki: options.headingKiNmPerRadS,
      kd: options.headingKdNmsPerRad,
      outMin: -maxMomentNm,
      outMax: maxMomentNm,
      integralLimit: options.headingIntegralLimitNm,
    };
    this.speedGains = {
      kp: options.speedKpNsPerM,
      ki: options.speedKiNPerM,
      kd: 0,
      outMin: -2 * params.maxReverseThrustN,
      outMax: 2 * params.maxForwardThrustN,
      integralLimit: options.speedIntegralLimitN,
    };
  }

  /** Forgets integrators and filters (after a pause, a mode change or stale navigation). */
  reset(): void {
    resetPid(this.headingPid);
    resetPid(this.speedPid);
    this.losState.adaptiveCrabRad = 0;
    this.losState.measuredCrabRad = 0;
  }

  /** Call when the active leg changes. */
  newLeg(): void {
    losNewLeg(this.losState);
  }

  /** Residual crab estimate of the adaptive LOS (for telemetry and tests). */
  get adaptiveCrabRad(): number {
    return this.losState.adaptiveCrabRad;
  }

  /**
   * One control step on `leg`. The returned object is reused by the next call. Navigation
   * must be valid and finite (the node checks); anything else gives zero thrust.
   */
  step(nav: NavState, leg: Leg, dtS: number): BaselineOutput {
    const out = this.out;
    if (!navUsable(nav) || !(dtS > 0)) {
      out.leftN = 0;
      out.rightN = 0;
      out.legDone = false;
      return out;
    }
    const los = losStep(this.options.los, this.losState, leg, nav.northM, nav.eastM, nav.yawRad, nav.uMps, nav.vMps, dtS, this.los);
    const headingErr = wrapPi(los.headingRefRad - nav.yawRad);
    const momentNm = pidStep(this.headingGains, this.headingPid, headingErr, nav.yawRad, dtS, nav.rRadps);

    const legSpeed = Number.isFinite(leg.speedMps) ? Math.max(0, leg.speedMps) : 0;
    const uRef = legSpeed * Math.max(this.options.turnSpeedFloor, Math.cos(headingErr));
    const p = this.params;
    const ff = this.options.speedFeedForward ? -(p.xuNsPerM + p.xuuNs2PerM2 * uRef) * uRef : 0;
    this.speedGains.outMin = -2 * p.maxReverseThrustN - ff;
    this.speedGains.outMax = 2 * p.maxForwardThrustN - ff;
    const speedErr = uRef - nav.uMps;
    const surgeN = ff + pidStep(this.speedGains, this.speedPid, speedErr, nav.uMps, dtS);

    const mix = mixThrust(p, surgeN, momentNm, this.mix);
    // The mixer cut surge to keep steering: do not let the speed integrator chase it.
    if (mix.surgeLimited && Math.sign(this.speedPid.lastIncrement) === Math.sign(surgeN - (mix.leftN + mix.rightN))) {
      pidHoldIntegral(this.speedPid);
    }
    out.leftN = mix.leftN;
    out.rightN = mix.rightN;
    out.headingRefRad = los.headingRefRad;
    out.speedRefMps = uRef;
    out.crossTrackM = los.crossTrackM;
    out.alongTrackM = los.alongTrackM;
    out.remainingM = los.remainingM;
    out.legDone = los.legDone;
    out.yawLimited = mix.yawLimited;
    out.surgeLimited = mix.surgeLimited;
    return out;
  }
}

/** Valid, and every field the controller reads is finite. */
export function navUsable(nav: NavState): boolean {
  return (
    nav.valid &&
    Number.isFinite(nav.northM) &&
    Number.isFinite(nav.eastM) &&
    Number.isFinite(nav.yawRad) &&
    Number.isFinite(nav.uMps) &&
    Number.isFinite(nav.vMps) &&
    Number.isFinite(nav.rRadps)
  );
}
