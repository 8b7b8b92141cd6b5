// World loading: a spec names a generated lake or a grid file; defaults fill what it leaves out.
import type { GridOptions } from './grid.ts';
import { DEFAULT_GRID_OPTIONS, GridWorld, readGridFile } from './grid.ts';
import type { LakeOptions } from './lake.ts';
import { DEFAULT_LAKE_OPTIONS, LakeWorld } from './lake.ts';
import type { World } from './types.ts';

export type { NorthEast, World } from './types.ts';
export { insidePolygon, polygonBounds } from './types.ts';
export { DEFAULT_LAKE_OPTIONS, LakeWorld } from './lake.ts';
export type { LakeOptions } from './lake.ts';
export { DEFAULT_GRID_OPTIONS, GridWorld, readGridFile, srtmTileCentre } from './grid.ts';
export type { GridOptions } from './grid.ts';
export { NpyFormatError, encodeNpyF8, parseNpy } from './npy.ts';
export type { NpyArray } from './npy.ts';
export { CsvGridError, parseCsvGrid } from './csv.ts';
export type { Grid2D } from './csv.ts';

export interface LakeWorldSpec extends Partial<LakeOptions> {
  kind: 'lake';
}

export interface GridWorldSpec extends Partial<GridOptions> {
  kind: 'grid';
  /** Path of a .npy or CSV grid. */
  file: string;
}

export type WorldSpec = LakeWorldSpec | GridWorldSpec;

/** Builds the world a spec names. Reads grid files synchronously; throws with the reason on a bad file. */
export function loadWorld(spec: WorldSpec, seed: number): World {
  if (spec.kind === 'lake') {
    const { kind: _kind, ...rest } = spec;
    return new LakeWorld({ ...DEFAULT_LAKE_OPTIONS, ...stripUndefined(rest) }, seed);
  }
  if (spec.kind === 'grid') {
    const { kind: _kind, file, ...rest } = spec;
    return new GridWorld(readGridFile(file), { ...DEFAULT_GRID_OPTIONS, ...stripUndefined(rest) }, file);
  }
  throw new Error(`world.kind: expected 'lake' or 'grid', found '${String((spec as { kind: unknown }).kind)}'`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
