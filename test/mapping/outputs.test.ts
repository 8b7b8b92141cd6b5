import { describe, expect, it } from 'vitest';
import { toEsriAscii } from '../../src/mapping/outputs.ts';

describe('toEsriAscii', () => {
  it('writes the six-line header and rows from the north down', () => {
    const grid = { stampNs: 0n, minNorthM: -10, minEastM: 5, cellM: 2, rows: 2, cols: 2, mean: Float32Array.from([1, 2, 3, 4]), std: new Float32Array(4), samples: 1, inducingPoints: 4 };
    const text = toEsriAscii(grid, Float32Array.from([1, 2, 3, NaN]));
    expect(text.split('\n')).toEqual([
      'ncols 2', 'nrows 2', 'xllcorner 5', 'yllcorner -10', 'cellsize 2', 'NODATA_value -9999',
      '3.000 -9999', '1.000 2.000', '',
    ]);
  });
});
