// Training of the graph model on recorded missions: standardisation from normal windows, the
// contrastive objective (normal windows pulled to the node centres, anomalous ones pushed past a
// margin: Hadsell, Chopra and LeCun 2006), semi-supervised with a few labelled fault missions and
// synthetic negatives (a random subset of one node's features displaced 4-60 sigma), then calibration of
// every change detector on the normal windows. Pure and seeded: the same inputs give the same
// model bit for bit.
import { Rng } from '../../sim/random.ts';
import { Chi2Gate, FeatureCusum, LearnedCusum } from './change.ts';
import { FEATURE_COUNT, FEATURES_PER_NODE, NODE_COUNT, classOfFaultKind, NODE_CLASS } from './graph.ts';
import { Adam, backward, forward, initModel, LAYOUT, newActivations, prepareInput, roundToFloat32, type GraphModel } from './model.ts';
import { faultLevelAt, type RecordedMission } from './missions.ts';
import { WINDOW_RATE_HZ } from './window-node.ts';

export interface TrainOptions {
  /** Seed of initialisation and minibatch draws. */
  seed: number;
  epochs: number;
  batch: number;
  learningRate: number;
  /** Contrastive margin on a node's squared distance. */
  margin: number;
  /** Weight of the anomalous term. */
  anomalyWeight: number;
  /** Labelled fault windows: from this long after onset to `labelUntilS`, at fault level >= 0.3. */
  labelFromS: number;
  labelUntilS: number;
  /** Windows this close after a fault's end still count as faulty (excluded from normal data). */
  recoveryS: number;
  /** Calibration headroom over the largest normal statistic (the classical baselines). */
  headroom: number;
  /**
   * False alarms per hour of normal running the learned detector is calibrated to: its CUSUM
   * threshold and Shewhart levels sit where the fitted tail of normal excursion peaks puts that rate.
   */
  targetFalseAlarmsPerHour: number;
  /** Largest normal excursion peaks the tail fit uses (per statistic). */
  tailPeaks: number;
  /** Allowance of the CUSUM on the learned window score, in units of the node scales (99.9th percentile of normal scores). */
  learnedCusumK: number;
  /** Lowest Shewhart level of a node, in units of its scale. */
  minSpikeQ: number;
  /** Synthetic negatives: displacement range, in standard deviations of normal windows. */
  synthMinSigma: number;
  synthMaxSigma: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 1,
  epochs: 40,
  batch: 64,
  learningRate: 3e-3,
  margin: 12,
  anomalyWeight: 1,
  labelFromS: 0.4,
  labelUntilS: 20,
  recoveryS: 15,
  headroom: 1.5,
  targetFalseAlarmsPerHour: 0.05,
  tailPeaks: 20,
  learnedCusumK: 1,
  minSpikeQ: 2,
  synthMinSigma: 4,
  synthMaxSigma: 60,
};

/** Floors of the standard deviations, in each feature's unit: a constant feature still scales. */
const STD_FLOOR = [
  0.02, 0.01, 0.01, 0.5, 0.5, 0.005,
  0.01, 0.02, 0.01, 1, 0.5, 0.005,
  2e-4, 2e-4, 0.01, 5e-5, 0.5, 0.1,
  0.1, 0.05, 0.1, 0.1, 0.5, 0.02,
  0.05, 0.02, 0.01, 1, 0.05, 1,
];

export interface Dataset {
  /** Normal windows (raw), their mission and time. */
  normal: Float64Array[];
  normalMission: number[];
  /** Labelled anomalous windows and the node of their class. */
  labelled: Float64Array[];
  labelledNode: number[];
}

/** Splits recorded missions into normal windows and labelled fault windows. */
export function buildDataset(normalMissions: RecordedMission[], labelledMissions: RecordedMission[], o: TrainOptions): Dataset {
  const d: Dataset = { normal: [], normalMission: [], labelled: [], labelledNode: [] };
  const all = [...normalMissions.map((m) => ({ m, labelled: false })), ...labelledMissions.map((m) => ({ m, labelled: true }))];
  all.forEach(({ m, labelled }, mi) => {
    for (let w = 0; w < m.tS.length; w++) {
      const tS = m.tS[w];
      const row = m.windows.slice(w * FEATURE_COUNT, (w + 1) * FEATURE_COUNT);
      const f = m.spec.faults.find((x) => tS >= x.atS && tS < x.atS + (x.durationS ?? Infinity) + o.recoveryS);
      if (!f) {
        d.normal.push(row);
        d.normalMission.push(mi);
        continue;
      }
      if (!labelled) continue;
      const since = tS - f.atS;
      if (since >= o.labelFromS && since <= o.labelUntilS && faultLevelAt(m.spec, tS) >= 0.3) {
        d.labelled.push(row);
        d.labelledNode.push(NODE_CLASS.indexOf(classOfFaultKind(f.kind)));
      }
    }
  });
  return d;
}

