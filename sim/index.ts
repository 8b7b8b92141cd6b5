// The simulated world that `coxswain sim` runs: vessel truth, current and wind, a lake or a
// grid world, sensors that emit real NMEA / VectorNav bytes, and scheduled faults.
//
// Time is kept as integer nanoseconds since start. step(dtS) advances truth to the next of:
// the physics grid (1 / physicsRateHz), a sensor's due time, or the end of the step, so a
// sensor always samples truth at exactly its due instant, and the same seed and the same
// sequence of step() and apply() calls give the same bytes, bit for bit. Only bytes leave
// through `sources`; truth() is for scoring and must never feed the runtime.
import type { StampNs } from '../src/msg/index.ts';
import type { ByteSource, ThrustSink } from '../src/ports/index.ts';
import type { VesselEnv, VesselState } from '../src/model/vessel.ts';
import { LocalFrame } from '../src/geo/index.ts';
import { Disturbances } from './disturbance.ts';
import type { ActiveFault, FaultEffects } from './faults.ts';
import { FaultSchedule, noFaultEffects } from './faults.ts';
import type { SimOptions } from './options.ts';
import { SimGnss } from './sensors/gnss.ts';
import { SimImu } from './sensors/imu.ts';
import { SimSounder } from './sensors/sounder.ts';
import type { SensorTruth, SimSensor } from './sensors/truth.ts';
import { periodNsOf } from './sensors/truth.ts';
import { parseUtcStartMs } from './time.ts';
import { SimVessel } from './vessel.ts';
import type { World } from './world/index.ts';
import { loadWorld } from './world/index.ts';

export type { SimOptions, SimSensorsOptions, DeepPartial } from './options.ts';
export { DEFAULT_SIM_OPTIONS, mergeSimOptions } from './options.ts';
export type { World, WorldSpec, LakeWorldSpec, GridWorldSpec, NorthEast, LakeOptions, GridOptions } from './world/index.ts';
export { loadWorld, LakeWorld, GridWorld, parseNpy, parseCsvGrid, encodeNpyF8, NpyFormatError, CsvGridError, insidePolygon } from './world/index.ts';
export type { FaultSpec, FaultKind, ActiveFault, FaultEffects } from './faults.ts';
export { FaultSchedule, FAULT_KINDS, FAULT_DEFAULT_SEVERITY, faultLevel, noFaultEffects } from './faults.ts';
export type { DisturbanceOptions } from './disturbance.ts';
export { Disturbances, DEFAULT_DISTURBANCE_OPTIONS } from './disturbance.ts';
export type { SimVesselOptions } from './vessel.ts';
export { SimVessel, DEFAULT_SIM_VESSEL_OPTIONS } from './vessel.ts';
export type { GnssSensorOptions, GnssSentence } from './sensors/gnss.ts';
export { SimGnss, DEFAULT_GNSS_OPTIONS } from './sensors/gnss.ts';
export type { ImuSensorOptions } from './sensors/imu.ts';
export { SimImu, DEFAULT_IMU_OPTIONS } from './sensors/imu.ts';
export type { SounderOptions, SounderSentence } from './sensors/sounder.ts';
export { SimSounder, DEFAULT_SOUNDER_OPTIONS } from './sensors/sounder.ts';
export { Rng, GaussMarkov, RandomWalk } from './random.ts';
export { simulatedUtcMs, DEFAULT_UTC_START } from './time.ts';

/** Ground truth at one instant. Never fed to the runtime; for scoring and reports only. */
export interface SimTruth {
  tS: number;
  stampNs: StampNs;
  /** Vessel state (a copy). */
  vessel: VesselState;
  /** True water depth under the vessel's reference point, m (<= 0 on land). */
  depthM: number;
  /** True depth below the sounder's transducer, m. */
  depthBelowTransducerM: number;
  /** The hull touches bottom (depth < draft). */
  grounded: boolean;
  /** Commanded thrust after clamping, and thrust delivered after lag and faults, N. */
  commandedLeftN: number;
  commandedRightN: number;
  deliveredLeftN: number;
  deliveredRightN: number;
  /** Water current at the vessel, m/s. */
  currentNorthMps: number;
  currentEastMps: number;
  /** Wind/gust force on the hull, N, and yaw moment, N m. */
  windForceNorthN: number;
  windForceEastN: number;
  windMomentNm: number;
  activeFaults: ActiveFault[];
}

export class Simulator {
  readonly world: World;
  readonly frame: LocalFrame;
  readonly sources: { gnss: ByteSource; imu: ByteSource; sounder: ByteSource };
  /** apply(cmd) sets the commanded thrust; lag, limits and thruster faults act inside. */
  readonly thrusters: ThrustSink;
  /** The vessel itself, for zero-allocation access to its state and thrusts. */
  readonly vessel: SimVessel;
  /** The sensor models, for reports (e.g. the last GNSS measurement against truth). */
  readonly sensors: { gnss: SimGnss; imu: SimImu; sounder: SimSounder };
  readonly options: SimOptions;
  readonly seed: number;
  readonly startNs: bigint;
  private readonly faults: FaultSchedule;
  private readonly disturbances: Disturbances;
  private readonly physNs: number;
  private readonly utcStartMs: number;
  private readonly ordered: SimSensor[];
  private readonly nextDueNs: Float64Array;
  private readonly env: VesselEnv = { currentNorthMps: 0, currentEastMps: 0, forceNorthN: 0, forceEastN: 0, momentNm: 0, extraDragNsPerM: 0 };
  private readonly effects: FaultEffects = noFaultEffects();
  private readonly sensorTruth: SensorTruth;
  private tNs = 0;
  private depthNowM: number;

