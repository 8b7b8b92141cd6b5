// coxswain eval-detector --seeds A..B --report FILE: the learned detector (through ONNX Runtime)
// and the classical baselines on simulated missions with random faults and nuisances.
import { readFileSync, writeFileSync } from 'node:fs';
import { OnnxModel } from '../adapters/onnx.ts';
import { runEvaluation } from '../anomaly/eval.ts';
import { FEATURE_COUNT } from '../anomaly/graph.ts';
import { loadSidecar, modelPaths } from '../anomaly/load.ts';
import { DEFAULT_DETECTOR_OPTIONS } from '../anomaly/options.ts';
import { TRAINING_SEED_BAND } from '../anomaly/pipeline.ts';
import { helpText, numberFlag, parseArgs, UsageError, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';

const FLAGS: Record<string, FlagSpec> = {
  seeds: { type: 'string', help: `mission seeds A..B (inclusive; outside ${TRAINING_SEED_BAND.first}..${TRAINING_SEED_BAND.last}, which training keeps for itself)` },
  report: { type: 'string', help: 'write the JSON report to this file (it is printed either way)' },
  model: { type: 'string', help: `ONNX model (default ${DEFAULT_DETECTOR_OPTIONS.modelPath}); its sidecar is beside it` },
  duration: { type: 'string', help: 'seconds per mission (default 180)' },
  help: { type: 'boolean', help: 'this text' },
};

export function parseSeedRange(text: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--seeds must be A..B, got '${text}'`);
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (b < a) throw new UsageError(`--seeds: ${b} is before ${a}`);
  const { first, last } = TRAINING_SEED_BAND;
  if (a <= last && b >= first) throw new UsageError(`--seeds: training keeps seeds ${first}..${last} for itself; evaluate outside them`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

export async function runEvalDetector(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText('usage: coxswain eval-detector --seeds A..B [--report FILE]', FLAGS));
    return 0;
  }
  if (typeof flags.seeds !== 'string') throw new UsageError('--seeds A..B is required');
  const seeds = parseSeedRange(flags.seeds);
  const durationS = numberFlag(flags, 'duration', (n) => n >= 100, 'a number of seconds >= 100');
  const paths = modelPaths(typeof flags.model === 'string' ? flags.model : DEFAULT_DETECTOR_OPTIONS.modelPath);
  const sidecar = loadSidecar(paths.sidecar);
  const overlap = seeds.filter((s) => sidecar.training.normalSeeds.includes(s) || sidecar.training.labelledSeeds.includes(s));
  if (overlap.length > 0) throw new UsageError(`--seeds overlap the model's training seeds: ${overlap.join(', ')}`);
  const model = new OnnxModel(readFileSync(paths.onnx), sidecar.input.name, sidecar.output.name, FEATURE_COUNT);
  const report = await runEvaluation(seeds, sidecar, (raw, out) => model.run(raw, out), {
    warmupS: DEFAULT_DETECTOR_OPTIONS.warmupS,
    rearmS: DEFAULT_DETECTOR_OPTIONS.rearmS,
    durationS,
    log: (line) => io.err(`eval-detector: ${line}`),
  });
  model.dispose();
  const text = JSON.stringify(report, null, 2);
  if (typeof flags.report === 'string') writeFileSync(flags.report, `${text}\n`);
  io.out(text);
  return 0;
}
