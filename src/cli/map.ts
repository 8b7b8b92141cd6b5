// coxswain map --samples CSV --query CSV --out CSV: streams samples (header x,y,z; x north,
// y east, in file order) through the streaming map in batches, then writes mean and std at the
// query points (header x,y) in query order, and prints one JSON line of figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { summarise } from '../bench/types.ts';
import { DEFAULT_MAPPING_OPTIONS } from '../mapping/options.ts';
import { StreamingSparseGp } from '../mapping/sparse-gp.ts';
import { helpText, numberFlag, parseArgs, UsageError, type FlagSpec } from './args.ts';

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const FLAGS: Record<string, FlagSpec> = {
  samples: { type: 'string', help: 'CSV with header x,y,z (x north m, y east m, z value), streamed in file order' },
  query: { type: 'string', help: 'CSV with header x,y: where to predict' },
  out: { type: 'string', help: 'CSV written with x,y,mean,std in query order' },
  batch: { type: 'string', help: `samples per update (default ${DEFAULT_MAPPING_OPTIONS.batchSize})` },
  inducing: { type: 'string', help: 'inducing lattice side, M = side² (default 16)' },
  'length-scale': { type: 'string', help: 'RBF length scale (default: a tenth of the area\'s larger side)' },
  'signal-sd': { type: 'string', help: 'signal standard deviation (default: the first batch\'s spread, at least 1)' },
  'noise-sd': { type: 'string', help: `noise standard deviation (default ${DEFAULT_MAPPING_OPTIONS.noiseSigmaM})` },
  help: { type: 'boolean', help: 'this text' },
};
const USAGE = 'usage: coxswain map --samples CSV --query CSV --out CSV [options]';

/** Reads a numeric CSV with a header; returns the named columns. Bad rows are counted. */
export function readColumns(text: string, names: string[]): { cols: Float64Array[]; rejected: number } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new UsageError('empty CSV');
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const idx = names.map((n) => header.indexOf(n));
  const missing = names.filter((_, i) => idx[i] < 0);
  if (missing.length) throw new UsageError(`CSV header lacks column(s) ${missing.join(', ')} (found: ${header.join(',')})`);
  const cols = names.map(() => new Float64Array(lines.length - 1));
  let n = 0;
  let rejected = 0;
  for (let l = 1; l < lines.length; l++) {
    const f = lines[l].split(',');
    const v = idx.map((i) => Number(f[i]));
    if (v.some((x) => !Number.isFinite(x))) {
      rejected++;
      continue;
    }
    for (let c = 0; c < names.length; c++) cols[c][n] = v[c];
    n++;
  }
  return { cols: cols.map((c) => c.slice(0, n)), rejected };
}

export async function runMapCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText(USAGE, FLAGS));
    return 0;
  }
  for (const f of ['samples', 'query', 'out']) if (typeof flags[f] !== 'string') throw new UsageError(`--${f} is required`);
  const batch = numberFlag(flags, 'batch', (n) => Number.isInteger(n) && n >= 1 && n <= 1024, 'an integer in 1..1024') ?? DEFAULT_MAPPING_OPTIONS.batchSize;
  const side = numberFlag(flags, 'inducing', (n) => Number.isInteger(n) && n >= 2 && n <= 64, 'an integer in 2..64') ?? 16;
  const s = readColumns(readFileSync(flags.samples as string, 'utf8'), ['x', 'y', 'z']);
  const q = readColumns(readFileSync(flags.query as string, 'utf8'), ['x', 'y']);
  const [sx, sy, sz] = s.cols;
  const [qx, qy] = q.cols;
  if (sx.length === 0) throw new UsageError('no valid samples');
  // The lattice covers the query area and the first batch: where the map is wanted, which the
  // operator states up front, as a survey plan does onboard.
  const first = Math.min(batch, sx.length);
  const bounds = { minNorthM: Infinity, maxNorthM: -Infinity, minEastM: Infinity, maxEastM: -Infinity };
  const grow = (x: number, y: number) => {
    bounds.minNorthM = Math.min(bounds.minNorthM, x);
    bounds.maxNorthM = Math.max(bounds.maxNorthM, x);
    bounds.minEastM = Math.min(bounds.minEastM, y);
    bounds.maxEastM = Math.max(bounds.maxEastM, y);
  };
  for (let i = 0; i < qx.length; i++) grow(qx[i], qy[i]);
  for (let i = 0; i < first; i++) grow(sx[i], sy[i]);
  const span = Math.max(bounds.maxNorthM - bounds.minNorthM, bounds.maxEastM - bounds.minEastM, 1e-6);
  let m = 0;
  let v = 0;
  for (let i = 0; i < first; i++) m += sz[i] / first;
  for (let i = 0; i < first; i++) v += (sz[i] - m) ** 2 / first;
  const lengthScaleM = numberFlag(flags, 'length-scale', (n) => n > 0, 'a positive number') ?? span / 10;
  const signalSd = numberFlag(flags, 'signal-sd', (n) => n > 0, 'a positive number') ?? Math.max(1, Math.sqrt(v));
  const noiseSd = numberFlag(flags, 'noise-sd', (n) => n > 0, 'a positive number') ?? DEFAULT_MAPPING_OPTIONS.noiseSigmaM;
  const heap0 = process.memoryUsage().heapUsed;
  const gp = new StreamingSparseGp({
    bounds,
    rows: side,
    cols: side,
    hypers: { lengthScaleM, signalVarM2: signalSd ** 2, noiseVarM2: noiseSd ** 2 },
    outlierGateSigma: DEFAULT_MAPPING_OPTIONS.outlierGateSigma,
    outlierWarmupSamples: DEFAULT_MAPPING_OPTIONS.outlierWarmupSamples,
    priorMean: NaN,
  });
  const updMs: number[] = [];
  let peakHeap = process.memoryUsage().heapUsed;
  for (let i = 0; i < sx.length; i += batch) {
    const n = Math.min(batch, sx.length - i);
    const t0 = performance.now();
    gp.learn(sx.subarray(i, i + n), sy.subarray(i, i + n), sz.subarray(i, i + n), n);
    updMs.push(performance.now() - t0);
    if (updMs.length % 1000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  gp.recentre();
  const mean = new Float64Array(qx.length);
  const variance = new Float64Array(qx.length);
  const t0 = performance.now();
  gp.predict(qx, qy, mean, variance);
  const predictMs = performance.now() - t0;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const rows = ['x,y,mean,std'];
  for (let i = 0; i < qx.length; i++) rows.push(`${qx[i]},${qy[i]},${mean[i].toFixed(4)},${Math.sqrt(variance[i]).toFixed(4)}`);
  writeFileSync(flags.out as string, `${rows.join('\n')}\n`);
  const { medianMs, p99Ms } = summarise(updMs);
  io.out(
    JSON.stringify({
      samples: gp.counters.samples,
      rejectedRows: s.rejected,
      outliers: gp.counters.outliers,
      failedUpdates: gp.counters.failedUpdates,
      inducingPoints: gp.m,
      batch,
      updateP50Ms: round(medianMs),
      updateP99Ms: round(p99Ms),
      queries: qx.length,
      predictionMs: round(predictMs),
      peakHeapMB: round(peakHeap / 2 ** 20),
      mapHeapMB: round((peakHeap - heap0) / 2 ** 20),
    }),
  );
  return 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
