// The onboard detector: feature windows at a fixed rate, the learned score (ONNX) through its
// CUSUM, or the classical detectors as the safety net, alarms on the bus topic `alarm`.
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import { sToNs } from '../msg/index.ts';
import type { VesselParams } from '../model/vessel.ts';
import { Chi2Gate, FeatureCusum, LearnedCusum, type Alarm } from './change.ts';
import { NODE_COUNT } from './graph.ts';
import { WindowNode } from './window-node.ts';

/** Scores one raw window into per-node scores (the ONNX model, or the TypeScript forward pass). */
export type NodeScorer = (raw: Float64Array, out: Float64Array) => void;

export interface DetectorSet {
  learned?: { scorer: NodeScorer; cusum: LearnedCusum };
  cusum?: FeatureCusum;
  chi2?: Chi2Gate;
}

export class DetectorNode implements RuntimeNode {
  readonly alarms: Alarm[] = [];
  private readonly window: WindowNode;
  private readonly scores = new Float64Array(NODE_COUNT);
  private ctx?: NodeContext;
  /** Windows scored. */
  windows = 0;

  constructor(
    readonly name: string,
    vessel: VesselParams,
    warmupS: number,
    private detectors: DetectorSet,
    sounderRange?: { minM: number; maxM: number },
    /** The classical detectors that take over when the learned one fails while running. */
    private readonly classical?: () => DetectorSet,
  ) {
    this.window = new WindowNode(`${name}.windows`, vessel, warmupS, (tS, f) => this.onWindow(tS, f), sounderRange);
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.window.start(ctx);
  }

  stop(): void {
    this.window.stop();
  }

  private onWindow(tS: number, raw: Float64Array): void {
    this.windows++;
    const d = this.detectors;
    if (d.learned) {
      try {
        d.learned.scorer(raw, this.scores);
      } catch (error) {
        this.fallBack(`learned model failed: ${(error as Error).message}`);
        return;
      }
      this.emit(d.learned.cusum.update(tS, this.scores));
    }
    if (d.cusum) this.emit(d.cusum.update(tS, raw));
    if (d.chi2) this.emit(d.chi2.update(tS, raw));
  }

  /**
   * The learned detector is gone (its model failed or vanished): the classical detectors take
   * over for the rest of the run, never no detector, and the loss is reported as a fault.
   */
  fallBack(reason: string): void {
    if (!this.detectors.learned) return;
    const classical = this.classical?.() ?? {};
    this.detectors = { cusum: this.detectors.cusum ?? classical.cusum, chi2: this.detectors.chi2 ?? classical.chi2 };
    this.ctx?.log.error('learned detector lost; classical detectors (CUSUM, chi-square) continue', { reason });
    const ctx = this.ctx;
    if (ctx) ctx.bus.publish('fault', { stampNs: ctx.clock.nowNs(), node: this.name, kind: 'error', message: `${reason}; classical detectors continue` });
  }

  /** Which detectors run now. */
  get backend(): 'learned' | 'classical' {
    return this.detectors.learned ? 'learned' : 'classical';
  }

  private emit(a: Alarm | null): void {
    if (!a) return;
    this.alarms.push(a);
    this.ctx?.bus.publish('alarm', {
      stampNs: sToNs(a.atS),
      kind: a.kind,
      severity: a.severity,
      score: a.score,
      detector: a.detector,
      message: `${a.detector} detector: ${a.kind} anomaly (${a.severity})`,
    });
  }
}
