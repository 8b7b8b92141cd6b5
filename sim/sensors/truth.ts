// What a simulated sensor may look at when it samples: truth, kept inside the simulator.
import type { StampNs } from '../../src/msg/index.ts';
import type { VesselState } from '../../src/model/vessel.ts';
import type { LocalFrame } from '../../src/geo/index.ts';
import type { FaultEffects } from '../faults.ts';

export interface SensorTruth {
  /** Simulated seconds since start. */
  tS: number;
  stampNs: StampNs;
  utcMs: number;
  state: Readonly<VesselState>;
  /** Body-frame acceleration over ground, [surge, sway], m/s^2. */
  accelBody: Float64Array;
  /** World depth under the vessel's reference point, metres (<= 0 on land). */
  depthM: number;
  frame: LocalFrame;
  faults: Readonly<FaultEffects>;
}

/** A sensor that samples truth on its own schedule and emits bytes. */
export interface SimSensor {
  /** Sample period in integer nanoseconds. */
  readonly periodNs: number;
  sample(truth: SensorTruth): void;
}

/** Integer nanosecond period of a rate; rejects a rate that is not positive and finite. */
export function periodNsOf(rateHz: number, what: string): number {
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new Error(`${what}: rateHz must be > 0, found ${rateHz}`);
  return Math.max(1, Math.round(1e9 / rateHz));
}
