// Small interfaces between the runtime and the world. Simulator, serial ports, ROS 2 and log
// replay all implement these; cores never see anything else.
import type { StampNs, ThrustCommand, Topics, TopicName } from '../msg/index.ts';

/** The one source of time. Wall time on the vessel; virtual time in simulation and replay. */
export interface Clock {
  nowNs(): StampNs;
}

/** A stream of raw bytes: a serial port, a pseudo-terminal, a simulated sensor, a capture. */
export interface ByteSource {
  readonly name: string;
  /** Registers the consumer; bytes arrive in order, in chunks of any size. */
  onData(handler: (bytes: Uint8Array, stampNs: StampNs) => void): void;
  /** Called when the source closes or fails; the error is typed by the adapter. */
  onClose?(handler: (error?: Error) => void): void;
}

/** A stream of outgoing bytes (a serial port to a motor controller, say). */
export interface ByteSink {
  readonly name: string;
  write(bytes: Uint8Array): void;
}

/** Where thrust commands go: the simulator, a serial motor controller, ROS 2 topics. */
export interface ThrustSink {
  readonly name: string;
  apply(command: ThrustCommand): void;
}

export type Handler<T> = (message: T) => void;

export interface Publisher {
  publish<K extends TopicName>(topic: K, message: Topics[K]): void;
}

export interface Subscriber {
  /** Returns a function that removes the subscription. */
  subscribe<K extends TopicName>(topic: K, handler: Handler<Topics[K]>): () => void;
}
