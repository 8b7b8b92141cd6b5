// The watchdogs' pure core: observations go in as they arrive, evaluate(now) says which
// conditions hold now. Level-triggered on purpose: the mode machine ignores a request that
// would not make the vehicle more conservative, so a condition that persists costs nothing and
// one that returns after an operator resume is caught again at once.
import type { AnomalyAlarm, DepthSounding, GnssFix, ImuSample, NavState, StampNs } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import type { SupervisorOptions, TriggerKind } from './options.ts';

export interface ActiveCondition {
  trigger: TriggerKind;
  why: string;
}

const SEVERITY = { low: 0, medium: 1, high: 2 } as const;

/** Counts events inside a sliding window of time (a small ring of stamps; no allocation per event). */
class WindowCounter {
  private readonly stamps: Float64Array;
  private head = 0;
  private size = 0;
  constructor(capacity: number) {
    this.stamps = new Float64Array(Math.max(1, capacity));
  }
  add(tS: number): void {
    this.stamps[this.head] = tS;
    this.head = (this.head + 1) % this.stamps.length;
    if (this.size < this.stamps.length) this.size++;
  }
  /** Events with a stamp in (nowS - windowS, nowS]. */
  count(nowS: number, windowS: number): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (nowS - this.stamps[i] < windowS) n++;
    return n;
  }
}

