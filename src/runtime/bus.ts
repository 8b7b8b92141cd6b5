// The in-process message bus. Dispatch is synchronous and in subscription order, so a simulation
// or replay gives the same result every time. A handler that throws does not reach the
// publisher: the error is handed to `onHandlerError` with the name of the subscribing node.
import type { Topics, TopicName } from '../msg/index.ts';
import type { Handler, Publisher, Subscriber } from '../ports/index.ts';

interface Subscription {
  owner: string;
  handler: Handler<never>;
  active: boolean;
}

export type Tap = (topic: TopicName, message: Topics[TopicName]) => void;

export class Bus implements Publisher {
  private readonly subs = new Map<TopicName, Subscription[]>();
  private readonly taps: Tap[] = [];
  private readonly counts = new Map<TopicName, number>();

  constructor(private readonly onHandlerError: (owner: string, error: unknown) => void) {}

  publish<K extends TopicName>(topic: K, message: Topics[K]): void {
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
    for (const tap of this.taps) tap(topic, message);
    const list = this.subs.get(topic);
    if (!list) return;
    for (const sub of list) {
      if (!sub.active) continue;
      try {
        (sub.handler as Handler<Topics[K]>)(message);
      } catch (error) {
        this.onHandlerError(sub.owner, error);
      }
    }
  }

  /** A subscriber whose handlers are attributed to `owner` when they throw. */
  subscriberFor(owner: string): Subscriber {
    return {
      subscribe: <K extends TopicName>(topic: K, handler: Handler<Topics[K]>) => {
        const sub: Subscription = { owner, handler: handler as Handler<never>, active: true };
        const list = this.subs.get(topic) ?? [];
        list.push(sub);
        this.subs.set(topic, list);
        return () => {
          sub.active = false;
          const current = this.subs.get(topic);
          if (current) this.subs.set(topic, current.filter((s) => s !== sub));
        };
      },
    };
  }

  /** Removes every subscription of a node (when it fails or stops). */
  dropOwner(owner: string): void {
    for (const [topic, list] of this.subs) {
      for (const sub of list) if (sub.owner === owner) sub.active = false;
      this.subs.set(topic, list.filter((s) => s.owner !== owner));
    }
  }

  /** Sees every message before subscribers do (recorder, telemetry). Taps must not throw. */
  tap(fn: Tap): void {
    this.taps.push(fn);
  }

  /** Messages published per topic since start. */
  published(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
