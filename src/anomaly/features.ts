// Feature windows for fault detection: one implementation for training and for the onboard node.
//
// Pure: samples are pushed in with their times, `compute(tS, out)` writes one window's features.
// The window is a sliding one over the last few seconds, evaluated every detector tick. Features
// are residuals of physical relations rather than raw values where one exists, so that normal
// manoeuvres (turns, speed changes) leave them small:
//   thruster: commanded differential thrust against the yaw rate it should produce (3-DOF model,
//             Fossen 2021, Handbook of Marine Craft Hydrodynamics, eq. 6.111 yaw row, with the
//             Munk moment of the sway through the water: the sway row's prediction from speed and
//             yaw rate, pulled toward the estimator's sway at low frequency, because a side force
//             (wind, a gust) sways the hull and its Munk moment is held by the thrusters exactly
//             as a weak thruster's missing moment would be),
//   stuck:    common thrust against surge speed (surge row of the same model). The model's drag
//             and Munk terms take the speed through the water: over ground less the estimator's
//             current, which otherwise reads as extra drag on every leg against it,
//   heading:  IMU yaw increments against integrated gyro rate over 2, 4.5 and 10 s, less the
//             mission's slow drift rate (the gyro's bias, different every power-up); heading
//             against course over ground,
//   gnss:     time since the last fix, HDOP, fix displacements against the receiver's own Doppler
//             velocity (SOG/COG) integrated over 4 s and fix by fix: a jump or a degraded fix moves
//             the position but not the Doppler velocity, and neither passes through the EKF, which
//             absorbs such faults within seconds,
//   sonar:    time since the last sounding, jump statistics of consecutive soundings.
// Beside these, the estimator's own view (the `navDiagnostics` topic, one per GNSS epoch): the
// normalised innovation squared (NIS) of each measurement kind, whether the fix was gated, and
// the slow states it learns (thrust effectiveness, unmodelled yaw acceleration). A NIS is the
// innovation test of autopilot EKFs (PX4 ekf2's test ratios); it reacts at the first epoch after
// a jump, where the raw streams need a few seconds. The learned states are taken against their
// own slow baseline (current, wind and model error differ per mission; a fault moves them fast):
//   thruster: yaw-rate NIS (the model predicts r from the thrust), yaw-acceleration bias shift,
//   stuck:    GNSS velocity NIS (the model predicts speed from the thrust), thrust-gain shift,
//   heading:  heading NIS over 1 s and over 4 s,
//   gnss:     position NIS over 1 s, fraction of fixes gated over 2 s,
//   sonar:    largest depth jump over 2 s, pings over 2 s.
// Layout: node n's features are out[n*F .. n*F+F-1] in NODE_NAMES order, F = FEATURES_PER_NODE
// (src/anomaly/graph.ts).
import { LocalFrame, wrapPi } from '../geo/index.ts';
import type { VesselParams } from '../model/vessel.ts';
import { FEATURE_COUNT } from './graph.ts';

export const FEATURE_NAMES: readonly string[] = [
  'thruster.diffThrust', 'thruster.yawRate', 'thruster.yawResidual1s', 'thruster.momentResidual3s',
  'thruster.nisYawRateMax1s', 'thruster.yawAccelBiasShift',
  'stuck.sumThrust', 'stuck.speed', 'stuck.surgeResidual1s', 'stuck.forceResidual3s',
  'stuck.nisVelocityMax1s', 'stuck.thrustGainShift',
  'heading.driftRate2s', 'heading.driftRate4s', 'heading.headingMinusCourse', 'heading.driftRate10s',
  'heading.nisHeadingMax1s', 'heading.nisHeadingMean4s',
  'gnss.sinceFixS', 'gnss.hdop', 'gnss.dopplerResidual4sM', 'gnss.incrementResidualM',
  'gnss.nisPositionMax1s', 'gnss.gatedFraction2s',
  'sonar.sinceDepthS', 'sonar.jumpFraction2s', 'sonar.jumpFraction1s', 'sonar.pings1s',
  'sonar.maxJump2s', 'sonar.pings2s',
];

