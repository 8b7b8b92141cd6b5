// NMEA 0183 checksum: XOR of every character between '$' (or '!') and '*', as two hex digits.

/** XOR checksum of the characters of `body` (the text between the start character and '*'). */
export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i) & 0xff;
  return sum;
}

/** Frames a sentence body as `$BODY*HH\r\n`. */
export function frameSentence(body: string, start: '$' | '!' = '$'): string {
  return `${start}${body}*${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}
