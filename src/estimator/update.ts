// Measurement updates of the navigation EKF (state layout in ekf.ts).
//
// Every update: validates its input, forms the innovation, gates it on the normalised
// innovation squared (chi-square, options.gateChi2*), applies it in Joseph form so the
// covariance stays symmetric positive definite, and commits only a finite result. Each returns
// the EKF's outcome object (overwritten by the next update) and counts what happened.
//
// Recovery policy. A gated measurement is an outlier until proven otherwise: a 20-30 m GNSS
// jump from multipath lasts seconds and must not move the estimate. But if one kind of
// measurement keeps being gated for options.resetAfterGatedS (and at least resetMinGated times),
// either the vessel really is elsewhere or the filter has diverged; riding it out forever would
// leave the vessel navigating on a wrong solution. Then the states that measurement observes get
// a fresh prior (their reset variance plus the innovation squared, cross-covariances cleared)
// and the measurement is applied ungated, which moves them to it. Counted as `resets`.
// A heading reset also gives a fresh prior (their reset variance) to the slow states that
// explain the GNSS velocity through the yaw: the water current, the thrust effectiveness and the
// yaw-acceleration bias. A heading gated for seconds means the filter's yaw was wrong for longer
// than that (a drifting AHRS the filter followed until the drift stopped), and those states
// absorbed the error meanwhile: left alone they hold it for minutes (a 1 m/s current where there
// is none, a thrust effectiveness of 0.7), far longer than their random walks let them unlearn.
import { wrapPi } from '../geo/index.ts';
import type { EkfState, MeasurementKind, UpdateOutcome } from './ekf.ts';
import { STATE_SIZE, X } from './ekf.ts';
import { allFinite, josephUpdate, mul, mulBt, positiveDiagonal, symmetrise } from './matrix.ts';
import { adaptModelTrust } from './adapt.ts';

const N = STATE_SIZE;

const RESET_POSITION: readonly number[] = [X.north, X.east];
const RESET_VELOCITY: readonly number[] = [X.u, X.v, X.currentNorth, X.currentEast, X.thrustGain];
const RESET_HEADING_BIASED: readonly number[] = [X.yaw, X.headingBias];
const RESET_HEADING_TRUE: readonly number[] = [X.yaw];
/** States a heading reset gives a fresh prior besides those the heading observes. */
const RESET_WITH_HEADING: readonly number[] = [X.currentNorth, X.currentEast, X.thrustGain, X.yawAccelBias];
const RESET_NONE: readonly number[] = [];
const RESET_YAW_RATE: readonly number[] = [X.r, X.gyroBias, X.yawAccelBias];

function outcome(ekf: EkfState, kind: MeasurementKind | undefined, status: UpdateOutcome['status'], nis: number): UpdateOutcome {
  ekf.outcome.status = status;
  ekf.outcome.nis = nis;
  if (kind !== undefined) {
    const c = ekf.counts[kind];
    if (status === 'accepted') c.accepted++;
    else if (status === 'gated') c.gated++;
    else if (status === 'reset') c.resets++;
    else if (status === 'invalid') c.invalid++;
  }
  return ekf.outcome;
}

function clearH(ekf: EkfState): void {
  ekf.scratch.H.fill(0);
}

/** GNSS position in the local frame; sigmaM is the 1-sigma per axis (HDOP already applied). */
export function updateGnssPosition(ekf: EkfState, northM: number, eastM: number, sigmaM: number): UpdateOutcome {
  if (!ekf.initialised) return outcome(ekf, undefined, 'uninitialised', Number.NaN);
  if (!Number.isFinite(northM) || !Number.isFinite(eastM) || !(sigmaM > 0 && sigmaM < Infinity)) {
    return outcome(ekf, 'gnssPosition', 'invalid', Number.NaN);
  }
  const { H, y, R } = ekf.scratch;
  clearH(ekf);
  H[0 * N + X.north] = 1;
  H[1 * N + X.east] = 1;
  y[0] = northM - ekf.x[X.north];
  y[1] = eastM - ekf.x[X.east];
  R[0] = sigmaM * sigmaM;
  R[1] = 0;
  R[2] = 0;
  R[3] = sigmaM * sigmaM;
  return apply(ekf, 'gnssPosition', 2, ekf.options.gateChi2TwoDof, RESET_POSITION);
}

/**
 * GNSS speed and course over ground (course clockwise from true north; undefined or NaN when
 * the receiver left it empty). Used as a NED velocity: along-course sigma from the speed,
 * cross-course sigma from the course. Below gnssMinCourseSpeedMps the course is noise, so the
 * measurement becomes "velocity near zero" with a sigma that covers the reported speed.
 */
