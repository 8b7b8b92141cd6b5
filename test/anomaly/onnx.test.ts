import { describe, expect, it } from 'vitest';
import { OnnxModel, OnnxLoadError } from '../../src/adapters/onnx.ts';
import { runTrainingPipeline } from '../../src/anomaly/pipeline.ts';
import { forward, initModel, newActivations, prepareInput } from '../../src/anomaly/model.ts';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from '../../src/anomaly/onnx-export.ts';
import { FEATURE_COUNT, NODE_COUNT } from '../../src/anomaly/graph.ts';
import { loadDetectors } from '../../src/anomaly/load.ts';
import { DEFAULT_DETECTOR_OPTIONS } from '../../src/anomaly/options.ts';
import { createLogger } from '../../src/runtime/log.ts';
import { Rng } from '../../sim/random.ts';

/** |onnx - ours| <= 1e-5, relative for scores above 1 (float32 keeps ~7 digits). */
function expectSame(onnx: Float64Array, ours: Float64Array): void {
  for (let i = 0; i < ours.length; i++) expect(Math.abs(onnx[i] - ours[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ours[i])));
}

describe('ONNX export', () => {
  it('computes the training framework forward pass (random model, wide inputs)', () => {
    const rng = new Rng(3, 'onnx-test');
    const model = initModel(() => rng.uniform());
    for (let k = 0; k < model.centres.length; k++) model.centres[k] = Math.fround(rng.range(-1, 1));
    for (let k = 0; k < model.inputFloor.length; k++) model.inputFloor[k] = Math.fround(rng.range(0, 3));
    for (let k = 0; k < model.params.length; k++) model.params[k] = Math.fround(model.params[k] + rng.range(-0.1, 0.1));
    const mean = Array.from({ length: FEATURE_COUNT }, () => Math.fround(rng.range(-5, 5)));
    const std = Array.from({ length: FEATURE_COUNT }, () => Math.fround(rng.range(0.01, 3)));
    const onnx = new OnnxModel(exportOnnx(model, mean, std, 'test'), ONNX_INPUT, ONNX_OUTPUT, FEATURE_COUNT);
    const act = newActivations();
    const xin = new Float64Array(FEATURE_COUNT);
    const got = new Float64Array(NODE_COUNT);
    for (let t = 0; t < 50; t++) {
      // float32 inputs: the ONNX input is float32
      const raw = Float64Array.from({ length: FEATURE_COUNT }, (_, k) => Math.fround(mean[k] + std[k] * rng.range(-30, 30)));
      onnx.run(raw, got);
      expectSame(got, forward(model, prepareInput(raw, mean, std, xin), act));
    }
    onnx.dispose();
  });

  it('a model trained by the pipeline runs the same in ONNX Runtime, and is reproducible', async () => {
    const run = () => runTrainingPipeline({ seed: 5, quick: true, train: { epochs: 1 }, log: () => {} });
    const a = await run();
    const onnx = new OnnxModel(a.onnx, a.sidecar.input.name, a.sidecar.output.name, FEATURE_COUNT);
    const act = newActivations();
    const xin = new Float64Array(FEATURE_COUNT);
    const got = new Float64Array(NODE_COUNT);
    const rng = new Rng(9, 'windows');
    for (let t = 0; t < 50; t++) {
      const { mean, std } = a.norm;
      const raw = Float64Array.from({ length: FEATURE_COUNT }, (_, k) => Math.fround(mean[k] + std[k] * rng.normal() * 3));
      onnx.run(raw, got);
      expectSame(got, forward(a.model, prepareInput(raw, mean, std, xin), act));
    }
    onnx.dispose();
    const b = await run();
    expect(Buffer.from(b.onnx).equals(Buffer.from(a.onnx))).toBe(true);
    expect(b.sidecar).toEqual(a.sidecar);
  }, 120_000);

  it('a model that fails to load is a clear error', () => {
    expect(() => new OnnxModel(new Uint8Array([1, 2, 3]), 'features', 'nodeScores', FEATURE_COUNT)).toThrow(OnnxLoadError);
  });

  it('the runtime falls back to the classical detectors, never to none', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', sinks: [(l) => lines.push(l)] });
    const loaded = loadDetectors({ ...DEFAULT_DETECTOR_OPTIONS, enabled: true, modelPath: '/nonexistent/detector.onnx' }, log);
    expect(loaded.backend).toBe('classical');
    expect(loaded.set.cusum).toBeDefined();
    expect(loaded.set.chi2).toBeDefined();
    expect(loaded.set.learned).toBeUndefined();
    expect(lines.some((l) => l.includes('"level":"error"') && l.includes('learned detector failed to load'))).toBe(true);
  });
});
