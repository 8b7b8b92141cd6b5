// Conformance over every real capture in shared/data/nmea, and against gpsd's own decoding.
//
// gpsd's `.chk` files echo each input sentence and follow it with the JSON reports gpsd emitted
// after reading it. gpsd merges sentences into one TPV per cycle, so a decoded fix is compared
// with the TPVs that carry its time of day, and with the TPVs reported right after its own
// sentence (gpsd reports a dateless GGA-only stream with no time at all). A fix is "matched"
// when one of those has lat and lon within 1e-6 deg and either no time or the same time to the
// millisecond. Headings (HDT), magnetic headings (HDM) and XDR pitch/roll are compared with
// the ATT report after their sentence, within 1e-3 deg. gpsd's JSON carries no depth for DBT
// or DPT, so depth is checked by hand-picked values in the decoder tests instead.
//
// The per-file table goes to test output and to $TMPDIR/coxswain-nmea-conformance.json.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_DECODERS } from '../../src/drivers/all-decoders.ts';
import { SentenceParser } from '../../src/drivers/nmea/parser.ts';
import type { ParseResult } from '../../src/drivers/nmea/parser.ts';
import type { DecodedSentence } from '../../src/drivers/sentence.ts';
import { toBusSamples } from '../../src/drivers/to-bus.ts';
import { dataDir, parseChunks, reportMissingData } from './helpers.ts';

const data = dataDir('nmea');
reportMissingData(data);

interface Tpv {
  lat?: number;
  lon?: number;
  time?: string;
}
interface Att {
  heading?: number;
  mheading?: number;
  pitch?: number;
  roll?: number;
}
interface Echo {
  raw: string;
  tpvs: Tpv[];
  atts: Att[];
}

function readChk(path: string): { echoes: Echo[]; tpvByTime: Map<string, Tpv[]> } {
  const echoes: Echo[] = [];
  const tpvByTime = new Map<string, Tpv[]>();
  for (const line of readFileSync(path, 'latin1').split(/\r?\n/)) {
    if (line.startsWith('$') || line.startsWith('!')) echoes.push({ raw: line, tpvs: [], atts: [] });
    else if (line.startsWith('{')) {
      const o = JSON.parse(line) as { class: string } & Tpv & Att;
      const last = echoes[echoes.length - 1];
      if (o.class === 'TPV') {
        last?.tpvs.push(o);
        if (o.time) {
          const key = o.time.slice(11, 23); // "2014-12-31T03:07:19.000Z" -> "03:07:19.000"
          tpvByTime.set(key, [...(tpvByTime.get(key) ?? []), o]);
        }
      } else if (o.class === 'ATT') last?.atts.push(o);
    }
  }
  return { echoes, tpvByTime };
}

interface Row {
  file: string;
  accepted: number;
  checksum: number;
  malformed: number;
  unsupported: number;
  fixes?: number;
  fixesCompared?: number;
  fixesMatched?: number;
  attitudeCompared?: number;
  attitudeMatched?: number;
  mismatches?: string[];
}

function decodeFile(path: string, chunk: number): { results: ParseResult[]; parser: SentenceParser } {
  const bytes = readFileSync(path);
  const parser = new SentenceParser({}, ALL_DECODERS);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  return { results: parseChunks(parser, chunks), parser };
}

const near = (a: number | undefined, b: number | undefined, tol: number) => a !== undefined && b !== undefined && Math.abs(a - b) <= tol;

