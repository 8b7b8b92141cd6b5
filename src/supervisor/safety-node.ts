// The safety filter: the one node that publishes `thrustCommand`, i.e. what the thrusters get.
//
// The survey controller's commands do not reach the bus: the composition routes them here
// (propose()), and this node forwards them only in AUTO, and only after the geofence's hard
// check. In HOLD and RETURN its own station keeper drives; in MANUAL the operator's `thrust`
// commands do; in IDLE, FAILSAFE and ESTOP it sends zero thrust on every tick. If this node
// itself fails, nothing publishes thrust and the actuator's command timeout zeroes the thrusters.
import type { Mode, NavState, OperatorCommand, StampNs, ThrustCommand } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { VesselParams } from '../model/vessel.ts';
import { clampThrust } from '../model/vessel.ts';
import { navUsable } from '../control/baseline.ts';
import { createVerdict, type Geofence } from './geofence.ts';
import { StationKeeper } from './station-keeping.ts';
import type { SupervisorOptions } from './options.ts';

export interface SafetyStats {
  /** Commands published to the thrusters. */
  published: number;
  /** Commands the geofence check replaced. */
  fenceReplaced: number;
  /** Controller proposals dropped because the mode was not AUTO. */
  proposalsDropped: number;
  /** Operator thrust commands refused (not MANUAL, or not finite). */
  manualRefused: number;
}

/** Operator thrust older than this is not used (the operator's stick went quiet). */
const MANUAL_TIMEOUT_S = 1;
/** Navigation older than this does not steer the station keeper. */
const NAV_STALE_S = 0.5;

export class SafetyNode implements RuntimeNode {
  private ctx?: NodeContext;
  private mode: Mode = 'IDLE';
  private nav?: NavState;
  private pending: 'none' | 'hold' | 'return' = 'none';
  private lastTickNs?: StampNs;
  private manual?: { leftN: number; rightN: number; atNs: StampNs };
  private outside = false;
  private sogMps = NaN;
  private sogNs: StampNs | undefined;
  private readonly keeper: StationKeeper;
  private readonly verdict = createVerdict();
  private readonly cmd: ThrustCommand = { stampNs: 0n, leftN: 0, rightN: 0 };
  private readonly counts: SafetyStats = { published: 0, fenceReplaced: 0, proposalsDropped: 0, manualRefused: 0 };

  constructor(
    readonly name: string,
    private readonly options: SupervisorOptions,
    private readonly fence: Geofence | undefined,
    private readonly params: VesselParams,
    /** Told whenever the vessel's estimated position crosses the fence line. */
    private readonly onFence: (outside: boolean) => void = () => {},
  ) {
    this.keeper = new StationKeeper(options.stationKeeping, params);
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    ctx.bus.subscribe('nav', (nav) => this.onNav(nav));
    ctx.bus.subscribe('gnssVelocity', (v) => {
      this.sogMps = v.speedMps;
      this.sogNs = ctx.clock.nowNs();
    });
    ctx.bus.subscribe('mode', (m) => this.onMode(m.to));
    ctx.bus.subscribe('operatorCommand', (c) => this.onOperator(c));
    ctx.every(1 / this.options.rateHz, (nowNs) => this.tick(nowNs));
  }

  stop(): void {
    // The actuator zeroes thrust on its own stop; an explicit zero states the intent on the bus.
    if (this.ctx) this.publish(this.ctx.clock.nowNs(), 0, 0);
  }

  stats(): Readonly<SafetyStats> {
    return { ...this.counts };
  }

  get breadcrumbs(): number {
    return this.keeper.breadcrumbs;
  }

  /** The survey controller's command. Forwarded (after the fence check) only in AUTO. */
  propose(c: ThrustCommand): void {
    const ctx = this.ctx;
    if (!ctx) return;
    if (this.mode !== 'AUTO') {
      this.counts.proposalsDropped++;
      return;
    }
    this.forward(ctx.clock.nowNs(), c.leftN, c.rightN);
  }

  private onNav(nav: NavState): void {
    const prev = this.nav;
    // A step no boat can make between two estimates is the estimator resetting: the hold
    // point follows it (3 m/s, the Otter's top speed with margin, plus 2 m of noise).
    if (prev && navUsable(prev) && navUsable(nav) && this.mode === 'HOLD') {
      const dtS = Math.max(0, secondsBetween(prev.stampNs, nav.stampNs));
      const dN = nav.northM - prev.northM;
      const dE = nav.eastM - prev.eastM;
      if (Math.hypot(dN, dE) > 2 + 3 * dtS) this.keeper.shift(dN, dE);
    }
    this.nav = nav;
    if (this.mode === 'AUTO' || this.mode === 'MANUAL') this.keeper.record(nav);
    if (this.fence && navUsable(nav)) {
      const outside = !this.fence.contains(nav.northM, nav.eastM);
      if (outside !== this.outside) {
        this.outside = outside;
        this.onFence(outside);
      }
    }
  }

