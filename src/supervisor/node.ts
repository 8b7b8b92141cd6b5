// The supervisor node: feeds what it hears on the bus to the watchdogs and the mode machine,
// owns the mode, and publishes every change on `mode` with its reason. Operator commands
// arrive on `operatorCommand` (the in-process command interface; the network link's adapter
// publishes there too) and are validated here: a malformed one is counted and refused.
import type { Mode, ModeChange, NavState, OperatorCommand, StampNs } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import { allowsAutonomy, nextMode, OPERATOR_VERBS, type OperatorVerb, type SupervisorEvent } from './modes.ts';
import type { SupervisorOptions, TriggerKind } from './options.ts';
import { Watchdogs, type ActiveCondition } from './watchdogs.ts';

export { DEFAULT_SUPERVISOR_OPTIONS, type SupervisorOptions } from './options.ts';

/** Readings of other nodes' counters that do not travel on the bus. */
export interface SupervisorProbes {
  /** GNSS fixes the estimator's innovation gate has rejected so far. */
  gnssGated?: () => number;
}

export interface SupervisorStats {
  commandsAccepted: number;
  /** Malformed: unknown verb, wrong shape. */
  commandsRejected: number;
  /** Well formed but not allowed in the mode of the moment. */
  commandsIgnored: number;
}

/** The names of nodes whose failure means no thrust can be trusted: drift, do not hold. */
export interface SupervisorWiring {
  safetyNode?: string;
}

/** Triggers that put navigation itself in doubt. */
const NAV_TRIGGERS: ReadonlySet<string> = new Set(['gnssStale', 'imuStale', 'imuFrozen', 'navDegraded', 'estimatorGating', 'clockSkew']);

export class SupervisorNode implements RuntimeNode {
  private mode: Mode = 'IDLE';
  private lastNavNs: StampNs | undefined;
  private lastNav: NavState | undefined;
  /** autoStart is one-shot: after a stop, a failsafe or the end of the survey, only an operator restarts. */
  private autoStarted = false;
  /** FAILSAFE entered because navigation was lost: it may lift to HOLD when navigation returns. */
  private failsafeForNav = false;
  private navGoodSinceNs: StampNs | undefined;
  private sog: { speedMps: number; atNs: StampNs } | undefined;
  private mismatchSinceNs: StampNs | undefined;
  private ctx!: NodeContext;
  private readonly watchdogs: Watchdogs;
  private readonly active: ActiveCondition[] = [];
  private readonly counts: SupervisorStats = { commandsAccepted: 0, commandsRejected: 0, commandsIgnored: 0 };
  readonly changes: ModeChange[] = [];

  constructor(
    readonly name: string,
    private readonly options: SupervisorOptions,
    /** Called on every change; the composition gates the survey controller with it. */
    private readonly onMode: (mode: Mode, autonomy: boolean) => void,
    private readonly probes: SupervisorProbes = {},
    private readonly wiring: SupervisorWiring = {},
  ) {
    this.watchdogs = new Watchdogs(options);
  }

  get current(): Mode {
    return this.mode;
  }

  stats(): Readonly<SupervisorStats> {
    return { ...this.counts };
  }

  /** The safety filter reports fence crossings here. */
  onFence(outside: boolean): void {
    this.watchdogs.onFence(outside);
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.watchdogs.start(ctx.clock.nowNs());
    this.onMode(this.mode, false);
    const bus = ctx.bus;
    bus.subscribe('nav', (nav) => {
      this.watchdogs.onNav(nav);
      if (!nav.valid) return;
      this.lastNavNs = nav.stampNs;
      this.lastNav = nav;
      if (!this.autoStarted && this.mode === 'IDLE') this.handle({ kind: 'navValid' });
    });
    bus.subscribe('gnssVelocity', (v) => {
      if (Number.isFinite(v.speedMps)) this.sog = { speedMps: v.speedMps, atNs: ctx.clock.nowNs() };
    });
    bus.subscribe('gnss', (m) => this.watchdogs.onGnss(m, ctx.clock.nowNs()));
    bus.subscribe('imu', (m) => this.watchdogs.onImu(m, ctx.clock.nowNs()));
    bus.subscribe('depth', (m) => this.watchdogs.onDepth(m, ctx.clock.nowNs()));
    bus.subscribe('alarm', (a) => this.watchdogs.onAlarm(a));
    bus.subscribe('controlDiagnostics', (d) => {
      if (d.overrun) this.watchdogs.onOverrun(ctx.clock.nowNs());
    });
    bus.subscribe('guidance', (g) => {
      if (g.done) this.handle({ kind: 'planDone' });
    });
    bus.subscribe('fault', (f) => {
      if (f.node === this.name) return;
      if (f.kind === 'overrun') this.watchdogs.onOverrun(ctx.clock.nowNs());
      else if (f.kind === 'timeout') this.trigger('actuatorTimeout', `${f.node}: ${f.message}`);
      else if (f.node === this.wiring.safetyNode) {
        this.handle({ kind: 'trigger', trigger: 'nodeFault', action: 'drift', why: `safety filter '${f.node}' failed: ${f.message}` });
      } else this.trigger('nodeFault', `node '${f.node}' failed: ${f.message}`);
    });
    bus.subscribe('operatorCommand', (c) => this.onCommand(c));
    ctx.every(1 / this.options.rateHz, (nowNs) => this.tick(nowNs));
  }

