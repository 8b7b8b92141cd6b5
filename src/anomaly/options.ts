// Settings of the fault detectors: which detector runs, where its model lives, and the knobs of
// the change detectors that turn scores into alarms.
import { z } from 'zod';
import type { Refinements } from '../config/derive.ts';

export interface DetectorOptions {
  /** Run fault detection. */
  enabled: boolean;
  /** 'learned' runs the ONNX graph model (falling back to 'classical' when it cannot load); 'classical' runs the CUSUM and chi-square detectors only. */
  backend: 'learned' | 'classical';
  /** The ONNX model, relative to the package root unless absolute; its sidecar is the same path with .json. */
  modelPath: string;
  /** ONNX Runtime execution providers, in priority order ('cpu', 'cuda', 'webgpu'). */
  executionProviders: string[];
  /** Seconds after the navigation solution becomes valid before any alarm (start-up transients). */
  warmupS: number;
  /** After an alarm, the same detector stays quiet until its statistic has been back at zero this long. */
  rearmS: number;
  /** CUSUM on the learned score: allowance k and threshold h, in units of the sidecar's score scale; null takes the sidecar's. */
  learnedCusumK: number | null;
  learnedCusumH: number | null;
  /** Shewhart gate beside the learned CUSUM: one window scoring above this (every node alike) alarms; null takes the sidecar's per-node levels. */
  learnedSpikeQ: number | null;
  /** Classical CUSUM on standardised features: allowance and threshold, in standard deviations. */
  cusumK: number;
  cusumH: number;
  /** Classical chi-square gate: a window alarms when its statistic exceeds this for `chi2Consecutive` windows in a row. */
  chi2Threshold: number;
  chi2Consecutive: number;
  /** The echo sounder's measuring range, m: a silence after a sounding at its edge is expected. */
  sounderMinRangeM: number;
  sounderMaxRangeM: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  enabled: true,
  backend: 'learned',
  modelPath: 'models/detector.onnx',
  executionProviders: ['cpu'],
  warmupS: 25,
  rearmS: 10,
  learnedCusumK: null,
  learnedCusumH: null,
  learnedSpikeQ: null,
  cusumK: 3,
  cusumH: 40,
  chi2Threshold: 400,
  chi2Consecutive: 2,
  sounderMinRangeM: 0.3,
  sounderMaxRangeM: 100,
};

/** Ranges and enumerations, by path relative to the `detector` section. */
export const DETECTOR_REFINEMENTS: Refinements = {
  backend: z.enum(['learned', 'classical']),
  modelPath: z.string().min(1),
  executionProviders: z.array(z.enum(['cpu', 'cuda', 'webgpu'])).min(1),
  warmupS: z.number().nonnegative(),
  rearmS: z.number().nonnegative(),
  learnedCusumK: z.number().nonnegative().nullable(),
  learnedCusumH: z.number().positive().nullable(),
  learnedSpikeQ: z.number().positive().nullable(),
  cusumK: z.number().nonnegative(),
  cusumH: z.number().positive(),
  chi2Threshold: z.number().positive(),
  chi2Consecutive: z.number().int().positive(),
};
