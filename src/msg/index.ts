// Typed messages that travel on the in-process bus.
//
// Every message carries `stampNs` from the one Clock (wall time on the vessel, virtual time in
// simulation and replay). Units are SI and are part of every name. The vehicle frame is marine
// NED as in Fossen: x north, y east, z down; yaw clockwise from north; body x forward, y starboard.

/** Nanoseconds on the runtime's clock. */
export type StampNs = bigint;

/** Inertial sample, e.g. from a VectorNav `$VNYMR` sentence. Angles in the NED frame. */
export interface ImuSample {
  stampNs: StampNs;
  yawRad: number;
  pitchRad: number;
  rollRad: number;
  /** Body-frame angular rate (p, q, r). */
  gyroRadps: [number, number, number];
  /** Body-frame specific force. */
  accelMps2: [number, number, number];
  /** Body-frame magnetic field, gauss, when the sensor reports it. */
  magGauss?: [number, number, number];
}

/** A GNSS position fix (GGA, GLL or RMC). */
export interface GnssFix {
  stampNs: StampNs;
  latDeg: number;
  lonDeg: number;
  /** Altitude above mean sea level, when known. */
  altM?: number;
  /** GGA fix quality: 0 invalid, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning. */
  fixQuality: number;
  satellites?: number;
  hdop?: number;
  /** UTC time of day of the fix, seconds since midnight. */
  timeUtcS?: number;
}

/** Velocity over ground from RMC or VTG. */
export interface GnssVelocity {
  stampNs: StampNs;
  speedMps: number;
  /** Course over ground, true, clockwise from north. Absent when the receiver leaves it empty. */
  courseRad?: number;
}

/** Heading from a compass or heading sensor (HDT, HDG, HDM). */
export interface HeadingSample {
  stampNs: StampNs;
  headingRad: number;
  /** True heading (HDT, or HDG with variation) rather than magnetic. */
  isTrue: boolean;
}

/** Echo-sounder depth below the transducer plus the configured offset (DPT/DBT/DBS). */
export interface DepthSounding {
  stampNs: StampNs;
  /** Depth below the transducer. */
  depthBelowTransducerM: number;
  /** Offset reported with DPT: positive to the waterline, negative to the keel. */
  offsetM?: number;
}

/** Water temperature (MTW) or any other scalar the mapper may learn. */
export interface ScalarSample {
  stampNs: StampNs;
  quantity: string;
  value: number;
}

/** Commanded thrust of the two fixed thrusters. Positive pushes the vessel forward. */
export interface ThrustCommand {
  stampNs: StampNs;
  leftN: number;
  rightN: number;
}

/** The estimator's navigation solution in the local NED frame. */
export interface NavState {
  stampNs: StampNs;
  northM: number;
  eastM: number;
  yawRad: number;
  /** Body-frame velocities over ground: surge, sway, yaw rate. */
  uMps: number;
  vMps: number;
  rRadps: number;
  /** 1-sigma position uncertainty (the larger of north and east). */
  positionSigmaM: number;
  yawSigmaRad: number;
  /** False until the estimator has been initialised from GNSS and heading. */
  valid: boolean;
}

/** A reference the guidance follows. */
export interface GuidanceTarget {
  stampNs: StampNs;
  /** Index of the active survey leg, -1 when there is none. */
  legIndex: number;
  fromNorthM: number;
  fromEastM: number;
  toNorthM: number;
  toEastM: number;
  speedMps: number;
  /** Signed cross-track error to the active leg, positive to starboard of the leg. */
  crossTrackM: number;
  done: boolean;
}

export type Mode = 'IDLE' | 'MANUAL' | 'AUTO' | 'HOLD' | 'RETURN' | 'FAILSAFE' | 'ESTOP';

export interface ModeChange {
  stampNs: StampNs;
  from: Mode;
  to: Mode;
  why: string;
}

/** A fault raised by a node (an error, a timeout, a watchdog). */
export interface NodeFault {
  stampNs: StampNs;
  node: string;
  kind: 'error' | 'timeout' | 'stale' | 'overrun';
  message: string;
}

