import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvGridError, DEFAULT_LAKE_OPTIONS, GridWorld, LakeWorld, loadWorld, NpyFormatError, parseCsvGrid, parseNpy } from '../../sim/world/index.ts';
import { insidePolygon } from '../../sim/world/types.ts';
import { dataDir } from './helpers.ts';

/** A .npy built by hand: magic, version, header length, header dict padded with spaces to end in '\n', data. */
function npy(version: 1 | 2, header: string, data: Uint8Array): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const padded = header.padEnd(Math.ceil((pre + header.length + 1) / 64) * 64 - pre - 1, ' ') + '\n';
  const out = new Uint8Array(pre + padded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  for (let i = 0; i < padded.length; i++) out[pre + i] = padded.charCodeAt(i);
  out.set(data, pre + padded.length);
  return out;
}

function bytesOf(kind: 'f8' | 'f4' | 'i2' | 'f8be', values: number[]): Uint8Array {
  const size = kind === 'f4' ? 4 : kind === 'i2' ? 2 : 8;
  const b = new Uint8Array(values.length * size);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    if (kind === 'f8') v.setFloat64(i * 8, x, true);
    else if (kind === 'f8be') v.setFloat64(i * 8, x, false);
    else if (kind === 'f4') v.setFloat32(i * 4, x, true);
    else v.setInt16(i * 2, x, true);
  });
  return b;
}

describe('parseNpy', () => {
  it("reads version 1.0 '<f8' C-order 2x3", () => {
    const a = parseNpy(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", bytesOf('f8', [1, 2, 3, 4, 5, 6.5])));
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('<f8');
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
  });

  it("reads version 2.0 '<i2' and '<f4', and big-endian '>f8'", () => {
    const i2 = parseNpy(npy(2, "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 2), }", bytesOf('i2', [-3, 0, 7, 255])));
    expect(Array.from(i2.data)).toEqual([-3, 0, 7, 255]);
    const f4 = parseNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", bytesOf('f4', [0.5, -1.25, 3])));
    expect(f4.shape).toEqual([3]);
    expect(Array.from(f4.data)).toEqual([0.5, -1.25, 3]);
    const be = parseNpy(npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1, 2), }", bytesOf('f8be', [9.75, -2])));
    expect(Array.from(be.data)).toEqual([9.75, -2]);
  });

  it('reorders Fortran-order data into C order', () => {
    // The 2x3 matrix [[1,2,3],[4,5,6]] stored column by column is 1,4,2,5,3,6.
    const a = parseNpy(npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", bytesOf('f8', [1, 4, 2, 5, 3, 6])));
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bad magic, unsupported dtypes and truncated data with the offset', () => {
    const good = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", bytesOf('f8', [1, 2, 3, 4]));
    const badMagic = good.slice();
    badMagic[1] = 0x41;
    expect(() => parseNpy(badMagic)).toThrow(NpyFormatError);
    expect(() => parseNpy(npy(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16)))).toThrow(/unsupported dtype '<c16'/);
    try {
      parseNpy(good.subarray(0, good.length - 8));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NpyFormatError);
      // 10 prefix bytes + a 60-character dict + '\n' = 71, padded to 128: the data starts there.
      expect((e as NpyFormatError).offset).toBe(128);
      expect(String(e)).toMatch(/expected 32 bytes/);
    }
  });

  it('reads the real SRTM terrain grid N17E073.npy (360x360 float64, grey levels 0-255)', (ctx) => {
    const { dir, reason } = dataDir();
    if (!dir) return ctx.skip(reason);
    const world = loadWorld({ kind: 'grid', file: join(dir, 'terrain', 'N17E073.npy') }, 1);
    const g = world as GridWorld;
    expect([g.rows, g.cols]).toEqual([360, 360]);
    // 360 cells of 1.5 m: a 540 m square centred on the origin; origin at the tile centre 17.5 N 73.5 E.
    expect(g.bounds).toEqual({ minNorthM: -270, maxNorthM: 270, minEastM: -270, maxEastM: 270 });
    expect(g.origin).toEqual({ latDeg: 17.5, lonDeg: 73.5 });
    // Grey levels 1.9..254.9 map inside [minDepthM, maxDepthM] = [1, 20].
    expect(g.depthGrid.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(1);
    expect(g.depthGrid.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(20);
    // The first value of this file is a grey level of 2.0: 1 + 19 * (1 - 2 / 255) = 19.851 m.
    expect(g.depthGrid[0]).toBeCloseTo(19.851, 3);
    expect(g.depthAt(g.start.northM, g.start.eastM)).toBeGreaterThan(1);
    expect(g.depthAt(280, 0)).toBeLessThanOrEqual(0);
  });
});

describe('grid worlds', () => {
  it('maps values to depth, interpolates bilinearly, and ramps to 0 at the edge', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coxswain-grid-'));
    const file = join(dir, 'bay.csv');
    // 3x3, row 0 north. Elevation 0 is deepest: depth = 1 + 19 * (1 - v / 255).
    writeFileSync(file, '# a test bay\n0,0,0\n0,255,0\n51,51,51\n');
    const w = loadWorld({ kind: 'grid', file, cellSizeM: 10, shoreRampM: 5 }, 0);
    expect(w.bounds).toEqual({ minNorthM: -15, maxNorthM: 15, minEastM: -15, maxEastM: 15 });
    // Centre cell (v = 255) at the origin: depth 1 m.
    expect(w.depthAt(0, 0)).toBeCloseTo(1, 9);
    // Half-way between the centre and the north-centre cell (v = 0, depth 20): (1 + 20) / 2.
    expect(w.depthAt(5, 0)).toBeCloseTo(10.5, 9);
    // South row centre (v = 51): 1 + 19 * 0.8 = 16.2.
    expect(w.depthAt(-10, 0)).toBeCloseTo(16.2, 9);
    // 2.5 m inside the southern edge the 5 m ramp halves the clamped-edge depth 16.2.
    expect(w.depthAt(-12.5, 0)).toBeCloseTo(8.1, 9);
    expect(w.depthAt(-15, 0)).toBeCloseTo(0, 9);
    expect(w.isWater(-16, 0)).toBe(false);
    expect(w.shoreline).toHaveLength(4);
  });

  it('parses CSV grids and names the offending line', () => {
    expect(parseCsvGrid('1 2\n3\t4\n')).toEqual({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) });
    expect(() => parseCsvGrid('1,2\n3\n')).toThrow(CsvGridError);
    expect(() => parseCsvGrid('1,2\n3,x\n')).toThrow(/line 2: expected a number, found 'x'/);
  });
});

