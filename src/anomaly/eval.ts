// Evaluation behind `coxswain eval-detector`: seeded missions with one random fault each, the
// learned detector and both baselines run over the same recorded windows, events scored per
// detector and per fault kind. The CUSUM baseline also runs at a ladder of thresholds, so that
// the two can be compared at the same false-alarm rate: its delay at the learned detector's rate
// is measured, not argued from how a CUSUM behaves.
import { percentile } from '../runtime/report.ts';
import { Chi2Gate, FeatureCusum, LearnedCusum, type Alarm } from './change.ts';
import type { NodeScorer } from './detector-node.ts';
import { scoreEvents, type EventScore } from './evaluate.ts';
import { classOfFaultKind, FEATURE_COUNT, NODE_COUNT } from './graph.ts';
import { drawMission, recordMission, type RecordedMission } from './missions.ts';
import type { Sidecar } from './sidecar.ts';

export interface DelayStats {
  median: number | null;
  p90: number | null;
  max: number | null;
}

export interface DetectorFigures {
  recall: number;
  precision: number;
  falseAlarmsPerHour: number;
  falseAlarms: number;
  delayS: DelayStats;
  /** Detected faults whose first alarm named the right class. */
  kindAccuracy: number;
  perKind: Record<string, { faults: number; detected: number; recall: number; delayS: DelayStats; abruptDelayS: DelayStats }>;
}

/** One threshold of the CUSUM baseline: h (standard deviations) and what it gave. */
export interface OperatingPoint {
  hScale: number;
  h: number;
  recall: number;
  precision: number;
  falseAlarmsPerHour: number;
  falseAlarms: number;
  delayS: DelayStats;
}

/** The CUSUM baseline at the learned detector's false-alarm rate. */
export interface MatchedFigures extends DetectorFigures {
  h: number;
  hScale: number;
  /** False when no threshold on the ladder brought the rate down to the target: the figures are the highest threshold's. */
  reached: boolean;
}

export interface EvalReport {
  seeds: number[];
  missions: number;
  normalHours: number;
  learned: DetectorFigures;
  baselines: { cusum: DetectorFigures; chi2: DetectorFigures; cusumAtLearnedRate: MatchedFigures };
  /** The CUSUM baseline at each threshold of CUSUM_H_LADDER, lowest first. */
  cusumCurve: OperatingPoint[];
}

/**
 * Multiples of the sidecar's CUSUM threshold the baseline also runs at, for its delay at a given
 * false-alarm rate. A rate the top rung does not reach is reported as not reached.
 */
export const CUSUM_H_LADDER: readonly number[] = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 12, 16, 24, 32];

type Runner = (m: RecordedMission) => Alarm[];

export function detectorRunners(
  sidecar: Sidecar,
  scorer: NodeScorer,
  rearmS: number,
): Record<'learned' | 'chi2', Runner> & { cusumAt: (m: RecordedMission, h: number) => Alarm[] } {
  const { mean, std } = sidecar.normalisation;
  const th = sidecar.thresholds;
  const over = (m: RecordedMission, step: (tS: number, raw: Float64Array) => Alarm | null): Alarm[] => {
    const alarms: Alarm[] = [];
    for (let w = 0; w < m.tS.length; w++) {
      const a = step(m.tS[w], m.windows.subarray(w * FEATURE_COUNT, (w + 1) * FEATURE_COUNT));
      if (a) alarms.push(a);
    }
    return alarms;
  };
  const scores = new Float64Array(NODE_COUNT);
  const cusumAt = (m: RecordedMission, h: number) => {
    const c = new FeatureCusum(mean, std, th.cusum.k, h, rearmS);
    return over(m, (tS, raw) => c.update(tS, raw));
  };
  return {
    learned: (m) => {
      const c = new LearnedCusum(sidecar.nodeScale, th.learned.cusumK, th.learned.cusumH, rearmS, th.learned.spikeQ);
      return over(m, (tS, raw) => {
        scorer(raw, scores);
        return c.update(tS, scores);
      });
    },
    chi2: (m) => {
      const c = new Chi2Gate(mean, std, th.chi2.threshold, th.chi2.consecutive, rearmS);
      return over(m, (tS, raw) => c.update(tS, raw));
    },
    cusumAt,
  };
}

/**
 * The lowest threshold whose false-alarm rate is at most `targetPerHour` (the lowest, because a
 * lower threshold alarms sooner): the best that detector does at that rate. When none reaches
 * it, the highest threshold, marked not reached.
 */
export function atFalseAlarmRate(points: Array<{ hScale: number; h: number; figures: DetectorFigures }>, targetPerHour: number): MatchedFigures {
  if (points.length === 0) throw new Error('atFalseAlarmRate: no operating points');
  const sorted = [...points].sort((a, b) => a.h - b.h);
  const hit = sorted.find((p) => p.figures.falseAlarmsPerHour <= targetPerHour);
  const p = hit ?? sorted[sorted.length - 1];
  return { ...p.figures, h: p.h, hScale: p.hScale, reached: hit !== undefined };
}

