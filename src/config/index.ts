// The one configuration of a coxswain process: every default in one place (DEFAULT_CONFIG,
// assembled from each part's own defaults), one schema, a bad value refused with its path and
// the reason. Files may be YAML or JSON; a file gives only what differs from the defaults.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { OTTER, type VesselParams } from '../model/vessel.ts';
import { DEFAULT_SIM_OPTIONS, FAULT_KINDS, type SimOptions } from '../../sim/index.ts';
import { DEFAULT_GRID_OPTIONS } from '../../sim/world/grid.ts';
import { DEFAULT_LAKE_OPTIONS } from '../../sim/world/lake.ts';
import { DEFAULT_NMEA_OPTIONS, type NmeaOptions } from '../drivers/nmea/parser.ts';
import { DEFAULT_VECTORNAV_OPTIONS, type VectorNavOptions } from '../drivers/vectornav/parser.ts';
import { DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions } from '../estimator/options.ts';
import { DEFAULT_LAWNMOWER_OPTIONS, type LawnmowerOptions } from '../planning/lawnmower.ts';
import { DEFAULT_GUIDANCE_OPTIONS, type GuidanceNodeOptions as GuidanceOptions } from '../control/guidance-node.ts';
import { DEFAULT_THRUST_OUTPUT_OPTIONS, type ThrustOutputOptions } from '../actuators/thrust-output.ts';
import { DEFAULT_SUPERVISOR_OPTIONS, SUPERVISOR_REFINEMENTS, type SupervisorOptions } from '../supervisor/options.ts';
import { DEFAULT_CONTROL_OPTIONS, CONTROL_REFINEMENTS, type ControlOptions } from '../control/options.ts';
import { DEFAULT_MAPPING_OPTIONS, MAPPING_REFINEMENTS, type MappingOptions } from '../mapping/options.ts';
import { DEFAULT_DETECTOR_OPTIONS, DETECTOR_REFINEMENTS, type DetectorOptions } from '../anomaly/options.ts';
import { mergeConfig, schemaFromDefaults, type Refinements } from './derive.ts';

export interface Config {
  /** The runtime's model of its own vehicle (estimator and controllers). */
  vehicle: VesselParams;
  /** The simulator: truth vessel, world, disturbances, sensors, faults. */
  sim: SimOptions;
  drivers: { nmea: NmeaOptions; vectornav: VectorNavOptions };
  estimator: EstimatorOptions;
  /** The lawnmower survey. */
  survey: LawnmowerOptions;
  /** Line-of-sight guidance and the heading/speed controller. */
  guidance: GuidanceOptions;
  /** Thrust output and its command timeout. */
  actuators: ThrustOutputOptions;
  supervisor: SupervisorOptions;
  /** Which controller drives the thrusters (baseline PID or MPPI) and its settings. */
  control: ControlOptions;
  /** The environment map learned from soundings. */
  mapping: MappingOptions;
  /** Fault detection. */
  detector: DetectorOptions;
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
}

export const DEFAULT_CONFIG: Config = {
  vehicle: { ...OTTER },
  sim: DEFAULT_SIM_OPTIONS,
  drivers: { nmea: DEFAULT_NMEA_OPTIONS, vectornav: DEFAULT_VECTORNAV_OPTIONS },
  estimator: DEFAULT_ESTIMATOR_OPTIONS,
  survey: DEFAULT_LAWNMOWER_OPTIONS,
  guidance: DEFAULT_GUIDANCE_OPTIONS,
  actuators: DEFAULT_THRUST_OUTPUT_OPTIONS,
  supervisor: DEFAULT_SUPERVISOR_OPTIONS,
  control: DEFAULT_CONTROL_OPTIONS,
  mapping: DEFAULT_MAPPING_OPTIONS,
  detector: DEFAULT_DETECTOR_OPTIONS,
  log: { level: 'info' },
};

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const nullableNumber = z.number().nullable();

