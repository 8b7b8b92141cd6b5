// bench detector: feature extraction and inference time per window (batch 1), the learned model
// through ONNX Runtime on the CPU, against the same network's TypeScript forward pass as the
// in-run baseline. Windows come from a short recorded mission, so the inputs are realistic.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { OnnxModel } from '../adapters/onnx.ts';
import { FEATURE_COUNT, NODE_COUNT } from '../anomaly/graph.ts';
import { loadSidecar, modelPaths } from '../anomaly/load.ts';
import { drawMission, recordMission } from '../anomaly/missions.ts';
import { FeatureExtractor } from '../anomaly/features.ts';
import { DEFAULT_DETECTOR_OPTIONS } from '../anomaly/options.ts';
import { Chi2Gate, FeatureCusum, LearnedCusum } from '../anomaly/change.ts';
import { OTTER } from '../model/vessel.ts';
import { machine, summarise, type BenchCase, type BenchOptions, type BenchResult } from './types.ts';

/** Times `fn` over `reps` calls, `inner` windows per sample; returns ms per window. */
function time(reps: number, inner: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn(r * inner + i);
    out.push((performance.now() - t0) / inner);
  }
  return out;
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const paths = modelPaths(DEFAULT_DETECTOR_OPTIONS.modelPath);
  const sidecar = loadSidecar(paths.sidecar);
  const model = new OnnxModel(readFileSync(paths.onnx), sidecar.input.name, sidecar.output.name, FEATURE_COUNT);
  options.log('detector: recording a 90 s mission for realistic windows');
  const m = await recordMission(drawMission(1, 'none', 90), DEFAULT_DETECTOR_OPTIONS.warmupS);
  const n = m.tS.length;
  const rows = Array.from({ length: n }, (_, w) => m.windows.slice(w * FEATURE_COUNT, (w + 1) * FEATURE_COUNT));
  const out = new Float64Array(NODE_COUNT);
  const reps = options.quick ? 20 : 200;
  const inner = 50;
  const pick = (i: number) => rows[i % n];

  // Warm-up: first runs allocate ONNX Runtime's arena.
  for (let i = 0; i < 200; i++) model.run(pick(i), out);
  const onnxMs = time(reps, inner, (i) => model.run(pick(i), out));

  // Feature extraction: one window's compute() over a full history (IMU pushes excluded).
  const fx = new FeatureExtractor(OTTER);
  for (let k = 0; k < 300; k++) {
    const t = k * 0.02;
    fx.onThrust(40, 38);
    fx.onGnssVelocity(1.5, 0.1);
    fx.onImu(t, 0.1 + 0.001 * k, 0.01);
    if (k % 10 === 0) fx.onGnss(t, 59.9 + k * 1e-7, 10.7, 1, 1.1);
    if (k % 5 === 0) fx.onDepth(t, 5 + 0.01 * k);
    if (k % 10 === 0) {
      fx.onNavDiagnostics(t, { nisGnssPosition: 1, nisGnssVelocity: 0.5, nisHeading: 0.1, nisYawRate: 0.2, gnssPositionGated: false, thrustGain: 1, yawAccelBiasRadps2: 0.01, currentNorthMps: 0.1, currentEastMps: 0 });
    }
  }
  const feat = new Float64Array(FEATURE_COUNT);
  const featMs = time(reps, inner, () => fx.compute(6, feat));

  const learned = new LearnedCusum(sidecar.nodeScale, sidecar.thresholds.learned.cusumK, sidecar.thresholds.learned.cusumH, 10, sidecar.thresholds.learned.spikeQ);
  const cusum = new FeatureCusum(sidecar.normalisation.mean, sidecar.normalisation.std, sidecar.thresholds.cusum.k, sidecar.thresholds.cusum.h, 10);
  const chi2 = new Chi2Gate(sidecar.normalisation.mean, sidecar.normalisation.std, sidecar.thresholds.chi2.threshold, 2, 10);
  const classicalMs = time(reps, inner, (i) => {
    cusum.statistic(pick(i));
    chi2.chi2(pick(i));
  });
  const totalMs = time(reps, inner, (i) => {
    fx.compute(6, feat);
    model.run(pick(i), out);
    learned.statistic(out);
  });
  model.dispose();

  const us = (c: { medianMs: number; p99Ms: number }) => ({ medianUs: Math.round(c.medianMs * 1e4) / 10, p99Us: Math.round(c.p99Ms * 1e4) / 10 });
  const onnx = summarise(onnxMs);
  const cases: BenchCase[] = [
    { name: 'inference per window (ONNX Runtime, batch 1)', backend: 'onnxruntime-cpu', threads: 1, batch: 1, ...onnx, ...us(onnx), targetUs: 50 },
    { name: 'feature extraction per window', backend: 'cpu', threads: 1, ...summarise(featMs), ...us(summarise(featMs)) },
    { name: 'window end to end (features + ONNX + CUSUM)', backend: 'onnxruntime-cpu', threads: 1, batch: 1, ...summarise(totalMs), ...us(summarise(totalMs)) },
    { name: 'classical detectors per window (CUSUM + chi-square)', backend: 'cpu', threads: 1, ...summarise(classicalMs), ...us(summarise(classicalMs)) },
  ];
  return {
    part: 'detector',
    machine: machine(),
    cases,
    baseline: cases[3],
    notes: [
      `inference: onnxruntime-node native session, synchronous run, one window of ${FEATURE_COUNT} features, output ${NODE_COUNT} node scores`,
      `windows from a recorded 90 s mission (seed 1); ${reps} x ${inner} windows per figure`,
    ],
  };
}