/** The estimator's diagnostics the features read (src/msg NavDiagnostics, less the stamp). */
export interface NavDiagnosticsInput {
  nisGnssPosition: number;
  nisGnssVelocity: number;
  nisHeading: number;
  nisYawRate: number;
  gnssPositionGated: boolean;
  thrustGain: number;
  yawAccelBiasRadps2: number;
  currentNorthMps: number;
  currentEastMps: number;
}

/** Longest horizon a feature looks back over, seconds: the ring buffers hold this much. */
const HISTORY_S = 5.2;
/** Nominal IMU rate the rings are sized for; a faster IMU shortens the history, never overflows. */
const RING = 300;
const DEPTH_RING = 64;
const FIX_RING = 32;
/** Slow drift ring: one sample per SLOW_DT_S, long enough for the 10 s drift rate. */
const SLOW_RING = 64;
const SLOW_DT_S = 0.2;
/** Time constant of the mission's baseline drift rate (gyro bias): long against a fault's onset. */
const DRIFT_BASELINE_TAU_S = 60;
/** Slow-ring samples the drift baseline must have averaged before the drift rates are reported against it (30 s). */
const DRIFT_BASELINE_MIN_SAMPLES = 150;
/**
 * Largest step a baseline takes toward one new value, in the value's unit per unit of weight:
 * the gyro bias and the estimator's slow states change slowly, so a value far from the baseline
 * is a fault that the baseline must not learn (it would be off for a minute after the fault).
 */
const DRIFT_BASELINE_STEP_RADPS = 5e-4;
const THRUST_GAIN_BASELINE_STEP = 0.05;
const YAW_BIAS_BASELINE_STEP_RADPS2 = 0.1;
/** Span of the GNSS displacement-against-Doppler residual. */
const DOPPLER_SPAN_S = 4;
/** Times since the last sample are capped so a long outage does not dominate normalisation. */
const SINCE_CAP_S = 10;
/** A last sounding this close to a range limit explains a silence. */
const RANGE_EDGE_M = 0.5;
/** Below this speed over ground the course is noise. */
const COURSE_MIN_SPEED_MPS = 0.5;
/** One estimator diagnostic per GNSS epoch (5 Hz nominal): 4 s and more fit. */
const DIAG_RING = 48;
/** A NIS beyond this says "gated" as well as any larger value would; the cap keeps scales sane. */
const NIS_CAP = 1000;
/** Time constant of the baselines of the estimator's slow states (thrust gain, yaw bias). */
const STATE_BASELINE_TAU_S = 60;
/** Time constant over which the model's sway is pulled toward the estimator's water-relative sway. */
const SWAY_FOLLOW_S = 1;
/** A depth jump (fraction of the depth) is capped: a spurious echo at 10x the depth says no more than at 5x. */
const JUMP_CAP = 5;

