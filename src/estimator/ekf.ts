// The navigation EKF: state, initialisation and model-based prediction. Pure and
// allocation-free after createEkf; the measurement updates live in update.ts.
//
// State (NED, Fossen conventions; see src/model/vessel.ts):
//   0 north, 1 east [m]         observed directly by GNSS position
//   2 yaw [rad]                 integrates r; observed by IMU yaw (biased), true heading, and by
//                               GNSS velocity through the model (the hull moves through the
//                               water roughly along its heading)
//   3 u, 4 v [m/s] over ground  propagated by the boat model from the commanded thrust; observed
//                               by GNSS velocity
//   5 r [rad/s]                 propagated by the model (differential thrust); observed by gyro
//   6, 7 current north, east    random walk. Without it the model predicts through-water speed
//                               and fights GNSS velocity whenever there is current. Observable
//                               because the model predicts velocity through the water from thrust
//                               and GNSS measures it over ground.
//   8 gyro z bias [rad/s]       random walk; observable because yaw integrates r and yaw is
//                               anchored by heading and course.
//   9 IMU heading bias [rad]    random walk; the IMU yaw is magnetic-ish. Observable only while
//                               the vessel moves and turns: on a straight leg a heading bias and a
//                               cross-current produce the same course, so the turns of a survey
//                               are what pin it down (its variance grows back on long legs).
//  10 thrust effectiveness [-]  random walk around 1: the factor on the delivered thrust that
//                               makes the model's thrust-to-drag ratio the real vessel's. A boat
//                               heavier, draggier or with weaker propellers than VesselParams says
//                               otherwise predicts the wrong speed on every leg, and the filter
//                               would explain it with a current that flips sign at every turn.
//                               Separable from the current because the current is fixed in the
//                               earth frame and the thrust's effect turns with the hull. One
//                               factor for surge and yaw: mass and damping errors of the same
//                               sign (payload) scale both alike.
//  11 yaw acceleration bias     random walk: the yaw moment the model does not know of, divided
//     [rad/s^2]                 by the yaw inertia (a steady wind moment, thrusters unequal or
//                               saturating before the model's limit). Without it a steady
//                               differential thrust that only holds the boat straight makes the
//                               model predict a turn; the gyro pulls r back every step and the
//                               persistent pull ends up in the gyro bias and, through it, as a
//                               degrees-large yaw offset on every long leg.
//
// Model trust. Even with that state the model is wrong in ways no state describes (thrusters
// saturating earlier than the model's, a snag, waves), mostly in turns. The surge/sway and
// yaw-rate process noise are therefore scaled by factors that follow the GNSS-velocity and gyro
// innovations (adapt.ts): when the measurements keep disagreeing with the model more than the
// filter expects, the filter leans on the measurements instead of gating them. The slow states
// that correct the model (thrust effectiveness, yaw-acceleration bias) follow the same factors:
// a model that stopped fitting is what they are there to learn, so their random walks widen with
// it. Tuned for a drifting boat (fouling, payload, a steady wind moment), they would otherwise
// need minutes to learn a step change, and as long again to unlearn it when the change goes away
// (a thruster that recovers, a snag that comes free), with the gyro and GNSS velocity innovations
// large all that time. While the model fits, the factors are 1 and the states drift as tuned.
//
// Not a state: the GNSS position bias. A Gauss-Markov receiver error (~1 m, tens of seconds) is
// indistinguishable from the vessel being 1 m elsewhere unless a second absolute position
// source exists, so a bias state would only ever hold its prior. Instead the GNSS position
// sigma covers it (options), and the filter's gain comes from smoothing the white part with
// velocity and the model, not from removing the bias.
//
// Delivered thrust is tracked deterministically through the thrusters' first-order lag (time
// constant from VesselParams) rather than as states: it is driven by a known command and the
// lag (0.1 s on the Otter) is too fast for a measurement to add anything.
import type { VesselEnv, VesselParams, VesselState } from '../model/vessel.ts';
import { clampThrust, vesselDerivative } from '../model/vessel.ts';
import { wrapPi } from '../geo/index.ts';
import { allFinite, positiveDiagonal, propagateCovariance, symmetrise } from './matrix.ts';
import type { EstimatorOptions } from './options.ts';

/** Indices into EkfState.x. */
export const X = Object.freeze({
  north: 0,
  east: 1,
  yaw: 2,
  u: 3,
  v: 4,
  r: 5,
  currentNorth: 6,
  currentEast: 7,
  gyroBias: 8,
  headingBias: 9,
  thrustGain: 10,
  yawAccelBias: 11,
});
export const STATE_SIZE = 12;
const N = STATE_SIZE;
/** Rows of the transition matrix that the boat model fills; the rest are identity rows. */
const VESSEL_ROWS = 6;

