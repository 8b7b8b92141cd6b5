// The CPU backend: sample → roll out and score → update, over structure-of-arrays batches,
// with the samples split across worker threads (pool.ts) when the pool is ready. Synchronous:
// a control tick gets its plan before it returns, so simulated and real runs behave alike.
import type { VesselParams } from '../../model/vessel.ts';
import type { MapGrid } from '../../msg/index.ts';
import { createBatch, type RolloutBatch } from './batch.ts';
import { ALL_CRITICS } from './critics/index.ts';
import { copyMapInto, createGrid, openFenceGrid } from './grid.ts';
import { modelCoefficients } from './model.ts';
import { createProblem, P, PROBLEM_FLOATS, type ProblemBlock } from './problem.ts';
import { rollout } from './rollout.ts';
import type { MppiSettings } from './settings.ts';
import { updateNominal, type UpdateResult } from './update.ts';
import { WorkerPool } from './pool.ts';

/** Cells of the map copy the critics read (mean and std each); larger maps are subsampled. */
export const MAP_CAPACITY_CELLS = 256 * 256;

/** Rolls out and scores samples [k0, k1) with every critic: the work one thread does. */
export function rolloutAndScore(b: RolloutBatch, k0: number, k1: number): void {
  rollout(b, k0, k1);
  for (const critic of ALL_CRITICS) critic.score(b, k0, k1);
}

/** A plausible problem for warm-up: under way on a lane, so that every critic's branch is exercised. */
export function fillWarmUpProblem(f: Float32Array): void {
  f[P.u] = 1; f[P.aToN] = 100; f[P.bFromN] = 100; f[P.bToN] = 100; f[P.bToE] = 10; f[P.hasB] = 1; f[P.goalN] = 10; f[P.uRefMps] = 1.5;
}

/** What both backends share: the problem to fill, the nominal plan, the last result. */
export interface MppiCore {
  readonly settings: MppiSettings;
  readonly problem: ProblemBlock;
  /** The nominal plan, 2T: left thrust at t, right at T + t. Updated by optimize(). */
  readonly nominal: Float32Array;
  /** Copies a learned map in for the shallow-water and information critics. */
  setMap(map: MapGrid): void;
}

export interface CpuMppiOptions {
  settings: MppiSettings;
  vessel: VesselParams;
  /** Signed distance to the shore (grid.ts buildFenceGrid); none: no geofence. */
  fence?: Float32Array;
  /** Worker threads besides the caller's; 0 runs single-threaded. */
  workers: number;
}

function sharedFloats(length: number, shared: boolean): Float32Array {
  return new Float32Array(shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
}

export class CpuMppi implements MppiCore {
  readonly settings: MppiSettings;
  readonly problem: ProblemBlock;
  readonly batch: RolloutBatch;
  private readonly weights: Float64Array;
  private readonly result: UpdateResult = { minCost: NaN, meanCost: NaN, effectiveSamples: 0 };
  private readonly pool?: WorkerPool;
  private iteration = 0;
  /** Times the worker pool failed to answer (then retired). */
  poolFailures = 0;

  constructor(o: CpuMppiOptions) {
    this.settings = o.settings;
    const shared = o.workers > 0;
    const K = o.settings.samples;
    const T = o.settings.horizonSteps;
    const model = modelCoefficients(o.vessel, o.settings.dtS);
    this.problem = createProblem(shared ? new SharedArrayBuffer(PROBLEM_FLOATS * 4) : new ArrayBuffer(PROBLEM_FLOATS * 4));
    this.problem.u[P.seed] = o.settings.seed >>> 0;
    const fenceSrc = o.fence ?? openFenceGrid();
    const fence = sharedFloats(fenceSrc.length, shared);
    fence.set(fenceSrc);
    const map = sharedFloats(createGrid(MAP_CAPACITY_CELLS, 2).length, shared);
    this.batch = createBatch(o.settings, model, this.problem, fence, map, {
      leftN: sharedFloats(K * T, shared),
      rightN: sharedFloats(K * T, shared),
      nominal: sharedFloats(2 * T, shared),
      costs: sharedFloats(K, shared),
    });
    this.weights = new Float64Array(K);
    if (shared) this.pool = new WorkerPool(o.workers, this.batch, o.settings, model);
  }

  get nominal(): Float32Array {
    return this.batch.nominal;
  }

  get model(): Float64Array {
    return this.batch.model;
  }

  /** Threads that took part in the last optimisation (1 until the workers are up). */
  get threads(): number {
    return this.pool?.isReady ? this.pool.size + 1 : 1;
  }

  /** Resolves once the worker threads are up (immediately without workers). */
  ready(): Promise<void> {
    return this.pool?.ready ?? Promise.resolve();
  }

  setMap(map: MapGrid): void {
    copyMapInto(map, this.batch.map);
  }

  /** One optimisation of the nominal plan from the problem as filled. */
  optimize(): UpdateResult {
    this.problem.u[P.iteration] = this.iteration++ >>> 0;
    const K = this.batch.K;
    if (this.pool?.isReady) {
      const own = this.pool.dispatch();
      rolloutAndScore(this.batch, 0, own);
      try {
        this.pool.join();
      } catch {
        // A worker hung: score its slices here; the pool is retired and later ticks run single-threaded.
        this.poolFailures++;
        rolloutAndScore(this.batch, own, K);
      }
    } else {
      rolloutAndScore(this.batch, 0, K);
    }
    return updateNominal(this.batch, this.weights, this.settings.temperature, this.result);
  }

  /**
   * Runs `n` optimisations of the problem as it stands on this thread, then puts the problem,
   * the plan and the iteration counter back: the first optimisations of a fresh process run
   * before V8 has compiled the rollout and are many times slower than the rest, and in the
   * loop they would miss their deadline in a row (the supervisor counts those overruns and ends
   * the survey). Call it once before the loop starts.
   */
  warmUp(n = 3): void {
    const problem = Uint32Array.from(this.problem.u);
    const nominal = Float32Array.from(this.batch.nominal);
    const iteration = this.iteration;
    fillWarmUpProblem(this.problem.f);
    for (let i = 0; i < n; i++) {
      rolloutAndScore(this.batch, 0, this.batch.K);
      updateNominal(this.batch, this.weights, this.settings.temperature, this.result);
    }
    this.problem.u.set(problem);
    this.batch.nominal.set(nominal);
    this.iteration = iteration;
  }

  /** Stops the worker threads. */
  close(): void {
    this.pool?.close();
  }
}