  private tick(nowNs: StampNs): void {
    const o = this.options;
    if (this.probes.gnssGated) this.watchdogs.onGatedTotal(this.probes.gnssGated(), nowNs);
    const navAgeS = this.lastNavNs === undefined ? Infinity : secondsBetween(this.lastNavNs, nowNs);
    const sigmaM = this.lastNav?.positionSigmaM ?? Infinity;
    const mismatch = this.speedMismatch(nowNs);
    const navOk = navAgeS <= o.navTimeoutS && sigmaM <= o.navLostSigmaM && mismatch === undefined;
    if (this.lastNavNs !== undefined && !navOk) {
      this.navGoodSinceNs = undefined;
      const why =
        navAgeS > o.navTimeoutS
          ? `no valid navigation for ${navAgeS.toFixed(1)} s`
          : mismatch !== undefined
            ? `estimated speed disagrees with GNSS by ${mismatch.toFixed(1)} m/s`
            : `position sigma ${sigmaM.toFixed(1)} m`;
      this.handle({ kind: 'navLost', why });
    } else if (navOk && sigmaM <= o.navDegradedSigmaM) {
      this.navGoodSinceNs ??= nowNs;
      // Ten seconds of good navigation before a drifting vessel trusts it again: a diverged
      // filter can look sound for a moment between two disagreements.
      if (this.mode === 'FAILSAFE' && this.failsafeForNav && this.mismatchSinceNs === undefined && secondsBetween(this.navGoodSinceNs, nowNs) >= 10) {
        this.handle({ kind: 'navRecovered' });
      }
    } else this.navGoodSinceNs = undefined;
    if (this.mismatchSinceNs !== undefined) this.navGoodSinceNs = undefined;
    for (const c of this.watchdogs.evaluate(nowNs, this.active)) {
      // A condition that asks for drift keeps the vessel from trusting navigation again.
      if (o.actions[c.trigger] === 'drift') this.navGoodSinceNs = undefined;
      this.trigger(c.trigger, c.why);
    }
  }

  /**
   * The estimator's speed against the GNSS receiver's own speed over ground: a disagreement
   * that lasts means the filter has diverged (velocity states, heading), which the position
   * sigma does not show. Returns the disagreement once it has lasted navSpeedMismatchS.
   */
  private speedMismatch(nowNs: StampNs): number | undefined {
    const nav = this.lastNav;
    const sog = this.sog;
    const o = this.options;
    if (!nav || !sog || secondsBetween(sog.atNs, nowNs) > 1) {
      this.mismatchSinceNs = undefined;
      return undefined;
    }
    const diff = Math.abs(Math.hypot(nav.uMps, nav.vMps) - sog.speedMps);
    if (!(diff > o.navSpeedMismatchMps)) {
      this.mismatchSinceNs = undefined;
      return undefined;
    }
    this.mismatchSinceNs ??= nowNs;
    return secondsBetween(this.mismatchSinceNs, nowNs) >= o.navSpeedMismatchS ? diff : undefined;
  }

  private trigger(trigger: TriggerKind, why: string): void {
    this.handle({ kind: 'trigger', trigger, action: this.options.actions[trigger], why });
  }

  private onCommand(c: OperatorCommand): void {
    const verb = (c as { verb?: unknown }).verb;
    const args = (c as { args?: unknown }).args;
    if (typeof verb !== 'string' || !(OPERATOR_VERBS as readonly string[]).includes(verb) || (args !== undefined && (args === null || typeof args !== 'object'))) {
      this.counts.commandsRejected++;
      // Logged once and then every 100th, so a flood of garbage cannot flood the log too.
      if (this.counts.commandsRejected % 100 === 1) this.ctx.log.warn('operator command refused: malformed', { verb: typeof verb === 'string' ? verb.slice(0, 40) : typeof verb, source: String(c.source).slice(0, 40), rejected: this.counts.commandsRejected });
      return;
    }
    this.counts.commandsAccepted++;
    if (verb === 'heartbeat') {
      this.watchdogs.onHeartbeat(this.ctx.clock.nowNs());
      return;
    }
    if (verb === 'thrust') return; // the safety filter's business (MANUAL)
    if (!this.handle({ kind: 'command', verb: verb as OperatorVerb })) {
      this.counts.commandsIgnored++;
      this.ctx.log.info('operator command not allowed in this mode', { verb, mode: this.mode });
    }
  }

  /** Operator commands and tests enter here. Returns whether the mode changed. */
  handle(event: SupervisorEvent): boolean {
    const t = nextMode(this.mode, event, this.options);
    if (!t) return false;
    if (event.kind === 'navValid') this.autoStarted = true;
    // An operator start counts as the start: autoStart never fires after it.
    if (event.kind === 'command') this.autoStarted = true;
    // Drifting because navigation was in doubt may end by itself once it is sound again.
    if (t.to === 'FAILSAFE') this.failsafeForNav = event.kind === 'navLost' || (event.kind === 'trigger' && NAV_TRIGGERS.has(event.trigger));
    const change: ModeChange = { stampNs: this.ctx.clock.nowNs(), from: this.mode, to: t.to, why: t.why };
    this.mode = t.to;
    this.changes.push(change);
    this.ctx.log.info('mode change', { from: change.from, to: change.to, why: change.why });
    this.onMode(this.mode, allowsAutonomy(this.mode));
    this.ctx.bus.publish('mode', change);
    return true;
  }
}
