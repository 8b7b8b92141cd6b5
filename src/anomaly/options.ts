// Settings of the fault detectors.
import type { Refinements } from '../config/derive.ts';

export interface DetectorOptions {
  /** Run fault detection. */
  enabled: boolean;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  enabled: false,
};

/** Ranges and enumerations, by path relative to the `detector` section. */
export const DETECTOR_REFINEMENTS: Refinements = {};