  private onMode(mode: Mode): void {
    this.mode = mode;
    this.pending = mode === 'HOLD' ? 'hold' : mode === 'RETURN' ? 'return' : 'none';
    this.manual = undefined;
    // Stopping modes act at once, not at the next tick.
    if (mode === 'IDLE' || mode === 'FAILSAFE' || mode === 'ESTOP') this.publish(this.ctx?.clock.nowNs() ?? 0n, 0, 0);
  }

  private onOperator(c: OperatorCommand): void {
    if (c.verb !== 'thrust') return;
    const l = c.args?.leftN;
    const r = c.args?.rightN;
    if (this.mode !== 'MANUAL' || typeof l !== 'number' || typeof r !== 'number' || !Number.isFinite(l) || !Number.isFinite(r)) {
      this.counts.manualRefused++;
      return;
    }
    this.manual = { leftN: clampThrust(this.params, l), rightN: clampThrust(this.params, r), atNs: this.ctx?.clock.nowNs() ?? 0n };
  }

  private tick(nowNs: StampNs): void {
    const periodS = 1 / this.options.rateHz;
    let dtS = this.lastTickNs === undefined ? periodS : secondsBetween(this.lastTickNs, nowNs);
    if (!(dtS > 0) || dtS > 2 * periodS) dtS = periodS;
    this.lastTickNs = nowNs;
    switch (this.mode) {
      case 'AUTO':
        return; // the controller's proposals drive; the actuator's timeout covers their absence
      case 'MANUAL': {
        const m = this.manual;
        if (m && secondsBetween(m.atNs, nowNs) <= MANUAL_TIMEOUT_S) this.forward(nowNs, m.leftN, m.rightN);
        else this.publish(nowNs, 0, 0);
        return;
      }
      case 'HOLD':
      case 'RETURN': {
        const nav = this.nav;
        if (!nav || !navUsable(nav) || secondsBetween(nav.stampNs, nowNs) > NAV_STALE_S) {
          this.publish(nowNs, 0, 0);
          return;
        }
        if (this.pending === 'hold') {
          // Outside the fence, hold at the newest point of the travelled path inside it
          // instead: holding where the current has carried the vessel keeps it near the shore.
          const fence = this.fence;
          const inside = fence && !fence.contains(nav.northM, nav.eastM) ? this.keeper.newestCrumb((n, e) => fence.contains(n, e)) : undefined;
          this.keeper.beginHold(inside?.northM ?? nav.northM, inside?.eastM ?? nav.eastM);
        }
        else if (this.pending === 'return') this.keeper.beginReturn(nav);
        this.pending = 'none';
        const out = this.keeper.step(nav, dtS);
        this.forward(nowNs, out.leftN, out.rightN);
        return;
      }
      default:
        this.publish(nowNs, 0, 0);
    }
  }

  /** The hard final check, then out. */
  private forward(nowNs: StampNs, leftN: number, rightN: number): void {
    const l = Number.isFinite(leftN) ? leftN : 0;
    const r = Number.isFinite(rightN) ? rightN : 0;
    const nav = this.nav;
    if (!this.fence || !nav || !navUsable(nav)) {
      this.publish(nowNs, l, r);
      return;
    }
    this.cmd.leftN = l;
    this.cmd.rightN = r;
    const sog = this.sogNs !== undefined && secondsBetween(this.sogNs, nowNs) <= 1 ? this.sogMps : NaN;
    const v = this.fence.check(nav, this.cmd, this.verdict, sog);
    if (!v.safe) {
      this.counts.fenceReplaced++;
      if (this.counts.fenceReplaced === 1 || this.counts.fenceReplaced % 100 === 0) {
        this.ctx?.log.warn('thrust command would leave the geofence; replaced', { replaced: this.counts.fenceReplaced });
      }
    }
    this.publish(nowNs, v.leftN, v.rightN);
  }

  private publish(nowNs: StampNs, leftN: number, rightN: number): void {
    const ctx = this.ctx;
    if (!ctx) return;
    this.counts.published++;
    // A fresh object: subscribers may keep the message (the estimator stores the last thrust).
    ctx.bus.publish('thrustCommand', { stampNs: nowNs, leftN, rightN });
  }
}
