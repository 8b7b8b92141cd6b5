// bench map: the streaming sparse GP's update latency (batches of 10) and 100 × 100 mean+variance
// grid time at M = 64, 144, 256, 484 inducing points, against an exact GP (same RBF kernel and
// hyperparameters, same data) as the in-run baseline; and the non-stationary (attentive) streaming
// GP at M = 256 with its kernel fit spread over the publications as the mapper node runs it. Data: a smooth synthetic field with a
// steep step, sampled at seeded random points with noise (no files needed).
import { performance } from 'node:perf_hooks';
import { Rng } from '../../sim/random.ts';
import { ExactGp } from '../mapping/exact-gp.ts';
import { RbfKernel } from '../mapping/kernels/index.ts';
import { StreamingSparseGp, type GpHypers } from '../mapping/sparse-gp.ts';
import { StreamingAttentiveGp } from '../mapping/attentive-gp.ts';
import { attentiveOptions } from '../mapping/mapper-node.ts';
import { DEFAULT_MAPPING_OPTIONS } from '../mapping/options.ts';
import { machine, summarise, type BenchCase, type BenchOptions, type BenchResult } from './types.ts';

const SIDE_M = 400;
/** Untimed batches on a throwaway model before each timed case. */
const WARMUP_BATCHES = 60;
/** Batches between factorisations: a map publication every 5 s at 10 soundings a second. */
const REFRESH_BATCHES = 5;
const HYPERS: GpHypers = { lengthScaleM: 30, signalVarM2: 25, noiseVarM2: 0.25 };