  constructor(options: SimOptions, seed: number, startNs: bigint = 0n) {
    this.options = options;
    this.seed = seed;
    this.startNs = startNs;
    this.physNs = periodNsOf(options.physicsRateHz, 'physicsRateHz');
    this.utcStartMs = parseUtcStartMs(options.utcStart);
    this.world = loadWorld(options.world, seed);
    this.frame = new LocalFrame(this.world.origin);
    const start = options.startPose ?? this.world.start;
    this.vessel = new SimVessel(options.vessel, start);
    this.thrusters = this.vessel;
    this.faults = new FaultSchedule(options.faults, seed);
    this.disturbances = new Disturbances(options.disturbance, seed);
    const gnss = new SimGnss(options.sensors.gnss, seed);
    const imu = new SimImu(options.sensors.imu, seed);
    const sounder = new SimSounder(options.sensors.sounder, seed);
    this.sensors = { gnss, imu, sounder };
    this.sources = { gnss: gnss.source, imu: imu.source, sounder: sounder.source };
    // Ties at one instant go IMU, GNSS, sounder: the order is part of the byte-for-byte contract.
    this.ordered = [imu, gnss, sounder];
    this.nextDueNs = Float64Array.from(this.ordered, (s) => s.periodNs);
    this.depthNowM = this.world.depthAt(start.northM, start.eastM);
    this.disturbances.currentAt(start.northM, start.eastM, 0, this.env);
    this.disturbances.stepWind(0, this.env);
    this.sensorTruth = {
      tS: 0,
      stampNs: startNs,
      utcMs: this.utcStartMs,
      state: this.vessel.state,
      accelBody: new Float64Array(2),
      depthM: this.depthNowM,
      frame: this.frame,
      faults: this.effects,
    };
  }

  /** Simulated seconds since start. */
  get tS(): number {
    return this.tNs / 1e9;
  }

  /** Virtual clock time: startNs + tS. */
  get nowNs(): bigint {
    return this.startNs + BigInt(this.tNs);
  }

  /** UTC milliseconds of the current simulated instant (what the GNSS receiver reports). */
  utcMs(): number {
    return this.utcStartMs + this.tNs / 1e6;
  }

  /**
   * Advances truth by dtS (RK4 at physicsRateHz, sub-stepping as needed) and synchronously
   * emits every sensor chunk that falls due, through the sources' onData handlers, stamped with
   * the virtual time it was due. A step that is not positive and finite does nothing.
   */
  step(dtS: number): void {
    if (!(dtS > 0) || !Number.isFinite(dtS)) return;
    const endNs = this.tNs + Math.round(dtS * 1e9);
    for (;;) {
      this.emitDue();
      if (this.tNs >= endNs) break;
      let next = endNs;
      const grid = (Math.floor(this.tNs / this.physNs) + 1) * this.physNs;
      if (grid < next) next = grid;
      for (let i = 0; i < this.nextDueNs.length; i++) if (this.nextDueNs[i] < next) next = this.nextDueNs[i];
      this.integrate((next - this.tNs) / 1e9);
      this.tNs = next;
    }
  }

  /** Ground truth now (allocates; call it for scoring, not from a hot loop). */
  truth(): SimTruth {
    const v = this.vessel;
    const depth = this.world.depthAt(v.state.northM, v.state.eastM);
    return {
      tS: this.tS,
      stampNs: this.nowNs,
      vessel: { ...v.state },
      depthM: depth,
      depthBelowTransducerM: depth - this.options.sensors.sounder.transducerDepthM,
      grounded: depth < v.params.draftM,
      commandedLeftN: v.commandedLeftN,
      commandedRightN: v.commandedRightN,
      deliveredLeftN: v.deliveredLeftN,
      deliveredRightN: v.deliveredRightN,
      currentNorthMps: this.env.currentNorthMps,
      currentEastMps: this.env.currentEastMps,
      windForceNorthN: this.env.forceNorthN,
      windForceEastN: this.env.forceEastN,
      windMomentNm: this.env.momentNm,
      activeFaults: this.faults.active(this.tS),
    };
  }

  private integrate(hS: number): void {
    const s = this.vessel.state;
    const tS = this.tNs / 1e9;
    this.faults.evaluate(tS, this.effects);
    this.disturbances.currentAt(s.northM, s.eastM, tS, this.env);
    this.disturbances.stepWind(hS, this.env);
    this.depthNowM = this.world.depthAt(s.northM, s.eastM);
    const grounded = this.depthNowM < this.vessel.params.draftM;
    this.env.extraDragNsPerM = this.effects.extraDragNsPerM + (grounded ? this.options.vessel.groundingDragNsPerM : 0);
    this.vessel.step(hS, this.env, this.effects.leftFactor, this.effects.rightFactor);
  }

  private emitDue(): void {
    let prepared = false;
    for (let i = 0; i < this.ordered.length; i++) {
      if (this.nextDueNs[i] > this.tNs) continue;
      if (!prepared) {
        this.prepareTruth();
        prepared = true;
      }
      this.ordered[i].sample(this.sensorTruth);
      this.nextDueNs[i] += this.ordered[i].periodNs;
    }
  }

  private prepareTruth(): void {
    const t = this.sensorTruth;
    const s = this.vessel.state;
    t.tS = this.tNs / 1e9;
    t.stampNs = this.nowNs;
    t.utcMs = this.utcMs();
    this.faults.evaluate(t.tS, this.effects);
    this.depthNowM = this.world.depthAt(s.northM, s.eastM);
    t.depthM = this.depthNowM;
    this.vessel.bodyAcceleration(this.env, t.accelBody);
  }
}
