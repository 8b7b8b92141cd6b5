// Named scenarios for `coxswain sim --scenario NAME`: configuration overrides applied on top of
// the defaults (and of --config), so a scenario is reproducible from its name and a seed.
import { DEFAULT_CHAOS_OPTIONS, type ChaosOptions } from './chaos.ts';

export interface Scenario {
  /** One line for --help and the README. */
  description: string;
  overrides: Record<string, unknown>;
  /** Faults drawn from the seed and injected at random times (src/runtime/chaos.ts). */
  chaos?: ChaosOptions;
}

export const SCENARIOS: Record<string, Scenario> = {
  survey: {
    description: 'the default survey of a generated lake in a 0.2 m/s current',
    overrides: {},
  },
  'strong-current': {
    description: 'the survey in a 0.5 m/s current with stronger wind and gusts',
    overrides: { sim: { disturbance: { meanCurrentMps: 0.5, meanWindForceN: 10, gustSigmaN: 6 } } },
  },
  'mismatch-current': {
    description:
      'the survey in a 0.5 m/s current with a vessel 30 % off the controller\'s model: heavier, draggier, weaker thrusters',
    overrides: {
      sim: {
        disturbance: { meanCurrentMps: 0.5, meanWindForceN: 10, gustSigmaN: 6 },
        vessel: {
          massKg: 55 * 1.3,
          izKgM2: 13.75 * 1.3,
          xuNsPerM: -77.5 * 1.3,
          yvNsPerM: -137.5 * 1.3,
          nrNmsPerRad: -37.125 * 1.3,
          maxForwardThrustN: 119.68 * 0.7,
          maxReverseThrustN: 69.62 * 0.7,
          thrusterTimeConstantS: 0.13,
        },
      },
    },
  },
  'gnss-faults': {
    description: 'the survey with a 15 m GNSS jump at 150 s and a 20 s GNSS dropout at 300 s',
    overrides: {
      sim: {
        faults: [
          { kind: 'gnssJump', atS: 150, durationS: 5, severity: 15 },
          { kind: 'gnssDropout', atS: 300, durationS: 20 },
        ],
      },
    },
  },
  chaos: {
    description:
      'the survey under faults at random times drawn from the seed: GNSS loss and jumps, IMU freeze, sonar garbage, a stream gap, a clock jump, the detector model missing, the GPU lost, a node throwing, malformed commands, a lost operator link',
    overrides: {},
    chaos: DEFAULT_CHAOS_OPTIONS,
  },
};

export function scenarioOverrides(name: string): Record<string, unknown> {
  const s = SCENARIOS[name];
  if (!s) throw new Error(`unknown scenario '${name}'`);
  return s.overrides;
}
