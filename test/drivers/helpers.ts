// Builders shared by the driver tests.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'vitest';
import type { ParseResult, SentenceParser } from '../../src/drivers/nmea/parser.ts';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Pushes the chunks one after the other and returns every result, the end-of-stream flush included. */
export function parseChunks(parser: SentenceParser, chunks: Iterable<Uint8Array>): ParseResult[] {
  const out: ParseResult[] = [];
  for (const c of chunks) {
    parser.push(c);
    for (let r = parser.next(); r; r = parser.next()) out.push(r);
  }
  for (let r = parser.flush(); r; r = parser.flush()) out.push(r);
  return out;
}

export function parseText(parser: SentenceParser, text: string): ParseResult[] {
  return parseChunks(parser, [enc(text)]);
}

/** The decoded sentence of the only result, failing loudly when it was rejected. */
export function only(results: ParseResult[]) {
  if (results.length !== 1) throw new Error(`expected 1 result, got ${results.length}: ${JSON.stringify(results)}`);
  const r = results[0];
  if (r.kind !== 'sentence') throw new Error(`rejected: ${r.reason} (${r.detail}) '${r.raw}'`);
  return r.sentence;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real-data folder: $COXSWAIN_DATA, else ../shared/data beside the repository. */
export function dataDir(sub: string): { dir: string; present: boolean } {
  const root = process.env.COXSWAIN_DATA ?? resolve(repoRoot, '../shared/data');
  const dir = resolve(root, sub);
  return { dir, present: existsSync(dir) };
}

/**
 * Registers a placeholder when the captures are missing: a skipped test that says why, or, on
 * CI (CI=true), a failing one, because there the data must be present.
 */
export function reportMissingData(data: { dir: string; present: boolean }): void {
  if (data.present) return;
  const why = `real captures not found at ${data.dir} (set COXSWAIN_DATA)`;
  if (process.env.CI === 'true') {
    test('real captures are present', () => {
      throw new Error(why);
    });
  } else {
    test.skip(`skipped: ${why}`, () => undefined);
  }
}