export type MeasurementKind = 'gnssPosition' | 'gnssVelocity' | 'heading' | 'yawRate';
export const MEASUREMENT_KINDS: readonly MeasurementKind[] = ['gnssPosition', 'gnssVelocity', 'heading', 'yawRate'];

/** accepted; gated (outlier: NIS above the gate); reset (a long gated streak ended in a reset
 * and this measurement was applied); invalid (non-finite input or result; state kept). */
export type UpdateStatus = 'accepted' | 'gated' | 'reset' | 'invalid' | 'uninitialised';

export interface UpdateOutcome {
  status: UpdateStatus;
  /** Normalised innovation squared, y' S^-1 y (NaN when it could not be formed). */
  nis: number;
}

export interface MeasurementCounts {
  accepted: number;
  gated: number;
  resets: number;
  invalid: number;
}

export type PredictStatus = 'ok' | 'rejected' | 'lost' | 'uninitialised';

export interface PredictCounts {
  /** Accepted predictions. */
  predictions: number;
  /** Rejected: negative or non-finite dt, or a non-finite result. */
  rejected: number;
  /** Predictions longer than maxPredictS: the solution was dropped. */
  lost: number;
}

/** Preallocated working memory; nothing in the filter allocates after createEkf. */
export interface EkfScratch {
  readonly H: Float64Array;
  readonly y: Float64Array;
  readonly R: Float64Array;
  readonly PHt: Float64Array;
  readonly S: Float64Array;
  readonly Sinv: Float64Array;
  readonly K: Float64Array;
  readonly xNew: Float64Array;
  readonly xTmp: Float64Array;
  readonly A: Float64Array;
  readonly T: Float64Array;
  readonly Pnew: Float64Array;
  readonly k1: Float64Array;
  readonly k2: Float64Array;
  readonly k3: Float64Array;
  readonly k4: Float64Array;
  readonly fp: Float64Array;
  readonly fm: Float64Array;
  readonly q: Float64Array;
  /** Variances given back to a state on a reset (plus the innovation squared for the states the measurement observes). */
  readonly resetVar: Float64Array;
  readonly vessel: VesselState;
  readonly env: VesselEnv;
}

export interface ModelTrust {
  /** Factor on the surge, sway and thrust-effectiveness process variance, from GNSS-velocity innovations. */
  velocityScale: number;
  /** Factor on the yaw-rate and yaw-acceleration-bias process variance, from gyro innovations. */
  yawRateScale: number;
  /** Filter time of the last adaptation of each factor (NaN: none yet). */
  velocityAtS: number;
  yawRateAtS: number;
}

export interface EkfState {
  readonly options: Readonly<EstimatorOptions>;
  readonly params: Readonly<VesselParams>;
  initialised: boolean;
  /** State vector, indexed by X. */
  readonly x: Float64Array;
  /** Covariance, row-major N x N. */
  readonly P: Float64Array;
  /** Seconds of accepted prediction since creation (the filter's own time base). */
  timeS: number;
  /** Thrust actually delivered after the thrusters' lag. */
  deliveredLeftN: number;
  deliveredRightN: number;
  readonly counts: Record<MeasurementKind, MeasurementCounts>;
  readonly predictCounts: PredictCounts;
  /** Consecutive gated measurements per kind and the filter time the streak began. */
  readonly gatedStreak: Record<MeasurementKind, { count: number; sinceS: number }>;
  /** Process-noise factors that follow the innovations (see adapt.ts); 1 when the model fits. */
  readonly modelTrust: ModelTrust;
  /** The outcome object every update returns: overwritten by the next update, copy to keep. */
  readonly outcome: UpdateOutcome;
  readonly scratch: EkfScratch;
}

