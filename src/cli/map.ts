// coxswain map --samples CSV --query CSV --out CSV: streams samples (header x,y,z; x north,
// y east, in file order) through the streaming map in batches, then writes mean and std at the
// query points (header x,y) in query order, and prints one JSON line of figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { summarise } from '../bench/types.ts';
import { DEFAULT_MAPPING_OPTIONS } from '../mapping/options.ts';
import { StreamingSparseGp, type GpHypers } from '../mapping/sparse-gp.ts';
import { StreamingAttentiveGp } from '../mapping/attentive-gp.ts';
import { attentiveOptions } from '../mapping/mapper-node.ts';
import { DEFAULT_ATTENTIVE_FIT } from '../mapping/kernels/attentive-fit.ts';
import { compareAdaptive, compareNonstationary, compareStreamingNonstationary, compareWithExact, fitTerrainHypers, memoryGrowth } from '../mapping/eval/acceptance.ts';
import { loadTerrain } from '../mapping/eval/terrain.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { helpText, numberFlag, numberListFlag, parseArgs, UsageError, type FlagSpec } from './args.ts';

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
  kernel: { type: 'string', help: 'rbf (default; the given hyperparameters) or attentive (non-stationary, learned online; its lattice covers the queries and every sample)' },
  'length-scale': { type: 'string', help: 'RBF length scale (default: a tenth of the area\'s larger side); attentive: its components are 0.5, 1 and 2 times it' },
  'signal-sd': { type: 'string', help: 'signal standard deviation (default: the first batch\'s spread, at least 1)' },
  'noise-sd': { type: 'string', help: `noise standard deviation (default ${DEFAULT_MAPPING_OPTIONS.noiseSigmaM})` },
  'eval-terrain': { type: 'string', help: 'acceptance figures on a terrain .npy grid instead of --samples/--query/--out' },
  eval: { type: 'string', help: 'with --eval-terrain: exact (streaming vs exact GP), memory, adapt (online hyperparameters), nonstationary (exact GPs: attentive vs RBF), nonstationary-stream (streaming maps: attentive vs RBF)' },
  n: { type: 'string', help: 'with --eval exact|adapt: sample counts, comma-separated (default 500,1000,2000,5000)' },
  seed: { type: 'string', help: 'with --eval-terrain: seed of the sample draw (default 1)' },
  'length-scales': { type: 'string', help: 'with --eval adapt: the candidate length scales, comma-separated (default 7 from 1/40 of the side by ×1.47)' },
  'ml-bracket': { type: 'string', help: 'with --eval adapt: search the exact ML-II fit within this factor of the online length scale (for large N)' },
  objective: { type: 'string', help: 'with --eval adapt: what the online search maximises, collapsed (the bound the mapper uses, default) or dtc (evaluation only)' },
  'fit-n': { type: 'string', help: 'with --eval exact: samples for the ML-II fit of the shared hyperparameters (default 500)' },
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
  if (typeof flags['eval-terrain'] === 'string') return runTerrainEval(flags, io);
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
  const kernel = flags.kernel ?? 'rbf';
  if (kernel !== 'rbf' && kernel !== 'attentive') throw new UsageError(`--kernel ${String(kernel)}: expected rbf or attentive`);
  for (let i = 0; i < qx.length; i++) grow(qx[i], qy[i]);
  // The attentive model's lattice cannot grow: it is placed over every sample from the start.
  const placed = kernel === 'attentive' ? sx.length : first;
  for (let i = 0; i < placed; i++) grow(sx[i], sy[i]);
  const span = Math.max(bounds.maxNorthM - bounds.minNorthM, bounds.maxEastM - bounds.minEastM, 1e-6);
  let m = 0;
  let v = 0;
  for (let i = 0; i < first; i++) m += sz[i] / first;
  for (let i = 0; i < first; i++) v += (sz[i] - m) ** 2 / first;
  const lengthScaleM = numberFlag(flags, 'length-scale', (n) => n > 0, 'a positive number') ?? span / 10;
  const signalSd = numberFlag(flags, 'signal-sd', (n) => n > 0, 'a positive number') ?? Math.max(1, Math.sqrt(v));
  const noiseSd = numberFlag(flags, 'noise-sd', (n) => n > 0, 'a positive number') ?? DEFAULT_MAPPING_OPTIONS.noiseSigmaM;
  const heap0 = process.memoryUsage().heapUsed;
  const ak =
    kernel === 'attentive'
      ? new StreamingAttentiveGp(attentiveOptions({ ...DEFAULT_MAPPING_OPTIONS, inducingRows: side, inducingCols: side, lengthScaleM, signalSigmaM: signalSd, noiseSigmaM: noiseSd }, bounds))
      : undefined;
  const gp: StreamingSparseGp | StreamingAttentiveGp = ak ?? new StreamingSparseGp({
    bounds,
    rows: side,
    cols: side,
    hypers: { lengthScaleM, signalVarM2: signalSd ** 2, noiseVarM2: noiseSd ** 2 },
    outlierGateSigma: DEFAULT_MAPPING_OPTIONS.outlierGateSigma,
    outlierWarmupSamples: DEFAULT_MAPPING_OPTIONS.outlierWarmupSamples,
    priorMean: NaN,
    // The lattice starts over the queries and the first batch and grows with the data.
    growMaxSpanM: Number.MAX_VALUE,
  });
  const updMs: number[] = [];
  const refreshMs: number[] = [];
  let peakHeap = process.memoryUsage().heapUsed;
  for (let i = 0, b = 0; i < sx.length; i += batch, b++) {
    const n = Math.min(batch, sx.length - i);
    const t0 = performance.now();
    gp.learn(sx.subarray(i, i + n), sy.subarray(i, i + n), sz.subarray(i, i + n), n);
    updMs.push(performance.now() - t0);
    // As the mapper node publishes a map: the posterior is factorised (and the outlier test
    // armed) every REFRESH_BATCHES batches.
    // The attentive model advances its kernel fit there too, as the node does.
    if ((b + 1) % REFRESH_BATCHES === 0) {
      const t1 = performance.now();
      gp.refresh();
      ak?.fitStep(DEFAULT_MAPPING_OPTIONS.attentive.stepsPerPublish);
      refreshMs.push(performance.now() - t1);
    }
    if (updMs.length % 1000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  // The attentive model finishes the fit it has under way (a mapper would, publications later).
  ak?.finishFit();
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
  const refresh = refreshMs.length > 0 ? summarise(refreshMs) : { medianMs: NaN, p99Ms: NaN };
  io.out(
    JSON.stringify({
      kernel,
      samples: gp.counters.samples,
      rejectedRows: s.rejected,
      outliers: gp.counters.outliers,
      failedUpdates: gp.counters.failedUpdates,
      inducingPoints: gp.m,
      batch,
      updateP50Ms: round(medianMs),
      updateP99Ms: round(p99Ms),
      refreshEveryBatches: REFRESH_BATCHES,
      refreshP50Ms: round(refresh.medianMs),
      refreshP99Ms: round(refresh.p99Ms),
      latticeGrowths: gp.counters.regrids,
      ...(ak ? { kernelFits: ak.fits, signalSd: round(Math.sqrt(ak.signalVarM2)), noiseSd: round(Math.sqrt(ak.noiseVarM2)) } : {}),
      queries: qx.length,
      predictionMs: round(predictMs),
      peakHeapMB: round(peakHeap / 2 ** 20),
      mapHeapMB: round((peakHeap - heap0) / 2 ** 20),
    }),
  );
  return 0;
}

/** Batches between two factorisations: a publication every 5 s at 10 soundings a second. */
const REFRESH_BATCHES = 5;

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

type Flags = Record<string, string | boolean>;

/** `--eval-terrain FILE --eval KIND`: one JSON line per table row, then a summary line. */
async function runTerrainEval(flags: Flags, io: Io): Promise<number> {
  const t = loadTerrain(flags['eval-terrain'] as string);
  const kind = (flags.eval as string | undefined) ?? 'exact';
  const seed = numberFlag(flags, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? 1;
  const side = numberFlag(flags, 'inducing', (n) => Number.isInteger(n) && n >= 2 && n <= 64, 'an integer in 2..64') ?? 16;
  const batch = numberFlag(flags, 'batch', (n) => Number.isInteger(n) && n >= 1 && n <= 1024, 'an integer in 1..1024') ?? DEFAULT_MAPPING_OPTIONS.batchSize;
  const ns = numberListFlag(flags, 'n', (n) => Number.isInteger(n) && n >= 1, 'positive integers') ?? [500, 1000, 2000, 5000];
  const log = (line: string) => io.err(line);
  const hypersFrom = (): GpHypers => {
    const ls = numberFlag(flags, 'length-scale', (n) => n > 0, 'a positive number');
    const ss = numberFlag(flags, 'signal-sd', (n) => n > 0, 'a positive number');
    const nz = numberFlag(flags, 'noise-sd', (n) => n > 0, 'a positive number');
    if (ls !== undefined && ss !== undefined && nz !== undefined) return { lengthScaleM: ls, signalVarM2: ss * ss, noiseVarM2: nz * nz };
    const fitN = numberFlag(flags, 'fit-n', (n) => Number.isInteger(n) && n >= 10, 'an integer ≥ 10') ?? 500;
    log(`${t.name}: ML-II fit of the RBF on ${fitN} samples…`);
    return fitTerrainHypers(t, fitN, 1.0, seed + 1000);
  };
  if (kind === 'exact') {
    const hypers = hypersFrom();
    io.out(JSON.stringify({ terrain: t.name, hypers }));
    const rows = compareWithExact(t, { ns, noiseSd: 1.0, seed, side, batch, hypers }, log);
    for (const r of rows) io.out(JSON.stringify({ terrain: t.name, ...roundAll(r) }));
    io.out(JSON.stringify({ summary: { maxAbsDiffPct: round(Math.max(...rows.map((r) => Math.abs(r.diffPct)))) } }));
    return 0;
  }
  if (kind === 'memory') {
    const hypers = hypersFrom();
    const gc = exposeGc();
    const rows = memoryGrowth(t, { counts: ns.length === 4 && ns[3] === 5000 ? [10_000, 1_000_000] : ns, side, batch, hypers, seed }, () => {
      gc();
      const m = process.memoryUsage();
      return { heapUsedBytes: m.heapUsed, arrayBuffersBytes: m.arrayBuffers };
    });
    for (const r of rows) io.out(JSON.stringify({ terrain: t.name, ...r, totalMB: round((r.heapUsedBytes + r.arrayBuffersBytes) / 2 ** 20) }));
    const total = (r: (typeof rows)[number]) => r.heapUsedBytes + r.arrayBuffersBytes;
    io.out(JSON.stringify({ summary: { growthPct: round((100 * (total(rows[rows.length - 1]) - total(rows[0]))) / total(rows[0])) } }));
    return 0;
  }
  if (kind === 'adapt') {
    // Length scales from 1/40 to 1/4 of the grid's side by factors of about 1.47; the variances
    // are searched continuously.
    const span = Math.max(t.rows, t.cols);
    const lengthScalesM = numberListFlag(flags, 'length-scales', (l) => l > 0, 'positive numbers') ?? Array.from({ length: 7 }, (_, i) => (span / 40) * 1.47 ** i);
    const mlBracket = numberFlag(flags, 'ml-bracket', (n) => n > 1, 'a number > 1');
    const objective = flags.objective ?? 'collapsed';
    if (objective !== 'collapsed' && objective !== 'dtc') throw new UsageError(`--objective ${String(objective)}: expected collapsed or dtc`);
    const rows = compareAdaptive(t, { ns, noiseSd: 1.0, seed, side, batch, lengthScalesM, mlBracket, objective }, log);
    for (const r of rows) io.out(JSON.stringify({ terrain: t.name, ...roundAll(r), online: roundAll(r.online), ml: roundAll(r.ml) }));
    io.out(JSON.stringify({ summary: { maxDiffPct: round(Math.max(...rows.map((r) => r.diffPct))) } }));
    return 0;
  }
  if (kind === 'nonstationary') {
    // 300 noiseless samples, 100 × 100 evaluation (the AK paper's setup); components from 1/60
    // to 1/4 of the side.
    const span = Math.max(t.rows, t.cols);
    const lengthScalesM = Array.from({ length: 5 }, (_, i) => (span / 60) * 15 ** (i / 4));
    const fit = { ...DEFAULT_ATTENTIVE_FIT, lengthScalesM, bounds: { minNorthM: 0, maxNorthM: t.rows - 1, minEastM: 0, maxEastM: t.cols - 1 } };
    const row = compareNonstationary(t, { n: typeof flags.n === 'string' ? ns[0] : 300, seed, evalCells: 100, fit }, log);
    io.out(JSON.stringify({ ...roundAll(row), rbf: roundAll(row.rbf), lengthScalesM: lengthScalesM.map(round) }));
    return 0;
  }
  if (kind === 'nonstationary-stream') {
    // The streaming maps: the RBF bank's candidates as for --eval adapt; the attentive GP's
    // components at 1, 2 and 4 lattice spacings (shorter ones the lattice cannot carry).
    const span = Math.max(t.rows, t.cols);
    const h = (span - 1) / (side - 1);
    const noiseSd = numberFlag(flags, 'noise-sd', (n) => n >= 0, 'a non-negative number') ?? 0;
    const row = compareStreamingNonstationary(
      t,
      {
        n: typeof flags.n === 'string' ? ns[0] : 300,
        noiseSd,
        seed,
        side,
        batch,
        rbfLengthScalesM: Array.from({ length: 7 }, (_, i) => (span / 40) * 1.47 ** i),
        attentiveLengthScalesM: numberListFlag(flags, 'length-scales', (l) => l > 0, 'positive numbers') ?? [h, 2 * h, 4 * h],
      },
      log,
    );
    io.out(JSON.stringify({ ...roundAll(row), rbf: roundAll(row.rbf), attentive: { ...roundAll(row.attentive), lengthScalesM: row.attentive.lengthScalesM.map(round) } }));
    return 0;
  }
  throw new UsageError(`--eval ${kind}: expected exact, memory, adapt, nonstationary or nonstationary-stream`);
}

/** A full-collection function, enabling V8's gc extension at run time when node was started without --expose-gc. */
function exposeGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function roundAll<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? round(v) : v;
  return out as T;
}
