// NMEA 0183 driver node: GNSS, heading, depth and water temperature from a byte source.
import type { ByteSource } from '../../ports/index.ts';
import { SentenceDriverNode } from '../driver-node.ts';
import type { NmeaOptions } from './parser.ts';
import { DEFAULT_NMEA_OPTIONS, NmeaParser } from './parser.ts';

export class NmeaDriverNode extends SentenceDriverNode {
  constructor(name: string, source: ByteSource, options: Partial<NmeaOptions> = {}) {
    const o = { ...DEFAULT_NMEA_OPTIONS, ...options };
    super(name, source, new NmeaParser(o), o.statsPeriodS);
  }
}
