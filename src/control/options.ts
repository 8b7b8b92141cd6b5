// Which controller drives the thrusters, and its settings.
import type { Refinements } from '../config/derive.ts';
import { z } from 'zod';

export interface ControlOptions {
  /** 'pid': line-of-sight guidance with heading and speed PID (the baseline). */
  controller: 'pid';
}

export const DEFAULT_CONTROL_OPTIONS: ControlOptions = {
  controller: 'pid',
};

/** Ranges and enumerations, by path relative to the `control` section. */
export const CONTROL_REFINEMENTS: Refinements = {
  controller: z.enum(['pid']),
};
