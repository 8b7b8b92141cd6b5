import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { WALL_CLOCK_FIELDS, type Report } from '../../src/runtime/report.ts';

async function sim(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['sim', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** The report with WALL_CLOCK_FIELDS zeroed. */
function withoutWallClock(r: Report): unknown {
  const copy = structuredClone(r) as unknown as Record<string, Record<string, unknown>>;
  for (const path of WALL_CLOCK_FIELDS) {
    const parts = path.split('.');
    let o: Record<string, unknown> = copy;
    for (const p of parts.slice(0, -1)) o = o[p] as Record<string, unknown>;
    o[parts[parts.length - 1]] = 0;
  }
  return copy;
}

describe('coxswain sim', () => {
  it('runs a survey through the real pipeline and writes report.json, track.geojson, survey.png and log.jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coxswain-sim-'));
    const { code, out } = await sim(['--seed', '5', '--duration', '300', '--out', dir]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/position RMSE/);

    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report).toMatchObject({ scenario: 'survey', seed: 5, simTimeS: 300 });
    // Fusion beats raw GNSS, and the boat follows its lanes without leaving the lake.
    expect(report.navigation.positionRmseM).toBeLessThan(report.navigation.gnssRmseM);
    expect(report.survey.crossTrackRmsM).toBeGreaterThan(0);
    expect(report.survey.crossTrackRmsM).toBeLessThanOrEqual(1.5);
    expect(report.survey.distanceM).toBeGreaterThan(300); // ~1.5 m/s for most of 300 s
    expect(report.safety).toMatchObject({ geofenceViolations: 0, groundings: 0, finalMode: 'AUTO' });
    expect(report.safety.modeChanges[0]).toMatchObject({ from: 'IDLE', to: 'AUTO' });
    expect(report.control.overruns).toBe(0);
    // Every byte the simulated sensors sent was a valid sentence.
    for (const d of Object.values(report.drivers)) {
      expect(d.accepted).toBeGreaterThan(0);
      expect(d.rejected).toEqual({ checksum: 0, malformed: 0, unsupported: 0 });
    }

    const geo = JSON.parse(readFileSync(join(dir, 'track.geojson'), 'utf8'));
    const track = geo.features.find((f: { properties: { name: string } }) => f.properties.name === 'track');
    expect(track.geometry.type).toBe('LineString');
    expect(track.geometry.coordinates.length).toBeGreaterThan(250); // one point a second
    const [lon, lat] = track.geometry.coordinates[0];
    expect(Math.abs(lat)).toBeLessThanOrEqual(90);
    expect(Math.abs(lon)).toBeLessThanOrEqual(180);

    const png = PNG.sync.read(readFileSync(join(dir, 'survey.png')));
    expect(png.width).toBeGreaterThan(400);

    const log = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.some((l) => l.msg === 'mode change')).toBe(true);
  });

  it('gives the same report twice for the same seed, apart from wall-clock figures', async () => {
    const a = mkdtempSync(join(tmpdir(), 'coxswain-sim-a-'));
    const b = mkdtempSync(join(tmpdir(), 'coxswain-sim-b-'));
    await sim(['--seed', '9', '--duration', '120', '--out', a, '--quiet']);
    await sim(['--seed', '9', '--duration', '120', '--out', b, '--quiet']);
    const ra = JSON.parse(readFileSync(join(a, 'report.json'), 'utf8'));
    const rb = JSON.parse(readFileSync(join(b, 'report.json'), 'utf8'));
    expect(withoutWallClock(rb)).toEqual(withoutWallClock(ra));
    expect(readFileSync(join(b, 'track.geojson'), 'utf8')).toBe(readFileSync(join(a, 'track.geojson'), 'utf8'));
  });

  it('a different seed gives a different run', async () => {
    const a = mkdtempSync(join(tmpdir(), 'coxswain-sim-c-'));
    const b = mkdtempSync(join(tmpdir(), 'coxswain-sim-d-'));
    await sim(['--seed', '1', '--duration', '30', '--out', a, '--quiet']);
    await sim(['--seed', '2', '--duration', '30', '--out', b, '--quiet']);
    expect(readFileSync(join(a, 'report.json'), 'utf8')).not.toBe(readFileSync(join(b, 'report.json'), 'utf8'));
  });

  it('gates a GNSS jump in the gnss-faults scenario instead of following it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coxswain-sim-f-'));
    const { code } = await sim(['--scenario', 'gnss-faults', '--seed', '4', '--duration', '200', '--out', dir, '--quiet']);
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(r.navigation.gnssGated).toBeGreaterThan(0);
    expect(r.navigation.positionRmseM).toBeLessThan(r.navigation.gnssRmseM);
    expect(r.safety.groundings).toBe(0);
  });

  it('refuses bad arguments with a specific message and exit code 2', async () => {
    expect(await sim(['--seed', 'x'])).toMatchObject({ code: 2, err: [expect.stringMatching(/--seed must be an integer/)] });
    expect(await sim(['--duration', '-5'])).toMatchObject({ code: 2, err: [expect.stringMatching(/--duration/)] });
    expect(await sim(['--scenario', 'nope'])).toMatchObject({ code: 2, err: [expect.stringMatching(/unknown scenario 'nope'/)] });
    expect(await sim(['--speed', '3'])).toMatchObject({ code: 2, err: [expect.stringMatching(/unknown option --speed/)] });
    const bad = await sim(['--world', '/nonexistent/grid.npy', '--duration', '1', '--quiet']);
    expect(bad).toMatchObject({ code: 2, err: [expect.stringMatching(/ENOENT.*grid\.npy/)] });
  });

  it('on SIGTERM zeroes thrust first, then stops, writes its report and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coxswain-sim-sig-'));
    const child = spawn(process.execPath, ['bin/coxswain.js', 'sim', '--duration', '100000', '--out', dir, '--quiet'], { stdio: 'ignore' });
    // Wait until the run is under way (its log has lines), then signal.
    await new Promise<void>((ready) => {
      const poll = setInterval(() => {
        try {
          if (readFileSync(join(dir, 'log.jsonl'), 'utf8').includes('survey planned')) {
            clearInterval(poll);
            ready();
          }
        } catch {
          // Not created yet.
        }
      }, 50);
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    const log = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; signal?: string });
    const zeroed = log.findIndex((l) => l.msg === 'signal: thrust zeroed; stopping');
    expect(log[zeroed]?.signal).toBe('SIGTERM');
    expect(log.findIndex((l) => l.msg === 'run stopped early')).toBeGreaterThan(zeroed);
    const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(r.simTimeS).toBeLessThan(100000);
  });
});
