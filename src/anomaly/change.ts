// Change detectors: from a per-window statistic to alarms. The learned score feeds a CUSUM (so
// the false-alarm rate has an explicit knob, h); the classical baselines are a two-sided CUSUM
// on each standardised feature (Page 1954) and a chi-square gate on the standardised window, as
// autopilot EKFs gate innovations (PX4 ekf2's innovation test ratios, ArduPilot EKF3).
import type { AnomalyAlarm, FaultClass } from '../msg/index.ts';
import { FEATURE_COUNT, FEATURES_PER_NODE, NODE_CLASS, NODE_COUNT } from './graph.ts';

export interface Alarm {
  atS: number;
  kind: FaultClass;
  severity: AnomalyAlarm['severity'];
  /** The statistic at the alarm, in units of the detector's threshold-normalised score. */
  score: number;
  detector: string;
}

/**
 * Turns a statistic into alarms: alarm when it exceeds h while armed; re-arm once it has been
 * back at zero (or below h/2 for statistics without a floor) for `rearmS`.
 */
export class AlarmGate {
  private armed = true;
  private quietSinceS = NaN;

  constructor(
    readonly detector: string,
    private readonly h: number,
    private readonly rearmS: number,
  ) {}

  update(tS: number, stat: number, node: number): Alarm | null {
    if (stat <= this.h / 2) {
      if (!Number.isFinite(this.quietSinceS)) this.quietSinceS = tS;
      if (!this.armed && tS - this.quietSinceS >= this.rearmS) this.armed = true;
    } else this.quietSinceS = NaN;
    if (!this.armed || !(stat > this.h)) return null;
    this.armed = false;
    const ratio = stat / this.h;
    return {
      atS: tS,
      kind: node >= 0 && node < NODE_COUNT ? NODE_CLASS[node] : 'unknown',
      severity: ratio < 2 ? 'low' : ratio < 5 ? 'medium' : 'high',
      score: Math.round(stat * 1000) / 1000,
      detector: this.detector,
    };
  }
}

/**
 * CUSUM of the learned window score q = max_i s_i / scale_i, with a Shewhart gate beside it
 * (Page 1954 for the CUSUM; the combination is the classical Shewhart-CUSUM scheme, Lucas 1982,
 * "Combined Shewhart-CUSUM quality control schemes"): the CUSUM catches small persistent shifts,
 * the single-window gate catches an abrupt large one in one window instead of waiting for the
 * sum to build up. The gate has a level per node (spikeQ[i], in units of that node's scale): a
 * node whose normal scores have a light tail alarms on a smaller excursion than one with a heavy
 * tail. The kind is the argmax node of whichever of the two statistics is the larger.
 */
export class LearnedCusum {
  private g = 0;
  readonly gate: AlarmGate;
  node = -1;
  /** The last window score and CUSUM sum (calibration reads them). */
  lastQ = 0;
  lastSum = 0;
  /** The last window's largest q_i / spikeQ_i (calibration reads it). */
  lastSpike = 0;
  private readonly spikeQ: readonly number[];
  constructor(
    private readonly scale: readonly number[],
    private readonly k: number,
    private readonly h: number,
    rearmS: number,
    /** Window score that alarms on its own, one for all nodes or one per node; Infinity turns the Shewhart gate off. */
    spikeQ: number | readonly number[] = Infinity,
  ) {
    this.gate = new AlarmGate('learned', h, rearmS);
    this.spikeQ = typeof spikeQ === 'number' ? new Array<number>(NODE_COUNT).fill(spikeQ) : spikeQ;
    if (this.spikeQ.length !== NODE_COUNT) throw new Error(`LearnedCusum: spikeQ needs ${NODE_COUNT} levels, got ${this.spikeQ.length}`);
  }

  /** Window score and its node, without the CUSUM. */
  windowScore(nodeScores: ArrayLike<number>): number {
    let best = 0;
    this.node = -1;
    for (let i = 0; i < NODE_COUNT; i++) {
      const q = nodeScores[i] / this.scale[i];
      if (q > best || this.node < 0) {
        best = q;
        this.node = i;
      }
    }
    return Number.isFinite(best) ? best : 0;
  }

