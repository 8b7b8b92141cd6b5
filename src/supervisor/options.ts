// Settings of the safety supervisor, with their defaults.
import { z } from 'zod';
import type { Refinements } from '../config/derive.ts';
import type { FailsafeAction, ModePolicy } from './modes.ts';

/** Every watchdog that can ask for a failsafe action. */
export const TRIGGERS = [
  'gnssStale',
  'imuStale',
  'imuFrozen',
  'sonarStale',
  'navDegraded',
  'estimatorGating',
  'controllerOverrun',
  'actuatorTimeout',
  'operatorLink',
  'timeBudget',
  'shallowWater',
  'geofence',
  'clockSkew',
  'nodeFault',
  'alarm',
] as const;
export type TriggerKind = (typeof TRIGGERS)[number];

export interface GeofenceOptions {
  /** The fence is the shoreline moved inwards by this much. */
  marginM: number;
  /** Seconds between a command and the thrusters acting on it, covered at the current speed. */
  reactionS: number;
  /** Deceleration counted on when braking (full astern on both thrusters gives ~2 m/s^2; kept low on purpose). */
  brakeDecelMps2: number;
  /** The check always looks at least this far ahead of the bow. */
  minLookAheadM: number;
}

export interface StationKeepingOptions {
  /** HOLD: inside this radius of the hold point the thrusters rest. */
  holdRadiusM: number;
  /** HOLD: speed of the way back to the hold point. */
  holdSpeedMps: number;
  /** RETURN: a breadcrumb of the travelled path every this many metres. */
  crumbSpacingM: number;
  /** RETURN: a breadcrumb counts as reached within this distance. */
  crumbReachedM: number;
  /** RETURN: speed along the retraced path. */
  returnSpeedMps: number;
}

export interface SupervisorOptions extends ModePolicy {
  /** How often the watchdogs run. */
  rateHz: number;
  /** Navigation older than this is lost. */
  navTimeoutS: number;
  /** Navigation whose 1-sigma position error exceeds this is lost (nothing can steer on it). */
  navLostSigmaM: number;
  /** Navigation whose 1-sigma position error exceeds this is degraded (trigger navDegraded). */
  navDegradedSigmaM: number;
  /** Navigation whose speed differs from the GNSS speed over ground by more than this ... */
  navSpeedMismatchMps: number;
  /** ... for this long is lost (a diverged estimator steers as badly as none). */
  navSpeedMismatchS: number;
  /** No GNSS fix with quality > 0 for this long: gnssStale. */
  gnssTimeoutS: number;
  /** No IMU sample for this long: imuStale. */
  imuTimeoutS: number;
  /** This many consecutive bit-identical IMU samples: imuFrozen (real sensor noise never repeats). */
  imuFrozenSamples: number;
  /** No sounding for this long: sonarStale. */
  sonarTimeoutS: number;
  /** GNSS fixes rejected by the estimator's innovation gate within gateWindowS: estimatorGating. */
  gatedFixesLimit: number;
  gateWindowS: number;
  /** Controller deadline overruns within overrunWindowS: controllerOverrun. */
  overrunLimit: number;
  overrunWindowS: number;
  /** Without an operator heartbeat for this long (once one has been heard): operatorLink. */
  operatorLinkTimeoutS: number;
  /** Mission time budget (battery endurance with reserve), seconds from start: timeBudget. */
  missionTimeBudgetS: number;
  /** This many consecutive soundings shallower than minDepthM (below the transducer): shallowWater. */
  minDepthM: number;
  shallowSamples: number;
  /** A sample stamped further than this from the clock: clockSkew (and the sample is not trusted). */
  clockSkewS: number;
  /** What each watchdog asks for. */
  actions: Record<TriggerKind, FailsafeAction>;
  /** Detector alarms below this severity are logged only. */
  alarmMinSeverity: 'low' | 'medium' | 'high';
  geofence: GeofenceOptions;
  stationKeeping: StationKeepingOptions;
  /** Times a failed node may be restarted before its failure is final. */
  maxNodeRestarts: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  autoStart: true,
  rateHz: 10,
  navTimeoutS: 1.0,
  navLostSigmaM: 15,
  navDegradedSigmaM: 4,
  navSpeedMismatchMps: 1.0,
  navSpeedMismatchS: 2,
  gnssTimeoutS: 2.0,
  imuTimeoutS: 0.5,
  imuFrozenSamples: 25,
  sonarTimeoutS: 3.0,
  gatedFixesLimit: 10,
  gateWindowS: 5,
  overrunLimit: 5,
  overrunWindowS: 10,
  operatorLinkTimeoutS: 5,
  missionTimeBudgetS: 4 * 3600,
  // Below the transducer (0.1 m down): 0.45 m of water, 0.32 m under a 0.13 m keel.
  minDepthM: 0.35,
  shallowSamples: 5,
  clockSkewS: 2,
  // Drift (zero thrust) when the heading or the clock is in doubt: station keeping on a frozen
  // heading drives the vessel somewhere it does not know. A GNSS jump holds: the station
  // keeper moves its point with any reset of the estimate (safety-node.ts), so it holds its
  // place in the world, where drifting in the current can reach the shore (chaos seed 32). Outside
  // the fence: hold, not return; an estimate outside the fence is as often a position jump
  // the estimator has reset to as a real excursion, and retracing the path from a false
  // position drives the vessel ashore (chaos seed 32). The safety filter lets it drive inwards.
  actions: {
    gnssStale: 'hold',
    imuStale: 'drift',
    imuFrozen: 'drift',
    sonarStale: 'return', // a silent sounder is as often too shallow (inside its blanking range) as broken
    navDegraded: 'hold',
    estimatorGating: 'hold',
    controllerOverrun: 'hold',
    actuatorTimeout: 'hold',
    operatorLink: 'return',
    timeBudget: 'return',
    shallowWater: 'return',
    geofence: 'hold',
    clockSkew: 'drift',
    nodeFault: 'hold',
    alarm: 'hold',
  },
  alarmMinSeverity: 'high',
  // 6 m: the generated lakes shoal towards the shore, and 3 m from it the water is already
  // shallower than the 0.13 m draft; the survey keeps 15 m (survey.marginM).
  geofence: { marginM: 6, reactionS: 0.5, brakeDecelMps2: 1.0, minLookAheadM: 3 },
  stationKeeping: { holdRadiusM: 3, holdSpeedMps: 0.6, crumbSpacingM: 5, crumbReachedM: 4, returnSpeedMps: 1.0 },
  maxNodeRestarts: 3,
};

