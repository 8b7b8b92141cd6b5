// Settings of the safety supervisor, with their defaults.
import { z } from 'zod';
import type { Refinements } from '../config/derive.ts';
import type { ModePolicy } from './modes.ts';

export interface SupervisorOptions extends ModePolicy {
  /** Navigation older than this is lost. */
  navTimeoutS: number;
  /** How often the watchdogs run. */
  rateHz: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  autoStart: true,
  navTimeoutS: 1.0,
  rateHz: 10,
};

/** Ranges and enumerations, by path relative to the `supervisor` section. */
export const SUPERVISOR_REFINEMENTS: Refinements = {
  navTimeoutS: z.number().positive(),
  rateHz: z.number().min(1).max(100),
};
