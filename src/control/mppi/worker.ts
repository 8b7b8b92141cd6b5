// One MPPI worker thread: waits for a new generation, rolls out and scores its slice of the
// samples into the shared arrays, counts itself done. See pool.ts for the protocol.
import { parentPort, workerData } from 'node:worker_threads';
import { createBatch } from './batch.ts';
import { rolloutAndScore } from './cpu.ts';
import { createProblem } from './problem.ts';
import { sliceRange, SYNC, type WorkerData } from './pool.ts';

const d = workerData as WorkerData;
const batch = createBatch(d.settings, d.model, createProblem(d.problem), d.fence, d.map, {
  leftN: d.leftN,
  rightN: d.rightN,
  nominal: d.nominal,
  costs: d.costs,
});
const [k0, k1] = sliceRange(batch.K, d.workers + 1, d.index);
let seen = Atomics.load(d.sync, SYNC.generation);
parentPort?.postMessage('ready');
for (;;) {
  Atomics.wait(d.sync, SYNC.generation, seen);
  seen = Atomics.load(d.sync, SYNC.generation);
  if (Atomics.load(d.sync, SYNC.stop) !== 0) break;
  if (k1 > k0) rolloutAndScore(batch, k0, k1);
  Atomics.add(d.sync, SYNC.done, 1);
  Atomics.notify(d.sync, SYNC.done);
}
