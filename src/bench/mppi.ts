// bench mppi: one MPPI optimisation (sample, roll out, score with every critic, update) at
// K in {256, 1024, 4096, 8192} x T in {50, 64}, on the CPU with one thread and with all cores,
// against the plain single-threaded reference implementation (control/mppi/reference.ts) at
// K = 1024, T = 50 as the in-run baseline. Figures: median and p99 ms per optimisation and
// million sample-steps per second.
import { benchGpuCases } from '../control/mppi/gpu/bench.ts';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { OTTER } from '../model/vessel.ts';
import { CpuMppi } from '../control/mppi/cpu.ts';
import { buildFenceGrid } from '../control/mppi/grid.ts';
import { P } from '../control/mppi/problem.ts';
import { referenceOptimize } from '../control/mppi/reference.ts';
import { DEFAULT_MPPI_SETTINGS, type MppiSettings } from '../control/mppi/settings.ts';
import { shiftNominal } from '../control/mppi/update.ts';
import { machine, summarise, type BenchCase, type BenchOptions, type BenchResult } from './types.ts';

/** An oval lake 400 m x 300 m with 120 shore vertices, the vessel 20 m in on a lane. */
function lake(): { northM: number; eastM: number }[] {
  return Array.from({ length: 120 }, (_, i) => ({ northM: 200 * Math.cos((i / 120) * 2 * Math.PI), eastM: 150 * Math.sin((i / 120) * 2 * Math.PI) }));
}

function fill(m: CpuMppi, tick: number): void {
  const f = m.problem.f;
  f[P.n] = -100 + tick * 0.15; f[P.e] = 3; f[P.psi] = 0.1; f[P.u] = 1.4; f[P.v] = 0.05; f[P.r] = 0.01;
  f[P.curN] = 0.1; f[P.curE] = 0.15;
  f[P.aFromN] = -150; f[P.aFromE] = 0; f[P.aToN] = 150; f[P.aToE] = 0;
  f[P.bFromN] = 150; f[P.bFromE] = 0; f[P.bToN] = 150; f[P.bToE] = 10; f[P.hasB] = 1;
  f[P.goalN] = f[P.n] + 7.5; f[P.goalE] = 0; f[P.uRefMps] = 1.5;
}

async function timeCpu(settings: MppiSettings, workers: number, reps: number): Promise<number[]> {
  const m = new CpuMppi({ settings, vessel: OTTER, workers, fence: buildFenceGrid(lake(), settings.fenceCellM, 20) });
  try {
    await m.ready();
    const ms: number[] = [];
    for (let i = 0; i < reps + 10; i++) {
      fill(m, i);
      const t0 = performance.now();
      m.optimize();
      const dt = performance.now() - t0;
      shiftNominal(m.nominal, settings.horizonSteps, 1);
      if (i >= 10) ms.push(dt);
    }
    return ms;
  } finally {
    m.close();
  }
}

function figures(name: string, backend: string, threads: number, K: number, T: number, ms: number[]): BenchCase {
  const s = summarise(ms);
  return { name, backend, threads, K, T, ...s, mSampleStepsPerS: (K * T) / (s.medianMs * 1e3) };
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const cores = availableParallelism();
  const sizes = options.quick ? [[256, 50], [1024, 50]] : [256, 1024, 4096, 8192].flatMap((K) => [50, 64].map((T) => [K, T]));
  const cases: BenchCase[] = [];
  for (const [K, T] of sizes) {
    const settings = { ...DEFAULT_MPPI_SETTINGS, samples: K, horizonSteps: T };
    const reps = options.quick ? 10 : Math.max(20, Math.round(200 * (1024 * 50) / (K * T)));
    options.log(`mppi: cpu 1 thread K=${K} T=${T}`);
    cases.push(figures(`cpu K=${K} T=${T}`, 'cpu', 1, K, T, await timeCpu(settings, 0, reps)));
    if (cores > 1) {
      options.log(`mppi: cpu ${cores} threads K=${K} T=${T}`);
      cases.push(figures(`cpu all cores K=${K} T=${T}`, 'cpu', cores, K, T, await timeCpu(settings, cores - 1, reps)));
    }
  }
  const gpu = await benchGpuCases(sizes as [number, number][], options);
  cases.push(...gpu.cases);
  options.log('mppi: plain reference K=1024 T=50');
  const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 1024, horizonSteps: 50 };
  const fence = buildFenceGrid(lake(), settings.fenceCellM, 20);
  let nominal = Array.from({ length: 50 }, () => [50, 50]);
  const refMs: number[] = [];
  for (let i = 0; i < (options.quick ? 3 : 15); i++) {
    const t0 = performance.now();
    nominal = referenceOptimize(settings, OTTER, fence, { state: { n: -100, e: 3, psi: 0.1, u: 1.4, v: 0.05, r: 0.01, tl: 50, tr: 50 }, leg: { fromN: -150, fromE: 0, toN: 150, toE: 0 }, goal: { n: -92.5, e: 0 }, uRefMps: 1.5 }, nominal, i);
    refMs.push(performance.now() - t0);
  }
  const baseline = figures('plain single-threaded reference K=1024 T=50', 'cpu', 1, 1024, 50, refMs);
  const main = cases.find((c) => c.K === 1024 && c.T === 50 && c.threads === cores) ?? cases.find((c) => c.K === 1024 && c.T === 50);
  if (main) main.speedUpOverReference = baseline.medianMs / main.medianMs;
  return {
    part: 'mppi',
    machine: machine(),
    cases,
    baseline,
    notes: [
      'every case runs all critics (path, goal, speed, effort/smoothness, limits, geofence over a 120-vertex shore; shallow/information idle without a map)',
      ...gpu.notes,
      'no device machine was available to issue 5: nothing was timed on a hardware GPU',
      'the reference draws Box-Muller normals; the optimised path draws Irwin-Hall byte-sum normals (rng.ts)',
    ],
  };
}
