// The GPU backend behind CpuMppi's interface: optimize() is synchronous, as the control tick
// needs its plan before it returns. A worker thread owns the WebGPU device (protocol.ts); this
// side copies the problem and the nominal into shared memory and blocks until the worker has
// the new nominal. Until the worker is up (seconds on a software adapter: the kernel compiles)
// and for good after any GPU failure (no adapter, shader/pipeline failure, device lost,
// mapAsync rejected, a run that does not answer in time) it runs the CPU backend, logged.
import { Worker } from 'node:worker_threads';
import type { MapGrid } from '../../../msg/index.ts';
import type { Logger } from '../../../runtime/log.ts';
import type { RolloutBatch } from '../batch.ts';
import { CpuMppi, MAP_CAPACITY_CELLS, type CpuMppiOptions } from '../cpu.ts';
import { createGrid } from '../grid.ts';
import { P, PROBLEM_FLOATS, type ProblemBlock } from '../problem.ts';
import type { MppiSettings } from '../settings.ts';
import type { UpdateResult } from '../update.ts';
import { dataLayout, STATUS, SYNC, SYNC_INTS, type GpuWorkerData, type GpuWorkerMessage } from './protocol.ts';

export interface GpuMppiOptions extends CpuMppiOptions {
  /** Accept a software adapter (Mesa lavapipe): true for 'gpu' and tests, false for 'auto'. */
  allowSoftware: boolean;
  /** A run that has not answered within this is a GPU failure (the CPU takes over). */
  runTimeoutMs: number;
  log: Logger;
}

export const DEFAULT_GPU_RUN_TIMEOUT_MS = 1000;
const STOP_GRACE_MS = 2000;
const RUN_FAILED = 'GPU run failed';

type Mode = 'starting' | 'gpu' | 'cpu';

export class GpuMppi {
  readonly settings: MppiSettings;
  /** Adapter description once the GPU runs (e.g. "llvmpipe: Mesa ..."). */
  adapter?: string;
  /** Why the CPU runs instead of the GPU, once it does. */
  fallbackReason?: string;
  /** Resolves when the worker thread has exited (after close() or a failure). */
  readonly closed: Promise<void>;
  private mode: Mode = 'starting';
  private cpu: CpuMppi;
  private readonly options: GpuMppiOptions;
  private readonly worker: Worker;
  private readonly sync = new Int32Array(new SharedArrayBuffer(SYNC_INTS * 4));
  private readonly data: Float32Array;
  private readonly dataU: Uint32Array;
  private readonly map: Float32Array;
  private readonly layout: ReturnType<typeof dataLayout>;
  private readonly settled: Promise<void>;
  private settle!: () => void;
  private lastMap?: MapGrid;
  private iteration = 0;
  private generation = 0;

