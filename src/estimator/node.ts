// The estimator node: feeds bus messages to the EKF core in time order and publishes `nav`.
//
// Time: the filter keeps its own stamp. Every message first predicts the filter up to its
// stamp under the latest thrust command, then is applied. A message older than the filter by
// more than lateToleranceS is counted as stale and dropped (the bus delivers in time order, so
// this only happens with a misbehaving source); one within the tolerance is applied at the
// filter's time, which costs less than the jitter it comes with.
//
// Thrust: no command ever seen means nobody is commanding the thrusters here (a replay of a
// manned run), so the filter predicts with constant velocity. A command older than
// thrustTimeoutS is taken as zero thrust, which is what the actuators do on their timeout.
import type { GnssFix, GnssVelocity, HeadingSample, ImuSample, NavState, StampNs, ThrustCommand } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import { LocalFrame } from '../geo/index.ts';
import type { VesselParams } from '../model/vessel.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { EkfState, MeasurementCounts, MeasurementKind, PredictCounts, PredictStatus, UpdateOutcome } from './ekf.ts';
import { MEASUREMENT_KINDS, X, createEkf, initialiseEkf, positionSigmaM, predict, predictWithoutThrust, stateSigma } from './ekf.ts';
import type { EstimatorOptions } from './options.ts';
import { updateGnssPosition, updateGnssVelocity, updateHeading, updateYawRate } from './update.ts';

export interface EstimatorStats {
  /** Per measurement kind: accepted, gated, resets, invalid. */
  counts: Record<MeasurementKind, MeasurementCounts>;
  predict: PredictCounts;
  /** Messages dropped because they were older than the filter's time. */
  stale: number;
  /** Fixes refused before the filter: unknown fix quality, HDOP too high, bad coordinates. */
  rejectedFixes: number;
  /** Times the filter was (re)initialised from GNSS and heading. */
  initialisations: number;
  /** `nav` messages published, and how many of them were valid. */
  published: number;
  publishedValid: number;
  /** IMU samples not fused because the sensor was repeating itself (stuck). */
  imuFrozenSamples: number;
  /** Fixes not fused because another sentence of the same epoch (same UTC time and position) already was. */
  repeatFixes: number;
}

/** Position sigma published while invalid: finite (so it survives JSON) and plainly useless. */
const INVALID_SIGMA = 1e6;

export class EstimatorNode implements RuntimeNode {
  readonly name: string;
  private readonly options: Readonly<EstimatorOptions>;
  private readonly ekf: EkfState;
  private frame: LocalFrame | undefined;
  private ctx: NodeContext | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private filterNs: StampNs | undefined;
  private thrustKnown = false;
  private thrustLeftN = 0;
  private thrustRightN = 0;
  private thrustNs: StampNs = 0n;
  /** Latest heading for initialisation (reused, not reallocated per sample). */
  private readonly lastHeading = { known: false, yawRad: 0, stampNs: 0n as StampNs, biased: true, sigmaRad: 0 };
  private readonly lastVelocity = { known: false, northMps: 0, eastMps: 0, stampNs: 0n as StampNs };
  private imuCount = 0;
  private stale = 0;
  private rejectedFixes = 0;
  private initialisations = 0;
  private published = 0;
  private publishedValid = 0;
  private readonly lastImu = new Float64Array(4).fill(NaN);
  private imuRepeats = 0;
  private imuFrozen = false;
  private imuFrozenSamples = 0;
  private readonly lastNis: Record<MeasurementKind, number> = { gnssPosition: NaN, gnssVelocity: NaN, heading: NaN, yawRate: NaN };
  private gatedTotal = 0;
  private readonly lastFix: { timeUtcS?: number; latDeg: number; lonDeg: number } = { latDeg: NaN, lonDeg: NaN };
  private repeatFixes = 0;

