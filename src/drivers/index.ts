// Sensor drivers: pure push-bytes/pull-results parsers and the thin nodes that wire them.
export * from './nmea/index.ts';
export * from './vectornav/index.ts';
export type * from './sentence.ts';
export { REJECT_REASONS } from './sentence.ts';
export { toBusSamples } from './to-bus.ts';
export type { BusSample } from './to-bus.ts';
export { SentenceDriverNode, publishSample } from './driver-node.ts';
export { ALL_DECODERS } from './all-decoders.ts';