export class FeatureExtractor {
  private readonly p: VesselParams;
  private readonly m11: number;
  private readonly m22: number;
  private readonly m33: number;
  // Per-IMU-sample rings (same index).
  private readonly tS = new Float64Array(RING);
  private readonly drift = new Float64Array(RING);
  private readonly r = new Float64Array(RING);
  private readonly momentN = new Float64Array(RING);
  private readonly sog = new Float64Array(RING);
  private readonly forceN = new Float64Array(RING);
  private readonly diff = new Float64Array(RING);
  private readonly sum = new Float64Array(RING);
  private readonly hmc = new Float64Array(RING);
  private head = -1;
  private count = 0;
  // Latest inputs.
  private cmdLeftN = 0;
  private cmdRightN = 0;
  private lagLeftN = 0;
  private lagRightN = 0;
  private lastImuS = NaN;
  private yawUnwrapped = 0;
  private lastYaw = NaN;
  private gyroIntegral = 0;
  private lastGyro = NaN;
  /** Sway speed the model predicts from surge speed and yaw rate (no side forces), m/s. */
  private swayMps = 0;
  /** The estimator's sway through the water (its sway over ground less the current's), m/s; NaN before one. */
  private navSwayRelMps = NaN;
  /** Low-passed model sway and estimator sway (time constant SWAY_FOLLOW_S): the complementary blend's parts. */
  private swayLowModel = 0;
  private swayLowNav = 0;
  private currentNorthMps = 0;
  private currentEastMps = 0;
  private lastSog = 0;
  private lastCog = NaN;
  // GNSS.
  private frame: LocalFrame | undefined;
  private lastFixS = NaN;
  private hdop = 1;
  private navNorthM = NaN;
  private navEastM = NaN;
  private navVelNorthMps = 0;
  private navVelEastMps = 0;
  private lastFixN = NaN;
  private lastFixE = NaN;
  // Receiver velocity (Doppler), NED, and its integral over fixes (dead reckoning).
  private gnssVelN = NaN;
  private gnssVelE = NaN;
  private drN = 0;
  private drE = 0;
  private readonly fixT = new Float64Array(FIX_RING);
  private readonly fixResid = new Float64Array(FIX_RING);
  private readonly fixN = new Float64Array(FIX_RING);
  private readonly fixE = new Float64Array(FIX_RING);
  private readonly fixDrN = new Float64Array(FIX_RING);
  private readonly fixDrE = new Float64Array(FIX_RING);
  // Slow drift ring and the mission's baseline drift rate.
  private readonly slowT = new Float64Array(SLOW_RING);
  private readonly slowDrift = new Float64Array(SLOW_RING);
  private slowHead = -1;
  private slowCount = 0;
  private driftBaseline = NaN;
  private driftBaselineSamples = 0;
  private fixHead = -1;
  private fixCount = 0;
  // Sounder.
  private readonly depthT = new Float64Array(DEPTH_RING);
  private readonly depthJump = new Float64Array(DEPTH_RING);
  private depthHead = -1;
  private depthCount = 0;
  private lastDepthS = NaN;
  private lastDepthM = NaN;
  // Estimator diagnostics (same index), and the baselines of its slow states.
  private readonly diagT = new Float64Array(DIAG_RING);
  private readonly nisPos = new Float64Array(DIAG_RING);
  private readonly nisVel = new Float64Array(DIAG_RING);
  private readonly nisHead = new Float64Array(DIAG_RING);
  private readonly nisRate = new Float64Array(DIAG_RING);
  private readonly gated = new Float64Array(DIAG_RING);
  private diagHead = -1;
  private diagCount = 0;
  private thrustGain = NaN;
  private thrustGainBaseline = NaN;
  private yawBias = NaN;
  private yawBiasBaseline = NaN;
  /** Non-finite inputs dropped. */
  rejected = 0;

  /** `sounderRange`: the echo sounder's measuring range, m. */
  constructor(
    vessel: VesselParams,
    private readonly sounderRange: { minM: number; maxM: number } = { minM: 0.3, maxM: 100 },
  ) {
    this.p = vessel;
    this.m11 = vessel.massKg - vessel.xUdotKg;
    this.m22 = vessel.massKg - vessel.yVdotKg;
    this.m33 = vessel.izKgM2 - vessel.nRdotKgM2;
  }

  onThrust(leftN: number, rightN: number): void {
    if (!Number.isFinite(leftN) || !Number.isFinite(rightN)) return void this.rejected++;
    this.cmdLeftN = leftN;
    this.cmdRightN = rightN;
  }

  onGnssVelocity(speedMps: number, courseRad: number | undefined): void {
    if (!Number.isFinite(speedMps)) return void this.rejected++;
    this.lastSog = speedMps;
    this.lastCog = courseRad !== undefined && Number.isFinite(courseRad) ? courseRad : NaN;
    // Below the receiver's course threshold there is no course: the speed is small, take it as still.
    this.gnssVelN = Number.isFinite(this.lastCog) ? speedMps * Math.cos(this.lastCog) : 0;
    this.gnssVelE = Number.isFinite(this.lastCog) ? speedMps * Math.sin(this.lastCog) : 0;
  }