export interface Normalisation {
  mean: number[];
  std: number[];
}

export function fitNormalisation(windows: Float64Array[]): Normalisation {
  const mean = new Array<number>(FEATURE_COUNT).fill(0);
  const std = new Array<number>(FEATURE_COUNT).fill(0);
  for (const w of windows) for (let k = 0; k < FEATURE_COUNT; k++) mean[k] += w[k] / windows.length;
  for (const w of windows) for (let k = 0; k < FEATURE_COUNT; k++) std[k] += (w[k] - mean[k]) ** 2 / windows.length;
  for (let k = 0; k < FEATURE_COUNT; k++) std[k] = Math.fround(Math.max(Math.sqrt(std[k]), STD_FLOOR[k]));
  for (let k = 0; k < FEATURE_COUNT; k++) mean[k] = Math.fround(mean[k]);
  return { mean, std };
}

export interface TrainResult {
  model: GraphModel;
  norm: Normalisation;
  finalLoss: number;
  syntheticWindows: number;
}

/** Trains the model; `log` gets one line per epoch. */
export function trainModel(d: Dataset, o: TrainOptions, log: (line: string) => void = () => {}): TrainResult {
  const rng = new Rng(o.seed, 'train-detector');
  const norm = fitNormalisation(d.normal);
  const prep = (w: Float64Array) => prepareInput(w, norm.mean, norm.std, new Float64Array(FEATURE_COUNT));
  const normal = d.normal.map(prep);
  const labelled = d.labelled.map(prep);
  const model = initModel(() => rng.uniform());
  // Input floors: the largest |input| any normal window reached, so that normal windows leave the
  // excursion term at zero and only what lies beyond normal running counts in it.
  for (const x of normal) for (let k = 0; k < FEATURE_COUNT; k++) model.inputFloor[k] = Math.max(model.inputFloor[k], Math.abs(x[k]));
  // Centres: the mean initial embedding of normal windows (Ruff et al. 2018).
  const act = newActivations();
  for (const x of normal) {
    forward(model, x, act);
    for (let k = 0; k < model.centres.length; k++) model.centres[k] += act.z[k] / normal.length;
  }
  roundToFloat32(model);
  const opt = new Adam(LAYOUT.size, o.learningRate);
  const grad = new Float64Array(LAYOUT.size);
  const dh = new Float64Array(act.h.length);
  const dm = new Float64Array(act.m.length);
  const g = new Float64Array(NODE_COUNT);
  const synth = new Float64Array(FEATURE_COUNT);
  const synthRaw = new Float64Array(FEATURE_COUNT);
  const steps = Math.ceil(normal.length / o.batch);
  let finalLoss = NaN;
  let synthetic = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    let lossSum = 0;
    for (let s = 0; s < steps; s++) {
      grad.fill(0);
      let loss = 0;
      const scale = 1 / o.batch;
      for (let b = 0; b < o.batch; b++) {
        // Normal: pull every node to its centre.
        const x = normal[rng.int(0, normal.length - 1)];
        const sc = forward(model, x, act);
        for (let i = 0; i < NODE_COUNT; i++) {
          loss += (sc[i] / NODE_COUNT) * scale;
          g[i] = scale / NODE_COUNT;
        }
        backward(model, x, act, g, grad, dh, dm);
        // Anomalous: a labelled fault window, or a normal window with one node displaced.
        let node: number;
        let xa: Float64Array;
        if (labelled.length > 0 && rng.chance(0.5)) {
          const j = rng.int(0, labelled.length - 1);
          xa = labelled[j];
          node = d.labelledNode[j];
        } else {
          const base = d.normal[rng.int(0, d.normal.length - 1)];
          node = rng.int(0, NODE_COUNT - 1);
          synthRaw.set(base);
          // A random non-empty subset of the node's features, each displaced by a log-uniform
          // number of standard deviations: real faults often move one feature alone (a GNSS jump
          // leaves only the innovation high once its increment has passed).
          const subset = rng.int(1, (1 << FEATURES_PER_NODE) - 1);
          for (let f = 0; f < FEATURES_PER_NODE; f++) {
            if ((subset & (1 << f)) === 0) continue;
            const k = node * FEATURES_PER_NODE + f;
            const sigmas = o.synthMinSigma * (o.synthMaxSigma / o.synthMinSigma) ** rng.uniform();
            synthRaw[k] += (rng.chance(0.5) ? 1 : -1) * sigmas * norm.std[k];
          }
          xa = prepareInput(synthRaw, norm.mean, norm.std, synth);
          synthetic++;
        }
        const sa = forward(model, xa, act);
        g.fill(0);
        const gap = o.margin - sa[node];
        if (gap > 0) {
          loss += o.anomalyWeight * gap * scale;
          g[node] = -o.anomalyWeight * scale;
          backward(model, xa, act, g, grad, dh, dm);
        }
      }
      opt.step(model.params, grad);
      lossSum += loss;
    }
    finalLoss = lossSum / steps;
    log(`epoch ${epoch + 1}/${o.epochs}: loss ${finalLoss.toFixed(4)}`);
  }
  roundToFloat32(model);
  return { model, norm, finalLoss, syntheticWindows: synthetic };
}

