// The thin runtime node around a sentence parser: bytes from a ByteSource in, typed samples and
// periodic driver statistics out on the bus. All decoding lives in the parser and in
// toBusSamples; this file only wires them to the runtime.
import type { StampNs } from '../msg/index.ts';
import type { ByteSource, Publisher } from '../ports/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { SentenceParser } from './nmea/parser.ts';
import type { BusSample } from './to-bus.ts';
import { toBusSamples } from './to-bus.ts';

/** Publishes one sample; the cast is safe because BusSample pairs each topic with its type. */
export function publishSample(bus: Publisher, sample: BusSample): void {
  (bus.publish as (topic: BusSample['topic'], message: BusSample['message']) => void)(sample.topic, sample.message);
}

export class SentenceDriverNode implements RuntimeNode {
  private running = false;
  private ctx?: NodeContext;

  constructor(
    readonly name: string,
    private readonly source: ByteSource,
    private readonly parser: SentenceParser,
    private readonly statsPeriodS: number,
  ) {}

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.running = true;
    this.source.onData((bytes, stampNs) => this.onBytes(bytes, stampNs));
    this.source.onClose?.((error) => {
      if (error) ctx.log.warn('byte source closed', { source: this.source.name, error });
      else ctx.log.info('byte source closed', { source: this.source.name });
    });
    ctx.every(this.statsPeriodS, (nowNs) => this.publishStats(nowNs));
  }

  stop(): void {
    this.running = false;
  }

  /** Accepted and rejected counts so far (the same figures driverStats carries). */
  stats(): ReturnType<SentenceParser['stats']> {
    return this.parser.stats();
  }

  private onBytes(bytes: Uint8Array, stampNs: StampNs): void {
    const ctx = this.ctx;
    if (!this.running || !ctx) return;
    try {
      this.parser.push(bytes);
      for (let r = this.parser.next(); r; r = this.parser.next()) {
        if (r.kind === 'rejected') {
          ctx.log.debug('sentence rejected', { reason: r.reason, detail: r.detail, raw: r.raw });
          continue;
        }
        const samples = toBusSamples(r.sentence, stampNs);
        for (let i = 0; i < samples.length; i++) publishSample(ctx.bus, samples[i]);
      }
    } catch (error) {
      // The parser does not throw on input; anything here is a bug, which must not take the
      // byte source's event loop down with it.
      ctx.log.error('driver failed on input', { error });
    }
  }

  private publishStats(nowNs: StampNs): void {
    const s = this.parser.stats();
    this.ctx?.bus.publish('driverStats', { stampNs: nowNs, driver: this.name, accepted: s.accepted, rejected: s.rejected });
  }
}