  /**
   * The statistic after this window, in the CUSUM's units: the larger of the CUSUM sum and the
   * largest q_i / spikeQ_i scaled so that q_i = spikeQ_i lands on h.
   */
  statistic(nodeScores: ArrayLike<number>): number {
    const q = this.windowScore(nodeScores);
    const cusumNode = this.node;
    this.g = Math.max(0, this.g + q - this.k);
    if (!Number.isFinite(this.g)) this.g = 0;
    this.lastQ = q;
    this.lastSum = this.g;
    let spike = 0;
    let spikeNode = -1;
    for (let i = 0; i < NODE_COUNT; i++) {
      const r = nodeScores[i] / this.scale[i] / this.spikeQ[i];
      if (r > spike) {
        spike = r;
        spikeNode = i;
      }
    }
    if (!Number.isFinite(spike)) spike = 0;
    this.lastSpike = spike;
    const spikeStat = Number.isFinite(this.h) ? spike * this.h : 0;
    this.node = spikeStat > this.g && spikeNode >= 0 ? spikeNode : cusumNode;
    return Math.max(this.g, spikeStat);
  }

  update(tS: number, nodeScores: ArrayLike<number>): Alarm | null {
    return this.gate.update(tS, this.statistic(nodeScores), this.node);
  }
}

/** Two-sided CUSUM on every standardised feature; the statistic is the largest of them. */
export class FeatureCusum {
  private readonly up = new Float64Array(FEATURE_COUNT);
  private readonly down = new Float64Array(FEATURE_COUNT);
  readonly gate: AlarmGate;
  node = -1;
  constructor(
    private readonly mean: readonly number[],
    private readonly std: readonly number[],
    private readonly k: number,
    h: number,
    rearmS: number,
  ) {
    this.gate = new AlarmGate('cusum', h, rearmS);
  }

  statistic(raw: ArrayLike<number>): number {
    let best = 0;
    this.node = -1;
    for (let f = 0; f < FEATURE_COUNT; f++) {
      const z = (raw[f] - this.mean[f]) / this.std[f];
      this.up[f] = Math.max(0, this.up[f] + z - this.k);
      this.down[f] = Math.max(0, this.down[f] - z - this.k);
      const s = Math.max(this.up[f], this.down[f]);
      if (s > best) {
        best = s;
        this.node = Math.floor(f / FEATURES_PER_NODE);
      }
    }
    return best;
  }

  update(tS: number, raw: ArrayLike<number>): Alarm | null {
    return this.gate.update(tS, this.statistic(raw), this.node);
  }
}

/**
 * Chi-square gate on the standardised window (its sum of squares); alarms after `consecutive`
 * windows over the threshold. The kind is the node with the largest share.
 */
export class Chi2Gate {
  private run = 0;
  readonly gate: AlarmGate;
  node = -1;
  private readonly share = new Float64Array(NODE_COUNT);
  constructor(
    private readonly mean: readonly number[],
    private readonly std: readonly number[],
    private readonly threshold: number,
    private readonly consecutive: number,
    rearmS: number,
  ) {
    // The gate sees the run length: it alarms at `consecutive`.
    this.gate = new AlarmGate('chi2', consecutive - 0.5, rearmS);
  }

  chi2(raw: ArrayLike<number>): number {
    this.share.fill(0);
    let s = 0;
    for (let f = 0; f < FEATURE_COUNT; f++) {
      const z = (raw[f] - this.mean[f]) / this.std[f];
      s += z * z;
      this.share[Math.floor(f / FEATURES_PER_NODE)] += z * z;
    }
    let best = 0;
    this.node = -1;
    for (let i = 0; i < NODE_COUNT; i++) {
      if (this.share[i] > best) {
        best = this.share[i];
        this.node = i;
      }
    }
    return s;
  }

  update(tS: number, raw: ArrayLike<number>): Alarm | null {
    const c = this.chi2(raw);
    this.run = c > this.threshold ? this.run + 1 : 0;
    const a = this.gate.update(tS, this.run, this.node);
    if (a) a.score = Math.round(c * 1000) / 1000;
    return a;
  }
}
