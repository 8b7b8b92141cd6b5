// VectorNav driver node: `$VNYMR` attitude and inertial samples from a byte source.
import type { ByteSource } from '../../ports/index.ts';
import { SentenceDriverNode } from '../driver-node.ts';
import type { VectorNavOptions } from './parser.ts';
import { DEFAULT_VECTORNAV_OPTIONS, VectorNavParser } from './parser.ts';

export class VectorNavDriverNode extends SentenceDriverNode {
  constructor(name: string, source: ByteSource, options: Partial<VectorNavOptions> = {}) {
    const o = { ...DEFAULT_VECTORNAV_OPTIONS, ...options };
    super(name, source, new VectorNavParser(o), o.statsPeriodS);
  }
}
