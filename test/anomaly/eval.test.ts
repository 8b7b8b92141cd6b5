import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxModel } from '../../src/adapters/onnx.ts';
import { atFalseAlarmRate, CUSUM_H_LADDER, runEvaluation, type DetectorFigures } from '../../src/anomaly/eval.ts';
import { FEATURE_COUNT } from '../../src/anomaly/graph.ts';
import { loadSidecar, modelPaths } from '../../src/anomaly/load.ts';
import { DEFAULT_DETECTOR_OPTIONS } from '../../src/anomaly/options.ts';

function fig(falseAlarmsPerHour: number, recall: number): DetectorFigures {
  return { recall, precision: 1, falseAlarmsPerHour, falseAlarms: 0, delayS: { median: null, p90: null, max: null }, kindAccuracy: 1, perKind: {} };
}

describe('a detector at a given false-alarm rate', () => {
  const points = [
    { hScale: 2, h: 20, figures: fig(1, 0.8) },
    { hScale: 1, h: 10, figures: fig(2, 0.9) },
    { hScale: 4, h: 40, figures: fig(0, 0.5) },
    { hScale: 3, h: 30, figures: fig(0.5, 0.7) },
  ];

  it('is its lowest threshold with a rate at or below the target', () => {
    expect(atFalseAlarmRate(points, 0.6)).toMatchObject({ h: 30, hScale: 3, recall: 0.7, reached: true });
    expect(atFalseAlarmRate(points, 1)).toMatchObject({ h: 20, reached: true });
    expect(atFalseAlarmRate(points, 5)).toMatchObject({ h: 10, reached: true });
    expect(atFalseAlarmRate(points, 0)).toMatchObject({ h: 40, reached: true });
  });

  it('is its highest threshold, marked not reached, when no threshold gets there', () => {
    const noisy = points.map((p) => ({ ...p, figures: fig(p.figures.falseAlarmsPerHour + 1, p.figures.recall) }));
    expect(atFalseAlarmRate(noisy, 0.5)).toMatchObject({ h: 40, falseAlarmsPerHour: 1, reached: false });
    expect(() => atFalseAlarmRate([], 1)).toThrow(/no operating points/);
  });
});

describe('runEvaluation', () => {
  it('runs the shipped model and the baselines on seeded missions, the CUSUM at every threshold of its ladder', async () => {
    const paths = modelPaths(DEFAULT_DETECTOR_OPTIONS.modelPath);
    const sidecar = loadSidecar(paths.sidecar);
    const model = new OnnxModel(readFileSync(paths.onnx), sidecar.input.name, sidecar.output.name, FEATURE_COUNT);
    // Seeds 3 and 6 draw a heading drift and a GNSS jump (kinds cycle with the seed).
    const report = await runEvaluation([3, 6], sidecar, (raw, out) => model.run(raw, out), {
      warmupS: DEFAULT_DETECTOR_OPTIONS.warmupS,
      rearmS: DEFAULT_DETECTOR_OPTIONS.rearmS,
      durationS: 110,
      log: () => {},
    });
    model.dispose();
    expect(report.missions).toBe(2);
    expect(report.normalHours).toBeGreaterThan(0);
    expect(Object.keys(report.learned.perKind).sort()).toEqual(['gnssJump', 'imuHeadingDrift']);
    // Both faults are plain for the learned detector: found within the 10 s.
    expect(report.learned.recall).toBe(1);
    expect(report.learned.delayS.max).toBeLessThanOrEqual(10);

    const curve = report.cusumCurve;
    expect(curve.map((p) => p.hScale)).toEqual([...CUSUM_H_LADDER]);
    expect(curve[0].h).toBeCloseTo(sidecar.thresholds.cusum.h, 3);
    for (let i = 1; i < curve.length; i++) expect(curve[i].h).toBeGreaterThan(curve[i - 1].h);
    // The baseline's own figures are the ladder's first rung.
    const { cusum, cusumAtLearnedRate: matched } = report.baselines;
    expect({ recall: curve[0].recall, falseAlarms: curve[0].falseAlarms, delayS: curve[0].delayS }).toEqual({
      recall: cusum.recall,
      falseAlarms: cusum.falseAlarms,
      delayS: cusum.delayS,
    });
    // The matched point: at or below the learned detector's rate, and no lower rung is.
    expect(matched.reached).toBe(true);
    expect(matched.falseAlarmsPerHour).toBeLessThanOrEqual(report.learned.falseAlarmsPerHour);
    const below = curve.filter((p) => p.falseAlarmsPerHour <= report.learned.falseAlarmsPerHour);
    expect(matched.h).toBe(below[0].h);
    expect(matched.recall).toBe(below[0].recall);
  }, 60_000);
});