function compareWithGpsd(results: ParseResult[], chkPath: string, row: Row): void {
  const { echoes, tpvByTime } = readChk(chkPath);
  row.fixes = row.fixesCompared = row.fixesMatched = row.attitudeCompared = row.attitudeMatched = 0;
  row.mismatches = [];
  let cursor = 0;
  for (const r of results) {
    if (r.kind !== 'sentence') continue;
    // Find this sentence's echo, in order; the echo holds the reports gpsd made right after it.
    let echo: Echo | undefined;
    for (let i = cursor; i < echoes.length; i++) {
      if (echoes[i].raw === r.raw) {
        echo = echoes[i];
        cursor = i + 1;
        break;
      }
    }
    const s: DecodedSentence = r.sentence;
    const fix = toBusSamples(s, 0n).find((b) => b.topic === 'gnss');
    if (fix && fix.topic === 'gnss') {
      row.fixes++;
      const time = 'timeUtc' in s ? s.timeUtc : undefined;
      const candidates = [...(time ? (tpvByTime.get(time) ?? []) : []), ...(echo?.tpvs ?? [])].filter((t) => t.lat !== undefined);
      if (candidates.length === 0) continue;
      row.fixesCompared++;
      const ok = candidates.some(
        (t) => near(t.lat, fix.message.latDeg, 1e-6) && near(t.lon, fix.message.lonDeg, 1e-6) && (!t.time || !time || t.time.slice(11, 23) === time),
      );
      if (ok) row.fixesMatched++;
      else if (row.mismatches.length < 5) row.mismatches.push(`${r.raw} vs ${JSON.stringify(candidates[0])}`);
      continue;
    }
    const att = echo?.atts[echo.atts.length - 1];
    if (!att) continue;
    const pairs: [number | undefined, number | undefined][] = [];
    if (s.sentence === 'HDT') pairs.push([s.headingDeg, att.heading]);
    if (s.sentence === 'HDM') pairs.push([s.headingDeg, att.mheading]);
    if (s.sentence === 'XDR') {
      if (s.pitchDeg !== undefined) pairs.push([s.pitchDeg, att.pitch]);
      if (s.rollDeg !== undefined) pairs.push([s.rollDeg, att.roll]);
    }
    for (const [ours, theirs] of pairs) {
      if (ours === undefined || theirs === undefined) continue;
      row.attitudeCompared++;
      if (near(ours, theirs, 1e-3)) row.attitudeMatched++;
      else if (row.mismatches.length < 5) row.mismatches.push(`${r.raw} vs ATT ${JSON.stringify(att)}`);
    }
  }
}

describe.runIf(data.present)('real NMEA captures', () => {
  const files = data.present
    ? ['gpsd', 'signalk', 'pynmea2'].flatMap((d) =>
        readdirSync(join(data.dir, d))
          .filter((f) => f.endsWith('.log'))
          .sort()
          .map((f) => `${d}/${f}`),
      )
    : [];
  const rows: Row[] = [];

  it('finds the captures', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });

  it.each(files)('%s decodes without throwing, in any chunking, and agrees with gpsd', (file) => {
    const path = join(data.dir, file);
    const whole = decodeFile(path, 1 << 20);
    // Chunk boundaries must not change anything: 7-byte chunks cut every sentence somewhere.
    expect(decodeFile(path, 7).results).toEqual(whole.results);
    const s = whole.parser.stats();
    const row: Row = { file, accepted: s.accepted, ...s.rejected };
    if (existsSync(`${path}.chk`)) compareWithGpsd(whole.results, `${path}.chk`, row);
    rows.push(row);
    // Every fix gpsd reported a position for is one we decode identically.
    expect(row.fixesMatched ?? 0, JSON.stringify(row.mismatches)).toBe(row.fixesCompared ?? 0);
    expect(row.attitudeMatched ?? 0, JSON.stringify(row.mismatches)).toBe(row.attitudeCompared ?? 0);
  });

  it('matches expectations per capture and writes the table', () => {
    const byFile = Object.fromEntries(rows.map((r) => [r.file, r]));
    // Every gpsd capture with checksummed NMEA yields sentences; ublox-neo-m8n is pure UBX
    // binary (gpsd's .chk shows NMEA that gpsd generated, not input) and yields none.
    expect(byFile['gpsd/ublox-neo-m8n.log']).toMatchObject({ accepted: 0, malformed: 0 });
    // hp58534a has no checksums at all: every sentence is refused by default.
    expect(byFile['gpsd/hp58534a.log']).toMatchObject({ accepted: 0, checksum: 13 });
    // triton400 line 12 is '$GPGGA,030130$GPGLL,...': one spliced fragment.
    expect(byFile['gpsd/triton400.log'].malformed).toBe(1);
    const compared = rows.reduce((n, r) => n + (r.fixesCompared ?? 0), 0);
    expect(compared).toBeGreaterThan(100);
    const table = rows.map(({ mismatches: _m, ...r }) => r);
    writeFileSync(join(tmpdir(), 'coxswain-nmea-conformance.json'), JSON.stringify(table, null, 2));
    console.table(table);
  });
});
