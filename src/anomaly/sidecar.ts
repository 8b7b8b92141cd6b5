// The sidecar JSON shipped beside each ONNX model: what the model expects and how its output
// becomes alarms. Validated when loaded; a bad sidecar is a clear error, like a bad model.
import { z } from 'zod';
import { FEATURE_COUNT, NODE_COUNT } from './graph.ts';

export interface Sidecar {
  format: 'coxswain-detector/1';
  /** Feature names in input order (features.ts FEATURE_NAMES). */
  features: string[];
  /** Graph nodes in output order (graph.ts NODE_NAMES). */
  nodes: string[];
  /** ONNX input and output names and shapes ('batch' is symbolic). */
  input: { name: string; shape: [string, number] };
  output: { name: string; shape: [string, number] };
  /** Standardisation applied inside the model: (x - mean) / std. Recorded for the baselines. */
  normalisation: { mean: number[]; std: number[] };
  /** Detector ticks per second and the longest look-back of a window, s. */
  window: { rateHz: number; historyS: number };
  /** Node scores are divided by these before the CUSUM (99.9th percentile on normal windows). */
  nodeScale: number[];
  /** Change detectors calibrated on the training missions' normal windows. */
  thresholds: {
    /** spikeQ: per node, the window score that alarms on its own (Shewhart gate beside the CUSUM). */
    /** targetFalseAlarmsPerHour: the rate the learned thresholds were calibrated to. */
    learned: { cusumK: number; cusumH: number; spikeQ: number[]; targetFalseAlarmsPerHour: number };
    cusum: { k: number; h: number };
    chi2: { threshold: number; consecutive: number };
  };
  training: {
    seed: number;
    normalSeeds: number[];
    labelledSeeds: number[];
    calibrationSeeds: number[];
    /** Hours of normal running in all of them, which calibration used. */
    normalHours: number;
    windows: { normal: number; labelled: number; synthetic: number };
    epochs: number;
    finalLoss: number;
    parameters: number;
  };
}

const finiteArray = (n: number) => z.array(z.number().refine(Number.isFinite, 'must be finite')).length(n);

export const SIDECAR_SCHEMA = z.object({
  format: z.literal('coxswain-detector/1'),
  features: z.array(z.string()).length(FEATURE_COUNT),
  nodes: z.array(z.string()).length(NODE_COUNT),
  input: z.object({ name: z.string(), shape: z.tuple([z.string(), z.literal(FEATURE_COUNT)]) }),
  output: z.object({ name: z.string(), shape: z.tuple([z.string(), z.literal(NODE_COUNT)]) }),
  normalisation: z.object({ mean: finiteArray(FEATURE_COUNT), std: finiteArray(FEATURE_COUNT) }),
  window: z.object({ rateHz: z.number().positive(), historyS: z.number().positive() }),
  nodeScale: finiteArray(NODE_COUNT),
  thresholds: z.object({
    learned: z.object({ cusumK: z.number().nonnegative(), cusumH: z.number().positive(), spikeQ: z.array(z.number().positive()).length(NODE_COUNT), targetFalseAlarmsPerHour: z.number().positive() }),
    cusum: z.object({ k: z.number().nonnegative(), h: z.number().positive() }),
    chi2: z.object({ threshold: z.number().positive(), consecutive: z.number().int().positive() }),
  }),
  training: z.object({
    seed: z.number(),
    normalSeeds: z.array(z.number()),
    labelledSeeds: z.array(z.number()),
    calibrationSeeds: z.array(z.number()),
    normalHours: z.number().nonnegative(),
    windows: z.object({ normal: z.number(), labelled: z.number(), synthetic: z.number() }),
    epochs: z.number(),
    finalLoss: z.number(),
    parameters: z.number(),
  }),
});

export class SidecarError extends Error {
  override readonly name = 'SidecarError';
}

/** Parses and validates a sidecar; throws SidecarError naming the first bad field. */
export function parseSidecar(text: string, source: string): Sidecar {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SidecarError(`${source}: not JSON (${(error as Error).message})`);
  }
  const r = SIDECAR_SCHEMA.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new SidecarError(`${source}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data as Sidecar;
}
