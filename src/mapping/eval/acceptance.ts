// Acceptance measurements of the streaming map on the terrain grids (issue 4): the streaming
// sparse GP against an exact GP with the same hyperparameters, and its memory after many samples.
// Setup as published for these grids (Chen, Khardon & Liu, RSS 2022): random cells with
// Gaussian noise, evaluation on every cell of the grid.
import { ExactGp, fitRbfMl } from '../exact-gp.ts';
import { RbfKernel } from '../kernels/index.ts';
import { StreamingSparseGp, type GpHypers, type MapObjective } from '../sparse-gp.ts';
import { AdaptiveSparseGp, DEFAULT_ADAPTIVE_RANGE } from '../adaptive.ts';
import { fitAttentive, type AttentiveFitOptions } from '../kernels/attentive-fit.ts';
import { DEFAULT_ATTENTIVE_STREAM, StreamingAttentiveGp } from '../attentive-gp.ts';
import { Rng } from '../../../sim/random.ts';
import { evalAxis, latticePoints, randomSamples, rmse, truthOn, type Samples, type Terrain } from './terrain.ts';

export interface ExactComparisonOptions {
  /** Sample counts to compare at (each a prefix of one draw of the largest). */
  ns: number[];
  /** Standard deviation of the noise added to each sampled cell. */
  noiseSd: number;
  /** Seed of the draw. */
  seed: number;
  /** Inducing lattice side (M = side²). */
  side: number;
  /** Samples per streaming update. */
  batch: number;
  /** Hyperparameters shared by both models. */
  hypers: GpHypers;
}

export interface ExactComparisonRow {
  n: number;
  inducingPoints: number;
  sparseRmse: number;
  exactRmse: number;
  /** (sparse − exact) / exact, percent. */
  diffPct: number;
}

/** A streaming GP over a terrain's whole grid (cell units), gate off: the model as stated. */
export function terrainGp(t: Terrain, side: number, hypers: GpHypers): StreamingSparseGp {
  return new StreamingSparseGp({
    bounds: { minNorthM: 0, maxNorthM: t.rows - 1, minEastM: 0, maxEastM: t.cols - 1 },
    rows: side,
    cols: side,
    hypers,
    outlierGateSigma: 0,
    outlierWarmupSamples: 0,
    priorMean: NaN,
  });
}

/**
 * A bank of streaming GPs over a terrain's whole grid, nothing given but the candidate length
 * scales (the variances start at 1 and are learned), gate off.
 */
export function terrainBank(t: Terrain, side: number, lengthScalesM: number[], objective?: MapObjective): AdaptiveSparseGp {
  return new AdaptiveSparseGp({
    bounds: { minNorthM: 0, maxNorthM: t.rows - 1, minEastM: 0, maxEastM: t.cols - 1 },
    rows: side,
    cols: side,
    lengthScalesM,
    ...DEFAULT_ADAPTIVE_RANGE,
    initial: { lengthScaleM: lengthScalesM[0], signalVarM2: 1, noiseVarM2: 1 },
    outlierGateSigma: 0,
    outlierWarmupSamples: 0,
    minSamples: 0,
    objective,
  });
}

/** Streams the first n samples in batches. */
export function stream(gp: StreamingSparseGp, s: Samples, n: number, batch: number): void {
  for (let i = 0; i < n; i += batch) {
    const b = Math.min(batch, n - i);
    gp.learn(s.northM.subarray(i, i + b), s.eastM.subarray(i, i + b), s.value.subarray(i, i + b), b);
  }
  gp.recentre();
}

/** ML-II RBF hyperparameters from `n` samples of the published setup (golden-section search). */
export function fitTerrainHypers(t: Terrain, n: number, noiseSd: number, seed: number): GpHypers {
  const s = randomSamples(t, n, noiseSd, seed);
  const span = Math.max(t.rows, t.cols);
  const f = fitRbfMl(s.northM, s.eastM, s.value, { minLengthM: span / 200, maxLengthM: span / 2, minRatio: 0.1, maxRatio: 1e6 });
  return { lengthScaleM: f.lengthScaleM, signalVarM2: f.signalVarM2, noiseVarM2: f.noiseVarM2 };
}