export function createEkf(options: Readonly<EstimatorOptions>, params: Readonly<VesselParams>): EkfState {
  const counts = {} as Record<MeasurementKind, MeasurementCounts>;
  const gatedStreak = {} as Record<MeasurementKind, { count: number; sinceS: number }>;
  for (const k of MEASUREMENT_KINDS) {
    counts[k] = { accepted: 0, gated: 0, resets: 0, invalid: 0 };
    gatedStreak[k] = { count: 0, sinceS: 0 };
  }
  const o = options;
  const resetVar = new Float64Array(N);
  resetVar[X.north] = 1;
  resetVar[X.east] = 1;
  resetVar[X.yaw] = o.initialHeadingBiasSigmaRad ** 2 + o.imuYawSigmaRad ** 2;
  resetVar[X.u] = o.initialVelocitySigmaMps ** 2;
  resetVar[X.v] = o.initialVelocitySigmaMps ** 2;
  resetVar[X.r] = o.initialYawRateSigmaRadps ** 2;
  resetVar[X.currentNorth] = o.initialCurrentSigmaMps ** 2;
  resetVar[X.currentEast] = o.initialCurrentSigmaMps ** 2;
  resetVar[X.gyroBias] = o.initialGyroBiasSigmaRadps ** 2;
  resetVar[X.headingBias] = o.initialHeadingBiasSigmaRad ** 2;
  resetVar[X.thrustGain] = o.initialThrustGainSigma ** 2;
  resetVar[X.yawAccelBias] = o.initialYawAccelBiasSigmaRadps2 ** 2;
  return {
    options,
    params,
    initialised: false,
    x: new Float64Array(N),
    P: new Float64Array(N * N),
    timeS: 0,
    deliveredLeftN: 0,
    deliveredRightN: 0,
    counts,
    predictCounts: { predictions: 0, rejected: 0, lost: 0 },
    gatedStreak,
    modelTrust: { velocityScale: 1, yawRateScale: 1, velocityAtS: Number.NaN, yawRateAtS: Number.NaN },
    outcome: { status: 'uninitialised', nis: Number.NaN },
    scratch: {
      H: new Float64Array(2 * N),
      y: new Float64Array(2),
      R: new Float64Array(4),
      PHt: new Float64Array(2 * N),
      S: new Float64Array(4),
      Sinv: new Float64Array(4),
      K: new Float64Array(2 * N),
      xNew: new Float64Array(N),
      xTmp: new Float64Array(N),
      A: new Float64Array(N * N),
      T: new Float64Array(N * N),
      Pnew: new Float64Array(N * N),
      k1: new Float64Array(6),
      k2: new Float64Array(6),
      k3: new Float64Array(6),
      k4: new Float64Array(6),
      fp: new Float64Array(6),
      fm: new Float64Array(6),
      q: new Float64Array(N),
      resetVar,
      vessel: { northM: 0, eastM: 0, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0 },
      env: { currentNorthMps: 0, currentEastMps: 0, forceNorthN: 0, forceEastN: 0, momentNm: 0, extraDragNsPerM: 0 },
    },
  };
}

export interface EkfInit {
  northM: number;
  eastM: number;
  positionSigmaM: number;
  yawRad: number;
  /** White part of the heading's uncertainty. */
  yawSigmaRad: number;
  /** The heading came from the biased IMU/magnetic sensor: yaw and heading bias start anti-correlated. */
  yawIncludesBias: boolean;
  /** Velocity over ground in NED, when GNSS gave one. */
  velocityNorthMps?: number;
  velocityEastMps?: number;
}

/** Starts (or restarts) the filter. Returns false, leaving it uninitialised, on non-finite input. */
export function initialiseEkf(ekf: EkfState, init: EkfInit): boolean {
  const o = ekf.options;
  const vn = init.velocityNorthMps ?? 0;
  const ve = init.velocityEastMps ?? 0;
  if (
    !Number.isFinite(init.northM) ||
    !Number.isFinite(init.eastM) ||
    !Number.isFinite(init.yawRad) ||
    !(init.positionSigmaM > 0 && init.positionSigmaM < Infinity) ||
    !(init.yawSigmaRad > 0 && init.yawSigmaRad < Infinity) ||
    !Number.isFinite(vn) ||
    !Number.isFinite(ve)
  ) {
    return false;
  }
  const { x, P } = ekf;
  x.fill(0);
  P.fill(0);
  x[X.north] = init.northM;
  x[X.east] = init.eastM;
  x[X.yaw] = wrapPi(init.yawRad);
  const c = Math.cos(x[X.yaw]);
  const s = Math.sin(x[X.yaw]);
  x[X.u] = vn * c + ve * s;
  x[X.v] = -vn * s + ve * c;
  const diag = (i: number, v: number): void => {
    P[i * N + i] = v;
  };
  diag(X.north, init.positionSigmaM ** 2);
  diag(X.east, init.positionSigmaM ** 2);
  const sb2 = o.initialHeadingBiasSigmaRad ** 2;
  diag(X.yaw, init.yawSigmaRad ** 2 + (init.yawIncludesBias ? sb2 : 0));
  diag(X.headingBias, sb2);
  if (init.yawIncludesBias) {
    // yaw = z - b: an unknown bias is an equal and opposite unknown in yaw.
    P[X.yaw * N + X.headingBias] = -sb2;
    P[X.headingBias * N + X.yaw] = -sb2;
  }
  diag(X.u, o.initialVelocitySigmaMps ** 2);
  diag(X.v, o.initialVelocitySigmaMps ** 2);
  diag(X.r, o.initialYawRateSigmaRadps ** 2);
  diag(X.currentNorth, o.initialCurrentSigmaMps ** 2);
  diag(X.currentEast, o.initialCurrentSigmaMps ** 2);
  diag(X.gyroBias, o.initialGyroBiasSigmaRadps ** 2);
  x[X.thrustGain] = 1;
  diag(X.thrustGain, o.initialThrustGainSigma ** 2);
  diag(X.yawAccelBias, o.initialYawAccelBiasSigmaRadps2 ** 2);
  const mt = ekf.modelTrust;
  mt.velocityScale = 1;
  mt.yawRateScale = 1;
  mt.velocityAtS = Number.NaN;
  mt.yawRateAtS = Number.NaN;
  for (const k of MEASUREMENT_KINDS) ekf.gatedStreak[k].count = 0;
  ekf.initialised = true;
  return true;
}

