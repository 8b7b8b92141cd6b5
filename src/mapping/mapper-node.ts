// The mapper node: soundings → batches → streaming sparse GP → `map` grid at a fixed rate. With
// online hyperparameters (the default) a bank of length scales learns every batch and each
// publication advances the type-II maximum-likelihood search a few steps (adaptive.ts). With the
// attentive kernel (mapping.kernel), one non-stationary model learns, and each publication
// advances its kernel fit a few steps (attentive-gp.ts).
import type { GeoSounding, MapGrid, StampNs } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { GridBounds } from './grid-basis.ts';
import type { MappingOptions } from './options.ts';
import { AdaptiveSparseGp, DEFAULT_ADAPTIVE_RANGE } from './adaptive.ts';
import { DEFAULT_ATTENTIVE_STREAM, StreamingAttentiveGp, type StreamingAttentiveOptions } from './attentive-gp.ts';
import { StreamingSparseGp, type GpCounters } from './sparse-gp.ts';

/** What the node and a run's scoring need of the model serving the map. */
export interface MapModel {
  readonly counters: GpCounters;
  /** Inducing points. */
  readonly m: number;
  readonly priorMean: number;
  recentre(): void;
  predictGrid(northAxisM: Float64Array, eastAxisM: Float64Array, meanOut: Float64Array, varOut: Float64Array): void;
}

/** The map's hyperparameters as report.json gives them. */
export interface MapHyperparameters {
  kernel: 'rbf' | 'attentive';
  online: boolean;
  /** Completed hyperparameter searches (rbf bank) or kernel fits (attentive). */
  searches: number;
  /** The serving RBF length scale; for the attentive kernel, its components'. */
  lengthScaleM?: number;
  lengthScalesM?: number[];
  signalSigmaM: number;
  noiseSigmaM: number;
}

/** The attentive model's settings from the mapping options (the node, `coxswain map`, the bench). */
export function attentiveOptions(o: MappingOptions, bounds: GridBounds): StreamingAttentiveOptions {
  return {
    bounds,
    rows: o.inducingRows,
    cols: o.inducingCols,
    lengthScalesM: o.attentive.lengthScaleFactors.map((f) => f * o.lengthScaleM),
    ...DEFAULT_ATTENTIVE_STREAM,
    featureSide: o.attentive.featureSide,
    signalVarM2: o.signalSigmaM ** 2,
    noiseVarM2: o.noiseSigmaM ** 2,
    // The sounder's own noise, a tenth of the configured figure at least: below it the
    // summary's likelihood would trust the inducing values more than any sounding can.
    minNoiseVarM2: (0.1 * o.noiseSigmaM) ** 2,
    minSamples: o.attentive.minSamples,
    outlierGateSigma: o.outlierGateSigma,
    outlierWarmupSamples: o.outlierWarmupSamples,
  };
}

export class MapperNode implements RuntimeNode {
  readonly name = 'mapping.mapper';
  /** The fixed-hyperparameter map, or the bank whose best member serves the map. */
  private readonly fixed?: StreamingSparseGp;
  readonly adaptive?: AdaptiveSparseGp;
  readonly attentive?: StreamingAttentiveGp;
  /** Wall milliseconds of every learn() call, for figures (not used by the algorithm). */
  readonly updateMs: number[] = [];
  latest?: MapGrid;
  private readonly bn: Float64Array;
  private readonly be: Float64Array;
  private readonly bz: Float64Array;
  private fill = 0;
  private readonly northAxis: Float64Array;
  private readonly eastAxis: Float64Array;
  private readonly meanBuf: Float64Array;
  private readonly varBuf: Float64Array;
  private readonly cellM: number;

  constructor(
    private readonly o: MappingOptions,
    readonly bounds: GridBounds,
    private readonly now: () => number = () => performance.now(),
  ) {
    const hypers = { lengthScaleM: o.lengthScaleM, signalVarM2: o.signalSigmaM ** 2, noiseVarM2: o.noiseSigmaM ** 2 };
    if (o.kernel === 'attentive') {
      this.attentive = new StreamingAttentiveGp(attentiveOptions(o, bounds));
    } else if (o.adaptive.enabled) {
      this.adaptive = new AdaptiveSparseGp({
        bounds,
        rows: o.inducingRows,
        cols: o.inducingCols,
        lengthScalesM: o.adaptive.lengthScaleFactors.map((f) => f * o.lengthScaleM),
        ...DEFAULT_ADAPTIVE_RANGE,
        initial: hypers,
        outlierGateSigma: o.outlierGateSigma,
        outlierWarmupSamples: o.outlierWarmupSamples,
        minSamples: o.adaptive.minSamples,
        growMaxSpanM: o.growMaxSpanM,
      });
    } else {
      this.fixed = new StreamingSparseGp({
        bounds,
        rows: o.inducingRows,
        cols: o.inducingCols,
        hypers,
        outlierGateSigma: o.outlierGateSigma,
        outlierWarmupSamples: o.outlierWarmupSamples,
        priorMean: NaN,
        growMaxSpanM: o.growMaxSpanM,
      });
    }
    this.bn = new Float64Array(o.batchSize);
    this.be = new Float64Array(o.batchSize);
    this.bz = new Float64Array(o.batchSize);
    const spanN = bounds.maxNorthM - bounds.minNorthM;
    const spanE = bounds.maxEastM - bounds.minEastM;
    this.cellM = Math.max(spanN, spanE) / o.gridCells;
    const rows = Math.max(1, Math.ceil(spanN / this.cellM));
    const cols = Math.max(1, Math.ceil(spanE / this.cellM));
    // Cell centres, row 0 at minNorthM (MapGrid's convention).
    this.northAxis = Float64Array.from({ length: rows }, (_, i) => bounds.minNorthM + (i + 0.5) * this.cellM);
    this.eastAxis = Float64Array.from({ length: cols }, (_, j) => bounds.minEastM + (j + 0.5) * this.cellM);
    this.meanBuf = new Float64Array(rows * cols);
    this.varBuf = new Float64Array(rows * cols);
  }

