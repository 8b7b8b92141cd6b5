import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

async function bench(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['bench', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('coxswain bench', () => {
  it('prints one DESIGN.md-shaped JSON object per part, with an in-run baseline', async () => {
    const { code, out } = await bench(['sim', '--quick', '--json']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const r = JSON.parse(out[0]);
    expect(r.part).toBe('sim');
    expect(r.machine).toMatchObject({ cpus: expect.any(Number), model: expect.any(String), node: process.version });
    for (const c of [r.baseline, ...r.cases]) {
      expect(c).toMatchObject({ name: expect.any(String), backend: expect.any(String), threads: 1 });
      expect(c.medianMs).toBeGreaterThan(0);
      expect(c.p99Ms).toBeGreaterThanOrEqual(c.medianMs);
      expect(c.speedUp).toBeGreaterThan(0);
    }
  });

  it('refuses an unknown part', async () => {
    const { code, err } = await bench(['warp-drive']);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/unknown bench part 'warp-drive' \(available: .*sim/);
  });
});
