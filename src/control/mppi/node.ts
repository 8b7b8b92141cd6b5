// The node that drives the thrusters with MPPI along a survey plan: the same contract as the
// baseline's GuidanceNode (publishes `guidance` with leg index, cross-track and done, and
// `thrustCommand` every tick; zero thrust while navigation is unusable or the supervisor has it
// disabled; holds the last waypoint when the plan is done), plus `controlDiagnostics`.
//
// Control deadline: an optimisation that takes longer than deadlineFraction of the period is
// late: this tick sends the previous plan, shifted, and the overrun is counted; after
// overrunFaultAfter late ticks in a row a `fault` (kind 'overrun') goes on the bus.
import { performance } from 'node:perf_hooks';
import type { MapGrid, NavDiagnostics, NavState, StampNs } from '../../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../../runtime/node.ts';
import type { Leg, SurveyPlan } from '../../planning/plan.ts';
import { holdingReason, tickDtS, type Holding } from '../tick-gate.ts';
import { legErrors } from '../los.ts';
import type { MppiCore } from './cpu.ts';
import { CurrentObserver } from './current-observer.ts';
import { P } from './problem.ts';
import { shiftNominal, type UpdateResult } from './update.ts';

/** What the node needs of a backend: the shared core, one optimisation, and shutdown. */
export interface MppiOptimizer extends MppiCore {
  /** The backend optimising now ('cpu' or 'gpu'), when the optimiser can change it mid-run. */
  readonly backend?: string;
  /** The rollout's model coefficients (model.ts): the current observer uses the same model. */
  readonly model: Float64Array;
  /** One optimisation of `nominal` from `problem` as filled. */
  optimize(): UpdateResult;
  close(): void;
}

/** Running figures of the optimisations, logged when the node stops. */
export interface MppiNodeStats {
  optimisations: number;
  overruns: number;
  /** Mean effective sample size 1 / sum(w^2) of the on-time updates. */
  meanEffectiveSamples: number;
  /** Optimisations whose every sample was non-finite (plan kept). */
  nonFinite: number;
}

export interface MppiNodeOptions {
  /** Control rate; the MPPI step dtS should be its period. */
  rateHz: number;
  /** Navigation older than this is stale: zero thrust. */
  navStaleS: number;
  /** A leg is done when the along-track distance left is below this. */
  switchRadiusM: number;
  /** An optimisation longer than this fraction of the period is an overrun. */
  deadlineFraction: number;
  /** Overruns in a row that raise a fault. */
  overrunFaultAfter: number;
  /** Time constant of the current estimate. */
  currentFilterS: number;
  /** Bound on each component of the current estimate. */
  maxCurrentMps: number;
}


export class MppiControllerNode implements RuntimeNode {
  private ctx?: NodeContext;
  private nav?: NavState;
  private enabled = true;
  private index = 0;
  private holding: Holding = 'none';
  private lastL = 0;
  private lastR = 0;
  private lastTickNs?: StampNs;
  private streak = 0;
  private readonly applied: Float32Array;
  private readonly observer: CurrentObserver;
  private readonly unsubscribers: (() => void)[] = [];
  /** Ticks whose optimisation missed the deadline. */
  overruns = 0;
  /** Wall milliseconds of each optimisation. */
  readonly computeMs: number[] = [];

  constructor(
    readonly name: string,
    private plan: SurveyPlan,
    private readonly core: MppiOptimizer,
    private readonly options: MppiNodeOptions,
    readonly backendName: string,
    /** Wall milliseconds for the deadline (injected so that tests can make an optimisation late). */
    private readonly wallMs: () => number = () => performance.now(),
  ) {
    this.applied = new Float32Array(core.nominal.length);
    this.observer = new CurrentObserver(core.model, options.currentFilterS, options.maxCurrentMps);
  }

  /** The estimator's model corrections in use (problem.ts thrustGain, yawAccelBias). */
  private thrustGain = 1;
  private yawAccelBias = 0;