export function compareWithExact(t: Terrain, o: ExactComparisonOptions, log: (line: string) => void): ExactComparisonRow[] {
  const nMax = Math.max(...o.ns);
  const s = randomSamples(t, nMax, o.noiseSd, o.seed);
  const northAxis = evalAxis(t.rows, t.rows);
  const eastAxis = evalAxis(t.cols, t.cols);
  const truth = truthOn(t, northAxis, eastAxis);
  const pts = latticePoints(northAxis, eastAxis);
  const mean = new Float64Array(truth.length);
  const variance = new Float64Array(truth.length);
  const rows: ExactComparisonRow[] = [];
  for (const n of o.ns) {
    const gp = terrainGp(t, o.side, o.hypers);
    stream(gp, s, n, o.batch);
    gp.predictGrid(northAxis, eastAxis, mean, variance);
    const sparseRmse = rmse(mean, truth);
    log(`${t.name}: N=${n} streaming RMSE ${sparseRmse.toFixed(3)}; exact GP…`);
    const ex = new ExactGp(new RbfKernel({ lengthScaleM: o.hypers.lengthScaleM, signalVarM2: o.hypers.signalVarM2 }), o.hypers.noiseVarM2);
    if (!ex.learn(s.northM.subarray(0, n), s.eastM.subarray(0, n), s.value.subarray(0, n))) throw new Error(`exact GP: not positive definite at N=${n}`);
    ex.predict(pts.northM, pts.eastM, mean);
    const exactRmse = rmse(mean, truth);
    rows.push({ n, inducingPoints: gp.m, sparseRmse, exactRmse, diffPct: (100 * (sparseRmse - exactRmse)) / exactRmse });
  }
  return rows;
}

export interface MemoryRow {
  samples: number;
  /** V8 heap in use after a full collection, bytes. */
  heapUsedBytes: number;
  /** Typed-array backing stores (outside the V8 heap), bytes. */
  arrayBuffersBytes: number;
}

/**
 * Streams `counts` samples (drawn batch by batch, never stored) into one map and measures the
 * process's memory after each count is reached with `measure` (the CLI's: a full collection,
 * then process.memoryUsage(); kept out of this module so that it stays free of process state).
 */
export function memoryGrowth(t: Terrain, o: { counts: number[]; side: number; batch: number; hypers: GpHypers; seed: number }, measure: () => Omit<MemoryRow, 'samples'>): MemoryRow[] {
  const gp = terrainGp(t, o.side, o.hypers);
  const rng = new Rng(o.seed, 'terrain.memory');
  const bn = new Float64Array(o.batch);
  const be = new Float64Array(o.batch);
  const bz = new Float64Array(o.batch);
  const out: MemoryRow[] = [];
  const targets = [...o.counts].sort((a, b) => a - b);
  let done = 0;
  for (const target of targets) {
    while (done < target) {
      const b = Math.min(o.batch, target - done);
      for (let i = 0; i < b; i++) {
        const r = Math.min(t.rows - 1, Math.floor(rng.uniform() * t.rows));
        const c = Math.min(t.cols - 1, Math.floor(rng.uniform() * t.cols));
        bn[i] = r;
        be[i] = c;
        bz[i] = t.z[r * t.cols + c] + rng.normal();
      }
      gp.learn(bn, be, bz, b);
      done += b;
    }
    out.push({ samples: gp.counters.samples, ...measure() });
  }
  return out;
}

export interface AdaptiveComparisonRow {
  n: number;
  inducingPoints: number;
  candidates: number;
  /** Hyperparameters the bank selected online, and the ML-II fit of the exact GP. */
  online: GpHypers;
  ml: GpHypers;
  onlineRmse: number;
  exactMlRmse: number;
  diffPct: number;
  /** With a bracketed ML-II search: true when its maximum lies on the bracket's edge (not a local maximum inside). */
  mlAtBracketEdge?: boolean;
}

/**
 * Online-adapted streaming map against an exact GP whose hyperparameters were fitted by type-II
 * maximum likelihood on the same samples.
 */
