// Composition of a simulated run: the simulator stands where the vessel's serial ports and
// thrusters would be, and the runtime's nodes run unchanged on virtual time.
import { performance } from 'node:perf_hooks';
import { Simulator } from '../../sim/index.ts';
import type { Config } from '../config/index.ts';
import type { Mode, NavState, ThrustCommand } from '../msg/index.ts';
import { nsToS, secondsBetween, sToNs } from '../msg/index.ts';
import { NmeaDriverNode } from '../drivers/nmea/node.ts';
import { VectorNavDriverNode } from '../drivers/vectornav/node.ts';
import { EstimatorNode } from '../estimator/node.ts';
import { planLawnmower } from '../planning/lawnmower.ts';
import { pointInPolygon } from '../planning/geometry.ts';
import { ThrustOutputNode } from '../actuators/thrust-output.ts';
import { SupervisorNode } from '../supervisor/node.ts';
import { SafetyNode } from '../supervisor/safety-node.ts';
import { Geofence } from '../supervisor/geofence.ts';
import { ContainedNode } from '../supervisor/containment.ts';
import { CHAOS_KINDS, ChaosOperatorNode, ChaosSource, ThrowingNode, planChaos, simFaultsOf, type ChaosFault } from './chaos.ts';
import { SCENARIOS } from './scenarios.ts';
import { registerEmergencyStop } from '../supervisor/emergency.ts';
import { chaosOutcomes, type ChaosOutcome } from './chaos-score.ts';
import type { RuntimeNode } from './node.ts';
import { VirtualClock } from './clock.ts';
import type { Logger } from './log.ts';
import { Runtime } from './node.ts';
import { percentile, round, type Report } from './report.ts';
import { SimMetrics, type TruthPose } from './sim-metrics.ts';
import { createController } from './wiring/controller.ts';
import { createMapper } from './wiring/mapper.ts';
import { createDetector } from './wiring/detector.ts';

export interface SimRunOptions {
  config: Config;
  scenario: string;
  seed: number;
  /** Simulated seconds; undefined runs until the survey is complete (at most UNTIL_DONE_LIMIT_S). */
  durationS: number | undefined;
  /** Pace the simulation to the wall clock. */
  realtime: boolean;
  log: Logger;
  /** Called about every simulated second. */
  onProgress?: (simS: number, wallS: number, surveyFraction: number) => void;
  /** Stops the run early (SIGINT): the report covers what ran. */
  shouldStop?: () => boolean;
  /**
   * Called once the nodes are added, before start: evaluations tap the bus here (detector
   * training, comparisons). `truth` reads the simulator's truth at the current instant.
   */
  onRuntime?: (runtime: Runtime, truth: () => ReturnType<Simulator['truth']>) => void;
}

export interface TrackPoint {
  tS: number;
  northM: number;
  eastM: number;
  estNorthM: number;
  estEastM: number;
}

export interface SimRunResult {
  report: Report;
  simulator: Simulator;
  plan: ReturnType<typeof planLawnmower>;
  track: TrackPoint[];
  finalMode: Mode;
  /** Writes the mapper's products (the run's other outputs are written by the CLI). */
  writeMapOutputs(outDir: string): void;
}

/** The longest run when no duration is given and the survey never completes. */
export const UNTIL_DONE_LIMIT_S = 4 * 3600;

/** Virtual-time step between scheduler wake-ups; the simulator sub-steps its physics inside. */
const MAX_STEP_S = 0.01;