  onNav(northM: number, eastM: number, yawRad: number, uMps: number, vMps: number, valid: boolean): void {
    if (!valid || !Number.isFinite(northM + eastM + yawRad + uMps + vMps)) return;
    this.navNorthM = northM;
    this.navEastM = eastM;
    const c = Math.cos(yawRad);
    const s = Math.sin(yawRad);
    this.navVelNorthMps = uMps * c - vMps * s;
    this.navVelEastMps = uMps * s + vMps * c;
    this.navSwayRelMps = vMps - (-this.currentNorthMps * s + this.currentEastMps * c);
  }

  /** A fix with quality > 0. `hdop` undefined for sentences without one (RMC): it keeps the last. */
  onGnss(tS: number, latDeg: number, lonDeg: number, fixQuality: number, hdop: number | undefined): void {
    if (!(fixQuality > 0) || !Number.isFinite(latDeg + lonDeg + tS)) return;
    if (hdop !== undefined && Number.isFinite(hdop)) this.hdop = hdop;
    // GGA and RMC of one epoch carry the same position: only the first counts as a new fix.
    if (tS - this.lastFixS < 0.05) return;
    this.frame ??= new LocalFrame({ latDeg, lonDeg });
    const p = this.frame.toLocal({ latDeg, lonDeg });
    // Dead reckoning on the receiver's Doppler velocity, or the navigation's before one arrives.
    const vn = Number.isFinite(this.gnssVelN) ? this.gnssVelN : this.navVelNorthMps;
    const ve = Number.isFinite(this.gnssVelE) ? this.gnssVelE : this.navVelEastMps;
    if (Number.isFinite(this.lastFixN) && Number.isFinite(this.lastFixS)) {
      const dt = tS - this.lastFixS;
      this.drN += vn * dt;
      this.drE += ve * dt;
      // Fix-to-fix residual only over a normal fix interval: after an outage it is meaningless.
      const dtr = Math.min(1, dt);
      const rn = p.northM - this.lastFixN - vn * dtr;
      const re = p.eastM - this.lastFixE - ve * dtr;
      this.fixHead = (this.fixHead + 1) % FIX_RING;
      this.fixResid[this.fixHead] = Math.hypot(rn, re);
    } else {
      this.fixHead = (this.fixHead + 1) % FIX_RING;
      this.fixResid[this.fixHead] = 0;
    }
    this.fixT[this.fixHead] = tS;
    this.fixN[this.fixHead] = p.northM;
    this.fixE[this.fixHead] = p.eastM;
    this.fixDrN[this.fixHead] = this.drN;
    this.fixDrE[this.fixHead] = this.drE;
    this.fixCount++;
    this.lastFixN = p.northM;
    this.lastFixE = p.eastM;
    this.lastFixS = tS;
  }

  /** One estimator diagnostic (a GNSS epoch). Non-finite NIS (none yet for that kind) reads as 0. */
  onNavDiagnostics(tS: number, d: NavDiagnosticsInput): void {
    if (!Number.isFinite(tS)) return void this.rejected++;
    const nis = (x: number) => (Number.isFinite(x) ? Math.min(NIS_CAP, Math.max(0, x)) : 0);
    const dt = this.diagCount > 0 ? Math.max(0, tS - this.diagT[this.diagHead]) : 0;
    const i = (this.diagHead = (this.diagHead + 1) % DIAG_RING);
    this.diagCount++;
    this.diagT[i] = tS;
    this.nisPos[i] = nis(d.nisGnssPosition);
    this.nisVel[i] = nis(d.nisGnssVelocity);
    this.nisHead[i] = nis(d.nisHeading);
    this.nisRate[i] = nis(d.nisYawRate);
    this.gated[i] = d.gnssPositionGated ? 1 : 0;
    // The current as the estimator has it (the drag and Munk terms take speeds through the water).
    if (Number.isFinite(d.currentNorthMps) && Number.isFinite(d.currentEastMps)) {
      this.currentNorthMps = d.currentNorthMps;
      this.currentEastMps = d.currentEastMps;
    }
    // Slow baselines: first value as it is, then a first-order filter over STATE_BASELINE_TAU_S.
    const a = Math.min(1, dt / STATE_BASELINE_TAU_S);
    if (Number.isFinite(d.thrustGain)) {
      this.thrustGain = d.thrustGain;
      this.thrustGainBaseline = follow(this.thrustGainBaseline, d.thrustGain, a, THRUST_GAIN_BASELINE_STEP);
    }
    if (Number.isFinite(d.yawAccelBiasRadps2)) {
      this.yawBias = d.yawAccelBiasRadps2;
      this.yawBiasBaseline = follow(this.yawBiasBaseline, d.yawAccelBiasRadps2, a, YAW_BIAS_BASELINE_STEP_RADPS2);
    }
  }

