// Number formatting as the devices print it. No locale, no exponent notation.
import type { StampNs } from '../../src/msg/index.ts';
import type { ByteSource } from '../../src/ports/index.ts';

/**
 * Signed, zero-padded fixed-point as VectorNav prints ASCII outputs (a printf "%+0W.Df"):
 * `signedFixed(10.0714, 3, 3)` is "+010.071", `signedFixed(-0.0049, 2, 4)` is "-00.0049".
 * A value that rounds to zero prints with '+'.
 */
export function signedFixed(value: number, intDigits: number, decimals: number): string {
  const v = Number.isFinite(value) ? value : 0;
  let s = Math.abs(v).toFixed(decimals);
  const neg = v < 0 && Number(s) !== 0;
  const dot = s.indexOf('.');
  const intLen = dot < 0 ? s.length : dot;
  if (intLen < intDigits) s = '0'.repeat(intDigits - intLen) + s;
  return (neg ? '-' : '+') + s;
}

/**
 * NMEA 0183 latitude or longitude: [d]ddmm.mmmm... and the hemisphere letter. Rounded on the
 * integer number of minute-fractions so that 59.9999999' carries into the degrees.
 */
export function nmeaAngle(deg: number, isLat: boolean, decimals: number): [string, string] {
  const hemi = isLat ? (deg < 0 ? 'S' : 'N') : deg < 0 ? 'W' : 'E';
  const scale = 10 ** decimals;
  const total = Math.round(Math.abs(deg) * 60 * scale);
  const d = Math.floor(total / (60 * scale));
  const rem = total - d * 60 * scale;
  const m = Math.floor(rem / scale);
  const frac = rem - m * scale;
  const ds = String(d).padStart(isLat ? 2 : 3, '0');
  const ms = String(m).padStart(2, '0') + (decimals > 0 ? '.' + String(frac).padStart(decimals, '0') : '');
  return [ds + ms, hemi];
}

/** UTC time of day as NMEA hhmmss.ss. */
export function nmeaTime(utcMs: number): string {
  const cs = Math.floor(utcMs / 10); // centiseconds, truncated as receivers report the epoch
  const dayCs = ((cs % 8640000) + 8640000) % 8640000;
  const h = Math.floor(dayCs / 360000);
  const m = Math.floor((dayCs % 360000) / 6000);
  const s = Math.floor((dayCs % 6000) / 100);
  const c = dayCs % 100;
  return `${pad2(h)}${pad2(m)}${pad2(s)}.${pad2(c)}`;
}

/** UTC date as NMEA ddmmyy. */
export function nmeaDate(utcMs: number): string {
  const d = new Date(utcMs);
  return `${pad2(d.getUTCDate())}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCFullYear() % 100)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const encoder = new TextEncoder();

/** A simulated serial line: the simulator pushes bytes, the runtime's driver consumes them. */
export class SimByteSource implements ByteSource {
  private readonly handlers: Array<(bytes: Uint8Array, stampNs: StampNs) => void> = [];
  /** Bytes and chunks emitted so far, for reports. */
  bytesOut = 0;
  chunksOut = 0;

  constructor(readonly name: string) {}

  onData(handler: (bytes: Uint8Array, stampNs: StampNs) => void): void {
    this.handlers.push(handler);
  }

  /** Emits text as one chunk to every registered handler. */
  emitText(text: string, stampNs: StampNs): void {
    if (text.length === 0) return;
    const bytes = encoder.encode(text);
    this.bytesOut += bytes.length;
    this.chunksOut++;
    for (const h of this.handlers) h(bytes, stampNs);
  }
}