/** Every field of a variant optional (a file gives what differs), `kind` required. */
function variant(kind: string, defaults: object, refine: Refinements, required: Record<string, z.ZodType> = {}) {
  const base = schemaFromDefaults(defaults, refine) as z.ZodObject;
  return base.partial().extend({ kind: z.literal(kind), ...required });
}

const WORLD = z.discriminatedUnion('kind', [
  variant('lake', DEFAULT_LAKE_OPTIONS, { seed: z.number().int().nonnegative().nullable() }),
  variant(
    'grid',
    DEFAULT_GRID_OPTIONS,
    { name: z.string().nullable(), originLatDeg: nullableNumber, originLonDeg: nullableNumber },
    { file: z.string().min(1) },
  ),
]);

const FAULT = z.strictObject({
  kind: z.enum(FAULT_KINDS as [string, ...string[]]),
  atS: nonNegative,
  durationS: positive.optional(),
  rampS: nonNegative.optional(),
  severity: z.number().optional(),
  side: z.enum(['left', 'right', 'both']).optional(),
  mode: z.enum(['silent', 'noFix']).optional(),
  bearingDeg: z.number().optional(),
});

/** Ranges and enumerations the defaults alone cannot express. */
const REFINE: Refinements = {
  'vehicle.massKg': positive,
  'vehicle.izKgM2': positive,
  'vehicle.maxForwardThrustN': positive,
  'vehicle.maxReverseThrustN': nonNegative,
  'vehicle.thrusterTimeConstantS': nonNegative,
  'vehicle.draftM': nonNegative,
  'sim.physicsRateHz': z.number().min(10).max(1000),
  'sim.world': WORLD,
  'sim.startPose': z.strictObject({ northM: z.number(), eastM: z.number(), yawRad: z.number() }).nullable(),
  'sim.faults[]': FAULT,
  'sim.disturbance.currentDirectionDeg': nullableNumber,
  'sim.disturbance.windDirectionDeg': nullableNumber,
  'survey.angleDeg': nullableNumber,
  'survey.laneSpacingM': positive,
  'survey.marginM': nonNegative,
  'survey.speedMps': positive,
  'guidance.rateHz': z.number().min(1).max(100),
  'actuators.commandTimeoutS': positive,
  'actuators.rateHz': z.number().min(1).max(1000),
  'log.level': z.enum(['debug', 'info', 'warn', 'error']),
  ...prefixed('supervisor', SUPERVISOR_REFINEMENTS),
  ...prefixed('control', CONTROL_REFINEMENTS),
  ...prefixed('mapping', MAPPING_REFINEMENTS),
  ...prefixed('detector', DETECTOR_REFINEMENTS),
};

function prefixed(section: string, refinements: Refinements): Refinements {
  return Object.fromEntries(Object.entries(refinements).map(([k, v]) => [`${section}.${k}`, v]));
}

const SCHEMA = schemaFromDefaults(DEFAULT_CONFIG, REFINE);

export interface ConfigIssue {
  path: string;
  reason: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`invalid configuration (${source}):\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.reason}`).join('\n')}`);
  }
}

/** Merges `overrides` onto the defaults and validates the result. Throws ConfigError. */
export function resolveConfig(overrides: unknown = {}, source = 'overrides'): Config {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigError(source, [{ path: '', reason: 'expected a mapping of sections' }]);
  }
  const merged = mergeConfig(DEFAULT_CONFIG, overrides);
  const result = SCHEMA.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), reason: i.message })),
    );
  }
  return result.data as Config;
}

/** Reads a YAML or JSON configuration file (YAML is a superset of JSON). */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '', reason: `cannot read file: ${(error as Error).message}` }]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(path, [{ path: '', reason: `not valid YAML/JSON: ${(error as Error).message}` }]);
  }
  return resolveConfig(parsed, path);
}

/** The configuration of a `--config FILE` flag: the file's, or the defaults when none is given. */
export function loadConfigOrDefaults(path: string | undefined): Config {
  return path === undefined ? resolveConfig({}) : loadConfigFile(path);
}
