// Evaluation on the SRTM-derived terrain grids used by the Attentive Kernel paper (Chen,
// Khardon & Liu, RSS 2022): 360 × 360 float64 .npy grids. A cell (row, col) is the point
// (north = row, east = col) in cell units; samples are random cells plus Gaussian noise.
import { readFileSync } from 'node:fs';
import { parseNpy } from '../../../sim/world/npy.ts';
import { Rng } from '../../../sim/random.ts';

export interface Terrain {
  name: string;
  rows: number;
  cols: number;
  /** Row-major values. */
  z: Float64Array;
}

export function loadTerrain(file: string): Terrain {
  const a = parseNpy(readFileSync(file));
  if (a.shape.length !== 2) throw new Error(`${file}: expected a 2-D grid, got shape ${a.shape.join('x')}`);
  const name = file.replace(/^.*\//, '').replace(/\.npy$/, '');
  return { name, rows: a.shape[0], cols: a.shape[1], z: a.data };
}

export interface Samples {
  northM: Float64Array;
  eastM: Float64Array;
  value: Float64Array;
}

/** `n` cells drawn uniformly (with replacement), value plus N(0, noiseSd²). */
export function randomSamples(t: Terrain, n: number, noiseSd: number, seed: number): Samples {
  const rng = new Rng(seed, 'terrain.samples');
  const s: Samples = { northM: new Float64Array(n), eastM: new Float64Array(n), value: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const r = Math.min(t.rows - 1, Math.floor(rng.uniform() * t.rows));
    const c = Math.min(t.cols - 1, Math.floor(rng.uniform() * t.cols));
    s.northM[i] = r;
    s.eastM[i] = c;
    s.value[i] = t.z[r * t.cols + c] + (noiseSd > 0 ? noiseSd * rng.normal() : 0);
  }
  return s;
}

/** Evaluation axes: every cell (step 1) or an evenly spaced k × k subset. */
export function evalAxis(cells: number, k: number): Float64Array {
  if (k >= cells) return Float64Array.from({ length: cells }, (_, i) => i);
  return Float64Array.from({ length: k }, (_, i) => Math.round((i * (cells - 1)) / (k - 1)));
}

/** Truth on northAxis × eastAxis, row-major. */
export function truthOn(t: Terrain, northAxis: Float64Array, eastAxis: Float64Array): Float64Array {
  const out = new Float64Array(northAxis.length * eastAxis.length);
  for (let i = 0; i < northAxis.length; i++)
    for (let j = 0; j < eastAxis.length; j++) out[i * eastAxis.length + j] = t.z[northAxis[i] * t.cols + eastAxis[j]];
  return out;
}

export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

/** The points of a lattice, row-major, for predictors without a grid path. */
export function latticePoints(northAxis: Float64Array, eastAxis: Float64Array): { northM: Float64Array; eastM: Float64Array } {
  const n = northAxis.length * eastAxis.length;
  const northM = new Float64Array(n);
  const eastM = new Float64Array(n);
  for (let i = 0; i < northAxis.length; i++)
    for (let j = 0; j < eastAxis.length; j++) {
      northM[i * eastAxis.length + j] = northAxis[i];
      eastM[i * eastAxis.length + j] = eastAxis[j];
    }
  return { northM, eastM };
}
