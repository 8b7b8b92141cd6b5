// Builds the controller the configuration asks for. Every controller is a node that follows
// the survey plan, publishes `guidance` and `thrustCommand`, and obeys the supervisor's gate.
import type { Config } from '../../config/index.ts';
import type { SurveyPlan } from '../../planning/plan.ts';
import { GuidanceNode } from '../../control/guidance-node.ts';
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
}

export function createController(config: Config, plan: SurveyPlan, _log: Logger): ControllerWiring {
  const node = new GuidanceNode('guidance', plan, config.guidance, config.vehicle);
  return { node, backend: 'pid', rateHz: config.guidance.rateHz, setEnabled: (e) => node.setEnabled(e) };
}
