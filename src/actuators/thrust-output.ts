// The last node before the thrusters. It forwards thrust commands to the sink (simulator,
// serial motor controller, ROS 2), clamped to what the thrusters can give, and it is the
// vehicle's dead-man switch: when commands stop coming (a controller crashed, a supervisor
// froze) it applies zero thrust on its own timer, and again on stop.
import type { StampNs, ThrustCommand } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import type { ThrustSink } from '../ports/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { VesselParams } from '../model/vessel.ts';
import { OTTER, clampThrust } from '../model/vessel.ts';

export interface ThrustOutputOptions {
  /** With no command for this long, thrust goes to zero. */
  commandTimeoutS: number;
  /** Rate of the timeout check (and of the zero commands re-sent while timed out). */
  rateHz: number;
}

export const DEFAULT_THRUST_OUTPUT_OPTIONS: Readonly<ThrustOutputOptions> = Object.freeze({
  commandTimeoutS: 0.5,
  rateHz: 20,
});

export interface ThrustOutputStats {
  /** Commands forwarded to the sink. */
  forwarded: number;
  /** Thrust values that were not finite and went out as 0. */
  nonFinite: number;
  /** Thrust values cut to the thruster limits. */
  clamped: number;
  /** Times commands stopped for longer than the timeout. */
  timeouts: number;
}

export class ThrustOutputNode implements RuntimeNode {
  private ctx?: NodeContext;
  private lastCommandNs?: StampNs;
  private timedOut = false;
  private unsubscribe?: () => void;
  private readonly counts: ThrustOutputStats = { forwarded: 0, nonFinite: 0, clamped: 0, timeouts: 0 };

  constructor(
    readonly name: string,
    private readonly sink: ThrustSink,
    private readonly options: ThrustOutputOptions = DEFAULT_THRUST_OUTPUT_OPTIONS,
    private readonly params: VesselParams = OTTER,
  ) {}

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    // Until the first command arrives the vessel is treated as timed out: zero thrust.
    this.lastCommandNs = undefined;
    this.timedOut = true;
    this.unsubscribe = ctx.bus.subscribe('thrustCommand', (c) => this.onCommand(c));
    ctx.every(1 / this.options.rateHz, (nowNs) => this.check(nowNs));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const nowNs = this.ctx?.clock.nowNs() ?? 0n;
    this.sink.apply({ stampNs: nowNs, leftN: 0, rightN: 0 });
  }

  stats(): Readonly<ThrustOutputStats> {
    return { ...this.counts };
  }

  private onCommand(c: ThrustCommand): void {
    const ctx = this.ctx;
    if (!ctx) return;
    // Freshness is judged by arrival on this node's clock, not the sender's stamp, so a
    // sender with a wrong stamp cannot keep the thrusters alive after it has gone silent.
    this.lastCommandNs = ctx.clock.nowNs();
    if (this.timedOut) {
      this.timedOut = false;
      ctx.log.info('thrust commands resumed');
    }
    this.counts.forwarded++;
    this.sink.apply({ stampNs: c.stampNs, leftN: this.sanitise(c.leftN), rightN: this.sanitise(c.rightN) });
  }

  private sanitise(thrustN: number): number {
    if (!Number.isFinite(thrustN)) {
      this.counts.nonFinite++;
      return 0;
    }
    const v = clampThrust(this.params, thrustN);
    if (v !== thrustN) this.counts.clamped++;
    return v;
  }

  private check(nowNs: StampNs): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const fresh =
      this.lastCommandNs !== undefined && secondsBetween(this.lastCommandNs, nowNs) <= this.options.commandTimeoutS;
    if (fresh) return;
    if (!this.timedOut) {
      this.timedOut = true;
      this.counts.timeouts++;
      const message = `no thrust command for ${this.options.commandTimeoutS} s; zero thrust`;
      ctx.log.warn(message);
      ctx.bus.publish('fault', { stampNs: nowNs, node: this.name, kind: 'timeout', message });
    }
    // Re-sent on every check, so a motor controller with its own watchdog keeps seeing zeros.
    this.sink.apply({ stampNs: nowNs, leftN: 0, rightN: 0 });
  }
}