export interface Calibration {
  nodeScale: number[];
  /** spikeQ: the Shewhart gate's level per node, in units of that node's scale. */
  learned: { cusumK: number; cusumH: number; spikeQ: number[] };
  cusum: { k: number; h: number };
  chi2: { threshold: number; consecutive: number };
  /** Hours of normal running the thresholds were calibrated on. */
  normalHours: number;
}

/**
 * Scales and thresholds from normal windows, mission by mission in time order (the CUSUMs run
 * over each mission). The learned detector is calibrated to a false-alarm rate: the excursion
 * peaks of its CUSUM sum, and of each node's score above that node's scale, get an exponential
 * tail (`tailLevel`), and the thresholds sit where the tails put `targetFalseAlarmsPerHour`
 * (half to the CUSUM, half shared by the nodes' Shewhart gates), never below the largest normal
 * peak (and a Shewhart level never below `minSpikeQ`). The classical baselines get `headroom` over
 * their largest normal statistic (eval-detector also runs the CUSUM at the learned detector's
 * false-alarm rate, so they are compared like for like there).
 */
export function calibrate(
  missions: RecordedMission[],
  score: (raw: Float64Array, out: Float64Array) => void,
  norm: Normalisation,
  o: TrainOptions,
): Calibration {
  const scores: number[][] = Array.from({ length: NODE_COUNT }, () => []);
  const out = new Float64Array(NODE_COUNT);
  const isNormal = (m: RecordedMission, tS: number) => !m.spec.faults.some((f) => tS >= f.atS && tS < f.atS + (f.durationS ?? Infinity) + o.recoveryS);
  const row = (m: RecordedMission, w: number) => m.windows.subarray(w * FEATURE_COUNT, (w + 1) * FEATURE_COUNT);
  for (const m of missions) {
    for (let w = 0; w < m.tS.length; w++) {
      if (!isNormal(m, m.tS[w])) continue;
      score(row(m, w), out);
      for (let i = 0; i < NODE_COUNT; i++) scores[i].push(out[i]);
    }
  }
  const nodeScale = scores.map((s) => {
    const sorted = [...s].sort((a, b) => a - b);
    return Math.max(1e-6, sorted[Math.min(sorted.length - 1, Math.floor(0.999 * sorted.length))]);
  });
  const k = o.learnedCusumK;
  const cusumK = 3;
  let maxCusum = 0;
  let maxChi2 = 0;
  // The learned CUSUM sum's excursions above zero, and each node's q's above its scale (1).
  const sums = new Excursions(0);
  const qs = Array.from({ length: NODE_COUNT }, () => new Excursions(1));
  const endExcursions = () => {
    sums.end();
    for (const e of qs) e.end();
  };
  let normalWindows = 0;
  for (const m of missions) {
    // Fresh statistics whenever normal running resumes: what a fault accumulated is not normal.
    let learned = new LearnedCusum(nodeScale, k, Infinity, 0);
    let cusum = new FeatureCusum(norm.mean, norm.std, cusumK, Infinity, 0);
    const chi2 = new Chi2Gate(norm.mean, norm.std, Infinity, 1, 0);
    let prevChi2 = 0;
    let wasNormal = true;
    for (let w = 0; w < m.tS.length; w++) {
      const raw = row(m, w);
      const normal = isNormal(m, m.tS[w]);
      if (normal && !wasNormal) {
        learned = new LearnedCusum(nodeScale, k, Infinity, 0);
        cusum = new FeatureCusum(norm.mean, norm.std, cusumK, Infinity, 0);
      }
      if (!normal && wasNormal) endExcursions();
      wasNormal = normal;
      score(raw, out);
      learned.statistic(out);
      const a = learned.lastSum;
      const b = cusum.statistic(raw);
      const c = chi2.chi2(raw);
      if (!normal) {
        prevChi2 = 0;
        continue;
      }
      normalWindows++;
      sums.observe(a);
      for (let i = 0; i < NODE_COUNT; i++) qs[i].observe(out[i] / nodeScale[i]);
      maxCusum = Math.max(maxCusum, b);
      // Two windows in a row must exceed the gate: the smaller of a consecutive pair counts.
      maxChi2 = Math.max(maxChi2, Math.min(prevChi2, c));
      prevChi2 = c;
    }
    endExcursions();
  }
  const hours = normalWindows / WINDOW_RATE_HZ / 3600;
  const rate = o.targetFalseAlarmsPerHour;
  // Too few excursions for a tail: the headroom over the largest, as the baselines get.
  const level = (e: Excursions, perHour: number) =>
    Math.max(e.largest, tailLevel(e.peaks, hours, perHour, o.tailPeaks) ?? o.headroom * e.largest);
  const cusumH = Math.max(1, level(sums, rate / 2));
  const spikeQ = qs.map((e) => Math.max(o.minSpikeQ, level(e, rate / 2 / NODE_COUNT)));
  return {
    nodeScale,
    learned: { cusumK: k, cusumH, spikeQ },
    cusum: { k: cusumK, h: Math.max(1, o.headroom * maxCusum) },
    chi2: { threshold: Math.max(FEATURE_COUNT, o.headroom * maxChi2), consecutive: 2 },
    normalHours: hours,
  };
}