  private noteModelCorrections(d: NavDiagnostics): void {
    const s = this.core.settings;
    if (s.useThrustGain && Number.isFinite(d.thrustGain)) {
      const [lo, hi] = s.thrustGainRange;
      this.thrustGain = Math.min(hi, Math.max(lo, d.thrustGain));
    }
    if (s.useYawAccelBias && Number.isFinite(d.yawAccelBiasRadps2)) {
      const m = s.maxYawAccelBiasRadps2;
      this.yawAccelBias = Math.min(m, Math.max(-m, d.yawAccelBiasRadps2));
    }
  }

  private essSum = 0;
  private essN = 0;
  private nonFinite = 0;

  stats(): MppiNodeStats {
    return {
      optimisations: this.computeMs.length,
      overruns: this.overruns,
      meanEffectiveSamples: this.essN > 0 ? this.essSum / this.essN : 0,
      nonFinite: this.nonFinite,
    };
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.unsubscribers.push(ctx.bus.subscribe('nav', (nav) => (this.nav = nav)));
    this.unsubscribers.push(ctx.bus.subscribe('map', (map: MapGrid) => this.core.setMap(map)));
    this.unsubscribers.push(ctx.bus.subscribe('navDiagnostics', (d: NavDiagnostics) => this.noteModelCorrections(d)));
    ctx.every(1 / this.options.rateHz, (nowNs) => this.tick(nowNs));
  }

  stop(): void {
    for (const u of this.unsubscribers.splice(0)) u();
    this.ctx?.log.info('mppi stats', { ...this.stats() });
    this.ctx?.bus.publish('thrustCommand', { stampNs: this.ctx.clock.nowNs(), leftN: 0, rightN: 0 });
    this.core.close();
  }

  setEnabled(enabled: boolean): void {
    if (enabled && !this.enabled) this.resetPlan();
    this.enabled = enabled;
  }

  get legIndex(): number {
    return this.index;
  }

  get done(): boolean {
    return this.index >= this.plan.legs.length;
  }

  private resetPlan(): void {
    this.core.nominal.fill(0);
    this.applied.fill(0);
    this.observer.reset();
    this.lastL = 0;
    this.lastR = 0;
  }

  private tick(nowNs: StampNs): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const dtS = tickDtS(this.lastTickNs, nowNs, this.options.rateHz);
    this.lastTickNs = nowNs;
    const nav = this.nav;
    const hold = holdingReason(this.enabled, nav, nowNs, this.options.navStaleS);
    this.noteHolding(hold, ctx);
    if (hold !== 'none' || !nav) {
      this.resetPlan();
      this.publish(nowNs, 0, 0, 0);
      return;
    }
    this.observer.update(nav, this.lastL, this.lastR, dtS, this.thrustGain);

    // Leg switching as the LOS guidance does it: close to the end, or past its perpendicular.
    while (!this.done) {
      const leg = this.plan.legs[this.index];
      const { alongTrackM, lengthM } = legErrors(leg, nav.northM, nav.eastM);
      if (lengthM - alongTrackM >= this.options.switchRadiusM) break;
      this.index++;
    }
    if (this.done) {
      // The plan is over: the supervisor holds position (station keeping) from here.
      this.noteHolding('done', ctx);
      this.resetPlan();
      return this.publish(nowNs, 0, 0, 0);
    }
    const leg = this.plan.legs[this.index];
    const next: Leg | undefined = this.plan.legs[this.index + 1];
    const crossTrackM = legErrors(leg, nav.northM, nav.eastM).crossTrackM;
    this.fillProblem(nav, leg, next);

