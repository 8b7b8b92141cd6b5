import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/map.ts';

describe('bench map --quick', () => {
  it('reports the four lattice sizes, the attentive kernel and the exact-GP baseline', async () => {
    const r = await runBench({ quick: true, log: () => {} });
    expect(r.part).toBe('map');
    expect(r.cases.map((c) => c.M)).toEqual([64, 144, 256, 484, 256]);
    expect(r.cases[4].name).toContain('attentive');
    expect(r.cases[4].kernelFits).toBeGreaterThanOrEqual(1);
    for (const c of r.cases) expect(Number.isFinite(c.rmseM as number)).toBe(true);
    expect(r.baseline.N).toBe(300);
  }, 60_000);
});
