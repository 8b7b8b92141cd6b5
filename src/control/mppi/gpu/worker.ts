// The GPU worker thread: opens the device, builds the engine, warms it up (a software
// adapter compiles the kernel on its first dispatch, seconds), says ready, then serves one
// optimisation per generation until told to stop. See protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { openGpu } from '../../../adapters/webgpu.ts';
import { PROBLEM_FLOATS } from '../problem.ts';
import type { UpdateResult } from '../update.ts';
import { GpuEngine } from './engine.ts';
import { dataLayout, STATUS, SYNC, type GpuWorkerData, type GpuWorkerMessage } from './protocol.ts';

const d = workerData as GpuWorkerData;
const post = (m: GpuWorkerMessage) => parentPort?.postMessage(m);
const sync = new Int32Array(d.sync);
const T = d.settings.horizonSteps;
const layout = dataLayout(T, PROBLEM_FLOATS);
const data = new Float32Array(d.data);
const map = new Float32Array(d.map);
// Dawn copies from ordinary ArrayBuffers: private staging for what is shared.
const problem = new Float32Array(PROBLEM_FLOATS);
const nominal = new Float32Array(2 * T);
const mapCopy = new Float32Array(map.length);
const result: UpdateResult = { minCost: NaN, meanCost: NaN, effectiveSamples: 0 };

async function main(): Promise<void> {
  const handle = await openGpu({ allowSoftware: d.allowSoftware });
  if (!handle) return post({ kind: 'none' });
  let engine: GpuEngine;
  try {
    engine = await GpuEngine.create(handle, { settings: d.settings, model: d.model, fence: d.fence, mapFloats: map.length });
    problem.set(data.subarray(layout.problem, layout.problem + PROBLEM_FLOATS));
    await engine.run(problem, nominal.fill(0), result);
  } catch (error) {
    handle.device.destroy();
    return post({ kind: 'failed', reason: String(error) });
  }
  let mapSeen = 0;
  let seen = Atomics.load(sync, SYNC.generation);
  post({ kind: 'ready', description: handle.description, software: handle.software });
  for (;;) {
    // Blocking between runs is fine (nothing of Dawn's is pending then); Atomics.waitAsync is
    // not: its wake-up was seen to stall while the control thread sat in Atomics.wait.
    Atomics.wait(sync, SYNC.generation, seen);
    seen = Atomics.load(sync, SYNC.generation);
    if (Atomics.load(sync, SYNC.stop) !== 0) break;
    try {
      // A device lost on request (the chaos scenario, tests): destroyed for real, so the run
      // below fails the way a device lost to a driver reset or a removed GPU makes it fail.
      if (Atomics.load(sync, SYNC.loseDevice) !== 0) handle.device.destroy();
      const version = Atomics.load(sync, SYNC.mapVersion);
      if (version !== mapSeen) {
        mapSeen = version;
        mapCopy.set(map);
        engine.setMap(mapCopy);
      }
      problem.set(data.subarray(layout.problem, layout.problem + PROBLEM_FLOATS));
      nominal.set(data.subarray(layout.nominal, layout.nominal + 2 * T));
      await engine.run(problem, nominal, result);
      data.set(nominal, layout.nominal);
      data[layout.result] = result.minCost;
      data[layout.result + 1] = result.meanCost;
      data[layout.result + 2] = result.effectiveSamples;
      Atomics.store(sync, SYNC.status, STATUS.ok);
    } catch (error) {
      Atomics.store(sync, SYNC.status, STATUS.failed);
      // The engine's own account (e.g. "device lost: destroyed ...") says more than Dawn's
      // rejection, which is often a bare AbortError.
      const detail = error instanceof Error ? (error.message ? `${error.name}: ${error.message}` : error.name) : String(error);
      post({ kind: 'failed', reason: engine.failed && engine.failed !== detail ? `${engine.failed} (${detail})` : detail });
    }
    Atomics.store(sync, SYNC.done, seen);
    Atomics.notify(sync, SYNC.done);
    if (Atomics.load(sync, SYNC.status) === STATUS.failed) break;
  }
  engine.destroy();
}

main().catch((error: unknown) => post({ kind: 'failed', reason: String(error) }));