interface Scored {
  mission: RecordedMission;
  score: EventScore;
  startS: number;
}

export function figures(scored: Scored[]): DetectorFigures {
  let faults = 0;
  let detected = 0;
  let trueAlarms = 0;
  let falseAlarms = 0;
  let normalS = 0;
  let rightKind = 0;
  const delays: number[] = [];
  const perKind: DetectorFigures['perKind'] = {};
  const kindDelays: Record<string, { all: number[]; abrupt: number[] }> = {};
  for (const { mission, score } of scored) {
    faults += score.perFault.length;
    detected += score.detected;
    trueAlarms += score.trueAlarms;
    falseAlarms += score.falseAlarms;
    normalS += score.normalTimeS;
    score.perFault.forEach((p, i) => {
      const k = (perKind[p.kind] ??= { faults: 0, detected: 0, recall: 0, delayS: stats([]), abruptDelayS: stats([]) });
      const d = (kindDelays[p.kind] ??= { all: [], abrupt: [] });
      k.faults++;
      if (p.delayS === null) return;
      k.detected++;
      delays.push(p.delayS);
      d.all.push(p.delayS);
      if (!(mission.spec.faults[i].rampS! > 0)) d.abrupt.push(p.delayS);
      if (p.alarmKind === classOfFaultKind(p.kind)) rightKind++;
    });
  }
  for (const [kind, k] of Object.entries(perKind)) {
    k.recall = ratio(k.detected, k.faults);
    k.delayS = stats(kindDelays[kind].all);
    k.abruptDelayS = stats(kindDelays[kind].abrupt);
  }
  return {
    recall: ratio(detected, faults),
    precision: ratio(trueAlarms, trueAlarms + falseAlarms),
    falseAlarmsPerHour: normalS > 0 ? round(falseAlarms / (normalS / 3600)) : 0,
    falseAlarms,
    delayS: stats(delays),
    kindAccuracy: ratio(rightKind, detected),
    perKind,
  };
}

export async function runEvaluation(
  seeds: number[],
  sidecar: Sidecar,
  scorer: NodeScorer,
  o: { warmupS: number; rearmS: number; durationS?: number; log: (line: string) => void },
): Promise<EvalReport> {
  const runners = detectorRunners(sidecar, scorer, o.rearmS);
  const results: Record<'learned' | 'chi2', Scored[]> = { learned: [], chi2: [] };
  // The ladder's first rung (1x) is the sidecar's own threshold: the baseline's figures are that rung's.
  const ladder = CUSUM_H_LADDER.map((hScale) => ({ hScale, h: hScale * sidecar.thresholds.cusum.h, scored: [] as Scored[] }));
  for (const seed of seeds) {
    const spec = drawMission(seed, null, o.durationS);
    const m = await recordMission(spec, o.warmupS);
    const startS = m.tS.length > 0 ? m.tS[0] : spec.durationS;
    const faults = spec.faults.map((f) => ({ kind: f.kind, onsetS: f.atS, endS: f.durationS === undefined ? undefined : f.atS + f.durationS }));
    for (const name of ['learned', 'chi2'] as const) {
      const alarms = runners[name](m);
      results[name].push({ mission: m, score: scoreEvents(faults, alarms, spec.durationS, startS), startS });
    }
    for (const l of ladder) l.scored.push({ mission: m, score: scoreEvents(faults, runners.cusumAt(m, l.h), spec.durationS, startS), startS });
    o.log(`seed ${seed}: ${spec.faults.map((f) => `${f.kind}${f.rampS ? ' (gradual)' : ''}`).join(', ')}; learned ${describe(results.learned.at(-1)!.score)}`);
  }
  const normalS = results.learned.reduce((s, r) => s + r.score.normalTimeS, 0);
  const learned = figures(results.learned);
  const points = ladder.map((l) => ({ hScale: l.hScale, h: round(l.h), figures: figures(l.scored) }));
  return {
    seeds,
    missions: seeds.length,
    normalHours: round(normalS / 3600),
    learned,
    baselines: { cusum: points[0].figures, chi2: figures(results.chi2), cusumAtLearnedRate: atFalseAlarmRate(points, learned.falseAlarmsPerHour) },
    cusumCurve: points.map(({ hScale, h, figures: f }) => ({
      hScale,
      h,
      recall: f.recall,
      precision: f.precision,
      falseAlarmsPerHour: f.falseAlarmsPerHour,
      falseAlarms: f.falseAlarms,
      delayS: f.delayS,
    })),
  };
}

function describe(s: EventScore): string {
  return `${s.detected}/${s.detected + s.missed} detected${s.delaysS.length ? ` after ${s.delaysS.join(', ')} s` : ''}, ${s.falseAlarms} false`;
}

function stats(values: number[]): DelayStats {
  if (values.length === 0) return { median: null, p90: null, max: null };
  return { median: round(percentile(values, 50)), p90: round(percentile(values, 90)), max: round(Math.max(...values)) };
}

function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b) : 0;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
