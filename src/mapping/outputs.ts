// The map's products in a run's output directory: an ESRI ASCII grid with a JSON sidecar that
// says what its coordinates are, and PNG images of the mean and the standard deviation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MapGrid } from '../msg/index.ts';
import { renderSurveyPng } from '../output/survey-png.ts';

/**
 * ESRI ASCII raster (the "AAIGrid" format GDAL and QGIS read): a six-line header then rows from
 * the northernmost down. x is east and y north, in metres of the run's local tangent plane (not
 * a projected CRS: GIS tools open it with no CRS; the sidecar gives the plane's geodetic origin).
 */
export function toEsriAscii(grid: MapGrid, values: Float32Array, nodata = -9999): string {
  const lines = [
    `ncols ${grid.cols}`,
    `nrows ${grid.rows}`,
    `xllcorner ${grid.minEastM}`,
    `yllcorner ${grid.minNorthM}`,
    `cellsize ${grid.cellM}`,
    `NODATA_value ${nodata}`,
  ];
  for (let r = grid.rows - 1; r >= 0; r--) {
    const row: string[] = [];
    for (let c = 0; c < grid.cols; c++) {
      const v = values[r * grid.cols + c];
      row.push(Number.isFinite(v) ? v.toFixed(3) : String(nodata));
    }
    lines.push(row.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

export interface MapOutputInput {
  grid: MapGrid;
  origin: { latDeg: number; lonDeg: number };
  track?: Array<{ northM: number; eastM: number }>;
  shoreline?: Array<{ northM: number; eastM: number }>;
  /**
   * The images leave blank where the standard deviation exceeds this: far from any sounding the
   * mean is the prior's extrapolation, not a measurement. The .asc grids keep every value.
   */
  maxStdForImageM?: number;
}

/** Writes map-mean.asc, map-std.asc, map.json (georeference), map-mean.png, map-std.png. */
export function writeMapOutputs(dir: string, input: MapOutputInput): string[] {
  const { grid } = input;
  writeFileSync(join(dir, 'map-mean.asc'), toEsriAscii(grid, grid.mean));
  writeFileSync(join(dir, 'map-std.asc'), toEsriAscii(grid, grid.std));
  const sidecar = {
    frame: 'local tangent plane (NED), x = east m, y = north m, origin below',
    origin: input.origin,
    files: { mean: 'map-mean.asc', std: 'map-std.asc' },
    units: 'm (depth positive down)',
    samples: grid.samples,
    inducingPoints: grid.inducingPoints,
  };
  writeFileSync(join(dir, 'map.json'), `${JSON.stringify(sidecar, null, 2)}\n`);
  const bounds = {
    minNorthM: grid.minNorthM,
    maxNorthM: grid.minNorthM + grid.rows * grid.cellM,
    minEastM: grid.minEastM,
    maxEastM: grid.minEastM + grid.cols * grid.cellM,
  };
  const at = (values: Float32Array) => (n: number, e: number) => {
    const r = Math.floor((n - grid.minNorthM) / grid.cellM);
    const c = Math.floor((e - grid.minEastM) / grid.cellM);
    if (r < 0 || c < 0 || r >= grid.rows || c >= grid.cols) return NaN;
    return values[r * grid.cols + c];
  };
  const maxStd = input.maxStdForImageM ?? Infinity;
  const known = (values: Float32Array) => {
    const value = at(values);
    const std = at(grid.std);
    return (n: number, e: number) => (std(n, e) <= maxStd ? value(n, e) : NaN);
  };
  for (const [name, values] of [['map-mean.png', grid.mean], ['map-std.png', grid.std]] as const) {
    const png = renderSurveyPng({ bounds, depthAt: known(values), shoreline: input.shoreline, estimatedTrack: input.track });
    writeFileSync(join(dir, name), png);
  }
  return ['map-mean.asc', 'map-std.asc', 'map.json', 'map-mean.png', 'map-std.png'];
}
