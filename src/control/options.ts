// Which controller drives the thrusters, and its settings.
import type { Refinements } from '../config/derive.ts';
import { z } from 'zod';
import { DEFAULT_MPPI_SETTINGS, type MppiSettings } from './mppi/settings.ts';

export interface ControlOptions {
  /** 'pid': line-of-sight guidance with heading and speed PID (the baseline); 'mppi': sampled-trajectory policy. */
  controller: 'pid' | 'mppi';
  /** MPPI backend: 'auto' takes a hardware GPU when one exists, else the CPU; 'gpu' takes any adapter, a software one included; a GPU failure falls back to the CPU. */
  backend: 'auto' | 'cpu' | 'gpu';
  /** MPPI sizes, noise, temperature and critic weights. */
  mppi: MppiSettings;
  /** An optimisation longer than this fraction of the control period is an overrun (previous plan used). */
  deadlineFraction: number;
  /** Overruns in a row that raise a fault (kind 'overrun'). */
  overrunFaultAfter: number;
  /** Time constant of the controller's current estimate. */
  currentFilterS: number;
  /** Bound on each component of the current estimate. */
  maxCurrentMps: number;
}

export const DEFAULT_CONTROL_OPTIONS: ControlOptions = {
  controller: 'pid',
  backend: 'auto',
  mppi: DEFAULT_MPPI_SETTINGS,
  deadlineFraction: 0.8,
  overrunFaultAfter: 5,
  currentFilterS: 5,
  maxCurrentMps: 1.5,
};

/** Ranges and enumerations, by path relative to the `control` section. */
export const CONTROL_REFINEMENTS: Refinements = {
  controller: z.enum(['pid', 'mppi']),
  backend: z.enum(['auto', 'cpu', 'gpu']),
  'mppi.samples': z.number().int().min(1).max(65536),
  'mppi.horizonSteps': z.number().int().min(1).max(512),
  'mppi.dtS': z.number().positive(),
  'mppi.temperature': z.number().positive(),
  'mppi.controlCostWeight': z.number().nonnegative(),
  'mppi.noiseSigmaN': z.number().nonnegative(),
  'mppi.noiseSmoothing': z.number().min(0).max(0.999),
  'mppi.seed': z.number().int().nonnegative(),
  'mppi.workerThreads': z.number().int().min(-1).max(64),
  'mppi.thrustGainRange': z
    .tuple([z.number().positive(), z.number().positive()])
    .refine(([lo, hi]) => lo <= hi, { message: 'thrustGainRange: expected [low, high] with low <= high' }),
  'mppi.maxYawAccelBiasRadps2': z.number().nonnegative(),
  deadlineFraction: z.number().positive(),
  overrunFaultAfter: z.number().int().min(1),
  currentFilterS: z.number().positive(),
  maxCurrentMps: z.number().nonnegative(),
};
