// Every driver survives 10^6 random bytes, and random mutations of the shared captures, without
// throwing, and with nothing non-finite in what it hands to the bus.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NmeaParser } from '../../src/drivers/nmea/parser.ts';
import { VectorNavParser } from '../../src/drivers/vectornav/parser.ts';
import type { SentenceParser } from '../../src/drivers/nmea/parser.ts';
import { toBusSamples } from '../../src/drivers/to-bus.ts';

const DRIVERS: Array<[string, () => SentenceParser]> = [
  ['NmeaParser', () => new NmeaParser()],
  ['VectorNavParser', () => new VectorNavParser()],
];

const DATA = process.env.COXSWAIN_DATA ?? resolve(import.meta.dirname, '../../../shared/data');

function captures(): Uint8Array[] {
  const dirs = ['nmea/gpsd', 'nmea/pynmea2', 'nmea/signalk'].map((d) => join(DATA, d)).filter(existsSync);
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.log'))
      .map((f) => new Uint8Array(readFileSync(join(d, f)))),
  );
}

/** Feeds bytes in chunks; every sample must be finite. Returns the number of results. */
function feed(parser: SentenceParser, bytes: Uint8Array, chunk: number): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i += chunk) {
    parser.push(bytes.subarray(i, i + chunk));
    for (let r = parser.next(); r; r = parser.next()) {
      n++;
      if (r.kind !== 'sentence') continue;
      for (const s of toBusSamples(r.sentence, 1n)) {
        for (const v of Object.values(s.message)) {
          if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite ${JSON.stringify(r.sentence)}`);
        }
      }
    }
  }
  for (let r = parser.flush(); r; r = parser.flush()) n++;
  return n;
}

/** xorshift32: deterministic random bytes without fast-check's per-value overhead. */
function randomBytes(n: number, seed: number, dollarRate: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const v = x >>> 0;
    // Some '$', '*' and line ends so that the framer sees candidate sentences, not only noise.
    const r = (v >>> 8) % 1000;
    b[i] = r < dollarRate ? 0x24 : r < 2 * dollarRate ? 0x2a : r < 3 * dollarRate ? 0x0a : v & 0xff;
  }
  return b;
}

describe.each(DRIVERS)('%s under random input', (_name, make) => {
  it('survives 10^6 random bytes in random chunk sizes without throwing', () => {
    const bytes = randomBytes(1_000_000, 0x9e3779b9, 20);
    const parser = make();
    expect(() => feed(parser, bytes, 97)).not.toThrow();
    const s = parser.stats();
    expect(s.accepted + Object.values(s.rejected).reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
  });

  it('survives arbitrary byte arrays cut anywhere (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (bytes, chunk) => {
        feed(make(), bytes, chunk);
      }),
      { numRuns: 300 },
    );
  });

  it('survives random mutations of the shared captures', (ctx) => {
    const caps = captures();
    if (caps.length === 0) {
      if (process.env.CI === 'true') throw new Error(`captures missing under ${DATA}`);
      ctx.skip();
      return;
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: caps.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 512 }),
        (which, edits, chunk) => {
          const src = caps[which].subarray(0, 20_000);
          const bytes = Array.from(src);
          for (const [pos, value, op] of edits) {
            const i = bytes.length === 0 ? 0 : pos % bytes.length;
            if (op === 'set') bytes[i] = value;
            else if (op === 'insert') bytes.splice(i, 0, value);
            else bytes.splice(i, 1);
          }
          feed(make(), Uint8Array.from(bytes), chunk);
        },
      ),
      { numRuns: 60 },
    );
  });
});
