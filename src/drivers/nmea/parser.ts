// The sentence parser: bytes in, decoded sentences or counted rejections out.
//
// `push(bytes)` queues bytes; `next()` returns the next result, or undefined when it needs more
// bytes. Nothing in here throws on input, keeps a timer or does I/O. Results are a tagged union
// so callers switch on `kind`; every rejection names one of the three summary reasons plus a
// detail string for logs.
import type { DecodedSentence, DecoderTable, RejectReason } from '../sentence.ts';
import { NMEA_DECODERS } from './decoders.ts';
import { openEnvelope } from './envelope.ts';
import { FieldReader } from './fields.ts';
import { LineFramer } from './framer.ts';

/** Settings of an NMEA driver: parser policy and the driver's statistics period. */
export interface NmeaOptions {
  /** Reject sentences that carry no `*HH` checksum (as reason 'checksum'). */
  requireChecksum: boolean;
  /** Accept VectorNav's `*XX` (checksum disabled on the sensor) even when checksums are required. */
  acceptDisabledChecksum: boolean;
  /**
   * Longest line kept, in characters including the start character. NMEA 0183 allows 82 with
   * CR LF; high-precision GNSS and VectorNav lines run longer, so the bound is generous.
   */
  maxLineLength: number;
  /** Period of the driver's driverStats message, seconds of clock time (the parser ignores it). */
  statsPeriodS: number;
}

export const DEFAULT_NMEA_OPTIONS: NmeaOptions = {
  requireChecksum: true,
  acceptDisabledChecksum: false,
  maxLineLength: 256,
  statsPeriodS: 1,
};

/** What the parser itself reads of the options. */
export type ParserSettings = Pick<NmeaOptions, 'requireChecksum' | 'acceptDisabledChecksum' | 'maxLineLength'>;

export type ParseResult =
  | { kind: 'sentence'; sentence: DecodedSentence; raw: string; offset: number }
  | { kind: 'rejected'; reason: RejectReason; detail: string; raw: string; offset: number };

export interface ParserStats {
  accepted: number;
  rejected: Record<RejectReason, number>;
  /** Bytes outside any sentence (binary frames, stray text), not counted as rejections. */
  garbageBytes: number;
}

export class SentenceParser {
  private readonly framer: LineFramer;
  private readonly reader = new FieldReader();
  private readonly options: ParserSettings;
  private accepted = 0;
  private readonly rejected: Record<RejectReason, number> = { checksum: 0, malformed: 0, unsupported: 0 };

  constructor(
    options: Partial<ParserSettings> = {},
    private readonly decoders: DecoderTable = NMEA_DECODERS,
  ) {
    this.options = { ...DEFAULT_NMEA_OPTIONS, ...options };
    this.framer = new LineFramer(this.options.maxLineLength);
  }

  push(bytes: Uint8Array): void {
    this.framer.push(bytes);
  }

  next(): ParseResult | undefined {
    return this.pull(false);
  }

  /** Like next(), but at the end of the stream: a last line without a newline is parsed too. */
  flush(): ParseResult | undefined {
    return this.pull(true);
  }

  stats(): ParserStats {
    return { accepted: this.accepted, rejected: { ...this.rejected }, garbageBytes: this.framer.garbageBytes };
  }

  private pull(atEnd: boolean): ParseResult | undefined {
    for (;;) {
      const frame = atEnd ? this.framer.flush() : this.framer.next();
      if (!frame) return undefined;
      if (frame.kind === 'dropped') {
        // A '$' followed at once by binary or by another '$' is noise in a binary stream, not a
        // sentence; only a fragment that got as far as its first field counts as malformed.
        if (frame.reason !== 'overlong' && frame.text.indexOf(',') < 0) {
          this.framer.garbageBytes += frame.text.length;
          continue;
        }
        return this.reject('malformed', `${frame.reason} sentence`, frame.text, frame.offset);
      }
      return this.decode(frame.text, frame.offset);
    }
  }

  private decode(raw: string, offset: number): ParseResult {
    const env = openEnvelope(raw, this.options);
    if (!env.ok) return this.reject(env.reason, env.detail, raw, offset);
    const decoder = env.proprietary ? undefined : this.decoders[env.type];
    if (!decoder) return this.reject('unsupported', `sentence type '${env.type}'`, raw, offset);
    const sentence = decoder(env.talker, this.reader.reset(env.fields));
    if (!sentence || this.reader.bad) return this.reject('malformed', this.reader.why || 'undecodable', raw, offset);
    this.accepted++;
    return { kind: 'sentence', sentence, raw, offset };
  }

  private reject(reason: RejectReason, detail: string, raw: string, offset: number): ParseResult {
    this.rejected[reason]++;
    return { kind: 'rejected', reason, detail, raw, offset };
  }
}

/** The NMEA 0183 parser: GGA, RMC, VTG, GLL, ZDA, HDT, HDG, HDM, ROT, DBT, DPT, DBS, MTW, XDR. */
export class NmeaParser extends SentenceParser {
  constructor(options: Partial<ParserSettings> = {}) {
    super(options, NMEA_DECODERS);
  }
}
