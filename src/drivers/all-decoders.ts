// Every decoder coxswain has, for tools that read mixed captures (`coxswain decode`, replay).
import type { DecoderTable } from './sentence.ts';
import { NMEA_DECODERS } from './nmea/decoders.ts';
import { VECTORNAV_DECODERS } from './vectornav/ymr.ts';

export const ALL_DECODERS: DecoderTable = { ...NMEA_DECODERS, ...VECTORNAV_DECODERS };
