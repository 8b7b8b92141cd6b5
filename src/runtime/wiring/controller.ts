// Builds the controller the configuration asks for. Every controller is a node that follows
// the survey plan, publishes `guidance` and `thrustCommand`, and obeys the supervisor's gate.
import { availableParallelism } from 'node:os';
import type { Config } from '../../config/index.ts';
import type { SurveyPlan } from '../../planning/plan.ts';
import type { NePoint } from '../../planning/geometry.ts';
import { GuidanceNode } from '../../control/guidance-node.ts';
import { createMppiBackend } from '../../control/mppi/gpu/backend.ts';
import { buildFenceGrid } from '../../control/mppi/grid.ts';
import { MppiControllerNode } from '../../control/mppi/node.ts';
import type { Logger } from '../log.ts';
import type { RuntimeNode } from '../node.ts';

export interface ControllerWiring {
  node: RuntimeNode;
  /** report.json control.backend */
  backend: string;
  /** Control rate, Hz. */
  rateHz: number;
  /** The supervisor's gate: false means zero thrust. */
  setEnabled(enabled: boolean): void;
  /** Destroys the GPU device the controller runs on (the chaos scenario); false when it runs on none. */
  loseGpu(reason: string): boolean;
}

/** What the controller may know of the world beyond the plan. */
export interface ControllerEnvironment {
  /** The geofence (the shoreline): the MPPI geofence critic keeps off it. */
  geofence?: readonly NePoint[];
}

export function createController(config: Config, plan: SurveyPlan, log: Logger, env: ControllerEnvironment = {}): ControllerWiring {
  const control = config.control;
  if (control.controller === 'pid') {
    const node = new GuidanceNode('guidance', plan, config.guidance, config.vehicle);
    return { node, backend: 'pid', rateHz: config.guidance.rateHz, setEnabled: (e) => node.setEnabled(e), loseGpu: () => false };
  }
  const settings = control.mppi;
  const workers = settings.workerThreads >= 0 ? settings.workerThreads : Math.max(0, availableParallelism() - 1);
  const fence = env.geofence && env.geofence.length >= 3 ? buildFenceGrid(env.geofence, settings.fenceCellM, 20) : undefined;
  if (!fence) log.warn('mppi: no geofence given; the geofence critic sees open water');
  // 'auto' takes a hardware GPU when there is one (lavapipe would be slower than the CPU path);
  // 'gpu' takes any adapter. Any GPU failure falls back to the CPU for the rest of the run.
  const core = createMppiBackend({ settings, vessel: config.vehicle, fence, workers }, control.backend, log);
  // Compile the hot loops before the first tick: cold, the first optimisations overrun in a row.
  core.warmUp();
  core.ready().then(
    () => log.info('mppi backend ready', { backend: core.backend, threads: core.threads }),
    (error: unknown) => log.warn('mppi worker threads failed to start; single-threaded', { error: String(error) }),
  );
  const rateHz = 1 / settings.dtS;
  const node = new MppiControllerNode(
    'guidance',
    plan,
    core,
    {
      rateHz,
      navStaleS: config.guidance.navStaleS,
      switchRadiusM: config.guidance.controller.los.switchRadiusM,
      deadlineFraction: control.deadlineFraction,
      overrunFaultAfter: control.overrunFaultAfter,
      currentFilterS: control.currentFilterS,
      maxCurrentMps: control.maxCurrentMps,
    },
    core.backend,
  );
  return {
    node,
    // Read at the end of the run: a GPU that failed mid-run reports the CPU it fell back to.
    get backend() {
      return core.backend;
    },
    rateHz,
    setEnabled: (e) => node.setEnabled(e),
    loseGpu: (reason) => core.loseDevice(reason),
  };
}
