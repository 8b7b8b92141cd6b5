// The supervisor node: watches navigation, faults and the plan, owns the mode, and tells the
// guidance whether it may drive. Every change is published on `mode` with its reason.
import type { Mode, ModeChange, StampNs } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import { allowsAutonomy, nextMode, type SupervisorEvent } from './modes.ts';
import type { SupervisorOptions } from './options.ts';

export { DEFAULT_SUPERVISOR_OPTIONS, type SupervisorOptions } from './options.ts';

export class SupervisorNode implements RuntimeNode {
  private mode: Mode = 'IDLE';
  private lastNavNs: StampNs | undefined;
  /** autoStart is one-shot: after a stop, a failsafe or the end of the survey, only an operator restarts. */
  private autoStarted = false;
  private ctx!: NodeContext;
  readonly changes: ModeChange[] = [];

  constructor(
    readonly name: string,
    private readonly options: SupervisorOptions,
    /** Called on every change; the composition gates the guidance with it. */
    private readonly onMode: (mode: Mode, autonomy: boolean) => void,
  ) {}

  get current(): Mode {
    return this.mode;
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.onMode(this.mode, false);
    ctx.bus.subscribe('nav', (nav) => {
      if (!nav.valid) return;
      this.lastNavNs = nav.stampNs;
      if (!this.autoStarted) this.handle({ kind: 'navValid' });
    });
    ctx.bus.subscribe('guidance', (g) => {
      if (g.done) this.handle({ kind: 'planDone' });
    });
    ctx.bus.subscribe('fault', (f) => {
      if (f.node !== this.name) this.handle({ kind: 'nodeFault', node: f.node, message: f.message });
    });
    ctx.every(1 / this.options.rateHz, (nowNs) => {
      if (this.lastNavNs === undefined) return;
      const ageS = secondsBetween(this.lastNavNs, nowNs);
      if (ageS > this.options.navTimeoutS) this.handle({ kind: 'navLost', ageS });
    });
  }

  /** Operator commands and tests enter here. */
  handle(event: SupervisorEvent): void {
    const t = nextMode(this.mode, event, this.options);
    if (!t) return;
    if (event.kind === 'navValid') this.autoStarted = true;
    const change: ModeChange = { stampNs: this.ctx.clock.nowNs(), from: this.mode, to: t.to, why: t.why };
    this.mode = t.to;
    this.changes.push(change);
    this.ctx.log.info('mode change', { from: change.from, to: change.to, why: change.why });
    this.onMode(this.mode, allowsAutonomy(this.mode));
    this.ctx.bus.publish('mode', change);
  }
}
