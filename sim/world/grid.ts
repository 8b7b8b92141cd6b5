// A world from a gridded raster (.npy or CSV).
//
// Layout: row 0 is the northern edge (image order), columns run west to east, the grid is
// centred on the local origin and each value is the cell centre. Depth between centres is
// bilinear. The shoreline is the grid's outer rectangle; depth falls linearly to 0 over
// shoreRampM towards it so the vessel meets a shore, not a wall, and is negative outside.
//
// Value -> depth (decided for the SRTM grids in shared/data/terrain, 360x360 elevation grey
// levels 0-255): t = clamp((v - valueLow) / (valueHigh - valueLow), 0, 1); with invert (high
// values are high ground, so shallow) t = 1 - t; depth = minDepthM + (maxDepthM - minDepthM) t.
// A negative minDepthM turns the highest ground into islands. For grids that already hold
// depths in metres, set valuesAreDepthsM.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Grid2D } from './csv.ts';
import { parseCsvGrid } from './csv.ts';
import { parseNpy } from './npy.ts';
import type { NorthEast, World } from './types.ts';

export interface GridOptions {
  /** Display name; null uses the file name. */
  name: string | null;
  /** Edge length of one grid cell, metres. */
  cellSizeM: number;
  /** Grid values mapped to the two ends of the depth range. */
  valueLow: number;
  valueHigh: number;
  /** High values are high ground (shallow): true for elevation rasters. */
  invert: boolean;
  /** Depth at the shallow and the deep end of the value range, metres. */
  minDepthM: number;
  maxDepthM: number;
  /** The grid already holds depths in metres (positive down); the mapping above is skipped. */
  valuesAreDepthsM: boolean;
  /** Distance over which depth falls to 0 towards the grid's edge, metres. */
  shoreRampM: number;
  /** Geodetic anchor of the grid's centre; null takes the centre of an SRTM tile named like N17E073, or else the lake's default. */
  originLatDeg: number | null;
  originLonDeg: number | null;
}

export const DEFAULT_GRID_OPTIONS: GridOptions = {
  name: null,
  cellSizeM: 1.5,
  valueLow: 0,
  valueHigh: 255,
  invert: true,
  minDepthM: 1,
  maxDepthM: 20,
  valuesAreDepthsM: false,
  shoreRampM: 10,
  originLatDeg: null,
  originLonDeg: null,
};

const FALLBACK_ORIGIN = { latDeg: 59.6625, lonDeg: 10.7625 };
const LAND_SLOPE = 0.05;

/** Reads a .npy (2-D) or a CSV/text grid from disk. */
export function readGridFile(file: string): Grid2D {
  const bytes = readFileSync(file);
  if (extname(file).toLowerCase() === '.npy') {
    const a = parseNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (a.shape.length !== 2) throw new Error(`${file}: expected a 2-D array, found shape (${a.shape.join(', ')})`);
    return { rows: a.shape[0], cols: a.shape[1], data: a.data };
  }
  return parseCsvGrid(bytes.toString('utf8'));
}

/** Centre of the 1-degree SRTM tile a file name like 'N17E073.npy' names, if it names one. */
export function srtmTileCentre(file: string): { latDeg: number; lonDeg: number } | null {
  const m = /([NS])(\d{2})([EW])(\d{3})/i.exec(basename(file));
  if (!m) return null;
  const lat = Number(m[2]) * (m[1].toUpperCase() === 'S' ? -1 : 1);
  const lon = Number(m[4]) * (m[3].toUpperCase() === 'W' ? -1 : 1);
  // Tile names give the south-west corner.
  return { latDeg: lat + 0.5, lonDeg: lon + 0.5 };
}

export class GridWorld implements World {
  readonly kind = 'grid' as const;
  readonly name: string;
  readonly origin: { latDeg: number; lonDeg: number };
  readonly shoreline: NorthEast[];
  readonly bounds: World['bounds'];
  readonly start: { northM: number; eastM: number; yawRad: number };
  readonly maxDepthM: number;
  readonly rows: number;
  readonly cols: number;
  /** Depth at each cell centre, row-major, metres. */
  readonly depthGrid: Float64Array;
  private readonly cell: number;
  private readonly ramp: number;