  onDepth(tS: number, depthM: number): void {
    if (!Number.isFinite(depthM) || !Number.isFinite(tS) || depthM <= 0) return void this.rejected++;
    const jump = Number.isFinite(this.lastDepthM) ? Math.min(JUMP_CAP, Math.abs(depthM - this.lastDepthM) / Math.max(0.5, this.lastDepthM)) : 0;
    this.depthHead = (this.depthHead + 1) % DEPTH_RING;
    this.depthT[this.depthHead] = tS;
    this.depthJump[this.depthHead] = jump;
    this.depthCount++;
    this.lastDepthM = depthM;
    this.lastDepthS = tS;
  }

  onImu(tS: number, yawRad: number, gyroZRadps: number): void {
    if (!Number.isFinite(tS + yawRad + gyroZRadps)) return void this.rejected++;
    const dt = Number.isFinite(this.lastImuS) ? Math.min(0.1, Math.max(0, tS - this.lastImuS)) : 0;
    this.lastImuS = tS;
    // Thrusters lag their commands (first order), as the model the controller was tuned on.
    const tau = this.p.thrusterTimeConstantS;
    const a = tau > 0 ? 1 - Math.exp(-dt / tau) : 1;
    this.lagLeftN += a * (this.cmdLeftN - this.lagLeftN);
    this.lagRightN += a * (this.cmdRightN - this.lagRightN);
    if (Number.isFinite(this.lastYaw)) this.yawUnwrapped += wrapPi(yawRad - this.lastYaw);
    this.lastYaw = yawRad;
    // Trapezoidal: the rectangle rule leads the yaw by r dt / 2, a step of a quarter degree at
    // every turn of a lawnmower survey, which the drift rates would read as heading drift.
    this.gyroIntegral += 0.5 * (gyroZRadps + (Number.isFinite(this.lastGyro) ? this.lastGyro : gyroZRadps)) * dt;
    this.lastGyro = gyroZRadps;
    const p = this.p;
    const r = gyroZRadps;
    const u = this.lastSog;
    // Surge through the water: the model's drag and Munk terms act on it, not on speed over ground.
    const ur = u - (this.currentNorthMps * Math.cos(yawRad) + this.currentEastMps * Math.sin(yawRad));
    const i = (this.head = (this.head + 1) % RING);
    this.count++;
    this.tS[i] = tS;
    this.drift[i] = this.yawUnwrapped - this.gyroIntegral;
    this.r[i] = r;
    // Sway from the sway row of the same model, driven by the centripetal term m11 u r: a turn's
    // sway carries a Munk moment (m22 - m11) u v as large as the thrusters' differential moment,
    // which the yaw residuals would otherwise read as a missing moment in every turn. The
    // estimator's sway is too noisy for the turn's quick changes, but it alone knows the slow
    // sway of a side force, which the model has no term for.
    const v = this.swayMps;
    this.swayMps = v + (dt * (-this.m11 * ur * r + (p.yvNsPerM + p.yvvNs2PerM2 * Math.abs(v)) * v)) / this.m22;
    // Complementary: the estimator's sway through the water below 1 / SWAY_FOLLOW_S, the model's above.
    let sway = this.swayMps;
    if (Number.isFinite(this.navSwayRelMps)) {
      const b = Math.min(1, dt / SWAY_FOLLOW_S);
      this.swayLowModel += b * (this.swayMps - this.swayLowModel);
      this.swayLowNav += b * (this.navSwayRelMps - this.swayLowNav);
      sway += this.swayLowNav - this.swayLowModel;
    }
    // Moment and force the model explains (thrust, damping, Munk); what is left is inertia or a fault.
    this.momentN[i] = p.thrusterYM * (this.lagLeftN - this.lagRightN) + (p.nrNmsPerRad + p.nrrNms2PerRad2 * Math.abs(r)) * r - (this.m22 - this.m11) * ur * sway;
    this.forceN[i] = this.lagLeftN + this.lagRightN + (p.xuNsPerM + p.xuuNs2PerM2 * Math.abs(ur)) * ur;
    this.sog[i] = u;
    this.diff[i] = (this.cmdLeftN - this.cmdRightN) / p.maxForwardThrustN;
    this.sum[i] = (this.cmdLeftN + this.cmdRightN) / (2 * p.maxForwardThrustN);
    if (this.slowCount === 0 || tS - this.slowT[this.slowHead] >= SLOW_DT_S - 1e-6) this.pushSlow(tS, this.drift[i]);
    this.hmc[i] = u > COURSE_MIN_SPEED_MPS && Number.isFinite(this.lastCog) ? wrapPi(yawRad - this.lastCog) : 0;
  }

