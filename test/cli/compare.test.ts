import { describe, expect, it } from 'vitest';
import { abortReason, parseSeeds, runCompareCommand } from '../../src/cli/compare.ts';

async function compare(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCompareCommand(args, { out: (l) => out.push(l), err: () => {} });
  return { code, out };
}

describe('coxswain compare', () => {
  it('parses seed ranges and lists', () => {
    expect(parseSeeds('1..3')).toEqual([1, 2, 3]);
    expect(parseSeeds('4,7')).toEqual([4, 7]);
    expect(() => parseSeeds('3..1')).toThrow(/empty range/);
  });

  it('counts a run that never follows a lane as a failure, not as cross-track 0', async () => {
    // 8 simulated seconds: the vessel is still on its way to the first lane (and a lane only
    // counts 10 s after it starts), so there is no cross-track figure.
    const { code, out } = await compare(['--controllers', 'pid', '--seeds', '1', '--duration', '8', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out[0]);
    expect(r.rows[0]).toMatchObject({ controller: 'pid', seed: 1, crossTrackRmsM: null, laneTicks: 0 });
    expect(r.summary[0]).toMatchObject({ controller: 'pid', runs: 1, failures: 1 });
  });

  it('shows FAIL in the table and says that a controller with a failure does not beat the baseline', async () => {
    const { out } = await compare(['--controllers', 'pid,pid', '--seeds', '1', '--duration', '8']);
    expect(out.some((l) => /^pid\s+1\s+FAIL/.test(l))).toBe(true);
    expect(out.at(-1)).toMatch(/lower cross-track in 0 of 1 seeds; does NOT beat the baseline/);
  });

  it('counts a survey the supervisor aborted as a failure, but not the hold at its end', () => {
    const start = { from: 'IDLE', to: 'AUTO', why: 'navigation valid; survey started' };
    expect(abortReason([start])).toBeNull();
    expect(abortReason([start, { from: 'AUTO', to: 'HOLD', why: 'survey complete; holding position' }])).toBeNull();
    expect(abortReason([start, { from: 'AUTO', to: 'RETURN', why: 'sonarStale: no sounding for 3.0 s' }])).toBe('RETURN: sonarStale: no sounding for 3.0 s');
  });
});
