// Scalar grids the critics read: the distance to the shore (precomputed once from the
// geofence polygon) and the learned depth map's mean and std (copied in as maps arrive).
// A grid is one Float32Array: a header, then `layers` planes of rows x cols, row-major, row 0
// at minNorthM. Fixed capacity, so workers and the GPU keep one buffer for the whole run.
import { distanceToPolygonEdgeM, pointInPolygonNe } from '../../planning/geometry.ts';
import type { MapGrid } from '../../msg/index.ts';

export const G = { minN: 0, minE: 1, cellM: 2, rows: 3, cols: 4, valid: 5 } as const;
export const GRID_HEADER = 8;

export function createGrid(capacityCells: number, layers: number, buffer?: ArrayBufferLike): Float32Array {
  const len = GRID_HEADER + capacityCells * layers;
  return buffer ? new Float32Array(buffer, 0, len) : new Float32Array(len);
}

export function gridCapacity(grid: Float32Array, layers: number): number {
  return (grid.length - GRID_HEADER) / layers;
}

/**
 * Bilinear value of layer 0. Outside the grid: the nearest edge value minus the distance
 * beyond it, so that a distance field keeps falling away from the water.
 */
export function sampleBilinear(g: Float32Array, n: number, e: number): number {
  const rows = g[G.rows];
  const cols = g[G.cols];
  const cell = g[G.cellM];
  let fy = (n - g[G.minN]) / cell - 0.5;
  let fx = (e - g[G.minE]) / cell - 0.5;
  let outside = 0;
  if (fy < 0) { outside += -fy; fy = 0; }
  if (fy > rows - 1) { outside += fy - (rows - 1); fy = rows - 1; }
  if (fx < 0) { outside += -fx; fx = 0; }
  if (fx > cols - 1) { outside += fx - (cols - 1); fx = cols - 1; }
  const y0 = Math.min(rows - 2, Math.floor(fy));
  const x0 = Math.min(cols - 2, Math.floor(fx));
  const ty = fy - y0;
  const tx = fx - x0;
  const i = GRID_HEADER + y0 * cols + x0;
  const a = g[i] + (g[i + 1] - g[i]) * tx;
  const b = g[i + cols] + (g[i + cols + 1] - g[i + cols]) * tx;
  return a + (b - a) * ty - outside * cell;
}

/** The cell index of (n, e), or -1 outside the grid. */
export function cellIndex(g: Float32Array, n: number, e: number): number {
  const row = Math.floor((n - g[G.minN]) / g[G.cellM]);
  const col = Math.floor((e - g[G.minE]) / g[G.cellM]);
  if (row < 0 || col < 0 || row >= g[G.rows] || col >= g[G.cols]) return -1;
  return row * g[G.cols] + col;
}

export interface Point {
  northM: number;
  eastM: number;
}

/**
 * Signed distance to the polygon's edge (positive inside, where the water is) at cell
 * centres over the polygon's box plus `padM`. Built once per run, O(cells x edges).
 */
export function buildFenceGrid(polygon: readonly Point[], cellM: number, padM: number): Float32Array {
  let minN = Infinity, maxN = -Infinity, minE = Infinity, maxE = -Infinity;
  for (const p of polygon) {
    minN = Math.min(minN, p.northM); maxN = Math.max(maxN, p.northM);
    minE = Math.min(minE, p.eastM); maxE = Math.max(maxE, p.eastM);
  }
  minN -= padM; minE -= padM; maxN += padM; maxE += padM;
  const rows = Math.max(2, Math.ceil((maxN - minN) / cellM));
  const cols = Math.max(2, Math.ceil((maxE - minE) / cellM));
  const g = createGrid(rows * cols, 1);
  g[G.minN] = minN; g[G.minE] = minE; g[G.cellM] = cellM; g[G.rows] = rows; g[G.cols] = cols; g[G.valid] = 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const n = minN + (i + 0.5) * cellM;
      const e = minE + (j + 0.5) * cellM;
      const d = distanceToPolygonEdgeM({ northM: n, eastM: e }, polygon);
      g[GRID_HEADER + i * cols + j] = pointInPolygonNe(n, e, polygon) ? d : -d;
    }
  }
  return g;
}

/** A fence grid that lets everything through (no geofence known): 1 km of water everywhere. */
export function openFenceGrid(): Float32Array {
  const g = createGrid(4, 1);
  g[G.minN] = -1e6; g[G.minE] = -1e6; g[G.cellM] = 1e6; g[G.rows] = 2; g[G.cols] = 2; g[G.valid] = 0;
  g.fill(1000, GRID_HEADER);
  return g;
}

/**
 * Copies a map (mean, std) into a fixed-capacity two-layer grid, subsampling by an integer
 * stride when it does not fit. Non-finite cells stay NaN: the critics skip them.
 */
export function copyMapInto(map: MapGrid, g: Float32Array): void {
  const capacity = gridCapacity(g, 2);
  let stride = 1;
  while (Math.ceil(map.rows / stride) * Math.ceil(map.cols / stride) > capacity) stride++;
  const rows = Math.ceil(map.rows / stride);
  const cols = Math.ceil(map.cols / stride);
  g[G.minN] = map.minNorthM; g[G.minE] = map.minEastM; g[G.cellM] = map.cellM * stride;
  g[G.rows] = rows; g[G.cols] = cols;
  const plane = rows * cols;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const src = i * stride * map.cols + j * stride;
      g[GRID_HEADER + i * cols + j] = map.mean[src];
      g[GRID_HEADER + plane + i * cols + j] = map.std[src];
    }
  }
  g[G.valid] = rows > 0 && cols > 0 ? 1 : 0;
}