export function updateGnssVelocity(ekf: EkfState, speedMps: number, courseRad?: number): UpdateOutcome {
  if (!ekf.initialised) return outcome(ekf, undefined, 'uninitialised', Number.NaN);
  if (!(speedMps >= 0 && speedMps < Infinity)) return outcome(ekf, 'gnssVelocity', 'invalid', Number.NaN);
  const o = ekf.options;
  const { H, y, R } = ekf.scratch;
  const { x } = ekf;
  const c = Math.cos(x[X.yaw]);
  const s = Math.sin(x[X.yaw]);
  const u = x[X.u];
  const v = x[X.v];
  clearH(ekf);
  // vN = u c - v s, vE = u s + v c.
  H[0 * N + X.yaw] = -u * s - v * c;
  H[0 * N + X.u] = c;
  H[0 * N + X.v] = -s;
  H[1 * N + X.yaw] = u * c - v * s;
  H[1 * N + X.u] = s;
  H[1 * N + X.v] = c;
  const vn = u * c - v * s;
  const ve = u * s + v * c;
  const ss = o.gnssSpeedSigmaMps;
  if (courseRad !== undefined && Number.isFinite(courseRad) && speedMps >= o.gnssMinCourseSpeedMps) {
    const cc = Math.cos(courseRad);
    const sc = Math.sin(courseRad);
    y[0] = speedMps * cc - vn;
    y[1] = speedMps * sc - ve;
    const along = ss * ss;
    const crossSigma = Math.max(speedMps * o.gnssCourseSigmaRad, ss);
    const cross = crossSigma * crossSigma;
    // diag(along, cross) rotated from the course frame into NED.
    R[0] = along * cc * cc + cross * sc * sc;
    R[3] = along * sc * sc + cross * cc * cc;
    R[1] = (along - cross) * cc * sc;
    R[2] = R[1];
  } else {
    y[0] = -vn;
    y[1] = -ve;
    const var0 = ss * ss + speedMps * speedMps;
    R[0] = var0;
    R[1] = 0;
    R[2] = 0;
    R[3] = var0;
  }
  return apply(ekf, 'gnssVelocity', 2, o.gateChi2TwoDof, RESET_VELOCITY);
}

/**
 * A heading measurement. `biased` (the default, for IMU yaw and magnetic headings) measures
 * yaw + IMU heading bias; a true heading (HDT, GNSS compass) measures yaw alone.
 */
export function updateHeading(ekf: EkfState, yawRad: number, sigmaRad?: number, biased = true): UpdateOutcome {
  if (!ekf.initialised) return outcome(ekf, undefined, 'uninitialised', Number.NaN);
  const sigma = sigmaRad ?? ekf.options.imuYawSigmaRad;
  if (!Number.isFinite(yawRad) || !(sigma > 0 && sigma < Infinity)) return outcome(ekf, 'heading', 'invalid', Number.NaN);
  const { H, y, R } = ekf.scratch;
  clearH(ekf);
  H[X.yaw] = 1;
  if (biased) H[X.headingBias] = 1;
  y[0] = wrapPi(yawRad - ekf.x[X.yaw] - (biased ? ekf.x[X.headingBias] : 0));
  R[0] = sigma * sigma;
  return apply(ekf, 'heading', 1, ekf.options.gateChi2OneDof, biased ? RESET_HEADING_BIASED : RESET_HEADING_TRUE, RESET_WITH_HEADING);
}

/**
 * Gyro z as a measurement of r + gyro bias. A measurement rather than a prediction input so
 * the boat model keeps driving r from differential thrust (and carries on if the gyro drops
 * out), and so a wild gyro sample is gated instead of integrated.
 */
export function updateYawRate(ekf: EkfState, rRadps: number, sigmaRadps?: number): UpdateOutcome {
  if (!ekf.initialised) return outcome(ekf, undefined, 'uninitialised', Number.NaN);
  const sigma = sigmaRadps ?? ekf.options.gyroSigmaRadps;
  if (!Number.isFinite(rRadps) || !(sigma > 0 && sigma < Infinity)) return outcome(ekf, 'yawRate', 'invalid', Number.NaN);
  const { H, y, R } = ekf.scratch;
  clearH(ekf);
  H[X.r] = 1;
  H[X.gyroBias] = 1;
  y[0] = rRadps - ekf.x[X.r] - ekf.x[X.gyroBias];
  R[0] = sigma * sigma;
  return apply(ekf, 'yawRate', 1, ekf.options.gateChi2OneDof, RESET_YAW_RATE);
}

