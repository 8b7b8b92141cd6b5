import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDecode } from '../../src/cli/decode.ts';
import { dataDir, reportMissingData } from '../drivers/helpers.ts';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/drivers/mixed.nmea');

async function decode(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDecode(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err, json: out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('coxswain decode', () => {
  // The fixture holds, in order: a comment; GGA and RMC with good checksums (CRLF); HDT with a
  // wrong checksum (LF); a GGA cut short by a DBT on the same line; a proprietary PGRME; an MTW
  // without checksum; a VNYMR; and a garbage line.
  it('prints one object per accepted sentence and the summary last', async () => {
    const { code, json } = await decode([FIXTURE]);
    expect(code).toBe(0);
    expect(json.map((o) => o.sentence)).toEqual(['GGA', 'RMC', 'DBT', 'YMR', undefined]);
    expect(json[0]).toEqual({
      sentence: 'GGA', talker: 'GP', timeUtc: '12:35:19.000', timeUtcS: 45319, latDeg: 48.1173, lonDeg: 11 + 31 / 60,
      fixQuality: 1, satellites: 8, hdop: 0.9, altM: 545.4, geoidSeparationM: 46.9,
    });
    // 22.4 kn * 1852 / 3600 = 11.5235... m/s; variation 3.1 W = -3.1.
    expect(json[1].speedMps).toBeCloseTo((22.4 * 1852) / 3600, 12);
    expect(json[1]).toMatchObject({ dateUtc: '1994-03-23', magneticVariationDeg: -3.1 });
    expect(json[3]).toMatchObject({ sentence: 'YMR', talker: 'VN', yawDeg: 10.071 });
    expect(json[4]).toEqual({ summary: { accepted: 4, rejected: { checksum: 2, malformed: 1, unsupported: 1 } } });
  });

  it('--no-checksum accepts the MTW that has none, still refusing the wrong checksum', async () => {
    const { json } = await decode(['--no-checksum', FIXTURE]);
    expect(json.map((o) => o.sentence)).toEqual(['GGA', 'RMC', 'DBT', 'MTW', 'YMR', undefined]);
    expect(json[5]).toEqual({ summary: { accepted: 5, rejected: { checksum: 1, malformed: 1, unsupported: 1 } } });
  });

  it('a missing file is a clear error and exit code 2', async () => {
    const { code, out, err } = await decode([join(dirname(FIXTURE), 'no-such-file.nmea')]);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/cannot read '.*no-such-file\.nmea': no such file/);
  });

  it('no FILE or an unknown option is a usage error, exit code 2', async () => {
    expect((await decode([])).code).toBe(2);
    const r = await decode(['--bogus', FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain("unknown option '--bogus'");
  });

  const data = dataDir('nmea');
  reportMissingData(data);
  it.runIf(data.present)('decodes a real capture: triton400 with its spliced line', async () => {
    const { code, json } = await decode([join(data.dir, 'gpsd/triton400.log')]);
    expect(code).toBe(0);
    expect(json[json.length - 1]).toEqual({ summary: { accepted: 13, rejected: { checksum: 0, malformed: 1, unsupported: 15 } } });
    // No decoded value is ever null (what JSON makes of NaN).
    for (const o of json) for (const v of Object.values(o)) expect(v).not.toBeNull();
  });
});