export function compareAdaptive(
  t: Terrain,
  o: {
    ns: number[];
    noiseSd: number;
    seed: number;
    side: number;
    batch: number;
    lengthScalesM: number[];
    /**
     * Search the ML-II fit only within a factor of this of the online length scale (and its
     * square of the online σ_f²/σ²), 4 golden steps each: 36 exact factorisations instead of
     * 100, for N where a factorisation takes a minute. Absent: the full range.
     */
    mlBracket?: number;
    /** What the bank maximises online (the collapsed bound when absent). */
    objective?: MapObjective;
  },
  log: (line: string) => void,
): AdaptiveComparisonRow[] {
  const nMax = Math.max(...o.ns);
  const s = randomSamples(t, nMax, o.noiseSd, o.seed);
  const northAxis = evalAxis(t.rows, t.rows);
  const eastAxis = evalAxis(t.cols, t.cols);
  const truth = truthOn(t, northAxis, eastAxis);
  const pts = latticePoints(northAxis, eastAxis);
  const mean = new Float64Array(truth.length);
  const variance = new Float64Array(truth.length);
  const rows: AdaptiveComparisonRow[] = [];
  const span = Math.max(t.rows, t.cols);
  for (const n of o.ns) {
    const bank = terrainBank(t, o.side, o.lengthScalesM, o.objective);
    for (let i = 0; i < n; i += o.batch) {
      const b = Math.min(o.batch, n - i);
      bank.learn(s.northM.subarray(i, i + b), s.eastM.subarray(i, i + b), s.value.subarray(i, i + b), b);
    }
    bank.refit();
    bank.predictGrid(northAxis, eastAxis, mean, variance);
    const onlineRmse = rmse(mean, truth);
    const online = bank.hypers();
    log(`${t.name}: N=${n} online ℓ=${online.lengthScaleM.toFixed(1)} RMSE ${onlineRmse.toFixed(3)}; ML-II exact GP…`);
    const xn = s.northM.subarray(0, n);
    const xe = s.eastM.subarray(0, n);
    const z = s.value.subarray(0, n);
    const F = o.mlBracket;
    const ratio0 = online.signalVarM2 / online.noiseVarM2;
    const range = F
      ? { minLengthM: online.lengthScaleM / F, maxLengthM: online.lengthScaleM * F, minRatio: ratio0 / (F * F), maxRatio: ratio0 * F * F }
      : { minLengthM: span / 200, maxLengthM: span / 2, minRatio: 0.1, maxRatio: 1e6 };
    const f = fitRbfMl(xn, xe, z, range, F ? 4 : 8);
    const ratioMl = f.signalVarM2 / f.noiseVarM2;
    // Golden steps end within (0.618)^5 of the bracket's log width of its ends when the maximum is outside.
    const edge = (x: number, lo: number, hi: number) => Math.log(x / lo) < 0.1 * Math.log(hi / lo) || Math.log(hi / x) < 0.1 * Math.log(hi / lo);
    const mlAtBracketEdge = F ? edge(f.lengthScaleM, range.minLengthM, range.maxLengthM) || edge(ratioMl, range.minRatio, range.maxRatio) : undefined;
    const ml = { lengthScaleM: f.lengthScaleM, signalVarM2: f.signalVarM2, noiseVarM2: f.noiseVarM2 };
    const ex = new ExactGp(new RbfKernel({ lengthScaleM: ml.lengthScaleM, signalVarM2: ml.signalVarM2 }), ml.noiseVarM2);
    if (!ex.learn(xn, xe, z)) throw new Error(`exact GP: not positive definite at N=${n}`);
    ex.predict(pts.northM, pts.eastM, mean);
    const exactMlRmse = rmse(mean, truth);
    rows.push({ n, inducingPoints: o.side * o.side, candidates: bank.members.length, online: { ...online }, ml, onlineRmse, exactMlRmse, diffPct: (100 * (onlineRmse - exactMlRmse)) / exactMlRmse, mlAtBracketEdge });
  }
  return rows;
}

export interface NonstationaryRow {
  terrain: string;
  n: number;
  rbfRmse: number;
  attentiveRmse: number;
  /** (rbf − attentive) / rbf, percent: positive when the attentive kernel is better. */
  improvementPct: number;
  rbf: { lengthScaleM: number; signalVarM2: number; noiseVarM2: number; logMarginal: number };
  attentiveLogMarginal: number;
}

/** RBF (ML-II) against the attentive kernel (ML-II weight field) with the exact GP. */
export function compareNonstationary(t: Terrain, o: { n: number; seed: number; evalCells: number; fit: AttentiveFitOptions }, log: (line: string) => void): NonstationaryRow {
  const s = randomSamples(t, o.n, 0, o.seed);
  const northAxis = evalAxis(t.rows, o.evalCells);
  const eastAxis = evalAxis(t.cols, o.evalCells);
  const truth = truthOn(t, northAxis, eastAxis);
  const pts = latticePoints(northAxis, eastAxis);
  const mean = new Float64Array(truth.length);
  const span = Math.max(t.rows, t.cols);
  const rbf = fitRbfMl(s.northM, s.eastM, s.value, { minLengthM: span / 200, maxLengthM: span / 2, minRatio: 0.1, maxRatio: 1e8 });
  const exR = new ExactGp(new RbfKernel({ lengthScaleM: rbf.lengthScaleM, signalVarM2: rbf.signalVarM2 }), rbf.noiseVarM2);
  exR.learn(s.northM, s.eastM, s.value);
  exR.predict(pts.northM, pts.eastM, mean);
  const rbfRmse = rmse(mean, truth);
  log(`${t.name}: RBF ℓ=${rbf.lengthScaleM.toFixed(1)} RMSE ${rbfRmse.toFixed(3)}; fitting the attentive kernel…`);
  const ak = fitAttentive(s.northM, s.eastM, s.value, o.fit);
  const exA = new ExactGp(ak.kernel, ak.noiseVarM2);
  exA.learn(s.northM, s.eastM, s.value);
  exA.predict(pts.northM, pts.eastM, mean);
  const attentiveRmse = rmse(mean, truth);
  return { terrain: t.name, n: o.n, rbfRmse, attentiveRmse, improvementPct: (100 * (rbfRmse - attentiveRmse)) / rbfRmse, rbf, attentiveLogMarginal: ak.logMarginal };
}

