// bench sim: how much faster than real time the whole loop runs (every part, as `coxswain sim`
// runs it), against the simulator alone (truth physics and sensor bytes, nothing consuming
// them) as the in-run baseline. Figures are wall milliseconds per simulated second.
import { performance } from 'node:perf_hooks';
import { Simulator } from '../../sim/index.ts';
import { resolveConfig } from '../config/index.ts';
import { silentLogger } from '../runtime/log.ts';
import { runSimulation } from '../runtime/simulate.ts';
import { machine, summarise, type BenchCase, type BenchOptions, type BenchResult } from './types.ts';

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const durationS = options.quick ? 30 : 600;
  const config = resolveConfig({});

  options.log(`sim: simulator alone, ${durationS} s`);
  const sim = new Simulator(config.sim, 1, 0n);
  let bytes = 0;
  for (const source of Object.values(sim.sources)) source.onData((chunk) => (bytes += chunk.length));
  sim.thrusters.apply({ stampNs: 0n, leftN: 40, rightN: 38 });
  const aloneMs: number[] = [];
  for (let s = 0; s < durationS; s++) {
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) sim.step(0.01);
    aloneMs.push(performance.now() - t0);
  }
  const baseline: BenchCase = {
    name: 'simulator alone',
    backend: 'cpu',
    threads: 1,
    simS: durationS,
    ...summarise(aloneMs),
    speedUp: durationS / (aloneMs.reduce((a, b) => a + b, 0) / 1000),
    sensorBytes: bytes,
  };

  options.log(`sim: whole loop, ${durationS} s`);
  const loopMs: number[] = [];
  let lastWallS = 0;
  const result = await runSimulation({
    config,
    scenario: 'survey',
    seed: 1,
    durationS,
    realtime: false,
    log: silentLogger,
    onProgress: (_simS, wallS) => {
      loopMs.push((wallS - lastWallS) * 1000);
      lastWallS = wallS;
    },
  });
  const loop: BenchCase = {
    name: 'whole loop (drivers, EKF, mapper, detector, supervisor, safety filter, controller, thrust output)',
    backend: result.report.control.backend,
    threads: 1,
    simS: durationS,
    ...summarise(loopMs),
    speedUp: result.report.simTimeS / result.report.wallTimeS,
  };
  return {
    part: 'sim',
    machine: machine(),
    cases: [loop],
    baseline,
    notes: ['medianMs / p99Ms: wall milliseconds per simulated second; speedUp: simulated seconds per wall second'],
  };
}
