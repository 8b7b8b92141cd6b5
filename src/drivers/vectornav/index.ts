export { decodeYmr, VECTORNAV_DECODERS, YMR_FIELD_COUNT } from './ymr.ts';
export { VectorNavParser, DEFAULT_VECTORNAV_OPTIONS } from './parser.ts';
export type { VectorNavOptions } from './parser.ts';
export { VectorNavDriverNode } from './node.ts';
