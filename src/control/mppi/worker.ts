// One MPPI worker thread: waits for a new generation, rolls out and scores its slice of the
// samples into the shared arrays, counts itself done. See pool.ts for the protocol.
//
// Before it says 'ready' it scores its slice a few times on a private batch (a private problem
// and private sample arrays; the fence and map are only read): a fresh thread runs the rollout
// interpreted, several times slower than compiled, and joining the pool cold made the first
// ticks after it joined miss their deadline in a row — five in 10 s, and the supervisor ended
// the survey (coxswain compare, mismatch-current seeds 3 and 4). CpuMppi.warmUp does the same
// for the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { createBatch } from './batch.ts';
import { fillWarmUpProblem, rolloutAndScore } from './cpu.ts';
import { createProblem, P } from './problem.ts';
import { sliceRange, SYNC, type WorkerData } from './pool.ts';

const d = workerData as WorkerData;
const batch = createBatch(d.settings, d.model, createProblem(d.problem), d.fence, d.map, {
  leftN: d.leftN,
  rightN: d.rightN,
  nominal: d.nominal,
  costs: d.costs,
});
const [k0, k1] = sliceRange(batch.K, d.workers + 1, d.index);
warmUp(3);
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

/** Scores this worker's slice `n` times on a private batch; allocates once, at start-up. */
function warmUp(n: number): void {
  if (k1 <= k0) return;
  const problem = createProblem();
  problem.u[P.seed] = d.settings.seed >>> 0;
  fillWarmUpProblem(problem.f);
  const own = createBatch(d.settings, d.model, problem, d.fence, d.map);
  for (let i = 0; i < n; i++) {
    problem.u[P.iteration] = i;
    rolloutAndScore(own, k0, k1);
  }
}