  constructor(name: string, options: Readonly<EstimatorOptions>, params: Readonly<VesselParams>, frame: LocalFrame | undefined) {
    this.name = name;
    this.options = options;
    this.ekf = createEkf(options, params);
    this.frame = frame;
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    const bus = ctx.bus;
    this.unsubscribe.push(
      bus.subscribe('imu', (m) => this.onImu(m)),
      bus.subscribe('gnss', (m) => this.onGnss(m)),
      bus.subscribe('gnssVelocity', (m) => this.onGnssVelocity(m)),
      bus.subscribe('heading', (m) => this.onHeading(m)),
      bus.subscribe('thrustCommand', (m) => this.onThrust(m)),
    );
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** The local frame in use (anchored at the first valid fix when none was given). */
  localFrame(): LocalFrame | undefined {
    return this.frame;
  }

  /** The EKF core, read-only by convention (for tests and the report). */
  filter(): Readonly<EkfState> {
    return this.ekf;
  }

  stats(): EstimatorStats {
    const counts = {} as Record<MeasurementKind, MeasurementCounts>;
    for (const k of MEASUREMENT_KINDS) counts[k] = { ...this.ekf.counts[k] };
    return {
      counts,
      predict: { ...this.ekf.predictCounts },
      stale: this.stale,
      rejectedFixes: this.rejectedFixes,
      initialisations: this.initialisations,
      published: this.published,
      publishedValid: this.publishedValid,
      imuFrozenSamples: this.imuFrozenSamples,
      repeatFixes: this.repeatFixes,
    };
  }

  /** Predicts up to stampNs. False when the message is stale and must be dropped. */
  private advance(stampNs: StampNs): boolean {
    if (this.filterNs === undefined) {
      this.filterNs = stampNs;
      return true;
    }
    if (stampNs < this.filterNs) {
      if (secondsBetween(stampNs, this.filterNs) <= this.options.lateToleranceS) return true;
      this.stale++;
      return false;
    }
    const dtS = secondsBetween(this.filterNs, stampNs);
    this.filterNs = stampNs;
    if (!this.ekf.initialised || dtS === 0) return true;
    let status: PredictStatus;
    if (!this.thrustKnown) status = predictWithoutThrust(this.ekf, dtS);
    else if (secondsBetween(this.thrustNs, stampNs) > this.options.thrustTimeoutS) status = predict(this.ekf, 0, 0, dtS);
    else status = predict(this.ekf, this.thrustLeftN, this.thrustRightN, dtS);
    if (status === 'lost') this.ctx?.log.warn('no input for too long; navigation solution dropped', { dtS });
    return true;
  }

  private noteOutcome(kind: MeasurementKind, out: UpdateOutcome): void {
    this.lastNis[kind] = out.nis;
    if (out.status === 'gated') this.gatedTotal++;
    if (out.status === 'reset') {
      this.ctx?.log.warn('measurement gated too long; states reset to it', { kind, nis: out.nis });
    }
  }

  private onImu(m: ImuSample): void {
    if (!this.advance(m.stampNs)) return;
    const o = this.options;
    // A stuck sensor repeats itself: a live IMU's noise makes two bit-identical samples of yaw
    // and three gyro axes practically impossible. Frozen samples are not fused (the filter
    // coasts on GNSS and the model) until the values move again.
    const frozen = this.noteImuRepeat(m);
    if (frozen) {
      this.imuFrozenSamples++;
      this.imuCount++;
      if (this.imuCount % Math.max(1, Math.round(o.publishEveryNthImu)) === 0) this.publishNav(this.filterNs ?? m.stampNs);
      return;
    }
    if (o.useImuYaw && Number.isFinite(m.yawRad)) {
      const h = this.lastHeading;
      h.known = true;
      h.yawRad = m.yawRad;
      h.stampNs = m.stampNs;
      h.biased = true;
      h.sigmaRad = o.imuYawSigmaRad;
    }
    if (this.ekf.initialised) {
      if (o.useGyro) this.noteOutcome('yawRate', updateYawRate(this.ekf, m.gyroRadps[2]));
      if (o.useImuYaw) this.noteOutcome('heading', updateHeading(this.ekf, m.yawRad, o.imuYawSigmaRad, true));
    }
    this.imuCount++;
    if (this.imuCount % Math.max(1, Math.round(o.publishEveryNthImu)) === 0) this.publishNav(this.filterNs ?? m.stampNs);
  }

  private publishDiagnostics(stampNs: StampNs, gnssPositionGated: boolean): void {
    const x = this.ekf.x;
    this.ctx?.bus.publish('navDiagnostics', {
      stampNs,
      nisGnssPosition: this.lastNis.gnssPosition,
      nisGnssVelocity: this.lastNis.gnssVelocity,
      nisHeading: this.lastNis.heading,
      nisYawRate: this.lastNis.yawRate,
      gnssPositionGated,
      gatedTotal: this.gatedTotal,
      thrustGain: x[X.thrustGain],
      thrustGainSigma: stateSigma(this.ekf, X.thrustGain),
      yawAccelBiasRadps2: x[X.yawAccelBias],
      yawAccelBiasSigmaRadps2: stateSigma(this.ekf, X.yawAccelBias),
      currentNorthMps: x[X.currentNorth],
      currentEastMps: x[X.currentEast],
    });
  }

  private isRepeatFix(m: GnssFix): boolean {
    const last = this.lastFix;
    const repeat =
      m.timeUtcS !== undefined && m.timeUtcS === last.timeUtcS && m.latDeg === last.latDeg && m.lonDeg === last.lonDeg;
    last.timeUtcS = m.timeUtcS;
    last.latDeg = m.latDeg;
    last.lonDeg = m.lonDeg;
    return repeat;
  }

  /** True once the IMU has repeated itself imuFrozenAfterRepeats times in a row. */
  private noteImuRepeat(m: ImuSample): boolean {
    const last = this.lastImu;
    const same =
      last[0] === m.yawRad && last[1] === m.gyroRadps[0] && last[2] === m.gyroRadps[1] && last[3] === m.gyroRadps[2];
    last[0] = m.yawRad;
    last[1] = m.gyroRadps[0];
    last[2] = m.gyroRadps[1];
    last[3] = m.gyroRadps[2];
    this.imuRepeats = same ? this.imuRepeats + 1 : 0;
    const frozen = this.imuRepeats >= this.options.imuFrozenAfterRepeats;
    if (frozen !== this.imuFrozen) {
      this.imuFrozen = frozen;
      if (frozen) this.ctx?.log.warn('IMU frozen: identical samples; not fused until they change', { repeats: this.imuRepeats });
      else this.ctx?.log.info('IMU moving again; fused');
    }
    return frozen;
  }

  private onGnss(m: GnssFix): void {
    // A receiver reports each epoch's fix in several sentences (GGA, RMC, GLL): the same
    // measurement must be fused once, not once per sentence, or the filter trusts it twice.
    if (this.isRepeatFix(m)) {
      this.repeatFixes++;
      return;
    }
    if (!this.advance(m.stampNs)) return;
    const o = this.options;
    const base = o.gnssSigmaByFixQualityM[String(m.fixQuality)];
    const hdop = m.hdop ?? o.gnssDefaultHdop;
    if (
      base === undefined ||
      !(base > 0) ||
      !(hdop <= o.gnssMaxHdop) ||
      !(Math.abs(m.latDeg) <= 90) ||
      !(Math.abs(m.lonDeg) <= 180)
    ) {
      this.rejectedFixes++;
      return;
    }
    const sigmaM = base * Math.max(hdop, o.gnssMinHdop);
    if (this.frame === undefined) this.frame = new LocalFrame({ latDeg: m.latDeg, lonDeg: m.lonDeg });
    // Horizontal only: altitude is left at the origin's so MSL/ellipsoid differences do not matter.
    const p = this.frame.toLocal({ latDeg: m.latDeg, lonDeg: m.lonDeg });
    if (this.ekf.initialised) {
      const out = updateGnssPosition(this.ekf, p.northM, p.eastM, sigmaM);
      const gated = out.status === 'gated';
      this.noteOutcome('gnssPosition', out);
      this.publishDiagnostics(m.stampNs, gated);
      return;
    }
    const h = this.lastHeading;
    if (!h.known || secondsBetween(h.stampNs, m.stampNs) > o.initMaxHeadingAgeS) return;
    const v = this.lastVelocity;
    const useVelocity = v.known && secondsBetween(v.stampNs, m.stampNs) <= 1;
    const ok = initialiseEkf(this.ekf, {
      northM: p.northM,
      eastM: p.eastM,
      positionSigmaM: sigmaM,
      yawRad: h.yawRad,
      yawSigmaRad: h.sigmaRad,
      yawIncludesBias: h.biased,
      velocityNorthMps: useVelocity ? v.northMps : 0,
      velocityEastMps: useVelocity ? v.eastMps : 0,
    });
    if (ok) {
      this.initialisations++;
      this.ctx?.log.info('estimator initialised', { northM: p.northM, eastM: p.eastM, yawRad: h.yawRad, sigmaM });
    }
  }

  private onGnssVelocity(m: GnssVelocity): void {
    if (!this.advance(m.stampNs)) return;
    const o = this.options;
    if (!o.useGnssVelocity) return;
    const course = m.courseRad;
    if (m.speedMps >= o.gnssMinCourseSpeedMps && course !== undefined && Number.isFinite(course) && m.speedMps < 100) {
      const v = this.lastVelocity;
      v.known = true;
      v.northMps = m.speedMps * Math.cos(course);
      v.eastMps = m.speedMps * Math.sin(course);
      v.stampNs = m.stampNs;
    }
    if (this.ekf.initialised) this.noteOutcome('gnssVelocity', updateGnssVelocity(this.ekf, m.speedMps, course));
  }

  private onHeading(m: HeadingSample): void {
    if (!this.advance(m.stampNs)) return;
    const o = this.options;
    const sigma = m.isTrue ? o.trueHeadingSigmaRad : o.magneticHeadingSigmaRad;
    if (Number.isFinite(m.headingRad)) {
      const h = this.lastHeading;
      h.known = true;
      h.yawRad = m.headingRad;
      h.stampNs = m.stampNs;
      h.biased = !m.isTrue;
      h.sigmaRad = sigma;
    }
    if (this.ekf.initialised) this.noteOutcome('heading', updateHeading(this.ekf, m.headingRad, sigma, !m.isTrue));
  }

  private onThrust(m: ThrustCommand): void {
    // A command changes what happens from its stamp on: predict to it under the previous one.
    this.advance(m.stampNs);
    if (this.thrustKnown && m.stampNs < this.thrustNs) return;
    this.thrustKnown = true;
    // NaN becomes 0 in predict (clampThrust); keep the raw command here.
    this.thrustLeftN = m.leftN;
    this.thrustRightN = m.rightN;
    this.thrustNs = m.stampNs;
  }

  private publishNav(stampNs: StampNs): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const ekf = this.ekf;
    const x = ekf.x;
    let nav: NavState;
    if (ekf.initialised) {
      nav = {
        stampNs,
        northM: x[X.north],
        eastM: x[X.east],
        yawRad: x[X.yaw],
        uMps: x[X.u],
        vMps: x[X.v],
        rRadps: x[X.r],
        positionSigmaM: positionSigmaM(ekf),
        yawSigmaRad: stateSigma(ekf, X.yaw),
        valid: true,
      };
      this.publishedValid++;
    } else {
      if (!this.options.publishInvalid) return;
      nav = {
        stampNs,
        northM: 0,
        eastM: 0,
        yawRad: 0,
        uMps: 0,
        vMps: 0,
        rRadps: 0,
        positionSigmaM: INVALID_SIGMA,
        yawSigmaRad: Math.PI,
        valid: false,
      };
    }
    this.published++;
    ctx.bus.publish('nav', nav);
  }
}