/** A statistic's excursions above a level: the peak of each, and the largest value seen at all (from 0). */
class Excursions {
  readonly peaks: number[] = [];
  largest = 0;
  private peak = -Infinity;
  constructor(private readonly above: number) {}

  observe(x: number): void {
    this.largest = Math.max(this.largest, x);
    if (x > this.above) this.peak = Math.max(this.peak, x);
    else this.end();
  }

  /** Closes the excursion under way, if any (the end of normal running). */
  end(): void {
    if (this.peak > this.above) this.peaks.push(this.peak);
    this.peak = -Infinity;
  }
}

/** Fewest excursion peaks a tail is fitted to. */
const MIN_TAIL_PEAKS = 5;

/**
 * Peaks over threshold: the level a statistic's excursions exceed `perHour` times an hour, from
 * their peaks over `hours` of normal running. The `m` largest peaks' excesses over the next one,
 * u, are taken as exponential (the generalised Pareto tail of shape 0, Pickands 1975; a CUSUM's
 * excursion peaks have such a tail, Siegmund 1985, ch. 2), so excursions above x come at
 * (m / hours) exp(-(x - u) / e) an hour, e their mean excess. Null with fewer than MIN_TAIL_PEAKS
 * peaks to fit.
 */
export function tailLevel(peaks: readonly number[], hours: number, perHour: number, maxPeaks: number): number | null {
  const sorted = [...peaks].sort((a, b) => b - a);
  const m = Math.min(maxPeaks, sorted.length - 1);
  if (m < MIN_TAIL_PEAKS || !(hours > 0) || !(perHour > 0)) return null;
  const u = sorted[m];
  let excess = 0;
  for (let i = 0; i < m; i++) excess += sorted[i] - u;
  excess /= m;
  return u + excess * Math.log(m / (hours * perHour));
}
