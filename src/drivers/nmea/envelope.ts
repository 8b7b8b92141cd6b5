// The envelope of one framed line: start character, address field, fields, checksum.
//
// NMEA 0183: `$ADDR,f1,...,fn*HH` where HH is the XOR of every character between '$' and '*'
// as two hex digits (checksum.ts). VectorNav ASCII uses the same 8-bit XOR, or a 16-bit CRC as
// four hex digits when the sensor is configured for it, or the literal `*XX` when checksums
// are disabled (VectorNav VN-100 user manual, "Checksum / CRC" of the ASCII protocol).
import { nmeaChecksum } from './checksum.ts';

export type Envelope =
  | { ok: true; talker: string; type: string; proprietary: boolean; fields: string[] }
  | { ok: false; reason: 'checksum' | 'malformed'; detail: string };

export interface EnvelopeOptions {
  requireChecksum: boolean;
  acceptDisabledChecksum: boolean;
}

/** Address field: letters and digits only (numeric talkers such as "02" occur in the wild). */
const ADDRESS = /^[A-Z0-9]{3,}$/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/**
 * CRC-16-CCITT (polynomial 0x1021, initial value 0, no reflection: the "XMODEM" variant) over
 * the characters between '$' and '*', which is what VectorNav sensors send in 16-bit CRC mode.
 */
export function vectorNavCrc16(body: string): number {
  let crc = 0;
  for (let i = 0; i < body.length; i++) {
    crc ^= (body.charCodeAt(i) & 0xff) << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export function openEnvelope(line: string, options: EnvelopeOptions): Envelope {
  const star = line.lastIndexOf('*');
  let body: string;
  if (star < 0) {
    if (options.requireChecksum) return { ok: false, reason: 'checksum', detail: 'no checksum' };
    body = line.slice(1);
  } else {
    body = line.slice(1, star);
    const sum = line.slice(star + 1);
    if (sum === 'XX') {
      if (options.requireChecksum && !options.acceptDisabledChecksum) {
        return { ok: false, reason: 'checksum', detail: 'checksum disabled (*XX)' };
      }
    } else if (HEX2.test(sum)) {
      const expected = nmeaChecksum(body);
      if (parseInt(sum, 16) !== expected) {
        return { ok: false, reason: 'checksum', detail: `expected ${hex(expected, 2)}, found ${sum}` };
      }
    } else if (HEX4.test(sum)) {
      const expected = vectorNavCrc16(body);
      if (parseInt(sum, 16) !== expected) {
        return { ok: false, reason: 'checksum', detail: `expected CRC ${hex(expected, 4)}, found ${sum}` };
      }
    } else {
      return { ok: false, reason: 'malformed', detail: `checksum field '${sum}' is not 2 or 4 hex digits` };
    }
  }
  const fields = body.split(',');
  const address = fields.shift() as string;
  if (!ADDRESS.test(address)) return { ok: false, reason: 'malformed', detail: `bad address field '${address}'` };
  // Proprietary sentences are 'P' + a manufacturer code; there is no talker/type split.
  if (address.charCodeAt(0) === 0x50 /* P */) {
    return { ok: true, talker: 'P', type: address.slice(1), proprietary: true, fields };
  }
  return { ok: true, talker: address.slice(0, -3), type: address.slice(-3), proprietary: false, fields };
}

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}