export interface StreamingNonstationaryRow {
  terrain: string;
  n: number;
  noiseSd: number;
  inducingPoints: number;
  /** The streaming RBF bank (online ML-II over the candidate length scales). */
  rbfRmse: number;
  rbf: GpHypers;
  /** The streaming attentive GP (weight field and variances learned from its summary). */
  attentiveRmse: number;
  attentive: { signalVarM2: number; noiseVarM2: number; lengthScalesM: number[] };
  /** (rbf − attentive) / rbf, percent: positive when the attentive kernel is better. */
  improvementPct: number;
}

/**
 * The two streaming maps on the same samples and lattice, nothing given: the RBF bank and the
 * attentive GP each learn every batch, then run one hyperparameter search (bank) or kernel fit
 * (attentive) on everything learned, as a mapper's next publication would.
 */
export function compareStreamingNonstationary(
  t: Terrain,
  o: { n: number; noiseSd: number; seed: number; side: number; batch: number; rbfLengthScalesM: number[]; attentiveLengthScalesM: number[] },
  log: (line: string) => void,
): StreamingNonstationaryRow {
  const s = randomSamples(t, o.n, o.noiseSd, o.seed);
  const northAxis = evalAxis(t.rows, 100);
  const eastAxis = evalAxis(t.cols, 100);
  const truth = truthOn(t, northAxis, eastAxis);
  const mean = new Float64Array(truth.length);
  const variance = new Float64Array(truth.length);
  const bounds = { minNorthM: 0, maxNorthM: t.rows - 1, minEastM: 0, maxEastM: t.cols - 1 };
  const bank = terrainBank(t, o.side, o.rbfLengthScalesM);
  let v = 0;
  let mu = 0;
  for (let i = 0; i < o.n; i++) mu += s.value[i] / o.n;
  for (let i = 0; i < o.n; i++) v += (s.value[i] - mu) ** 2 / o.n;
  const ak = new StreamingAttentiveGp({
    bounds,
    rows: o.side,
    cols: o.side,
    lengthScalesM: o.attentiveLengthScalesM,
    ...DEFAULT_ATTENTIVE_STREAM,
    // Nothing given: the samples' spread for the signal, a tenth of it for the noise, to start.
    signalVarM2: Math.max(v, 1e-6),
    noiseVarM2: Math.max(0.1 * v, 1e-6),
    minNoiseVarM2: 1e-6 * Math.max(v, 1e-6),
    minSamples: 0,
    outlierGateSigma: 0,
    outlierWarmupSamples: 0,
  });
  for (let i = 0; i < o.n; i += o.batch) {
    const b = Math.min(o.batch, o.n - i);
    const [n, e, z] = [s.northM.subarray(i, i + b), s.eastM.subarray(i, i + b), s.value.subarray(i, i + b)];
    bank.learn(n, e, z, b);
    ak.learn(n, e, z, b);
  }
  bank.refit();
  bank.predictGrid(northAxis, eastAxis, mean, variance);
  const rbfRmse = rmse(mean, truth);
  log(`${t.name}: N=${o.n} streaming RBF ℓ=${bank.hypers().lengthScaleM.toFixed(1)} RMSE ${rbfRmse.toFixed(3)}; fitting the streaming attentive kernel…`);
  ak.refit();
  ak.predictGrid(northAxis, eastAxis, mean, variance);
  const attentiveRmse = rmse(mean, truth);
  return {
    terrain: t.name,
    n: o.n,
    noiseSd: o.noiseSd,
    inducingPoints: o.side * o.side,
    rbfRmse,
    rbf: { ...bank.hypers() },
    attentiveRmse,
    attentive: { signalVarM2: ak.signalVarM2, noiseVarM2: ak.noiseVarM2, lengthScalesM: [...o.attentiveLengthScalesM] },
    improvementPct: (100 * (rbfRmse - attentiveRmse)) / rbfRmse,
  };
}
