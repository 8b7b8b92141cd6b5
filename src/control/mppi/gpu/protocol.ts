// The shared-memory protocol between GpuMppi (the control thread) and its GPU worker thread.
// The control loop is synchronous, WebGPU is not: the worker owns the device and runs the
// asynchronous engine; the control thread writes the problem and the nominal into shared
// memory, bumps `generation`, and blocks (Atomics.wait) until `done` equals it. The worker
// blocks between runs too, and awaits Dawn's callbacks (mapAsync) only inside a run.
import type { MppiSettings } from '../settings.ts';

/** Int32 slots of the sync block. */
/** loseDevice: set by GpuMppi.loseDevice(); the worker destroys its device before the next run. */
export const SYNC = { generation: 0, stop: 1, done: 2, status: 3, mapVersion: 4, loseDevice: 5 } as const;
export const SYNC_INTS = 8;
/** status values. */
export const STATUS = { ok: 0, failed: 1 } as const;

/** Floats of the data block: the problem, the nominal (in and out), the result. */
export function dataLayout(T: number, problemFloats: number): { problem: number; nominal: number; result: number; floats: number } {
  return { problem: 0, nominal: problemFloats, result: problemFloats + 2 * T, floats: problemFloats + 2 * T + 4 };
}

export interface GpuWorkerData {
  settings: MppiSettings;
  model: Float64Array;
  fence: Float32Array;
  allowSoftware: boolean;
  sync: SharedArrayBuffer;
  data: SharedArrayBuffer;
  map: SharedArrayBuffer;
}

/** Messages from the worker. */
export type GpuWorkerMessage =
  | { kind: 'ready'; description: string; software: boolean }
  | { kind: 'none' }
  | { kind: 'failed'; reason: string };
