// GPU cases for `coxswain bench mppi`: one optimisation end to end (problem and nominal
// written, three passes, new nominal read back) on the WebGPU adapter found, timed as the CPU
// cases are. A software adapter (Mesa lavapipe) is a CPU rasteriser: its figures are labelled
// so and are NOT GPU timings. No adapter: no cases, and a note that says so.
import { performance } from 'node:perf_hooks';
import { openGpu } from '../../../adapters/webgpu.ts';
import { summarise, type BenchCase } from '../../../bench/types.ts';
import { OTTER } from '../../../model/vessel.ts';
import { MAP_CAPACITY_CELLS } from '../cpu.ts';
import { buildFenceGrid, createGrid } from '../grid.ts';
import { modelCoefficients } from '../model.ts';
import { P, PROBLEM_FLOATS, createProblem } from '../problem.ts';
import { DEFAULT_MPPI_SETTINGS } from '../settings.ts';
import { shiftNominal, type UpdateResult } from '../update.ts';
import { GpuEngine } from './engine.ts';

export interface GpuBenchOptions {
  /** Fewer repetitions. */
  quick: boolean;
  log: (line: string) => void;
}

/** The bench's lake (src/bench/mppi.ts): an oval 400 m x 300 m, 120 shore vertices. */
function lake(): { northM: number; eastM: number }[] {
  return Array.from({ length: 120 }, (_, i) => ({ northM: 200 * Math.cos((i / 120) * 2 * Math.PI), eastM: 150 * Math.sin((i / 120) * 2 * Math.PI) }));
}

function fill(f: Float32Array, tick: number): void {
  f[P.n] = -100 + tick * 0.15; f[P.e] = 3; f[P.psi] = 0.1; f[P.u] = 1.4; f[P.v] = 0.05; f[P.r] = 0.01;
  f[P.curN] = 0.1; f[P.curE] = 0.15;
  f[P.aFromN] = -150; f[P.aFromE] = 0; f[P.aToN] = 150; f[P.aToE] = 0;
  f[P.bFromN] = 150; f[P.bFromE] = 0; f[P.bToN] = 150; f[P.bToE] = 10; f[P.hasB] = 1;
  f[P.goalN] = f[P.n] + 7.5; f[P.goalE] = 0; f[P.uRefMps] = 1.5;
}

/** GPU cases at each [K, T], with notes (which adapter, what its figures mean). */
export async function benchGpuCases(sizes: readonly (readonly [number, number])[], options: GpuBenchOptions): Promise<{ cases: BenchCase[]; notes: string[] }> {
  const cases: BenchCase[] = [];
  const notes: string[] = [];
  for (const [K, T] of sizes) {
    // One device per size: the engine owns and destroys its device.
    const handle = await openGpu({ allowSoftware: true });
    if (!handle) {
      notes.push('gpu: no WebGPU adapter found; the GPU backend was not timed');
      break;
    }
    const label = handle.software ? `gpu-software (${handle.description}; a CPU rasteriser, NOT GPU timings)` : `gpu (${handle.description})`;
    if (cases.length === 0) notes.push(handle.software ? `gpu: only a software adapter (${handle.description}) was found: its figures are CPU-rasteriser timings, not GPU timings; no hardware GPU was timed` : `gpu: ${handle.description}`);
    const settings = { ...DEFAULT_MPPI_SETTINGS, samples: K, horizonSteps: T };
    const engine = await GpuEngine.create(handle, { settings, model: modelCoefficients(OTTER, settings.dtS), fence: buildFenceGrid(lake(), settings.fenceCellM, 20), mapFloats: createGrid(MAP_CAPACITY_CELLS, 2).length });
    try {
      const problem = createProblem(new ArrayBuffer(PROBLEM_FLOATS * 4));
      problem.u[P.seed] = settings.seed;
      const nominal = new Float32Array(2 * T);
      const out: UpdateResult = { minCost: NaN, meanCost: NaN, effectiveSamples: 0 };
      const reps = options.quick ? 5 : Math.max(20, Math.round((100 * 1024 * 50) / (K * T)));
      options.log(`mppi: ${label} K=${K} T=${T}`);
      const ms: number[] = [];
      // The first runs compile and warm the kernel; not timed.
      for (let i = 0; i < reps + 3; i++) {
        fill(problem.f, i);
        problem.u[P.iteration] = i;
        const t0 = performance.now();
        await engine.run(problem.f, nominal, out);
        const dt = performance.now() - t0;
        shiftNominal(nominal, T, 1);
        if (i >= 3) ms.push(dt);
      }
      const s = summarise(ms);
      cases.push({ name: `${handle.software ? 'gpu-software' : 'gpu'} K=${K} T=${T}`, backend: label, threads: 1, K, T, ...s, mSampleStepsPerS: (K * T) / (s.medianMs * 1e3), endToEnd: true });
    } finally {
      engine.destroy();
    }
  }
  return { cases, notes };
}