function field(n: number, e: number): number {
  return 10 + 4 * Math.sin(n / 60) * Math.cos(e / 45) + 3 / (1 + Math.exp(-(e - 200) / 8));
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const nSamples = options.quick ? 500 : 5000;
  const nExact = options.quick ? 300 : 1000;
  const reps = options.quick ? 2 : 10;
  const rng = new Rng(7, 'bench.map');
  const sn = new Float64Array(nSamples);
  const se = new Float64Array(nSamples);
  const sz = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    sn[i] = rng.uniform() * SIDE_M;
    se[i] = rng.uniform() * SIDE_M;
    sz[i] = field(sn[i], se[i]) + 0.5 * rng.normal();
  }
  const axis = Float64Array.from({ length: 100 }, (_, i) => (i + 0.5) * (SIDE_M / 100));
  const truth = new Float64Array(10000);
  for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) truth[i * 100 + j] = field(axis[i], axis[j]);
  const mean = new Float64Array(10000);
  const variance = new Float64Array(10000);
  const bounds = { minNorthM: 0, maxNorthM: SIDE_M, minEastM: 0, maxEastM: SIDE_M };

  const cases: BenchCase[] = [];
  for (const side of [8, 12, 16, 22]) {
    options.log(`map: M = ${side * side}, ${nSamples} samples in batches of 10`);
    const make = () => new StreamingSparseGp({ bounds, rows: side, cols: side, hypers: HYPERS, outlierGateSigma: 5, outlierWarmupSamples: 200, priorMean: NaN });
    // Warm-up, not timed (as the CPU MPPI bench does): a throwaway model of the same size learns
    // WARMUP_BATCHES batches, refreshing as below, so that the hot loops are compiled.
    const warm = make();
    for (let i = 0, b = 0; b < WARMUP_BATCHES; i += 10, b++) {
      warm.learn(sn.subarray(i, i + 10), se.subarray(i, i + 10), sz.subarray(i, i + 10), 10);
      if ((b + 1) % REFRESH_BATCHES === 0) warm.refresh();
    }
    const gp = make();
    const upd: number[] = [];
    const refresh: number[] = [];
    for (let i = 0, b = 0; i < nSamples; i += 10, b++) {
      const t0 = performance.now();
      gp.learn(sn.subarray(i, i + 10), se.subarray(i, i + 10), sz.subarray(i, i + 10), 10);
      upd.push(performance.now() - t0);
      // As the mapper node publishes: the posterior is factorised every 5 batches, which also
      // arms the outlier test that the following learn() calls run.
      if ((b + 1) % REFRESH_BATCHES === 0) {
        const t1 = performance.now();
        gp.refresh();
        refresh.push(performance.now() - t1);
      }
    }
    const pred: number[] = [];
    for (let r = 0; r < reps; r++) {
      // A new sample makes the posterior (and B⁻¹) stale, as between two published maps.
      gp.learn(sn.subarray(r, r + 1), se.subarray(r, r + 1), sz.subarray(r, r + 1), 1);
      gp.recentre();
      const t0 = performance.now();
      gp.predictGrid(axis, axis, mean, variance);
      pred.push(performance.now() - t0);
    }
    cases.push(streamingCase(`streaming sparse GP, M=${side * side}`, side * side, nSamples, { upd, pred, refresh }, rmse(mean, truth), gp.counters.samples));
  }

  {
    const side = 16;
    options.log(`map: attentive kernel, M = ${side * side}, ${nSamples} samples in batches of 10`);
    const a = DEFAULT_MAPPING_OPTIONS.attentive;
    const mapping = { ...DEFAULT_MAPPING_OPTIONS, inducingRows: side, inducingCols: side, lengthScaleM: HYPERS.lengthScaleM, signalSigmaM: Math.sqrt(HYPERS.signalVarM2), noiseSigmaM: Math.sqrt(HYPERS.noiseVarM2), outlierGateSigma: 5, outlierWarmupSamples: 200 };
    const ak = new StreamingAttentiveGp({
      ...attentiveOptions(mapping, bounds),
      // --quick (the tests): a short fit, enough to time its steps.
      ...(options.quick ? { firstFitSteps: 10, fitSteps: 5 } : {}),
    });
    const upd: number[] = [];
    const publish: number[] = [];
    for (let i = 0, b = 0; i < nSamples; i += 10, b++) {
      const t0 = performance.now();
      ak.learn(sn.subarray(i, i + 10), se.subarray(i, i + 10), sz.subarray(i, i + 10), 10);
      upd.push(performance.now() - t0);
      if ((b + 1) % REFRESH_BATCHES === 0) {
        const t1 = performance.now();
        ak.refresh();
        ak.fitStep(a.stepsPerPublish);
        publish.push(performance.now() - t1);
      }
    }
    ak.finishFit();
    const pred: number[] = [];
    for (let r = 0; r < Math.max(1, Math.floor(reps / 5)); r++) {
      ak.learn(sn.subarray(r, r + 1), se.subarray(r, r + 1), sz.subarray(r, r + 1), 1);
      ak.recentre();
      const t0 = performance.now();
      ak.predictGrid(axis, axis, mean, variance);
      pred.push(performance.now() - t0);
    }
    cases.push({ ...streamingCase(`streaming attentive GP, M=${side * side}`, side * side, nSamples, { upd, pred, refresh: publish }, rmse(mean, truth), ak.counters.samples), kernelFits: ak.fits });
  }

  options.log(`map: exact GP baseline, N = ${nExact}`);
  const fit: number[] = [];
  const pred: number[] = [];
  let exactRmse = NaN;
  for (let r = 0; r < Math.max(1, Math.floor(reps / 5)); r++) {
    const ex = new ExactGp(new RbfKernel({ lengthScaleM: HYPERS.lengthScaleM, signalVarM2: HYPERS.signalVarM2 }), HYPERS.noiseVarM2);
    let t0 = performance.now();
    ex.learn(sn.subarray(0, nExact), se.subarray(0, nExact), sz.subarray(0, nExact));
    fit.push(performance.now() - t0);
    const gn = new Float64Array(10000);
    const ge = new Float64Array(10000);
    for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) (gn[i * 100 + j] = axis[i]), (ge[i * 100 + j] = axis[j]);
    t0 = performance.now();
    ex.predict(gn, ge, mean, variance);
    pred.push(performance.now() - t0);
    exactRmse = rmse(mean, truth);
  }
  const f = summarise(fit);
  const p = summarise(pred);
  return {
    part: 'map',
    machine: machine(),
    cases,
    baseline: {
      name: `exact GP (Cholesky of K + σ²I), N=${nExact}: an update is a refit`,
      backend: 'cpu',
      threads: 1,
      N: nExact,
      medianMs: f.medianMs,
      p99Ms: f.p99Ms,
      grid100MedianMs: p.medianMs,
      grid100P99Ms: p.p99Ms,
      rmseM: exactRmse,
    },
    notes: [
      'medianMs / p99Ms: one learn() of a batch of 10 (sparse: statistics and the outlier test) or one refit on N samples (exact)',
      `sparse cases: ${WARMUP_BATCHES} untimed warm-up batches on a throwaway model of the same size first (JIT compilation)`,
      `refresh*: the posterior's factorisation, every ${REFRESH_BATCHES} batches as the mapper node publishes a map (also part of grid100*); attentive: with ${DEFAULT_MAPPING_OPTIONS.attentive.stepsPerPublish} steps of its kernel fit`,
      'attentive: untimed warm-up none (its first batches are part of the figures); its grid is dense, O(M²) per cell',
      'grid100*: mean and variance on a 100 x 100 lattice',
      'rmseM: against the noise-free synthetic field on that lattice; the exact GP sees only its first N samples',
    ],
  };
}

/** One streaming case's figures from its timings (ms): learn() per batch, grid predictions, publications. */
function streamingCase(name: string, m: number, n: number, t: { upd: number[]; pred: number[]; refresh: number[] }, rmseM: number, samplesLearned: number): BenchCase {
  const u = summarise(t.upd);
  const p = summarise(t.pred);
  const f = summarise(t.refresh);
  return {
    name,
    backend: 'cpu',
    threads: 1,
    M: m,
    N: n,
    batch: 10,
    medianMs: u.medianMs,
    p99Ms: u.p99Ms,
    grid100MedianMs: p.medianMs,
    grid100P99Ms: p.p99Ms,
    refreshMedianMs: f.medianMs,
    refreshP99Ms: f.p99Ms,
    rmseM,
    samplesLearned,
  };
}

function rmse(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}