  constructor(grid: Grid2D, options: GridOptions, source = 'grid') {
    const o = options;
    if (grid.rows < 2 || grid.cols < 2) throw new Error(`grid: expected at least 2x2 values, found ${grid.rows}x${grid.cols}`);
    if (!(o.cellSizeM > 0)) throw new Error(`grid: cellSizeM must be > 0, found ${o.cellSizeM}`);
    if (!o.valuesAreDepthsM && !(o.valueHigh !== o.valueLow)) throw new Error('grid: valueHigh must differ from valueLow');
    this.rows = grid.rows;
    this.cols = grid.cols;
    this.cell = o.cellSizeM;
    this.ramp = Math.max(0, o.shoreRampM);
    this.name = o.name ?? basename(source);
    const tile = srtmTileCentre(source);
    this.origin = {
      latDeg: o.originLatDeg ?? tile?.latDeg ?? FALLBACK_ORIGIN.latDeg,
      lonDeg: o.originLonDeg ?? tile?.lonDeg ?? FALLBACK_ORIGIN.lonDeg,
    };
    this.depthGrid = new Float64Array(grid.data.length);
    let deepest = 0;
    for (let i = 0; i < grid.data.length; i++) {
      const v = grid.data[i];
      let d: number;
      if (o.valuesAreDepthsM) d = v;
      else {
        let t = (v - o.valueLow) / (o.valueHigh - o.valueLow);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        if (o.invert) t = 1 - t;
        d = o.minDepthM + (o.maxDepthM - o.minDepthM) * t;
      }
      // NaN (a hole in the raster) is land rather than a NaN depth.
      this.depthGrid[i] = Number.isFinite(d) ? d : -1;
      if (this.depthGrid[i] > deepest) deepest = this.depthGrid[i];
    }
    this.maxDepthM = deepest;
    const hn = (this.rows * this.cell) / 2;
    const he = (this.cols * this.cell) / 2;
    this.shoreline = [
      { northM: hn, eastM: -he },
      { northM: hn, eastM: he },
      { northM: -hn, eastM: he },
      { northM: -hn, eastM: -he },
    ];
    this.bounds = { minNorthM: -hn, maxNorthM: hn, minEastM: -he, maxEastM: he };
    this.start = this.findStart();
  }

  depthAt(northM: number, eastM: number): number {
    if (!Number.isFinite(northM) || !Number.isFinite(eastM)) return 0;
    const b = this.bounds;
    const edge = Math.min(northM - b.minNorthM, b.maxNorthM - northM, eastM - b.minEastM, b.maxEastM - eastM);
    if (edge <= 0) return LAND_SLOPE * edge;
    // Fractional cell-centre index: row 0's centre is half a cell south of the northern edge.
    let r = (b.maxNorthM - northM) / this.cell - 0.5;
    let c = (eastM - b.minEastM) / this.cell - 0.5;
    r = r < 0 ? 0 : r > this.rows - 1 ? this.rows - 1 : r;
    c = c < 0 ? 0 : c > this.cols - 1 ? this.cols - 1 : c;
    const r0 = Math.min(this.rows - 2, Math.floor(r));
    const c0 = Math.min(this.cols - 2, Math.floor(c));
    const fr = r - r0;
    const fc = c - c0;
    const g = this.depthGrid;
    const i = r0 * this.cols + c0;
    const top = g[i] * (1 - fc) + g[i + 1] * fc;
    const bot = g[i + this.cols] * (1 - fc) + g[i + this.cols + 1] * fc;
    const d = top * (1 - fr) + bot * fr;
    return this.ramp > 0 && edge < this.ramp && d > 0 ? (d * edge) / this.ramp : d;
  }

  isWater(northM: number, eastM: number): boolean {
    return this.depthAt(northM, eastM) > 0;
  }

  /** Nearest point to the centre, on rings of growing radius, with >= 2 m of water, well inside the edge. */
  private findStart(): { northM: number; eastM: number; yawRad: number } {
    const b = this.bounds;
    const maxR = Math.min(b.maxNorthM, b.maxEastM);
    const margin = Math.max(2 * this.ramp, 5 * this.cell);
    const step = Math.max(this.cell, maxR / 50);
    for (let rr = 0; rr < maxR - margin; rr += step) {
      const n = Math.max(1, Math.ceil((2 * Math.PI * rr) / step));
      for (let k = 0; k < n; k++) {
        const th = (2 * Math.PI * k) / n;
        const pn = rr * Math.cos(th);
        const pe = rr * Math.sin(th);
        if (this.depthAt(pn, pe) >= 2) return { northM: pn, eastM: pe, yawRad: 0 };
      }
    }
    return { northM: 0, eastM: 0, yawRad: 0 };
  }
}
