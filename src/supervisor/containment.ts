// Process containment for one node: the runtime already stops a node whose handler throws and
// publishes a `fault`; this wrapper goes one step further where that is safe, and restarts it.
//
// The wrapped node gets a context whose every subscription and timer is guarded: an error is
// caught, the node's handlers of that generation are disabled, its stop() runs, a `fault`
// (kind 'error', "restarted n/max") is published, and start() runs again with a fresh context.
// After maxRestarts the error is rethrown, so the runtime fails the node for good and the
// supervisor acts on that. Only nodes that can start twice belong here: a driver registers its
// byte handler on a source it cannot unregister from, so drivers are not restartable.
//
// The wrapper also reroutes the node's `thrustCommand`s to a function (the safety filter)
// instead of the bus, so what a controller proposes is never what the thrusters get unchecked.
import type { StampNs, ThrustCommand, TopicName, Topics } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';

export interface ContainmentOptions {
  /** Restarts allowed before a failure is final (0: never restart). */
  maxRestarts: number;
  /** Where the node's thrust commands go instead of the bus. */
  interceptThrust?: (command: ThrustCommand) => void;
}

export class ContainedNode implements RuntimeNode {
  readonly name: string;
  private outer?: NodeContext;
  private generation = 0;
  private offs: Array<() => void> = [];
  private restartCount = 0;

  constructor(
    readonly inner: RuntimeNode,
    private readonly options: ContainmentOptions,
  ) {
    this.name = inner.name;
  }

  get restarts(): number {
    return this.restartCount;
  }

  start(ctx: NodeContext): void {
    this.outer = ctx;
    this.launch();
  }

  stop(): void {
    this.generation++;
    for (const off of this.offs.splice(0)) off();
    this.inner.stop?.();
  }

  private launch(): void {
    const outer = this.outer;
    if (!outer) return;
    const gen = ++this.generation;
    const live = () => gen === this.generation;
    const guard =
      <A>(fn: (a: A) => void) =>
      (a: A): void => {
        if (!live()) return;
        try {
          fn(a);
        } catch (error) {
          this.onError(error);
        }
      };
    const intercept = this.options.interceptThrust;
    const ctx: NodeContext = {
      clock: outer.clock,
      log: outer.log,
      bus: {
        publish: <K extends TopicName>(topic: K, message: Topics[K]) => {
          if (!live()) return;
          if (intercept && topic === 'thrustCommand') intercept(message as ThrustCommand);
          else outer.bus.publish(topic, message);
        },
        subscribe: (topic, handler) => {
          const off = outer.bus.subscribe(topic, guard(handler));
          this.offs.push(off);
          return off;
        },
      },
      every: (periodS: number, fn: (nowNs: StampNs) => void, phaseS?: number) => outer.every(periodS, guard(fn), phaseS),
    };
    try {
      this.inner.start(ctx);
    } catch (error) {
      this.onError(error);
    }
  }

  private onError(error: unknown): void {
    const outer = this.outer;
    if (!outer || this.restartCount >= this.options.maxRestarts) throw error;
    this.restartCount++;
    this.generation++;
    for (const off of this.offs.splice(0)) off();
    try {
      this.inner.stop?.();
    } catch {
      // It is being restarted because it failed; a failing stop() adds nothing.
    }
    const message = `${error instanceof Error ? error.message : String(error)}; restarted (${this.restartCount}/${this.options.maxRestarts})`;
    outer.log.error('node failed; restarting', { node: this.name, error, restart: this.restartCount });
    outer.bus.publish('fault', { stampNs: outer.clock.nowNs(), node: this.name, kind: 'error', message });
    this.launch();
  }
}