/**
 * Propagates the filter by dtS under the commanded thrust (clamped to what the thrusters can
 * deliver, then lagged). dtS < 0 or non-finite is rejected; dtS > maxPredictS drops the solution.
 */
export function predict(ekf: EkfState, leftN: number, rightN: number, dtS: number): PredictStatus {
  return propagate(ekf, clampThrust(ekf.params, leftN), clampThrust(ekf.params, rightN), dtS, true);
}

/**
 * Propagates with a constant-velocity model and larger process noise, for when no thrust
 * command is known (a replay of a manned run): the boat model would otherwise brake the
 * estimate to the current every step.
 */
export function predictWithoutThrust(ekf: EkfState, dtS: number): PredictStatus {
  return propagate(ekf, 0, 0, dtS, false);
}

function propagate(ekf: EkfState, leftCmd: number, rightCmd: number, dtS: number, thrustKnown: boolean): PredictStatus {
  if (!(dtS >= 0) || dtS === Infinity) {
    ekf.predictCounts.rejected++;
    return 'rejected';
  }
  if (!ekf.initialised) return 'uninitialised';
  if (dtS === 0) return 'ok';
  if (dtS > ekf.options.maxPredictS) {
    ekf.initialised = false;
    ekf.predictCounts.lost++;
    return 'lost';
  }
  const steps = Math.max(1, Math.ceil(dtS / ekf.options.maxStepS));
  const h = dtS / steps;
  const tau = ekf.params.thrusterTimeConstantS;
  const alpha = tau > 0 ? 1 - Math.exp(-h / tau) : 1;
  for (let i = 0; i < steps; i++) {
    // The lag is integrated exactly for a command held over the sub-step.
    ekf.deliveredLeftN += alpha * (leftCmd - ekf.deliveredLeftN);
    ekf.deliveredRightN += alpha * (rightCmd - ekf.deliveredRightN);
    if (!substep(ekf, h, thrustKnown)) {
      // Sub-steps already taken stand: each was checked finite before it was committed.
      ekf.predictCounts.rejected++;
      return 'rejected';
    }
    ekf.timeS += h;
  }
  ekf.predictCounts.predictions++;
  return 'ok';
}

/** Writes [n', e', psi', u', v', r'] for the state xs into out. */
function derivative(ekf: EkfState, xs: Float64Array, thrustKnown: boolean, out: Float64Array): void {
  const sc = ekf.scratch;
  if (thrustKnown) {
    const s = sc.vessel;
    s.northM = xs[X.north];
    s.eastM = xs[X.east];
    s.yawRad = xs[X.yaw];
    s.uMps = xs[X.u];
    s.vMps = xs[X.v];
    s.rRadps = xs[X.r];
    sc.env.currentNorthMps = xs[X.currentNorth];
    sc.env.currentEastMps = xs[X.currentEast];
    const gain = xs[X.thrustGain];
    vesselDerivative(ekf.params, s, gain * ekf.deliveredLeftN, gain * ekf.deliveredRightN, sc.env, out);
    out[5] += xs[X.yawAccelBias];
    return;
  }
  const c = Math.cos(xs[X.yaw]);
  const s = Math.sin(xs[X.yaw]);
  out[0] = xs[X.u] * c - xs[X.v] * s;
  out[1] = xs[X.u] * s + xs[X.v] * c;
  out[2] = xs[X.r];
  out[3] = 0;
  out[4] = 0;
  out[5] = 0;
}