  /** True once the rings hold a full history and GNSS has been seen. */
  ready(): boolean {
    return this.count >= 2 && this.tS[this.head] - this.tS[this.oldest()] >= HISTORY_S - 0.2 && Number.isFinite(this.lastFixS);
  }

  /** Writes the window ending at `tS` into out[0..FEATURE_COUNT). Non-finite values become 0. */
  compute(tS: number, out: Float64Array): void {
    const now = this.head;
    const i1 = this.back(1);
    const i3 = this.back(3);
    const span1 = Math.max(1e-3, this.tS[now] - this.tS[i1]);
    const span3 = Math.max(1e-3, this.tS[now] - this.tS[i3]);
    // thruster
    out[0] = this.meanOver(this.diff, 0, 1);
    out[1] = this.meanOver(this.r, 0, 1);
    out[2] = this.r[now] - this.r[i1] - (this.meanOver(this.momentN, 0, 1) * span1) / this.m33;
    out[3] = this.meanOver(this.momentN, 0, 3) - (this.m33 * (this.r[now] - this.r[i3])) / span3;
    out[4] = this.diagStat(this.nisRate, tS, 1, 'max');
    out[5] = this.yawBias - this.yawBiasBaseline;
    // stuck
    out[6] = this.meanOver(this.sum, 0, 1);
    out[7] = this.sog[now];
    out[8] = this.sog[now] - this.sog[i1] - (this.meanOver(this.forceN, 0, 1) * span1) / this.m11;
    out[9] = this.meanOver(this.forceN, 0, 3) - (this.m11 * (this.sog[now] - this.sog[i3])) / span3;
    out[10] = this.diagStat(this.nisVel, tS, 1, 'max');
    out[11] = this.thrustGain - this.thrustGainBaseline;
    // heading: a drifting yaw output parts from the integrated gyro
    // Until the baseline (the gyro bias) has been averaged for a while, a drift rate cannot be
    // told from the bias: the rates read 0.
    const mature = this.driftBaselineSamples >= DRIFT_BASELINE_MIN_SAMPLES;
    const base = Number.isFinite(this.driftBaseline) ? this.driftBaseline : 0;
    out[12] = mature ? (this.meanOver(this.drift, 0, 0.5) - this.meanOver(this.drift, 2, 2.5)) / 2 - base : 0;
    out[13] = mature ? (this.meanOver(this.drift, 0, 0.5) - this.meanOver(this.drift, 4.5, 5)) / 4.5 - base : 0;
    out[14] = this.meanOver(this.hmc, 0, 2);
    out[15] = mature ? this.slowRate() - base : 0;
    out[16] = this.diagStat(this.nisHead, tS, 1, 'max');
    out[17] = this.diagStat(this.nisHead, tS, 4, 'mean');
    // gnss
    out[18] = Number.isFinite(this.lastFixS) ? Math.min(SINCE_CAP_S, Math.max(0, tS - this.lastFixS)) : SINCE_CAP_S;
    out[19] = this.hdop;
    out[20] = this.dopplerResidual(DOPPLER_SPAN_S);
    out[21] = this.fixResidualRms(tS, 2);
    out[22] = this.diagStat(this.nisPos, tS, 1, 'max');
    out[23] = this.diagStat(this.gated, tS, 2, 'mean');
    // sonar
    // Past the sounder's range the bottom is lost by design (shallows, deep basins): not a fault.
    const outOfRange = this.lastDepthM < this.sounderRange.minM + RANGE_EDGE_M || this.lastDepthM > this.sounderRange.maxM - RANGE_EDGE_M;
    out[24] = outOfRange ? 0 : Number.isFinite(this.lastDepthS) ? Math.min(SINCE_CAP_S, Math.max(0, tS - this.lastDepthS)) : SINCE_CAP_S;
    const d2 = this.depthStats(tS, 2, 0.15);
    out[25] = d2.n > 0 ? d2.jumps / d2.n : 0;
    out[28] = d2.max;
    out[29] = d2.n;
    const d1 = this.depthStats(tS, 1, 0.15);
    out[26] = d1.n > 0 ? d1.jumps / d1.n : 0;
    out[27] = d1.n;
    for (let k = 0; k < FEATURE_COUNT; k++) if (!Number.isFinite(out[k])) out[k] = 0;
  }

