import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberListFlag } from '../../src/cli/args.ts';
import { runMapCommand } from '../../src/cli/map.ts';

describe('coxswain map', () => {
  it('streams samples and writes mean/std in query order with one JSON line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-map-'));
    const rows = ['x,y,z'];
    for (let i = 0; i < 200; i++) {
      const x = ((i * 0.618034) % 1) * 100;
      const y = ((i * 0.754878) % 1) * 100;
      rows.push(`${x},${y},${5 + x / 50}`);
    }
    rows.push('bad,row,here');
    writeFileSync(join(dir, 's.csv'), rows.join('\n'));
    writeFileSync(join(dir, 'q.csv'), 'x,y\n50,50\n0,0\n100,100\n');
    const out: string[] = [];
    const rc = await runMapCommand(['--samples', join(dir, 's.csv'), '--query', join(dir, 'q.csv'), '--out', join(dir, 'o.csv'), '--inducing', '8', '--length-scale', '30'], { out: (l) => out.push(l), err: () => {} });
    expect(rc).toBe(0);
    const figures = JSON.parse(out[0]);
    expect(figures).toMatchObject({ samples: 200, rejectedRows: 1, inducingPoints: 64 });
    expect(figures.updateP99Ms).toBeGreaterThanOrEqual(0);
    const lines = readFileSync(join(dir, 'o.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('x,y,mean,std');
    // The field is 5 + x/50: 6 at x = 50.
    expect(Number(lines[1].split(',')[2])).toBeCloseTo(6, 1);
    expect(lines).toHaveLength(4);
  });

  it('with --kernel attentive, learns its kernel from the stream and says so; a bad kernel name is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-map-'));
    const rows = ['x,y,z'];
    for (let i = 0; i < 500; i++) {
      const x = ((i * 0.618034) % 1) * 100;
      const y = ((i * 0.754878) % 1) * 100;
      rows.push(`${x},${y},${5 + x / 50 + (y > 60 ? Math.sin(x / 4) : 0)}`);
    }
    writeFileSync(join(dir, 's.csv'), rows.join('\n'));
    writeFileSync(join(dir, 'q.csv'), 'x,y\n50,20\n10,80\n');
    const args = ['--samples', join(dir, 's.csv'), '--query', join(dir, 'q.csv'), '--out', join(dir, 'o.csv'), '--inducing', '8', '--length-scale', '15'];
    const out: string[] = [];
    expect(await runMapCommand([...args, '--kernel', 'attentive'], { out: (l) => out.push(l), err: () => {} })).toBe(0);
    const figures = JSON.parse(out[0]);
    expect(figures).toMatchObject({ kernel: 'attentive', samples: 500, inducingPoints: 64, latticeGrowths: 0 });
    expect(figures.kernelFits).toBeGreaterThanOrEqual(1);
    const lines = readFileSync(join(dir, 'o.csv'), 'utf8').trim().split('\n');
    // 6 at (50, 20), where the field is smooth.
    expect(Number(lines[1].split(',')[2])).toBeCloseTo(6, 0);
    expect(Number(lines[2].split(',')[3])).toBeGreaterThan(0);
    await expect(runMapCommand([...args, '--kernel', 'matern'], { out: () => {}, err: () => {} })).rejects.toThrow('--kernel matern: expected rbf or attentive');
  });
});

describe('numberListFlag', () => {
  it('reads a comma-separated list and names the flag when an entry is empty, not a number or out of range', () => {
    const positive = (n: number) => n > 0;
    expect(numberListFlag({ l: '8, 9,10.5' }, 'l', positive, 'positive numbers')).toEqual([8, 9, 10.5]);
    expect(numberListFlag({}, 'l', positive, 'positive numbers')).toBeUndefined();
    for (const bad of ['8,', '8,x', '8,-1', ''])
      expect(() => numberListFlag({ l: bad }, 'l', positive, 'positive numbers')).toThrow(`--l must be positive numbers separated by commas, got '${bad}'`);
  });
});
