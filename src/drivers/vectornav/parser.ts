// VectorNav ASCII parser: the shared NMEA framing and envelope with the VectorNav decoders.
import { SentenceParser } from '../nmea/parser.ts';
import type { ParserSettings } from '../nmea/parser.ts';
import { VECTORNAV_DECODERS } from './ymr.ts';

/** Settings of a VectorNav driver (the same shape as NmeaOptions). */
export interface VectorNavOptions {
  /** Reject lines that carry no checksum (as reason 'checksum'). */
  requireChecksum: boolean;
  /** Accept `*XX`, which the sensor sends when its checksum output is disabled. */
  acceptDisabledChecksum: boolean;
  /** Longest line kept, in characters; a $VNYMR line is about 125. */
  maxLineLength: number;
  /** Period of the driver's driverStats message, seconds of clock time. */
  statsPeriodS: number;
}

export const DEFAULT_VECTORNAV_OPTIONS: VectorNavOptions = {
  requireChecksum: true,
  acceptDisabledChecksum: false,
  maxLineLength: 256,
  statsPeriodS: 1,
};

export class VectorNavParser extends SentenceParser {
  constructor(options: Partial<ParserSettings> = {}) {
    super({ ...DEFAULT_VECTORNAV_OPTIONS, ...options }, VECTORNAV_DECODERS);
  }
}
