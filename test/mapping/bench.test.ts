import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/map.ts';

describe('bench map --quick', () => {
  it('reports the four lattice sizes and the exact-GP baseline', async () => {
    const r = await runBench({ quick: true, log: () => {} });
    expect(r.part).toBe('map');
    expect(r.cases.map((c) => c.M)).toEqual([64, 144, 256, 484]);
    for (const c of r.cases) expect(Number.isFinite(c.rmseM as number)).toBe(true);
    expect(r.baseline.N).toBe(300);
  }, 60_000);
});