describe('generated lake', () => {
  it('is the same lake for the same seed and another for another seed', () => {
    const a = loadWorld({ kind: 'lake' }, 42);
    const b = loadWorld({ kind: 'lake' }, 42);
    const c = loadWorld({ kind: 'lake' }, 43);
    expect(b.shoreline).toEqual(a.shoreline);
    expect(b.depthAt(10, 20)).toBe(a.depthAt(10, 20));
    expect(c.shoreline).not.toEqual(a.shoreline);
    // A fixed lake seed keeps the lake whatever the run seed.
    const d = loadWorld({ kind: 'lake', seed: 42 }, 99);
    expect(d.shoreline).toEqual(a.shoreline);
  });

  for (const seed of [1, 2, 3, 42, 1234]) {
    it(`seed ${seed}: roughly 400 m x 300 m, starts in water deeper than 1 m, 0 at the shore, shoals no shallower than ~1 m`, () => {
      const w = new LakeWorld(DEFAULT_LAKE_OPTIONS, seed);
      const b = w.bounds;
      expect(b.maxEastM - b.minEastM).toBeGreaterThan(300);
      expect(b.maxEastM - b.minEastM).toBeLessThan(500);
      expect(b.maxNorthM - b.minNorthM).toBeGreaterThan(220);
      expect(b.maxNorthM - b.minNorthM).toBeLessThan(380);
      expect(w.depthAt(w.start.northM, w.start.eastM)).toBeGreaterThan(1);
      expect(insidePolygon(w.shoreline, w.start.northM, w.start.eastM)).toBe(true);
      for (const p of w.shoreline) expect(Math.abs(w.depthAt(p.northM, p.eastM))).toBeLessThan(1e-6);
      let deepest = 0;
      let shallowInterior = Infinity;
      for (let n = b.minNorthM; n <= b.maxNorthM; n += 4) {
        for (let e = b.minEastM; e <= b.maxEastM; e += 4) {
          const d = w.depthAt(n, e);
          if (Number.isNaN(d)) throw new Error(`NaN depth at ${n}, ${e}`);
          deepest = Math.max(deepest, d);
          const s = 1 - Math.hypot(n, e) / w.shoreRadius(Math.atan2(e, n));
          if (s >= 0.3) shallowInterior = Math.min(shallowInterior, d);
        }
      }
      expect(deepest).toBeGreaterThan(12);
      expect(deepest).toBeLessThanOrEqual(20);
      // The middle of the lake is never shallower than the shoals' crest depth (1.2 m).
      expect(shallowInterior).toBeGreaterThanOrEqual(1.2);
    });
  }

  it('has steep and gentle parts (non-stationary): the steepest slope is several times the median', () => {
    const w = new LakeWorld(DEFAULT_LAKE_OPTIONS, 42);
    const slopes: number[] = [];
    for (let n = -120; n <= 120; n += 3) {
      for (let e = -160; e <= 160; e += 3) {
        if (w.depthAt(n, e) < 0.5) continue;
        slopes.push(Math.hypot(w.depthAt(n + 0.5, e) - w.depthAt(n - 0.5, e), w.depthAt(n, e + 0.5) - w.depthAt(n, e - 0.5)));
      }
    }
    slopes.sort((x, y) => x - y);
    expect(slopes[slopes.length - 1]).toBeGreaterThan(4 * slopes[slopes.length >> 1]);
  });
});