  private oldest(): number {
    return this.count >= RING ? (this.head + 1) % RING : 0;
  }

  /** Ring index of the newest sample at least `ageS` older than the newest. */
  private back(ageS: number): number {
    const t0 = this.tS[this.head];
    const n = Math.min(this.count, RING);
    let idx = this.head;
    for (let k = 1; k < n; k++) {
      const j = (this.head - k + RING) % RING;
      idx = j;
      if (t0 - this.tS[j] >= ageS) break;
    }
    return idx;
  }

  /** Mean of ring `a` over samples aged within [fromS, toS) seconds. */
  private meanOver(a: Float64Array, fromS: number, toS: number): number {
    const t0 = this.tS[this.head];
    const n = Math.min(this.count, RING);
    let s = 0;
    let c = 0;
    for (let k = 0; k < n; k++) {
      const j = (this.head - k + RING) % RING;
      const age = t0 - this.tS[j];
      if (age >= toS) break;
      if (age >= fromS) {
        s += a[j];
        c++;
      }
    }
    return c > 0 ? s / c : 0;
  }

  /** Slow drift ring: push one sample and update the baseline drift rate with the 10 s rate. */
  private pushSlow(tS: number, drift: number): void {
    const dt = this.slowCount > 0 ? tS - this.slowT[this.slowHead] : 0;
    this.slowHead = (this.slowHead + 1) % SLOW_RING;
    this.slowT[this.slowHead] = tS;
    this.slowDrift[this.slowHead] = drift;
    this.slowCount++;
    if (this.slowCount < SLOW_RING) return;
    const rate = this.slowRate();
    // A running mean of the rates until the baseline is DRIFT_BASELINE_TAU_S old, then a
    // first-order filter: the first rate alone (start-up manoeuvres) must not set it for a minute.
    // Once mature (DRIFT_BASELINE_MIN_SAMPLES), a rate far from it moves it by a bounded step only.
    this.driftBaselineSamples++;
    const weight = Math.max(Math.min(1, dt / DRIFT_BASELINE_TAU_S), 1 / this.driftBaselineSamples);
    const maxStep = this.driftBaselineSamples > DRIFT_BASELINE_MIN_SAMPLES ? DRIFT_BASELINE_STEP_RADPS : Infinity;
    this.driftBaseline = follow(this.driftBaseline, rate, weight, maxStep);
  }