/** Counted rejections of a driver, published periodically for telemetry. */
export interface DriverStats {
  stampNs: StampNs;
  driver: string;
  accepted: number;
  rejected: Record<string, number>;
}

/** A depth sounding placed in the local frame: what the mapper learns from. */
export interface GeoSounding {
  stampNs: StampNs;
  northM: number;
  eastM: number;
  /** Water depth below the surface at (northM, eastM). */
  depthM: number;
  /** 1-sigma uncertainty of depthM, including the position uncertainty's effect. */
  sigmaM: number;
}

/** The learned map, published as a grid (row-major, row 0 at minNorthM). */
export interface MapGrid {
  stampNs: StampNs;
  minNorthM: number;
  minEastM: number;
  cellM: number;
  rows: number;
  cols: number;
  mean: Float32Array;
  std: Float32Array;
  samples: number;
  inducingPoints: number;
}

export type FaultClass = 'thruster' | 'stuck' | 'heading' | 'gnss' | 'sonar' | 'unknown';

/** An alarm from a fault detector. */
export interface AnomalyAlarm {
  stampNs: StampNs;
  kind: FaultClass;
  severity: 'low' | 'medium' | 'high';
  score: number;
  detector: string;
  message: string;
}

/** An operator command, already authenticated and parsed by its adapter. */
export interface OperatorCommand {
  stampNs: StampNs;
  verb: string;
  args: Record<string, string | number | boolean>;
  source: string;
}

/** What the controller did on one tick. */
export interface ControlDiagnostics {
  stampNs: StampNs;
  backend: string;
  computeMs: number;
  overrun: boolean;
  /** Cost of the chosen plan (MPPI), NaN for controllers without one. */
  cost: number;
}

/**
 * The estimator's view of its own health, published with every GNSS position update: what a
 * fault detector or a watchdog needs beyond the navigation solution.
 */
export interface NavDiagnostics {
  stampNs: StampNs;
  /** Last normalised innovation squared per measurement kind (NaN before the first). */
  nisGnssPosition: number;
  nisGnssVelocity: number;
  nisHeading: number;
  nisYawRate: number;
  /** Whether the GNSS position just offered was gated (rejected as an outlier). */
  gnssPositionGated: boolean;
  /** Measurements gated so far, all kinds together. */
  gatedTotal: number;
  /** Estimated thrust effectiveness (1 = the model) and its 1-sigma. */
  thrustGain: number;
  thrustGainSigma: number;
  /** Estimated unmodelled yaw acceleration and its 1-sigma. */
  yawAccelBiasRadps2: number;
  yawAccelBiasSigmaRadps2: number;
  /** Estimated water current (the direction it flows towards), m/s. */
  currentNorthMps: number;
  currentEastMps: number;
}

/** The topics of the bus and the type each carries. */
export interface Topics {
  imu: ImuSample;
  gnss: GnssFix;
  gnssVelocity: GnssVelocity;
  heading: HeadingSample;
  depth: DepthSounding;
  scalar: ScalarSample;
  nav: NavState;
  guidance: GuidanceTarget;
  thrustCommand: ThrustCommand;
  mode: ModeChange;
  fault: NodeFault;
  driverStats: DriverStats;
  sounding: GeoSounding;
  map: MapGrid;
  alarm: AnomalyAlarm;
  operatorCommand: OperatorCommand;
  controlDiagnostics: ControlDiagnostics;
  navDiagnostics: NavDiagnostics;
}

export type TopicName = keyof Topics;

export const NS_PER_S = 1_000_000_000n;

/** Seconds between two stamps (b - a). */
export function secondsBetween(aNs: StampNs, bNs: StampNs): number {
  return Number(bNs - aNs) / 1e9;
}

/** Stamp to seconds. Exact to the microsecond for stamps below ~100 days. */
export function nsToS(ns: StampNs): number {
  return Number(ns) / 1e9;
}

/** Seconds to a stamp, rounded to the nanosecond. */
export function sToNs(s: number): StampNs {
  return BigInt(Math.round(s * 1e9));
}
