export { nmeaChecksum, frameSentence } from './checksum.ts';
export { LineFramer } from './framer.ts';
export type { Frame, DropReason } from './framer.ts';
export { openEnvelope, vectorNavCrc16 } from './envelope.ts';
export type { Envelope, EnvelopeOptions } from './envelope.ts';
export { NMEA_DECODERS } from './decoders.ts';
export { SentenceParser, NmeaParser, DEFAULT_NMEA_OPTIONS } from './parser.ts';
export type { NmeaOptions, ParserSettings, ParseResult, ParserStats } from './parser.ts';
export { NmeaDriverNode } from './node.ts';
