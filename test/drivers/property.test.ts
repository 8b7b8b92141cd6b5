// Properties: whatever bytes arrive, in whatever chunks, the parser never throws, never hands
// out a NaN or infinite number, and its counts add up.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_DECODERS } from '../../src/drivers/all-decoders.ts';
import { SentenceParser } from '../../src/drivers/nmea/parser.ts';
import type { ParseResult } from '../../src/drivers/nmea/parser.ts';
import { toBusSamples } from '../../src/drivers/to-bus.ts';
import { dataDir, enc } from './helpers.ts';

/** Every number reachable from a value, for the no-NaN check (bigint stamps are skipped). */
function* numbers(v: unknown): Generator<number> {
  if (typeof v === 'number') yield v;
  else if (Array.isArray(v)) for (const x of v) yield* numbers(x);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) yield* numbers(x);
}

function run(bytes: Uint8Array, cuts: number[], options = {}): ParseResult[] {
  const p = new SentenceParser(options, ALL_DECODERS);
  const out: ParseResult[] = [];
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    p.push(bytes.subarray(from, to));
    from = to;
    for (let r = p.next(); r; r = p.next()) out.push(r);
  }
  for (let r = p.flush(); r; r = p.flush()) out.push(r);
  const s = p.stats();
  // Every result is counted exactly once.
  expect(s.accepted + s.rejected.checksum + s.rejected.malformed + s.rejected.unsupported).toBe(out.length);
  for (const r of out) {
    if (r.kind !== 'sentence') continue;
    for (const x of numbers(r.sentence)) expect(Number.isFinite(x)).toBe(true);
    for (const b of toBusSamples(r.sentence, 0n)) for (const x of numbers(b.message)) expect(Number.isFinite(x)).toBe(true);
  }
  return out;
}

// Sentence-like text: a start, an address, fields drawn from characters that matter to parsing.
const fieldChar = fc.constantFrom(...'0123456789.,-+*$!#NSEWAVMTfFKC\r\n ');
const sentenceLike = fc
  .tuple(
    fc.constantFrom('$GPGGA,', '$GPRMC,', '$INDPT,', '$VNYMR,', '$APXDR,', '$24HDG,', '$GPZDA,', '$GPVTG,', '!AIVDM,', '$', '#'),
    fc.array(fieldChar, { maxLength: 90 }),
  )
  .map(([head, body]) => enc(head + body.join('')));

describe('parser properties', () => {
  it('arbitrary bytes in arbitrary chunks: no throw, no NaN', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), (bytes, cuts, strict) => {
        run(bytes, cuts, { requireChecksum: strict });
      }),
      { numRuns: 300 },
    );
  });

  it('sentence-like text, with and without checksums required: no throw, no NaN', () => {
    fc.assert(
      fc.property(fc.array(sentenceLike, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) {
          bytes.set(p, o);
          o += p.length;
        }
        run(bytes, cuts, { requireChecksum: false });
        run(bytes, cuts, { requireChecksum: true });
      }),
      { numRuns: 400 },
    );
  });

  const data = dataDir('nmea');
  const captures = data.present
    ? ['gpsd', 'signalk', 'pynmea2'].flatMap((d) =>
        readdirSync(join(data.dir, d))
          .filter((f) => f.endsWith('.log'))
          .map((f) => join(data.dir, d, f)),
      )
    : [];
  it.runIf(captures.length > 0 && captures.every(existsSync))('mutated real captures in arbitrary chunks: no throw, no NaN', () => {
    const blobs = captures.map((f) => new Uint8Array(readFileSync(f).subarray(0, 4096)));
    fc.assert(
      fc.property(
        fc.nat({ max: blobs.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'delete', 'insert')), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (which, mutations, cuts) => {
          const bytes = Array.from(blobs[which]);
          for (const [at, value, op] of mutations) {
            const i = at % (bytes.length + 1);
            if (op === 'set' && i < bytes.length) bytes[i] = value;
            else if (op === 'delete') bytes.splice(i, 1);
            else bytes.splice(i, 0, value);
          }
          run(Uint8Array.from(bytes), cuts, { requireChecksum: false });
        },
      ),
      { numRuns: 200 },
    );
  });
});
