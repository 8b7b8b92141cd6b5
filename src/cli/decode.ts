// `coxswain decode FILE [--no-checksum] [--accept-disabled-checksum]`
//
// Reads a raw capture (NMEA 0183 and VectorNav ASCII, mixed with anything else) and prints one
// JSON object per accepted sentence, `{ "sentence": "GGA", "talker": "GP", ...values }`, then a
// summary line `{ "summary": { "accepted", "rejected": { checksum, malformed, unsupported } } }`.
// VectorNav `$VNYMR` lines print as `{ "sentence": "YMR", "talker": "VN", ... }`: the address is
// split like any NMEA address, three letters of type after the talker.
//
// Exit codes: 0 decoded (whatever the rejections), 2 bad arguments or unreadable file.
import { readFile } from 'node:fs/promises';
import { ALL_DECODERS } from '../drivers/all-decoders.ts';
import { SentenceParser } from '../drivers/nmea/parser.ts';
import type { ParseResult } from '../drivers/nmea/parser.ts';

export const DECODE_USAGE =
  'usage: coxswain decode FILE [--no-checksum] [--accept-disabled-checksum]\n' +
  '  --no-checksum               accept sentences that carry no *HH checksum\n' +
  '  --accept-disabled-checksum  accept VectorNav *XX (checksum disabled on the sensor)';

/** Bytes handed to the parser at a time, as a serial port would; the result does not depend on it. */
const CHUNK_BYTES = 64 * 1024;

export async function runDecode(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void = () => undefined,
): Promise<number> {
  let file: string | undefined;
  let requireChecksum = true;
  let acceptDisabledChecksum = false;
  for (const a of args) {
    if (a === '--no-checksum') requireChecksum = false;
    else if (a === '--accept-disabled-checksum') acceptDisabledChecksum = true;
    else if (a === '-h' || a === '--help') {
      out(DECODE_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      err(`coxswain decode: unknown option '${a}'\n${DECODE_USAGE}`);
      return 2;
    } else if (file === undefined) file = a;
    else {
      err(`coxswain decode: one FILE expected, got '${file}' and '${a}'\n${DECODE_USAGE}`);
      return 2;
    }
  }
  if (file === undefined) {
    err(`coxswain decode: FILE missing\n${DECODE_USAGE}`);
    return 2;
  }

  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    err(`coxswain decode: cannot read '${file}': ${why}`);
    return 2;
  }

  const parser = new SentenceParser({ requireChecksum, acceptDisabledChecksum }, ALL_DECODERS);
  const emit = (r: ParseResult): void => {
    if (r.kind === 'sentence') out(JSON.stringify(r.sentence));
  };
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) {
    parser.push(bytes.subarray(i, i + CHUNK_BYTES));
    for (let r = parser.next(); r; r = parser.next()) emit(r);
  }
  for (let r = parser.flush(); r; r = parser.flush()) emit(r);

  const s = parser.stats();
  out(JSON.stringify({ summary: { accepted: s.accepted, rejected: s.rejected } }));
  return 0;
}