  /** The model serving the map. */
  get gp(): MapModel {
    return this.attentive ?? (this.adaptive ? this.adaptive.gp : this.fixed!);
  }

  /** Outliers and failed updates, over every model that learned. */
  rejections(): { outliers: number; failedUpdates: number } {
    const models: MapModel[] = this.adaptive?.members ?? [this.gp];
    return {
      outliers: models.reduce((s, m) => s + m.counters.outliers, 0),
      failedUpdates: models.reduce((s, m) => s + m.counters.failedUpdates, 0),
    };
  }

  hyperparameters(): MapHyperparameters {
    const ak = this.attentive;
    if (ak) {
      return {
        kernel: 'attentive',
        online: true,
        searches: ak.fits,
        lengthScalesM: [...ak.options.lengthScalesM],
        signalSigmaM: Math.sqrt(ak.signalVarM2),
        noiseSigmaM: Math.sqrt(ak.noiseVarM2),
      };
    }
    const gp = this.adaptive ? this.adaptive.gp : this.fixed!;
    return {
      kernel: 'rbf',
      online: this.adaptive !== undefined,
      searches: this.adaptive?.searches ?? 0,
      lengthScaleM: gp.hypers.lengthScaleM,
      signalSigmaM: Math.sqrt(gp.hypers.signalVarM2),
      noiseSigmaM: Math.sqrt(gp.hypers.noiseVarM2),
    };
  }

  start(ctx: NodeContext): void {
    ctx.bus.subscribe('sounding', (s) => this.add(s));
    ctx.every(1 / this.o.publishRateHz, (nowNs) => {
      const grid = this.grid(nowNs);
      if (grid) ctx.bus.publish('map', grid);
    });
  }

  stop(): void {
    this.flush();
  }

  /** Buffers one sounding; a full batch is learned at once. */
  add(s: GeoSounding): void {
    this.bn[this.fill] = s.northM;
    this.be[this.fill] = s.eastM;
    this.bz[this.fill] = s.depthM;
    this.fill++;
    if (this.fill === this.o.batchSize) this.flush();
  }

  /** Learns whatever is buffered. */
  flush(): void {
    if (this.fill === 0) return;
    const t0 = this.now();
    if (this.attentive) this.attentive.learn(this.bn, this.be, this.bz, this.fill);
    else if (this.adaptive) this.adaptive.learn(this.bn, this.be, this.bz, this.fill);
    else this.fixed!.learn(this.bn, this.be, this.bz, this.fill);
    this.updateMs.push(this.now() - t0);
    this.fill = 0;
  }

  /** Mean and standard deviation on the published grid; undefined before the first sample. */
  grid(stampNs: StampNs): MapGrid | undefined {
    this.flush();
    if (this.gp.counters.samples === 0) return undefined;
    this.adaptive?.fitStep(this.o.adaptive.evaluationsPerPublish);
    this.attentive?.fitStep(this.o.attentive.stepsPerPublish);
    this.gp.recentre();
    this.gp.predictGrid(this.northAxis, this.eastAxis, this.meanBuf, this.varBuf);
    const n = this.meanBuf.length;
    const priorSd = this.hyperparameters().signalSigmaM;
    const mean = new Float32Array(n);
    const std = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // The GP's outputs are finite by construction (clamped variance, all-or-nothing updates);
      // this is the last guard that no NaN reaches a consumer of the map.
      const m = this.meanBuf[i];
      const v = this.varBuf[i];
      mean[i] = Number.isFinite(m) ? m : this.gp.priorMean;
      std[i] = Number.isFinite(v) ? Math.sqrt(v) : priorSd;
    }
    this.latest = {
      stampNs,
      minNorthM: this.bounds.minNorthM,
      minEastM: this.bounds.minEastM,
      cellM: this.cellM,
      rows: this.northAxis.length,
      cols: this.eastAxis.length,
      mean,
      std,
      samples: this.gp.counters.samples,
      inducingPoints: this.gp.m,
    };
    return this.latest;
  }
}