    const t0 = this.wallMs();
    const result = this.core.optimize();
    const ms = this.wallMs() - t0;
    this.computeMs.push(ms);
    const T = this.core.settings.horizonSteps;
    const finite = Number.isFinite(result.minCost);
    if (!finite) this.nonFinite++;
    const late = ms > (this.options.deadlineFraction * 1000) / this.options.rateHz || !finite;
    if (late) {
      this.overruns++;
      this.streak++;
      shiftNominal(this.applied, T, 1);
      if (this.streak === this.options.overrunFaultAfter) {
        ctx.log.warn('mppi overruns its deadline', { streak: this.streak, lastMs: ms });
        ctx.bus.publish('fault', { stampNs: nowNs, node: this.name, kind: 'overrun', message: `${this.streak} optimisations in a row over the deadline (last ${ms.toFixed(1)} ms)` });
      }
      // A non-finite result must not become the warm start.
      if (!Number.isFinite(result.minCost)) this.core.nominal.set(this.applied);
    } else {
      this.streak = 0;
      this.essSum += result.effectiveSamples;
      this.essN++;
      this.applied.set(this.core.nominal);
    }
    const l = finiteOr0(this.applied[0]);
    const r = finiteOr0(this.applied[T]);
    shiftNominal(this.core.nominal, T, 1);
    this.lastL = l;
    this.lastR = r;
    this.publish(nowNs, l, r, crossTrackM, ms, late, result.minCost);
  }

  private fillProblem(nav: NavState, leg: Leg, next: Leg | undefined): void {
    const f = this.core.problem.f;
    const s = this.core.settings;
    f[P.n] = nav.northM; f[P.e] = nav.eastM; f[P.psi] = nav.yawRad;
    f[P.u] = nav.uMps; f[P.v] = nav.vMps; f[P.r] = nav.rRadps;
    f[P.tl] = this.thrustGain * this.lastL; f[P.tr] = this.thrustGain * this.lastR;
    f[P.thrustGain] = this.thrustGain; f[P.yawAccelBias] = this.yawAccelBias;
    f[P.lastCmdL] = this.lastL; f[P.lastCmdR] = this.lastR;
    f[P.curN] = this.observer.estimate.northMps; f[P.curE] = this.observer.estimate.eastMps;
    f[P.aFromN] = leg.fromNorthM; f[P.aFromE] = leg.fromEastM; f[P.aToN] = leg.toNorthM; f[P.aToE] = leg.toEastM;
    const b = next ?? leg;
    f[P.bFromN] = b.fromNorthM; f[P.bFromE] = b.fromEastM; f[P.bToN] = b.toNorthM; f[P.bToE] = b.toEastM;
    f[P.hasB] = next ? 1 : 0;
    const speed = Number.isFinite(leg.speedMps) ? Math.max(0, leg.speedMps) : 0;
    f[P.uRefMps] = speed;
    // The goal is a carrot one horizon's travel ahead along the path, spilling onto the next leg.
    const { alongTrackM, lengthM } = legErrors(leg, nav.northM, nav.eastM);
    let ahead = Math.max(0, alongTrackM) + speed * s.horizonSteps * s.dtS;
    let g = leg;
    if (ahead > lengthM && next) {
      ahead -= lengthM;
      g = next;
    }
    const gl = Math.hypot(g.toNorthM - g.fromNorthM, g.toEastM - g.fromEastM);
    const frac = gl > 1e-6 ? Math.min(1, ahead / gl) : 1;
    f[P.goalN] = g.fromNorthM + frac * (g.toNorthM - g.fromNorthM);
    f[P.goalE] = g.fromEastM + frac * (g.toEastM - g.fromEastM);
  }

  private publish(nowNs: StampNs, l: number, r: number, crossTrackM: number, computeMs = 0, overrun = false, cost = NaN): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const legs = this.plan.legs;
    const done = this.done;
    const leg = done ? legs[legs.length - 1] : legs[this.index];
    ctx.bus.publish('guidance', {
      stampNs: nowNs,
      legIndex: done ? -1 : this.index,
      fromNorthM: leg?.fromNorthM ?? 0,
      fromEastM: leg?.fromEastM ?? 0,
      toNorthM: leg?.toNorthM ?? 0,
      toEastM: leg?.toEastM ?? 0,
      speedMps: done ? 0 : (leg?.speedMps ?? 0),
      crossTrackM,
      done,
    });
    ctx.bus.publish('thrustCommand', { stampNs: nowNs, leftN: l, rightN: r });
    if (computeMs > 0) ctx.bus.publish('controlDiagnostics', { stampNs: nowNs, backend: this.core.backend ?? this.backendName, computeMs, overrun, cost });
  }

  private noteHolding(hold: Holding, ctx: NodeContext): void {
    if (hold === this.holding) return;
    if (hold === 'none') ctx.log.info('mppi resumed', { was: this.holding, legIndex: this.index });
    else if (hold === 'done') ctx.log.info('survey plan done', { legs: this.plan.legs.length });
    else if (hold !== 'disabled') ctx.log.warn('zero thrust: navigation unusable', { why: hold });
    this.holding = hold;
  }
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
