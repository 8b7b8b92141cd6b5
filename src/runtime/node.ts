// Node lifecycle and the scheduler that drives timers from the Clock.
//
// A node is started with a context: its own bus view, the clock, a logger and `every()` for
// periodic work. An error thrown by any of its handlers or timers is contained: the node is
// stopped, a `fault` is published, and the supervisor decides what the vehicle does.
import type { StampNs } from '../msg/index.ts';
import { sToNs } from '../msg/index.ts';
import type { Clock, Publisher, Subscriber } from '../ports/index.ts';
import { Bus } from './bus.ts';
import type { Logger } from './log.ts';
import { performance } from 'node:perf_hooks';

export interface NodeContext {
  readonly bus: Publisher & Subscriber;
  readonly clock: Clock;
  readonly log: Logger;
  /** Calls `fn` every `periodS` seconds of clock time, first at start + periodS (or + phaseS). */
  every(periodS: number, fn: (nowNs: StampNs) => void, phaseS?: number): void;
}

export interface RuntimeNode {
  readonly name: string;
  start(ctx: NodeContext): void;
  stop?(): void;
}

interface Timer {
  owner: string;
  periodNs: StampNs;
  nextNs: StampNs;
  fn: (nowNs: StampNs) => void;
  /** Registration order breaks ties between timers due at the same instant. */
  order: number;
}

export type NodeState = 'created' | 'running' | 'failed' | 'stopped';

export interface RuntimeOptions {
  clock: Clock;
  log: Logger;
  /** Called after a node has failed and been stopped. */
  onNodeFailure?: (node: string, error: unknown) => void;
  /**
   * On wall time, a timer that fell behind (a stalled process) skips its missed ticks instead of
   * bursting them. On virtual time every tick fires, so a run does not depend on step sizes.
   */
  skipMissedTicks?: boolean;
}

export class Runtime {
  readonly bus: Bus;
  readonly clock: Clock;
  private readonly log: Logger;
  private readonly nodes: RuntimeNode[] = [];
  private readonly states = new Map<string, NodeState>();
  private timers: Timer[] = [];
  private timerOrder = 0;
  private readonly onNodeFailure?: (node: string, error: unknown) => void;
  private readonly skipMissedTicks: boolean;
  private readonly timed = new Map<string, { durationsMs: number[]; periodMs: number[] }>();

  constructor(options: RuntimeOptions) {
    this.clock = options.clock;
    this.log = options.log;
    this.onNodeFailure = options.onNodeFailure;
    this.skipMissedTicks = options.skipMissedTicks ?? false;
    this.bus = new Bus((owner, error) => this.fail(owner, error));
  }

  add(node: RuntimeNode): this {
    if (this.states.has(node.name)) throw new Error(`duplicate node name '${node.name}'`);
    this.nodes.push(node);
    this.states.set(node.name, 'created');
    return this;
  }

  state(name: string): NodeState | undefined {
    return this.states.get(name);
  }

  /** Starts nodes in the order they were added. A node that throws in start() is failed. */
  start(): void {
    for (const node of this.nodes) {
      const log = this.log.child({ node: node.name });
      const ctx: NodeContext = {
        bus: { publish: (t, m) => this.bus.publish(t, m), ...this.bus.subscriberFor(node.name) },
        clock: this.clock,
        log,
        every: (periodS, fn, phaseS) => {
          if (!(periodS > 0)) throw new Error(`${node.name}: timer period must be > 0, got ${periodS}`);
          const periodNs = sToNs(periodS);
          this.timers.push({
            owner: node.name,
            periodNs,
            nextNs: this.clock.nowNs() + (phaseS === undefined ? periodNs : sToNs(phaseS)),
            fn,
            order: this.timerOrder++,
          });
        },
      };
      this.states.set(node.name, 'running');
      try {
        node.start(ctx);
      } catch (error) {
        this.fail(node.name, error);
      }
    }
  }

  /** Stops every running node in reverse order. Errors in stop() are logged, not thrown. */
  stop(): void {
    for (const node of [...this.nodes].reverse()) {
      if (this.states.get(node.name) !== 'running') continue;
      this.states.set(node.name, 'stopped');
      try {
        node.stop?.();
      } catch (error) {
        this.log.error('node stop failed', { node: node.name, error });
      }
    }
    this.timers = [];
  }

  /**
   * Records the wall-clock duration of every timer callback of `owner` (a controller's tick),
   * for latency and overrun figures. Returns the live arrays.
   */
  timeTimersOf(owner: string): { durationsMs: number[]; periodMs: number[] } {
    let t = this.timed.get(owner);
    if (!t) {
      t = { durationsMs: [], periodMs: [] };
      this.timed.set(owner, t);
    }
    return t;
  }

  /** The earliest instant a timer is due, or undefined when there is none. */
  nextDueNs(): StampNs | undefined {
    let next: StampNs | undefined;
    for (const t of this.timers) if (next === undefined || t.nextNs < next) next = t.nextNs;
    return next;
  }

  /**
   * Fires every timer due at or before `nowNs`, in time order (ties by registration order).
   * The clock must already read `nowNs`; virtual-time runners advance it first.
   */
  runTimersUntil(nowNs: StampNs): void {
    for (;;) {
      let due: Timer | undefined;
      for (const t of this.timers) {
        if (t.nextNs > nowNs) continue;
        if (!due || t.nextNs < due.nextNs || (t.nextNs === due.nextNs && t.order < due.order)) due = t;
      }
      if (!due) return;
      const firedAt = due.nextNs;
      due.nextNs += due.periodNs;
      if (this.skipMissedTicks && due.nextNs <= nowNs) due.nextNs = nowNs + due.periodNs;
      const timing = this.timed.get(due.owner);
      const t0 = timing ? performance.now() : 0;
      try {
        due.fn(firedAt);
      } catch (error) {
        this.fail(due.owner, error);
      }
      if (timing) {
        timing.durationsMs.push(performance.now() - t0);
        timing.periodMs.push(Number(due.periodNs) / 1e6);
      }
    }
  }

  private fail(owner: string, error: unknown): void {
    if (this.states.get(owner) === 'failed') return;
    this.states.set(owner, 'failed');
    this.bus.dropOwner(owner);
    this.timers = this.timers.filter((t) => t.owner !== owner);
    const message = error instanceof Error ? error.message : String(error);
    this.log.error('node failed; stopped', { node: owner, error });
    try {
      this.nodes.find((n) => n.name === owner)?.stop?.();
    } catch {
      // Already failing; its stop() error adds nothing.
    }
    this.bus.publish('fault', { stampNs: this.clock.nowNs(), node: owner, kind: 'error', message });
    this.onNodeFailure?.(owner, error);
  }
}