function substep(ekf: EkfState, h: number, thrustKnown: boolean): boolean {
  const { x, P, options: o } = ekf;
  const sc = ekf.scratch;
  const { A, T, Pnew, xNew, xTmp, k1, k2, k3, k4, fp, fm, q } = sc;

  // Jacobian of the continuous dynamics by central differences over the states the model reads
  // (yaw, u, v, r, current, thrust effectiveness); positions and sensor biases do not enter it.
  A.fill(0);
  xTmp.set(x);
  for (let j: number = X.yaw; j < N; j++) {
    if (j === X.gyroBias || j === X.headingBias) continue;
    const e = 1e-6 * Math.max(1, Math.abs(x[j]));
    xTmp[j] = x[j] + e;
    derivative(ekf, xTmp, thrustKnown, fp);
    xTmp[j] = x[j] - e;
    derivative(ekf, xTmp, thrustKnown, fm);
    xTmp[j] = x[j];
    for (let i = 0; i < 6; i++) A[i * N + j] = (fp[i] - fm[i]) / (2 * e);
  }
  // F = I + A h, built in place in A.
  for (let i = 0; i < N * N; i++) A[i] *= h;
  for (let i = 0; i < N; i++) A[i * N + i] += 1;

  // State: classical RK4 of the six vessel states; current and biases are held.
  derivative(ekf, x, thrustKnown, k1);
  for (let i = 0; i < 6; i++) xTmp[i] = x[i] + 0.5 * h * k1[i];
  derivative(ekf, xTmp, thrustKnown, k2);
  for (let i = 0; i < 6; i++) xTmp[i] = x[i] + 0.5 * h * k2[i];
  derivative(ekf, xTmp, thrustKnown, k3);
  for (let i = 0; i < 6; i++) xTmp[i] = x[i] + h * k3[i];
  derivative(ekf, xTmp, thrustKnown, k4);
  xNew.set(x);
  for (let i = 0; i < 6; i++) xNew[i] = x[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  xNew[X.yaw] = wrapPi(xNew[X.yaw]);

  // Covariance: P = F P F' + Q h. Only the six vessel rows of F differ from the identity (the
  // other states are held), so only those rows and columns need the products.
  propagateCovariance(A, P, N, VESSEL_ROWS, T, Pnew);
  const sv = thrustKnown ? o.surgeProcessSigmaMpsPerSqrtS : o.unknownThrustSigmaMpsPerSqrtS;
  const svv = thrustKnown ? o.swayProcessSigmaMpsPerSqrtS : o.unknownThrustSigmaMpsPerSqrtS;
  const sr = thrustKnown ? o.yawRateProcessSigmaRadpsPerSqrtS : o.unknownThrustYawRateSigmaRadpsPerSqrtS;
  q[X.north] = o.positionProcessSigmaMPerSqrtS ** 2;
  q[X.east] = q[X.north];
  q[X.yaw] = o.yawProcessSigmaRadPerSqrtS ** 2;
  const trust = ekf.modelTrust;
  q[X.u] = sv * sv * trust.velocityScale;
  q[X.v] = svv * svv * trust.velocityScale;
  q[X.r] = sr * sr * trust.yawRateScale;
  q[X.currentNorth] = o.currentProcessSigmaMpsPerSqrtS ** 2;
  q[X.currentEast] = q[X.currentNorth];
  q[X.gyroBias] = o.gyroBiasProcessSigmaRadpsPerSqrtS ** 2;
  q[X.headingBias] = o.headingBiasProcessSigmaRadPerSqrtS ** 2;
  // Without a known thrust the factor has nothing to act on, and so nothing to learn from.
  q[X.thrustGain] = thrustKnown ? o.thrustGainProcessSigmaPerSqrtS ** 2 * trust.velocityScale : 0;
  q[X.yawAccelBias] = thrustKnown ? o.yawAccelBiasProcessSigmaRadps2PerSqrtS ** 2 * trust.yawRateScale : 0;
  for (let i = 0; i < N; i++) Pnew[i * N + i] += q[i] * h;
  symmetrise(Pnew, N);

  if (!allFinite(xNew, N) || !allFinite(Pnew, N * N) || !positiveDiagonal(Pnew, N)) return false;
  x.set(xNew);
  P.set(Pnew);
  return true;
}

/** 1-sigma of the horizontal position: the larger of the north and east sigmas. */
export function positionSigmaM(ekf: EkfState): number {
  return Math.sqrt(Math.max(ekf.P[X.north * N + X.north], ekf.P[X.east * N + X.east]));
}

/** 1-sigma of a state. */
export function stateSigma(ekf: EkfState, index: number): number {
  return Math.sqrt(ekf.P[index * N + index]);
}