/** S = H P H' + R and its inverse into scratch; returns the NIS, or NaN if S is not PD. */
function innovationNis(ekf: EkfState, m: number): number {
  const { H, y, R, PHt, S, Sinv } = ekf.scratch;
  mulBt(ekf.P, H, N, N, m, PHt);
  mul(H, PHt, m, N, m, S);
  for (let i = 0; i < m * m; i++) S[i] += R[i];
  if (m === 1) {
    if (!(S[0] > 0)) return Number.NaN;
    Sinv[0] = 1 / S[0];
    return y[0] * y[0] * Sinv[0];
  }
  const det = S[0] * S[3] - S[1] * S[2];
  if (!(det > 0) || !(S[0] > 0)) return Number.NaN;
  Sinv[0] = S[3] / det;
  Sinv[1] = -S[1] / det;
  Sinv[2] = -S[2] / det;
  Sinv[3] = S[0] / det;
  return y[0] * (Sinv[0] * y[0] + Sinv[1] * y[1]) + y[1] * (Sinv[2] * y[0] + Sinv[3] * y[1]);
}

/**
 * Fresh priors: the observed states get their reset variance plus the innovation squared (in
 * their own unit), the coupled states their reset variance; cross-covariances are cleared.
 */
function resetStates(ekf: EkfState, observed: readonly number[], coupled: readonly number[], m: number): void {
  const { P } = ekf;
  const { y, resetVar } = ekf.scratch;
  let y2 = 0;
  for (let i = 0; i < m; i++) y2 = Math.max(y2, y[i] * y[i]);
  for (const j of observed) freshPrior(P, j, resetVar[j] + y2);
  for (const j of coupled) freshPrior(P, j, resetVar[j]);
}

function freshPrior(P: Float64Array, j: number, variance: number): void {
  for (let i = 0; i < N; i++) {
    P[i * N + j] = 0;
    P[j * N + i] = 0;
  }
  P[j * N + j] = variance;
}

function apply(ekf: EkfState, kind: MeasurementKind, m: number, gate: number, resets: readonly number[], coupled: readonly number[] = RESET_NONE): UpdateOutcome {
  const o = ekf.options;
  const sc = ekf.scratch;
  const { x, P } = ekf;
  const { H, y, PHt, Sinv, K, xNew, Pnew } = sc;
  if (!allFinite(y, m) || !allFinite(H, m * N)) return outcome(ekf, kind, 'invalid', Number.NaN);

  let nis = innovationNis(ekf, m);
  if (!Number.isFinite(nis)) return outcome(ekf, kind, 'invalid', nis);
  if (kind === 'gnssVelocity' || kind === 'yawRate') adaptModelTrust(ekf, kind, nis, m);
  let status: UpdateOutcome['status'] = 'accepted';
  const streak = ekf.gatedStreak[kind];
  if (nis > gate) {
    if (streak.count === 0) streak.sinceS = ekf.timeS;
    streak.count++;
    if (streak.count < o.resetMinGated || ekf.timeS - streak.sinceS < o.resetAfterGatedS) {
      return outcome(ekf, kind, 'gated', nis);
    }
    resetStates(ekf, resets, coupled, m);
    nis = innovationNis(ekf, m);
    if (!Number.isFinite(nis)) return outcome(ekf, kind, 'invalid', nis);
    status = 'reset';
  }

  // K = P H' S^-1 (N x m).
  mul(PHt, Sinv, N, m, m, K);
  xNew.set(x);
  for (let i = 0; i < N; i++) {
    let dx = 0;
    for (let j = 0; j < m; j++) dx += K[i * m + j] * y[j];
    xNew[i] += dx;
  }
  xNew[X.yaw] = wrapPi(xNew[X.yaw]);
  xNew[X.headingBias] = wrapPi(xNew[X.headingBias]);
  // A guard, not a constraint the filter knows about: a thrust effectiveness outside these
  // bounds means the filter has diverged, not that the propellers have.
  xNew[X.thrustGain] = Math.min(o.maxThrustGain, Math.max(o.minThrustGain, xNew[X.thrustGain]));

  // Joseph form, expanded so that it costs O(N^2 m) (see matrix.ts).
  josephUpdate(P, K, PHt, sc.S, N, m, Pnew);
  symmetrise(Pnew, N);
  if (!allFinite(xNew, N) || !allFinite(Pnew, N * N) || !positiveDiagonal(Pnew, N)) {
    return outcome(ekf, kind, 'invalid', nis);
  }
  x.set(xNew);
  P.set(Pnew);
  streak.count = 0;
  return outcome(ekf, kind, status, nis);
}