const action = z.enum(['hold', 'return', 'drift']);
const positive = z.number().positive();

/** Ranges and enumerations, by path relative to the `supervisor` section. */
export const SUPERVISOR_REFINEMENTS: Refinements = {
  navTimeoutS: positive,
  rateHz: z.number().min(1).max(100),
  navLostSigmaM: positive,
  navDegradedSigmaM: positive,
  navSpeedMismatchMps: positive,
  navSpeedMismatchS: positive,
  gnssTimeoutS: positive,
  imuTimeoutS: positive,
  imuFrozenSamples: z.number().int().min(2),
  sonarTimeoutS: positive,
  gatedFixesLimit: z.number().int().min(1),
  gateWindowS: positive,
  overrunLimit: z.number().int().min(1),
  overrunWindowS: positive,
  operatorLinkTimeoutS: positive,
  missionTimeBudgetS: positive,
  minDepthM: z.number().nonnegative(),
  shallowSamples: z.number().int().min(1),
  clockSkewS: positive,
  ...Object.fromEntries(TRIGGERS.map((t) => [`actions.${t}`, action])),
  alarmMinSeverity: z.enum(['low', 'medium', 'high']),
  'geofence.marginM': z.number().nonnegative(),
  'geofence.reactionS': z.number().nonnegative(),
  'geofence.brakeDecelMps2': positive,
  'geofence.minLookAheadM': z.number().nonnegative(),
  'stationKeeping.holdRadiusM': positive,
  'stationKeeping.holdSpeedMps': positive,
  'stationKeeping.crumbSpacingM': positive,
  'stationKeeping.crumbReachedM': positive,
  'stationKeeping.returnSpeedMps': positive,
  maxNodeRestarts: z.number().int().nonnegative(),
};
