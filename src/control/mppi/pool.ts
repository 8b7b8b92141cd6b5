// Worker threads for the CPU backend: a fork-join over shared memory. The caller bumps a
// generation counter and wakes the workers (Atomics.notify), scores the first slice of samples
// itself, then blocks on a completion counter (Atomics.wait, allowed on Node's main thread).
// No messages per tick, so a tick costs two atomic wake-ups, not a structured clone.
// A worker that does not answer within JOIN_TIMEOUT_MS takes the pool out of use for good:
// the caller then runs single-threaded (slower, still correct).
import { Worker } from 'node:worker_threads';
import type { RolloutBatch } from './batch.ts';
import type { MppiSettings } from './settings.ts';

/** Int32 slots of the sync block. */
export const SYNC = { generation: 0, stop: 1, done: 2 } as const;
const JOIN_TIMEOUT_MS = 2000;

export interface WorkerData {
  index: number;
  workers: number;
  settings: MppiSettings;
  model: Float64Array;
  sync: Int32Array;
  problem: SharedArrayBuffer;
  fence: Float32Array;
  map: Float32Array;
  leftN: Float32Array;
  rightN: Float32Array;
  nominal: Float32Array;
  costs: Float32Array;
}

/** The sample range of slice `slice` of `slices` (slice 0 is the caller's). */
export function sliceRange(K: number, slices: number, slice: number): [number, number] {
  const per = Math.ceil(K / slices);
  return [Math.min(K, slice * per), Math.min(K, (slice + 1) * per)];
}

export class WorkerPool {
  readonly ready: Promise<void>;
  private readonly workers: Worker[] = [];
  private readonly sync = new Int32Array(new SharedArrayBuffer(16));
  private up = false;
  private broken = false;

  constructor(
    readonly size: number,
    private readonly batch: RolloutBatch,
    settings: MppiSettings,
    model: Float64Array,
  ) {
    const starts: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const data: WorkerData = {
        index: i + 1,
        workers: size,
        settings,
        model,
        sync: this.sync,
        problem: batch.problem.f.buffer as SharedArrayBuffer,
        fence: batch.fence,
        map: batch.map,
        leftN: batch.leftN,
        rightN: batch.rightN,
        nominal: batch.nominal,
        costs: batch.costs,
      };
      // worker-entry.mjs loads the TypeScript worker through tsx, as bin/coxswain.js does.
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: data });
      w.unref();
      this.workers.push(w);
      starts.push(
        new Promise<void>((resolve, reject) => {
          w.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`mppi worker exited (${code})`)));
        }),
      );
    }
    this.ready = Promise.all(starts).then(
      () => {
        this.up = !this.broken;
      },
      (error: unknown) => {
        this.broken = true;
        this.close();
        throw error;
      },
    );
    // The caller decides what a failed start means; an unobserved rejection must not crash the process.
    this.ready.catch(() => {});
  }

  get isReady(): boolean {
    return this.up && !this.broken;
  }

  /** Wakes the workers; returns the end of the caller's own slice [0, end). */
  dispatch(): number {
    Atomics.store(this.sync, SYNC.done, 0);
    Atomics.add(this.sync, SYNC.generation, 1);
    Atomics.notify(this.sync, SYNC.generation);
    return sliceRange(this.batch.K, this.size + 1, 0)[1];
  }

  /** Waits for every worker's slice; on a timeout scores the missing slices here and retires the pool. */
  join(): void {
    for (;;) {
      const done = Atomics.load(this.sync, SYNC.done);
      if (done >= this.size) return;
      if (Atomics.wait(this.sync, SYNC.done, done, JOIN_TIMEOUT_MS) === 'timed-out') {
        this.broken = true;
        this.up = false;
        throw new Error('mppi worker did not answer; worker pool retired');
      }
    }
  }

  close(): void {
    Atomics.store(this.sync, SYNC.stop, 1);
    Atomics.add(this.sync, SYNC.generation, 1);
    Atomics.notify(this.sync, SYNC.generation);
    this.up = false;
    for (const w of this.workers) void w.terminate();
  }
}
