// The backend choice (config control.backend): 'cpu' the CPU backend; 'gpu' the GPU on any
// adapter, a software one included (Mesa lavapipe: correct, a CPU's speed); 'auto' the GPU on a
// hardware adapter only, else the CPU — a software rasteriser is slower than the CPU backend.
// Every backend has CpuMppi's interface plus `backend`, what report.json's control.backend says.
import type { Logger } from '../../../runtime/log.ts';
import { CpuMppi, type CpuMppiOptions } from '../cpu.ts';
import { DEFAULT_GPU_RUN_TIMEOUT_MS, GpuMppi } from './gpu-mppi.ts';

export type BackendChoice = 'auto' | 'cpu' | 'gpu';

/** What MppiControllerNode needs of a backend (CpuMppi and GpuMppi both have it). */
export type MppiBackend = Pick<
  CpuMppi,
  'settings' | 'problem' | 'nominal' | 'batch' | 'model' | 'threads' | 'ready' | 'setMap' | 'optimize' | 'warmUp' | 'close'
> & {
  /** The backend optimising now: 'gpu' or 'cpu' (a GPU backend reads 'cpu' before it is up and after a fallback). */
  readonly backend: 'cpu' | 'gpu';
  /** Destroys the GPU device in use (the chaos scenario's GPU loss); false when there is none. */
  loseDevice(reason: string): boolean;
};

export function createMppiBackend(o: CpuMppiOptions, choice: BackendChoice, log: Logger, runTimeoutMs = DEFAULT_GPU_RUN_TIMEOUT_MS): MppiBackend {
  if (choice === 'cpu') return Object.assign(new CpuMppi(o), { backend: 'cpu' as const, loseDevice: () => false });
  return new GpuMppi({ ...o, allowSoftware: choice === 'gpu', runTimeoutMs, log });
}
