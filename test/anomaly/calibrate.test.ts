import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/random.ts';
import { LearnedCusum } from '../../src/anomaly/change.ts';
import { FEATURE_COUNT, NODE_COUNT } from '../../src/anomaly/graph.ts';
import type { RecordedMission } from '../../src/anomaly/missions.ts';
import { calibrate, DEFAULT_TRAIN_OPTIONS, tailLevel } from '../../src/anomaly/train.ts';
import { WINDOW_RATE_HZ } from '../../src/anomaly/window-node.ts';

describe('tailLevel', () => {
  it('finds the level of a known exponential tail', () => {
    // 4000 excursion peaks in 100 h, 1 + Exp(mean 2): above x they come at 40 exp(-(x - 1) / 2) an hour.
    const rng = new Rng(7, 'tail');
    const peaks = Array.from({ length: 4000 }, () => 1 - 2 * Math.log(1 - rng.uniform()));
    const truth = (perHour: number) => 1 + 2 * Math.log(40 / perHour);
    for (const perHour of [1, 0.1, 0.01]) {
      expect(Math.abs(tailLevel(peaks, 100, perHour, 400)! - truth(perHour))).toBeLessThan(0.05 * truth(perHour));
    }
  });

  it('declines to fit too few peaks or no running time', () => {
    expect(tailLevel([5, 4, 3, 2, 1], 1, 0.1, 20)).toBeNull();
    expect(tailLevel([9, 8, 7, 6, 5, 4, 3, 2], 0, 0.1, 20)).toBeNull();
    expect(tailLevel([9, 8, 7, 6, 5, 4, 3, 2], 1, 0.1, 20)).toBeGreaterThan(9);
  });
});

describe('calibrate', () => {
  // Node scores as a detector sees them on normal running: each node the square of a slow AR(1)
  // process (correlated over about 2 s), so the CUSUM sees excursions that last, not lone spikes.
  const process = (seed: number) => {
    const rng = new Rng(seed, 'scores');
    const x = new Float64Array(NODE_COUNT);
    const phi = 0.9;
    const sigma = Math.sqrt(1 - phi * phi);
    return (out: Float64Array) => {
      for (let i = 0; i < NODE_COUNT; i++) {
        x[i] = phi * x[i] + sigma * rng.normal();
        out[i] = x[i] * x[i];
      }
    };
  };
  const missions = (seed: number, count: number, durationS: number): RecordedMission[] => {
    const next = process(seed);
    const scores = new Float64Array(NODE_COUNT);
    const n = durationS * WINDOW_RATE_HZ;
    return Array.from({ length: count }, (_, k) => {
      const tS = new Float64Array(n);
      const windows = new Float64Array(n * FEATURE_COUNT);
      for (let w = 0; w < n; w++) {
        tS[w] = w / WINDOW_RATE_HZ;
        next(scores);
        windows.set(scores, w * FEATURE_COUNT);
      }
      return { spec: { seed: k, durationS, faults: [], gustSigmaN: 3, speedMps: 1, transitSpeedMps: 1 }, tS, windows };
    });
  };
  // The scorer reads the node scores the synthetic windows carry in their first slots.
  const score = (raw: Float64Array, out: Float64Array) => out.set(raw.subarray(0, NODE_COUNT));
  const norm = { mean: new Array<number>(FEATURE_COUNT).fill(0), std: new Array<number>(FEATURE_COUNT).fill(1) };

  it('keeps the learned detector at or under its target false-alarm rate on fresh normal running, within a factor of ten', () => {
    // This process's excursions have a tail lighter than the fit's exponential: the fit errs to fewer alarms.
    const target = 2;
    const o = { ...DEFAULT_TRAIN_OPTIONS, targetFalseAlarmsPerHour: target, tailPeaks: 60, minSpikeQ: 1 };
    const cal = calibrate(missions(1, 8, 3600), score, norm, o);
    const c = new LearnedCusum(cal.nodeScale, cal.learned.cusumK, cal.learned.cusumH, 0, cal.learned.spikeQ);
    const next = process(2);
    const scores = new Float64Array(NODE_COUNT);
    const hours = 100;
    let alarms = 0;
    for (let w = 0; w < hours * 3600 * WINDOW_RATE_HZ; w++) {
      next(scores);
      if (c.update(w / WINDOW_RATE_HZ, scores)) alarms++;
    }
    const perHour = alarms / hours;
    expect(perHour).toBeLessThanOrEqual(target);
    expect(perHour).toBeGreaterThan(target / 10);
    // A stricter target lowers no threshold and raises some (a threshold may sit on its floor, the
    // largest normal statistic, at both).
    const strict = calibrate(missions(1, 8, 3600), score, norm, { ...o, targetFalseAlarmsPerHour: target / 10 });
    expect(strict.learned.cusumH).toBeGreaterThanOrEqual(cal.learned.cusumH);
    strict.learned.spikeQ.forEach((q, i) => expect(q).toBeGreaterThanOrEqual(cal.learned.spikeQ[i]));
    const sum = (q: number[]) => q.reduce((a, b) => a + b, 0);
    expect(sum(strict.learned.spikeQ)).toBeGreaterThan(sum(cal.learned.spikeQ));
  });

  it('never sets a threshold below the largest normal statistic it saw', () => {
    const ms = missions(3, 2, 600);
    const cal = calibrate(ms, score, norm, { ...DEFAULT_TRAIN_OPTIONS, targetFalseAlarmsPerHour: 1e6 });
    for (const m of ms) {
      // Fresh per mission, as calibration runs them.
      const c = new LearnedCusum(cal.nodeScale, cal.learned.cusumK, cal.learned.cusumH, 0, cal.learned.spikeQ);
      for (let w = 0; w < m.tS.length; w++) expect(c.update(m.tS[w], m.windows.subarray(w * FEATURE_COUNT, w * FEATURE_COUNT + NODE_COUNT))).toBeNull();
    }
  });
});