export async function runSimulation(o: SimRunOptions): Promise<SimRunResult> {
  const { log } = o;
  let config = o.config;
  const chaosOptions = SCENARIOS[o.scenario]?.chaos;
  const runS = o.durationS ?? chaosOptions?.durationS;
  const chaos: ChaosFault[] = chaosOptions && runS !== undefined ? planChaos(o.seed, runS, chaosOptions) : [];
  if (chaos.length > 0) {
    config = { ...config, sim: { ...config.sim, faults: [...config.sim.faults, ...simFaultsOf(chaos)] } };
    log.info('chaos planned', { faults: chaos });
  }
  const clock = new VirtualClock(0n);
  const sim = new Simulator(config.sim, o.seed, 0n);
  const runtime = new Runtime({ clock, log });
  const frame = sim.frame;
  const world = sim.world;

  const plan = planLawnmower(world.shoreline, config.survey, sim.truth().vessel);
  for (const problem of plan.problems) log.warn('survey planner', { problem });
  log.info('survey planned', { legs: plan.legs.length, lanes: plan.laneCount, angleDeg: plan.angleDeg, world: world.name });

  const source = (name: 'gnss' | 'imu' | 'sounder') => (chaos.length > 0 ? new ChaosSource(sim.sources[name], name, chaos, o.seed) : sim.sources[name]);
  const gnssNode = new NmeaDriverNode('gnss', source('gnss'), config.drivers.nmea);
  const imuNode = new VectorNavDriverNode('imu', source('imu'), config.drivers.vectornav);
  const sounderNode = new NmeaDriverNode('sounder', source('sounder'), config.drivers.nmea);
  const estimator = new EstimatorNode('estimator', config.estimator, config.vehicle, frame);
  // The geofence enforced twice: as a cost in the controller (MPPI's critic), and as the hard
  // final check in the safety filter below.
  const controller = createController(config, plan, log, { geofence: world.shoreline });
  // The hard final check on every thrust command: the controller's commands go to the safety
  // filter, which alone publishes `thrustCommand` (what the thrusters and the estimator see).
  const fence = new Geofence(world.shoreline, config.supervisor.geofence, config.vehicle);
  let supervisorRef: SupervisorNode | undefined;
  const safety = new SafetyNode('safety', config.supervisor, fence, config.vehicle, (outside) => supervisorRef?.onFence(outside));
  const supervisor = new SupervisorNode(
    'supervisor',
    config.supervisor,
    (_mode, autonomy) => controller.setEnabled(autonomy),
    { gnssGated: () => estimator.stats().counts.gnssPosition.gated },
    { safetyNode: safety.name },
  );
  supervisorRef = supervisor;
  const output = new ThrustOutputNode('thrusters', sim.thrusters, config.actuators);
  const mapper = createMapper(
    config,
    { frame, bounds: world.bounds, depthAt: (n, e) => world.depthAt(n, e), isWater: (n, e) => world.isWater(n, e), shoreline: world.shoreline },
    log,
  );
  const detector = createDetector(config, log);
  const throwAt = (node: RuntimeNode, target: string): RuntimeNode => {
    const f = chaos.find((c) => c.kind === 'nodeThrow' && c.target === target);
    return f ? new ThrowingNode(node, f.atS) : node;
  };
  // Nodes that can start twice are restarted when they throw; drivers cannot (see containment.ts).
  const restartable = (node: RuntimeNode, intercept?: (c: ThrustCommand) => void) =>
    new ContainedNode(node, { maxRestarts: config.supervisor.maxNodeRestarts, interceptThrust: intercept });
  const contained: ContainedNode[] = [];
  const add = (n: ContainedNode) => {
    contained.push(n);
    runtime.add(n);
  };
  runtime.add(gnssNode).add(imuNode).add(sounderNode);
  add(restartable(throwAt(estimator, 'estimator')));
  for (const n of [...mapper.nodes, ...detector.nodes]) add(restartable(n));
  runtime.add(supervisor).add(safety);
  add(restartable(throwAt(controller.node, 'controller'), (c) => safety.propose(c)));
  runtime.add(output);
  const chaosOperator = chaos.length > 0 ? new ChaosOperatorNode(chaos, o.seed, chaosOptions!, { loseDetectorModel: (reason) => detector.loseModel(reason), loseGpu: (reason) => controller.loseGpu(reason) }) : undefined;
  if (chaosOperator) runtime.add(chaosOperator);
  const controlTiming = runtime.timeTimersOf(controller.node.name);

  const metrics = new SimMetrics(
    frame,
    world,
    plan.legs,
    (n, e) => pointInPolygon({ northM: n, eastM: e }, world.shoreline),
    {
      swathHalfWidthM: config.survey.laneSpacingM / 2,
      laneSettleS: 10,
      draftM: config.sim.vessel.draftM,
      coverageCellM: 2,
    },
  );
  const truthPose = (): TruthPose => {
    const t = sim.truth();
    return { northM: t.vessel.northM, eastM: t.vessel.eastM, yawRad: t.vessel.yawRad, depthM: t.depthM };
  };
  const track: TrackPoint[] = [];
  let lastNav: NavState | undefined;
  let legsCompleted = 0;
  let lastLeg = -1;
  runtime.bus.tap((topic, msg) => {
    switch (topic) {
      case 'nav':
        lastNav = msg as NavState;
        metrics.onNav(lastNav, truthPose());
        break;
      case 'gnss':
        metrics.onGnss(msg as Parameters<SimMetrics['onGnss']>[0], truthPose());
        break;
      case 'guidance': {
        const g = msg as Parameters<SimMetrics['onGuidance']>[0];
        if (g.legIndex !== lastLeg) {
          if (lastLeg >= 0) legsCompleted++;
          lastLeg = g.legIndex;
        }
        if (g.done && lastLeg >= 0 && legsCompleted < plan.legs.length) legsCompleted = plan.legs.length;
        metrics.onGuidance(g, truthPose(), sim.tS);
        break;
      }
    }
  });

  const untilDone = runS === undefined;
  o.onRuntime?.(runtime, () => sim.truth());
  const endNs = sToNs(runS ?? UNTIL_DONE_LIMIT_S);
  const wall0 = performance.now();
  runtime.start();
  const unregisterStop = registerEmergencyStop(() => sim.thrusters.apply({ stampNs: clock.nowNs(), leftN: 0, rightN: 0 }));
  let nextTrackS = 0;
  let nextProgressS = 1;
  let stoppedAt: number | undefined;
  while (clock.nowNs() < endNs) {
    const nowNs = clock.nowNs();
    const due = runtime.nextDueNs();
    let targetNs = nowNs + sToNs(MAX_STEP_S);
    if (due !== undefined && due < targetNs && due > nowNs) targetNs = due;
    if (targetNs > endNs) targetNs = endNs;
    sim.step(secondsBetween(nowNs, targetNs));
    clock.advanceTo(targetNs);
    runtime.runTimersUntil(targetNs);
    const tS = nsToS(targetNs);
    metrics.onTruth(truthPose());
    if (tS >= nextTrackS) {
      const t = truthPose();
      track.push({ tS, northM: t.northM, eastM: t.eastM, estNorthM: lastNav?.northM ?? NaN, estEastM: lastNav?.eastM ?? NaN });
      nextTrackS += 1;
    }
    if (tS >= nextProgressS) {
      nextProgressS += 1;
      const wallS = (performance.now() - wall0) / 1000;
      o.onProgress?.(tS, wallS, plan.legs.length > 0 ? legsCompleted / plan.legs.length : 1);
      if (o.realtime && wallS < tS) await sleep((tS - wallS) * 1000);
      else if (Math.round(tS) % 20 === 0) await new Promise<void>((r) => setImmediate(r));
      if (o.shouldStop?.()) {
        stoppedAt = tS;
        log.warn('run stopped early', { atS: tS });
        break;
      }
    }
    // Without a duration the run ends with the survey, or when the vessel stops driving
    // (nobody is there to resume it).
    if (untilDone && supervisor.current !== 'AUTO' && supervisor.changes.length > 0) {
      stoppedAt = tS;
      log.info('run ends with the survey', { atS: tS, mode: supervisor.current });
      break;
    }
  }
  runtime.stop();
  unregisterStop();
  const wallTimeS = (performance.now() - wall0) / 1000;
  const simTimeS = stoppedAt ?? nsToS(endNs);
  const m = metrics.result();
  const dur = controlTiming.durationsMs;
  const overruns = dur.filter((d, i) => d > controlTiming.periodMs[i]).length;
  const driverStats = (n: { stats(): { accepted: number; rejected: Record<string, number> } }) => n.stats();

  const report: Report = {
    scenario: o.scenario,
    seed: o.seed,
    simTimeS: round(simTimeS, 3),
    wallTimeS: round(wallTimeS, 3),
    navigation: {
      positionRmseM: round(m.positionRmseM),
      gnssRmseM: round(m.gnssRmseM),
      headingRmseDeg: round(m.headingRmseDeg),
      gnssGated: estimator.stats().counts.gnssPosition.gated,
    },
    survey: {
      distanceM: round(m.distanceM, 2),
      coveragePct: round(m.coveragePct, 2),
      crossTrackRmsM: round(m.crossTrackRmsM),
      legsCompleted,
      legsPlanned: plan.legs.length,
    },
    control: {
      backend: controller.backend,
      rateHz: controller.rateHz,
      p50Ms: round(percentile(dur, 50), 4),
      p99Ms: round(percentile(dur, 99), 4),
      overruns,
    },
    safety: {
      finalMode: supervisor.current,
      geofenceViolations: m.geofenceViolations,
      groundings: m.groundings,
      minDepthM: round(m.minDepthM, 3),
      modeChanges: supervisor.changes.map((c) => ({ atS: round(nsToS(c.stampNs), 3), from: c.from, to: c.to, why: c.why })),
    },
    drivers: { gnss: driverStats(gnssNode), imu: driverStats(imuNode), sounder: driverStats(sounderNode) },
  };
  const mapReport = mapper.report();
  if (mapReport) report.map = mapReport;
  const faults = config.sim.faults.map((f) => ({ kind: f.kind, onsetS: f.atS, endS: f.durationS === undefined ? undefined : f.atS + f.durationS }));
  const anomalyReport = detector.report(faults, simTimeS);
  if (anomalyReport) report.anomaly = anomalyReport;
  // Fields beyond the contract (DESIGN.md welcomes them): the safety filter's and the
  // supervisor's counters, node restarts, and in the chaos scenario each fault's outcome.
  Object.assign(report.safety, {
    ...safety.stats(),
    ...supervisor.stats(),
    nodeRestarts: Object.fromEntries(contained.filter((n) => n.restarts > 0).map((n) => [n.name, n.restarts])),
    thrustTimeouts: output.stats().timeouts,
  });
  if (chaos.length > 0) {
    const outcomes: ChaosOutcome[] = chaosOutcomes(chaos, report.safety.modeChanges, simTimeS);
    for (const out of outcomes) {
      if (out.kind !== 'gpuLost') continue;
      const loss = chaosOperator?.gpuLosses.find((l) => l.atS === out.atS);
      out.deviceLost = loss?.deviceLost === true;
      out.effect = out.deviceLost ? `GPU device destroyed; control backend after it: ${controller.backend}` : `no GPU device in use (control backend ${controller.backend})`;
    }
    report.chaos = { kinds: CHAOS_KINDS, badCommandsSent: chaosOperator?.badSent ?? 0, faults: outcomes };
  }
  return { report, simulator: sim, plan, track, finalMode: supervisor.current, writeMapOutputs: (dir) => mapper.writeOutputs(dir) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