export class Watchdogs {
  private startS: number | undefined;
  private lastGnssS: number | undefined;
  private lastImuS: number | undefined;
  private lastSonarS: number | undefined;
  private lastHeartbeatS: number | undefined;
  private imuRepeats = 0;
  private readonly lastImu = new Float64Array(7);
  private shallowRun = 0;
  private lastShallowM = NaN;
  private navSigmaM = 0;
  private lastSkewS: number | undefined;
  private skewWhy = '';
  private gatedTotal = 0;
  private readonly gated: WindowCounter;
  private readonly overruns: WindowCounter;
  private alarm: AnomalyAlarm | undefined;
  private outsideFence = false;
  private readonly o: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.o = options;
    this.gated = new WindowCounter(options.gatedFixesLimit + 1);
    this.overruns = new WindowCounter(options.overrunLimit + 1);
  }

  /** The watchdogs arm at start: a sensor silent from the beginning is stale from the beginning. */
  start(nowNs: StampNs): void {
    const s = toS(nowNs);
    this.startS = s;
    this.lastGnssS = s;
    this.lastImuS = s;
    this.lastSonarS = s;
  }

  /** False when the sample's stamp is too far from the clock to be trusted (and notes the skew). */
  private fresh(stampNs: StampNs, nowNs: StampNs, what: string): boolean {
    const skewS = secondsBetween(nowNs, stampNs);
    if (Math.abs(skewS) <= this.o.clockSkewS) return true;
    this.lastSkewS = toS(nowNs);
    this.skewWhy = `${what} stamped ${skewS.toFixed(1)} s from the clock`;
    return false;
  }

  onGnss(fix: GnssFix, nowNs: StampNs): void {
    if (!this.fresh(fix.stampNs, nowNs, 'GNSS fix')) return;
    if (fix.fixQuality > 0 && Number.isFinite(fix.latDeg) && Number.isFinite(fix.lonDeg)) this.lastGnssS = toS(nowNs);
  }

  onImu(m: ImuSample, nowNs: StampNs): void {
    if (!this.fresh(m.stampNs, nowNs, 'IMU sample')) return;
    this.lastImuS = toS(nowNs);
    const l = this.lastImu;
    const same =
      l[0] === m.yawRad && l[1] === m.gyroRadps[0] && l[2] === m.gyroRadps[1] && l[3] === m.gyroRadps[2] &&
      l[4] === m.accelMps2[0] && l[5] === m.accelMps2[1] && l[6] === m.accelMps2[2];
    this.imuRepeats = same ? this.imuRepeats + 1 : 0;
    l[0] = m.yawRad;
    l[1] = m.gyroRadps[0];
    l[2] = m.gyroRadps[1];
    l[3] = m.gyroRadps[2];
    l[4] = m.accelMps2[0];
    l[5] = m.accelMps2[1];
    l[6] = m.accelMps2[2];
  }

  onDepth(d: DepthSounding, nowNs: StampNs): void {
    if (!this.fresh(d.stampNs, nowNs, 'sounding')) return;
    if (!Number.isFinite(d.depthBelowTransducerM)) return;
    this.lastSonarS = toS(nowNs);
    const depthM = d.depthBelowTransducerM + Math.max(0, d.offsetM ?? 0);
    this.shallowRun = depthM < this.o.minDepthM ? this.shallowRun + 1 : 0;
    this.lastShallowM = depthM;
  }

  onNav(nav: NavState): void {
    if (nav.valid) this.navSigmaM = nav.positionSigmaM;
  }

  /** Total GNSS fixes the estimator has gated so far (a counter read from its stats). */
  onGatedTotal(total: number, nowNs: StampNs): void {
    for (let i = this.gatedTotal; i < total; i++) this.gated.add(toS(nowNs));
    this.gatedTotal = Math.max(this.gatedTotal, total);
  }

  onOverrun(nowNs: StampNs): void {
    this.overruns.add(toS(nowNs));
  }

  onHeartbeat(nowNs: StampNs): void {
    this.lastHeartbeatS = toS(nowNs);
  }

  onAlarm(a: AnomalyAlarm): void {
    if (SEVERITY[a.severity] >= SEVERITY[this.o.alarmMinSeverity]) this.alarm = a;
  }

  /** The safety filter reports whether the vessel is outside the fence. */
  onFence(outside: boolean): void {
    this.outsideFence = outside;
  }

  /** Writes the conditions that hold at nowNs into `out` (cleared first) and returns it. */
  evaluate(nowNs: StampNs, out: ActiveCondition[]): ActiveCondition[] {
    out.length = 0;
    const o = this.o;
    const now = toS(nowNs);
    const age = (t: number | undefined) => (t === undefined ? Infinity : now - t);
    if (age(this.lastGnssS) > o.gnssTimeoutS) out.push({ trigger: 'gnssStale', why: `no GNSS fix for ${age(this.lastGnssS).toFixed(1)} s` });
    if (age(this.lastImuS) > o.imuTimeoutS) out.push({ trigger: 'imuStale', why: `no IMU sample for ${age(this.lastImuS).toFixed(1)} s` });
    if (this.imuRepeats + 1 >= o.imuFrozenSamples) out.push({ trigger: 'imuFrozen', why: `${this.imuRepeats + 1} identical IMU samples` });
    if (age(this.lastSonarS) > o.sonarTimeoutS) out.push({ trigger: 'sonarStale', why: `no sounding for ${age(this.lastSonarS).toFixed(1)} s` });
    if (this.navSigmaM > o.navDegradedSigmaM) out.push({ trigger: 'navDegraded', why: `position sigma ${this.navSigmaM.toFixed(1)} m` });
    const gated = this.gated.count(now, o.gateWindowS);
    if (gated >= o.gatedFixesLimit) out.push({ trigger: 'estimatorGating', why: `${gated} GNSS fixes gated in ${o.gateWindowS} s` });
    const overruns = this.overruns.count(now, o.overrunWindowS);
    if (overruns >= o.overrunLimit) out.push({ trigger: 'controllerOverrun', why: `${overruns} deadline overruns in ${o.overrunWindowS} s` });
    if (this.lastHeartbeatS !== undefined && age(this.lastHeartbeatS) > o.operatorLinkTimeoutS) {
      out.push({ trigger: 'operatorLink', why: `no operator heartbeat for ${age(this.lastHeartbeatS).toFixed(1)} s` });
    }
    if (this.startS !== undefined && now - this.startS > o.missionTimeBudgetS) out.push({ trigger: 'timeBudget', why: `mission time budget of ${o.missionTimeBudgetS} s spent` });
    if (this.shallowRun >= o.shallowSamples) out.push({ trigger: 'shallowWater', why: `${this.shallowRun} soundings below ${o.minDepthM} m (last ${this.lastShallowM.toFixed(2)} m)` });
    if (this.outsideFence) out.push({ trigger: 'geofence', why: 'outside the geofence' });
    // A skew is a moment, not a state: it holds for one second after the last skewed sample.
    if (this.lastSkewS !== undefined && now - this.lastSkewS <= 1) out.push({ trigger: 'clockSkew', why: this.skewWhy });
    if (this.alarm) {
      const a = this.alarm;
      out.push({ trigger: 'alarm', why: `${a.severity} ${a.kind} alarm from ${a.detector}: ${a.message}` });
      this.alarm = undefined;
    }
    return out;
  }
}

function toS(ns: StampNs): number {
  return Number(ns) / 1e9;
}
