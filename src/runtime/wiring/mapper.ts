// Builds the environment mapper of a simulated run, and scores it against the world's truth.
import type { Config } from '../../config/index.ts';
import type { LocalFrame } from '../../geo/index.ts';
import { MapperNode } from '../../mapping/mapper-node.ts';
import { writeMapOutputs } from '../../mapping/outputs.ts';
import { SoundingNode } from '../../mapping/sounding-node.ts';
import { nsToS } from '../../msg/index.ts';
import type { RuntimeNode } from '../node.ts';
import type { Logger } from '../log.ts';
import type { Report } from '../report.ts';

export interface MapperWiring {
  nodes: RuntimeNode[];
  /** report.json `map`, undefined when mapping is off. */
  report(): Report['map'];
  /** Writes the map's products (images, grids) into the run's output directory. */
  writeOutputs(outDir: string): void;
}

export interface MapperTruth {
  frame: LocalFrame;
  bounds: { minNorthM: number; maxNorthM: number; minEastM: number; maxEastM: number };
  depthAt(northM: number, eastM: number): number;
  isWater(northM: number, eastM: number): boolean;
  /** The water body's edge, drawn on the map images. */
  shoreline?: Array<{ northM: number; eastM: number }>;
}

/** Cells per side of the truth comparison lattice. */
const TRUTH_CELLS = 100;
/** Track points kept for the images: one per this many metres moved, at most MAX_TRACK. */
const TRACK_STEP_M = 2;
const MAX_TRACK = 20_000;

export function createMapper(config: Config, truth: MapperTruth, log: Logger): MapperWiring {
  const o = config.mapping;
  if (!o.enabled) return { nodes: [], report: () => undefined, writeOutputs: () => {} };
  const soundings = new SoundingNode(o);
  const mapper = new MapperNode(o, truth.bounds);
  const b = truth.bounds;
  // Truth on the centres of a TRUTH_CELLS² lattice, water cells only.
  const northAxis = Float64Array.from({ length: TRUTH_CELLS }, (_, i) => b.minNorthM + ((i + 0.5) * (b.maxNorthM - b.minNorthM)) / TRUTH_CELLS);
  const eastAxis = Float64Array.from({ length: TRUTH_CELLS }, (_, j) => b.minEastM + ((j + 0.5) * (b.maxEastM - b.minEastM)) / TRUTH_CELLS);
  const water = new Uint8Array(TRUTH_CELLS * TRUTH_CELLS);
  const depth = new Float64Array(TRUTH_CELLS * TRUTH_CELLS);
  for (let i = 0; i < TRUTH_CELLS; i++)
    for (let j = 0; j < TRUTH_CELLS; j++) {
      const k = i * TRUTH_CELLS + j;
      water[k] = truth.isWater(northAxis[i], eastAxis[j]) ? 1 : 0;
      depth[k] = truth.depthAt(northAxis[i], eastAxis[j]);
    }
  const mean = new Float64Array(TRUTH_CELLS * TRUTH_CELLS);
  const variance = new Float64Array(TRUTH_CELLS * TRUTH_CELLS);
  const rmseNow = (): number => {
    mapper.flush();
    if (mapper.gp.counters.samples === 0) return NaN;
    mapper.gp.recentre();
    mapper.gp.predictGrid(northAxis, eastAxis, mean, variance);
    let s = 0;
    let n = 0;
    for (let k = 0; k < water.length; k++) {
      if (!water[k]) continue;
      s += (mean[k] - depth[k]) ** 2;
      n++;
    }
    return n > 0 ? Math.sqrt(s / n) : NaN;
  };
  const rmseOverTime: Array<{ tS: number; rmseM: number }> = [];
  const track: Array<{ northM: number; eastM: number }> = [];
  let startNs: bigint | undefined;
  const scorer: RuntimeNode = {
    name: 'mapping.score',
    start(ctx) {
      startNs = ctx.clock.nowNs();
      ctx.bus.subscribe('sounding', (s) => {
        const last = track[track.length - 1];
        if (track.length < MAX_TRACK && (!last || Math.hypot(s.northM - last.northM, s.eastM - last.eastM) >= TRACK_STEP_M)) {
          track.push({ northM: s.northM, eastM: s.eastM });
        }
      });
      ctx.every(o.rmseEveryS, (nowNs) => {
        const rmseM = rmseNow();
        if (Number.isFinite(rmseM)) rmseOverTime.push({ tS: Math.round(nsToS(nowNs - (startNs ?? 0n))), rmseM: round3(rmseM) });
      });
    },
  };
  return {
    nodes: [soundings, mapper, scorer],
    report: () => {
      const rmseM = rmseNow();
      const c = mapper.gp.counters;
      // Outliers are counted by whichever member served when they came.
      const { outliers, failedUpdates } = mapper.rejections();
      const h = mapper.hyperparameters();
      log.info('map', { samples: c.samples, outliers, invalid: c.invalid, failedUpdates, soundings: soundings.counters });
      return {
        rmseM: round3(rmseM),
        samples: c.samples,
        inducingPoints: mapper.gp.m,
        rmseOverTime,
        outliers,
        failedUpdates,
        hyperparameters: {
          ...h,
          lengthScaleM: h.lengthScaleM === undefined ? undefined : round3(h.lengthScaleM),
          lengthScalesM: h.lengthScalesM?.map(round3),
          signalSigmaM: round3(h.signalSigmaM),
          noiseSigmaM: round3(h.noiseSigmaM),
        },
        soundings: { ...soundings.counters },
      } as NonNullable<Report['map']>;
    },
    writeOutputs: (outDir) => {
      const grid = mapper.grid(mapper.latest?.stampNs ?? 0n);
      if (!grid) return;
      writeMapOutputs(outDir, {
        grid,
        origin: { latDeg: truth.frame.origin.latDeg, lonDeg: truth.frame.origin.lonDeg },
        track,
        shoreline: truth.shoreline,
        // Blank where the map knows little: 80 % of the prior's spread.
        maxStdForImageM: 0.8 * config.mapping.signalSigmaM,
      });
    },
  };
}

function round3(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x;
}