  /** Drift rate over ~10 s: the newest second's mean against the mean of a second 10 s earlier. */
  private slowRate(): number {
    const n = Math.min(this.slowCount, SLOW_RING);
    if (n < 2) return 0;
    const t0 = this.slowT[this.slowHead];
    let a = 0;
    let ca = 0;
    let b = 0;
    let cb = 0;
    for (let k = 0; k < n; k++) {
      const j = (this.slowHead - k + SLOW_RING) % SLOW_RING;
      const age = t0 - this.slowT[j];
      if (age < 1) {
        a += this.slowDrift[j];
        ca++;
      } else if (age >= 10 && age < 11) {
        b += this.slowDrift[j];
        cb++;
      }
    }
    return ca > 0 && cb > 0 ? (a / ca - b / cb) / 10 : 0;
  }

  /** Distance between the fix displacement and the Doppler dead reckoning over the last `spanS`. */
  private dopplerResidual(spanS: number): number {
    const n = Math.min(this.fixCount, FIX_RING);
    if (n < 2) return 0;
    const h = this.fixHead;
    let j = h;
    for (let k = 1; k < n; k++) {
      j = (h - k + FIX_RING) % FIX_RING;
      if (this.fixT[h] - this.fixT[j] >= spanS) break;
    }
    const dn = this.fixN[h] - this.fixN[j] - (this.fixDrN[h] - this.fixDrN[j]);
    const de = this.fixE[h] - this.fixE[j] - (this.fixDrE[h] - this.fixDrE[j]);
    return Math.hypot(dn, de);
  }

  private fixResidualRms(tS: number, spanS: number): number {
    let s = 0;
    let c = 0;
    const n = Math.min(this.fixCount, FIX_RING);
    for (let k = 0; k < n; k++) {
      const j = (this.fixHead - k + FIX_RING) % FIX_RING;
      if (tS - this.fixT[j] > spanS) break;
      s += this.fixResid[j] * this.fixResid[j];
      c++;
    }
    return c > 0 ? Math.sqrt(s / c) : 0;
  }

  /** Max or mean of a diagnostics ring over the epochs within `spanS` before tS; 0 with none. */
  private diagStat(a: Float64Array, tS: number, spanS: number, how: 'max' | 'mean'): number {
    const n = Math.min(this.diagCount, DIAG_RING);
    let s = 0;
    let c = 0;
    let best = 0;
    for (let k = 0; k < n; k++) {
      const j = (this.diagHead - k + DIAG_RING) % DIAG_RING;
      if (tS - this.diagT[j] > spanS) break;
      s += a[j];
      c++;
      if (a[j] > best) best = a[j];
    }
    if (c === 0) return 0;
    return how === 'max' ? best : s / c;
  }

  private readonly stats = { n: 0, jumps: 0, max: 0 };

  private depthStats(tS: number, spanS: number, jumpFraction: number): { n: number; jumps: number; max: number } {
    const st = this.stats;
    st.n = 0;
    st.jumps = 0;
    st.max = 0;
    const n = Math.min(this.depthCount, DEPTH_RING);
    for (let k = 0; k < n; k++) {
      const j = (this.depthHead - k + DEPTH_RING) % DEPTH_RING;
      if (tS - this.depthT[j] > spanS) break;
      const jump = this.depthJump[j];
      st.n++;
      if (jump > jumpFraction) st.jumps++;
      if (jump > st.max) st.max = jump;
    }
    return st;
  }
}

/**
 * A baseline's next value: the first value itself, then a step of `weight` toward each new
 * value, the difference limited to ±maxStep (a value far off moves the baseline by a bounded step).
 */
function follow(baseline: number, value: number, weight: number, maxStep: number): number {
  if (!Number.isFinite(baseline)) return value;
  const d = value - baseline;
  return baseline + weight * (d > maxStep ? maxStep : d < -maxStep ? -maxStep : d);
}