  constructor(o: GpuMppiOptions) {
    this.settings = o.settings;
    this.options = o;
    // Storage the node fills, and the backend before the GPU is up: one thread, no pool yet.
    this.cpu = new CpuMppi({ ...o, workers: 0 });
    this.layout = dataLayout(o.settings.horizonSteps, PROBLEM_FLOATS);
    const dataBuf = new SharedArrayBuffer(this.layout.floats * 4);
    this.data = new Float32Array(dataBuf);
    this.dataU = new Uint32Array(dataBuf);
    const mapBuf = new SharedArrayBuffer(createGrid(MAP_CAPACITY_CELLS, 2).length * 4);
    this.map = new Float32Array(mapBuf);
    this.settled = new Promise((resolve) => (this.settle = resolve));
    const wd: GpuWorkerData = { settings: o.settings, model: this.cpu.batch.model, fence: this.cpu.batch.fence, allowSoftware: o.allowSoftware, sync: this.sync.buffer as SharedArrayBuffer, data: dataBuf, map: mapBuf };
    this.worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: wd });
    this.worker.unref();
    this.worker.on('message', (m: GpuWorkerMessage) => this.onMessage(m));
    this.worker.on('error', (e) => this.fallBack(`GPU worker error: ${String(e)}`));
    this.closed = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.closed.then(() => this.fallBack('GPU worker exited'));
  }

  /** 'gpu' while the GPU optimises, else 'cpu' (before it is up and after a fallback). */
  get backend(): 'gpu' | 'cpu' {
    return this.mode === 'gpu' ? 'gpu' : 'cpu';
  }

  get problem(): ProblemBlock {
    return this.cpu.problem;
  }

  get nominal(): Float32Array {
    return this.cpu.nominal;
  }

  /** The CPU batch: its model coefficients are the GPU's too. */
  get batch(): RolloutBatch {
    return this.cpu.batch;
  }

  /** The rollout's model coefficients: the same on both backends. */
  get model(): Float64Array {
    return this.cpu.model;
  }

  get threads(): number {
    return this.mode === 'gpu' ? 1 : this.cpu.threads;
  }

  /** Compiles the CPU path's hot loops (it runs until the GPU is up, and after a fallback). */
  warmUp(n = 3): void {
    this.cpu.warmUp(n);
  }

  /** Resolves once the backend is settled: the GPU up, or the CPU (and its threads) after a fallback. */
  async ready(): Promise<void> {
    await this.settled;
    if (this.mode === 'cpu') await this.cpu.ready().catch(() => {});
  }

  setMap(map: MapGrid): void {
    this.lastMap = map;
    this.cpu.setMap(map);
    if (this.mode === 'cpu') return;
    this.map.set(this.cpu.batch.map);
    Atomics.add(this.sync, SYNC.mapVersion, 1);
  }

  /** One optimisation of the nominal plan from the problem as filled (CpuMppi.optimize's contract). */
  optimize(): UpdateResult {
    if (this.mode !== 'gpu') return this.cpu.optimize();
    const { data, layout, sync } = this;
    data.set(this.cpu.problem.f, layout.problem);
    this.dataU[layout.problem + P.iteration] = this.iteration++ >>> 0;
    data.set(this.cpu.nominal, layout.nominal);
    const gen = ++this.generation;
    Atomics.store(sync, SYNC.generation, gen);
    Atomics.notify(sync, SYNC.generation);
    const deadline = performance.now() + this.options.runTimeoutMs;
    for (;;) {
      const done = Atomics.load(sync, SYNC.done);
      if (done === gen) break;
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(sync, SYNC.done, done, left) === 'timed-out') {
        this.fallBack(`GPU run did not answer within ${this.options.runTimeoutMs} ms`);
        return this.cpu.optimize();
      }
    }
    if (Atomics.load(sync, SYNC.status) !== STATUS.ok) {
      this.fallBack(RUN_FAILED);
      return this.cpu.optimize();
    }
    this.cpu.nominal.set(data.subarray(layout.nominal, layout.nominal + 2 * this.settings.horizonSteps));
    return { minCost: data[layout.result], meanCost: data[layout.result + 1], effectiveSamples: data[layout.result + 2] };
  }

  /**
   * Destroys the GPU device under the running backend, as a driver reset or a GPU falling off
   * the bus would: the next optimisation fails on the GPU and the CPU takes over within the same
   * tick. False when no GPU device is in use (not up yet, or already fallen back).
   */
  loseDevice(reason: string): boolean {
    if (this.mode !== 'gpu') return false;
    this.options.log.warn('mppi: GPU device to be lost', { reason });
    Atomics.store(this.sync, SYNC.loseDevice, 1);
    return true;
  }

  /** Stops the worker (which destroys the device) and any CPU threads. */
  close(): void {
    this.stopWorker();
    if (this.mode !== 'cpu') this.mode = 'cpu';
    this.fallbackReason ??= 'closed';
    this.cpu.close();
    this.settle();
  }

  private onMessage(m: GpuWorkerMessage): void {
    if (m.kind === 'ready' && this.mode === 'starting') {
      this.adapter = m.description;
      this.mode = 'gpu';
      if (this.lastMap) this.setMap(this.lastMap);
      this.options.log.info('mppi: GPU backend ready', { adapter: m.description, software: m.software });
      this.settle();
    } else if (m.kind === 'none') {
      this.fallBack(this.options.allowSoftware ? 'no WebGPU adapter' : 'no hardware WebGPU adapter', 'info');
    } else if (m.kind === 'failed') {
      // A run that failed has already put the CPU in charge; the worker's reason, which
      // arrives after, says why.
      if (this.mode === 'cpu' && this.fallbackReason === RUN_FAILED) {
        this.fallbackReason = `${RUN_FAILED}: ${m.reason}`;
        this.options.log.warn('mppi: GPU failure', { reason: m.reason });
      } else this.fallBack(m.reason);
    }
  }

  /** The CPU for the rest of the run; with worker threads if configured. */
  private fallBack(reason: string, level: 'info' | 'warn' = 'warn'): void {
    if (this.mode === 'cpu') return;
    this.mode = 'cpu';
    this.fallbackReason = reason;
    this.options.log[level]('mppi: GPU backend unavailable; the CPU runs for the rest of the run', { reason });
    this.stopWorker();
    if (this.options.workers > 0) {
      const threaded = new CpuMppi(this.options);
      threaded.problem.f.set(this.cpu.problem.f);
      threaded.nominal.set(this.cpu.nominal);
      if (this.lastMap) threaded.setMap(this.lastMap);
      this.cpu = threaded;
    }
    this.settle();
  }

  private stopWorker(): void {
    Atomics.store(this.sync, SYNC.stop, 1);
    Atomics.add(this.sync, SYNC.generation, 1);
    Atomics.notify(this.sync, SYNC.generation);
    // A worker stuck in the driver never reads `stop`: end it after a grace period.
    setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS).unref();
  }
}
