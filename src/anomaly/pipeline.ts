// The training pipeline behind `coxswain train-detector`: record missions, train, calibrate,
// export. Mission seeds are fixed ranges inside TRAINING_SEED_BAND (evaluation seeds lie outside
// it); the --seed drives initialisation and minibatches.
import { FAULT_KINDS } from '../../sim/faults.ts';
import { FEATURE_NAMES } from './features.ts';
import { FEATURE_COUNT, NODE_COUNT, NODE_NAMES } from './graph.ts';
import { drawMission, recordMission, type RecordedMission } from './missions.ts';
import { forward, LAYOUT, newActivations, prepareInput, type GraphModel } from './model.ts';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from './onnx-export.ts';
import type { Sidecar } from './sidecar.ts';
import { buildDataset, calibrate, DEFAULT_TRAIN_OPTIONS, trainModel, type Normalisation, type TrainOptions } from './train.ts';
import { WINDOW_RATE_HZ } from './window-node.ts';
import { DEFAULT_DETECTOR_OPTIONS } from './options.ts';

/**
 * Unlabelled normal missions; labelled fault missions, one kind each in FAULT_KINDS order: two of
 * every kind, then a third of the two thruster kinds (their signature, a moment the heading
 * controller cancels, is the faintest); calibration missions (about 3 h of normal running, which
 * the thresholds' tail fit needs).
 */
export const TRAINING_SEEDS = {
  normal: range(1000, 20),
  labelled: range(1100, 2 * FAULT_KINDS.length + 2),
  calibration: range(1200, 60),
};
/** The seeds reserved for training missions (every range above lies in it): evaluation seeds stay outside. */
export const TRAINING_SEED_BAND = { first: 1000, last: 1999 } as const;

export interface PipelineOptions {
  seed: number;
  /** Fewer and shorter missions (tests). */
  quick: boolean;
  train?: Partial<TrainOptions>;
  log: (line: string) => void;
}

export interface PipelineResult {
  onnx: Uint8Array;
  sidecar: Sidecar;
  model: GraphModel;
  norm: Normalisation;
}

export async function runTrainingPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const t: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...o.train, seed: o.seed };
  const take = (s: number[], n: number) => (o.quick ? s.slice(0, n) : s);
  const normalSeeds = take(TRAINING_SEEDS.normal, 1);
  const labelledSeeds = take(TRAINING_SEEDS.labelled, 1);
  const calibrationSeeds = take(TRAINING_SEEDS.calibration, 1);
  const durationS = o.quick ? 90 : undefined;
  const warmupS = DEFAULT_DETECTOR_OPTIONS.warmupS;
  const record = async (seeds: number[], kind: (i: number) => Parameters<typeof drawMission>[1]) => {
    const out: RecordedMission[] = [];
    for (const [i, seed] of seeds.entries()) out.push(await recordMission(drawMission(seed, kind(i), durationS), warmupS));
    return out;
  };
  o.log(`recording ${normalSeeds.length} normal, ${labelledSeeds.length} labelled, ${calibrationSeeds.length} calibration missions`);
  const normal = await record(normalSeeds, () => 'none');
  const labelled = await record(labelledSeeds, (i) => FAULT_KINDS[i % FAULT_KINDS.length]);
  const calibration = await record(calibrationSeeds, () => null);
  const data = buildDataset(normal, labelled, t);
  o.log(`training on ${data.normal.length} normal and ${data.labelled.length} labelled windows`);
  const trained = trainModel(data, t, o.log);
  const act = newActivations();
  const xin = new Float64Array(FEATURE_COUNT);
  const score = (raw: Float64Array, out: Float64Array) => {
    forward(trained.model, prepareInput(raw, trained.norm.mean, trained.norm.std, xin), act);
    out.set(act.scores);
  };
  const cal = calibrate([...normal, ...labelled, ...calibration], score, trained.norm, t);
  const sidecar: Sidecar = {
    format: 'coxswain-detector/1',
    features: [...FEATURE_NAMES],
    nodes: [...NODE_NAMES],
    input: { name: ONNX_INPUT, shape: ['batch', FEATURE_COUNT] },
    output: { name: ONNX_OUTPUT, shape: ['batch', NODE_COUNT] },
    normalisation: trained.norm,
    window: { rateHz: WINDOW_RATE_HZ, historyS: 5.2 },
    nodeScale: cal.nodeScale.map(round6),
    thresholds: {
      learned: { cusumK: cal.learned.cusumK, cusumH: round6(cal.learned.cusumH), spikeQ: cal.learned.spikeQ.map(round6), targetFalseAlarmsPerHour: t.targetFalseAlarmsPerHour },
      cusum: { k: cal.cusum.k, h: round6(cal.cusum.h) },
      chi2: { threshold: round6(cal.chi2.threshold), consecutive: cal.chi2.consecutive },
    },
    training: {
      seed: o.seed,
      normalSeeds,
      labelledSeeds,
      calibrationSeeds,
      normalHours: round6(cal.normalHours),
      windows: { normal: data.normal.length, labelled: data.labelled.length, synthetic: trained.syntheticWindows },
      epochs: t.epochs,
      finalLoss: round6(trained.finalLoss),
      parameters: LAYOUT.size,
    },
  };
  const onnx = exportOnnx(trained.model, trained.norm.mean, trained.norm.std, `coxswain graph detector, train-detector --seed ${o.seed}`);
  return { onnx, sidecar, model: trained.model, norm: trained.norm };
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

function round6(x: number): number {
  return Number(x.toPrecision(7));
}
