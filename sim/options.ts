// Every knob of the simulator, with its defaults in one place (plain JSON data).
import type { DisturbanceOptions } from './disturbance.ts';
import { DEFAULT_DISTURBANCE_OPTIONS } from './disturbance.ts';
import type { FaultSpec } from './faults.ts';
import type { GnssSensorOptions } from './sensors/gnss.ts';
import { DEFAULT_GNSS_OPTIONS } from './sensors/gnss.ts';
import type { ImuSensorOptions } from './sensors/imu.ts';
import { DEFAULT_IMU_OPTIONS } from './sensors/imu.ts';
import type { SounderOptions } from './sensors/sounder.ts';
import { DEFAULT_SOUNDER_OPTIONS } from './sensors/sounder.ts';
import { DEFAULT_UTC_START } from './time.ts';
import type { SimVesselOptions } from './vessel.ts';
import { DEFAULT_SIM_VESSEL_OPTIONS } from './vessel.ts';
import type { WorldSpec } from './world/index.ts';
import { DEFAULT_LAKE_OPTIONS } from './world/index.ts';

export interface SimSensorsOptions {
  /** GNSS receiver (NMEA GGA/RMC/VTG). */
  gnss: GnssSensorOptions;
  /** VectorNav-style IMU/AHRS ($VNYMR). */
  imu: ImuSensorOptions;
  /** Echo sounder (NMEA DPT/DBT). */
  sounder: SounderOptions;
}

export interface SimOptions {
  /** Rate of the fixed-step RK4 integration of the vessel, Hz. */
  physicsRateHz: number;
  /** UTC instant of simulated time 0 (ISO 8601); GNSS sentences carry times from it. */
  utcStart: string;
  /** The water body: a generated lake or a grid file. */
  world: WorldSpec;
  /** Start pose in the local frame; null uses the world's safe start. */
  startPose: { northM: number; eastM: number; yawRad: number } | null;
  /** Hull, thrusters and grounding. */
  vessel: SimVesselOptions;
  /** Current and wind. */
  disturbance: DisturbanceOptions;
  /** Sensor rates and error models. */
  sensors: SimSensorsOptions;
  /** Faults to inject, by onset time. */
  faults: FaultSpec[];
}

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  physicsRateHz: 100,
  utcStart: DEFAULT_UTC_START,
  world: { kind: 'lake', ...DEFAULT_LAKE_OPTIONS },
  startPose: null,
  vessel: DEFAULT_SIM_VESSEL_OPTIONS,
  disturbance: DEFAULT_DISTURBANCE_OPTIONS,
  sensors: { gnss: DEFAULT_GNSS_OPTIONS, imu: DEFAULT_IMU_OPTIONS, sounder: DEFAULT_SOUNDER_OPTIONS },
  faults: [],
};

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * Fills a partial options object from DEFAULT_SIM_OPTIONS (or `base`): objects merge key by
 * key, arrays and scalars replace. A world of another kind than the base's replaces it whole,
 * so lake fields never leak into a grid spec.
 */
export function mergeSimOptions(partial: DeepPartial<SimOptions> = {}, base: SimOptions = DEFAULT_SIM_OPTIONS): SimOptions {
  const merged = deepMerge(base, partial) as SimOptions;
  const w = partial.world as WorldSpec | undefined;
  if (w && w.kind !== base.world.kind) merged.world = { ...w } as WorldSpec;
  return merged;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return clone(base);
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(base)) out[k] = deepMerge(base[k], over[k]);
    for (const k of Object.keys(over)) if (!(k in base)) out[k] = clone(over[k]);
    return out;
  }
  return clone(over);
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = clone(v[k]);
    return out;
  }
  return v;
}
