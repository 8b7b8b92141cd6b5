// Settings of the environment mapper.
import type { Refinements } from '../config/derive.ts';

export interface MappingOptions {
  /** Learn a map from the soundings. */
  enabled: boolean;
}

export const DEFAULT_MAPPING_OPTIONS: MappingOptions = {
  enabled: false,
};

/** Ranges and enumerations, by path relative to the `mapping` section. */
export const MAPPING_REFINEMENTS: Refinements = {};
