// The node that runs the baseline controller along a survey plan at a fixed rate.
//
// Safe by default: it commands zero thrust until navigation is valid and fresh, whenever it
// goes stale, while the supervisor has it disabled, and once the plan is done. It publishes
// on every tick, so the actuator's command timeout only trips when this node itself stops.
import type { NavState, StampNs, ThrustCommand } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { SurveyPlan } from '../planning/plan.ts';
import type { VesselParams } from '../model/vessel.ts';
import { OTTER } from '../model/vessel.ts';
import type { BaselineControllerOptions } from './baseline.ts';
import { BaselineController, DEFAULT_BASELINE_OPTIONS } from './baseline.ts';
import { holdingReason, tickDtS, type Holding } from './tick-gate.ts';

export interface GuidanceNodeOptions {
  /** Control rate. */
  rateHz: number;
  /** Navigation older than this is stale: zero thrust. */
  navStaleS: number;
  /** The controller's gains and guidance. */
  controller: BaselineControllerOptions;
}

export const DEFAULT_GUIDANCE_OPTIONS: Readonly<GuidanceNodeOptions> = Object.freeze({
  rateHz: 10,
  navStaleS: 0.5,
  controller: DEFAULT_BASELINE_OPTIONS,
});


export class GuidanceNode implements RuntimeNode {
  private readonly controller: BaselineController;
  private plan: SurveyPlan;
  private ctx?: NodeContext;
  private nav?: NavState;
  private enabled = true;
  private index = 0;
  private lastTickNs?: StampNs;
  private holding: Holding = 'none';
  private unsubscribe?: () => void;

  constructor(
    readonly name: string,
    plan: SurveyPlan,
    private readonly options: GuidanceNodeOptions = DEFAULT_GUIDANCE_OPTIONS,
    params: VesselParams = OTTER,
  ) {
    this.plan = plan;
    this.controller = new BaselineController(options.controller, params);
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.unsubscribe = ctx.bus.subscribe('nav', (nav) => {
      this.nav = nav;
    });
    ctx.every(1 / this.options.rateHz, (nowNs) => this.tick(nowNs));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    // The actuator node zeroes thrust on its own stop and on timeout; one last zero from here
    // makes the intent explicit on the bus.
    this.ctx?.bus.publish('thrustCommand', zero(this.ctx.clock.nowNs()));
  }

  /** The supervisor's gate: disabled means zero thrust. Re-enabling starts the loops afresh. */
  setEnabled(enabled: boolean): void {
    if (enabled && !this.enabled) this.controller.reset();
    this.enabled = enabled;
  }

  /** Replaces the plan (a replanner, an operator) and starts at its first leg. */
  setPlan(plan: SurveyPlan): void {
    this.plan = plan;
    this.index = 0;
    this.controller.reset();
  }

  get legIndex(): number {
    return this.index;
  }

  get done(): boolean {
    return this.index >= this.plan.legs.length;
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
      this.controller.reset();
      this.publishTarget(nowNs, 0);
      ctx.bus.publish('thrustCommand', zero(nowNs));
      return;
    }
    if (this.done) {
      this.noteHolding('done', ctx);
      this.publishTarget(nowNs, 0);
      ctx.bus.publish('thrustCommand', zero(nowNs));
      return;
    }

    let out = this.controller.step(nav, this.plan.legs[this.index], dtS);
    // Skip every leg already done (a short transit passed inside the switching radius).
    while (out.legDone && this.index < this.plan.legs.length) {
      this.index++;
      this.controller.newLeg();
      if (this.done) break;
      out = this.controller.step(nav, this.plan.legs[this.index], dtS);
    }
    if (this.done) {
      this.noteHolding('done', ctx);
      this.publishTarget(nowNs, 0);
      ctx.bus.publish('thrustCommand', zero(nowNs));
      return;
    }
    this.publishTarget(nowNs, out.crossTrackM);
    ctx.bus.publish('thrustCommand', { stampNs: nowNs, leftN: out.leftN, rightN: out.rightN });
  }

  private publishTarget(nowNs: StampNs, crossTrackM: number): void {
    const legs = this.plan.legs;
    const done = this.done;
    const leg = done ? legs[legs.length - 1] : legs[this.index];
    this.ctx?.bus.publish('guidance', {
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
  }

  /** Logs each change of why thrust is held at zero, once. */
  private noteHolding(hold: Holding, ctx: NodeContext): void {
    if (hold === this.holding) return;
    if (hold === 'none') ctx.log.info('guidance resumed', { was: this.holding, legIndex: this.index });
    else if (hold === 'done') ctx.log.info('survey plan done', { legs: this.plan.legs.length });
    else if (hold !== 'disabled') ctx.log.warn('zero thrust: navigation unusable', { why: hold });
    this.holding = hold;
  }
}

function zero(stampNs: StampNs): ThrustCommand {
  return { stampNs, leftN: 0, rightN: 0 };
}
