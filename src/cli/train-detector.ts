// coxswain train-detector: learns the anomaly model from simulated missions and writes
// models/detector.onnx and its sidecar models/detector.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTrainingPipeline } from '../anomaly/pipeline.ts';
import { helpText, numberFlag, parseArgs, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';

const FLAGS: Record<string, FlagSpec> = {
  seed: { type: 'string', help: 'seed of initialisation and minibatches (default 1)' },
  out: { type: 'string', help: 'directory for detector.onnx and detector.json (default models)' },
  epochs: { type: 'string', help: 'training epochs (default 40)' },
  'false-alarms-per-hour': { type: 'string', help: 'false-alarm rate the learned detector is calibrated to, per hour of normal running (default 0.05)' },
  quick: { type: 'boolean', help: 'a few short missions (smoke test; not the shipped model)' },
  help: { type: 'boolean', help: 'this text' },
};

export async function runTrainDetector(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText('usage: coxswain train-detector [options]', FLAGS));
    return 0;
  }
  const seed = numberFlag(flags, 'seed', Number.isInteger, 'an integer') ?? 1;
  const epochs = numberFlag(flags, 'epochs', (n) => Number.isInteger(n) && n > 0, 'a positive integer');
  const rate = numberFlag(flags, 'false-alarms-per-hour', (n) => n > 0 && Number.isFinite(n), 'a positive number');
  const outDir = resolve(typeof flags.out === 'string' ? flags.out : 'models');
  const result = await runTrainingPipeline({
    seed,
    quick: flags.quick === true,
    train: { ...(epochs === undefined ? {} : { epochs }), ...(rate === undefined ? {} : { targetFalseAlarmsPerHour: rate }) },
    log: (line) => io.err(`train-detector: ${line}`),
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'detector.onnx'), result.onnx);
  writeFileSync(join(outDir, 'detector.json'), `${JSON.stringify(result.sidecar, null, 2)}\n`);
  io.out(JSON.stringify({ onnx: join(outDir, 'detector.onnx'), sidecar: join(outDir, 'detector.json'), thresholds: result.sidecar.thresholds, finalLoss: result.sidecar.training.finalLoss }));
  return 0;
}
