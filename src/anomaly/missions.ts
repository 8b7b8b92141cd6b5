// Simulated missions for training and evaluation: a seeded draw of one fault (every kind, abrupt
// or gradual, three severities, random onset) and of nuisances that must not alarm (gusts, speed
// changes; the lawnmower's sharp turns and the lake's shallows come with every survey), run
// through the real pipeline with a WindowNode tapping the bus.
import { Rng } from '../../sim/random.ts';
import { FAULT_KINDS, faultLevel, type FaultKind, type FaultSpec } from '../../sim/faults.ts';
import { resolveConfig, type Config } from '../config/index.ts';
import { silentLogger } from '../runtime/log.ts';
import { runSimulation } from '../runtime/simulate.ts';
import { FEATURE_COUNT } from './graph.ts';
import { WindowNode } from './window-node.ts';

export interface MissionSpec {
  seed: number;
  durationS: number;
  faults: FaultSpec[];
  /** Gust force sigma, N (default 3). */
  gustSigmaN: number;
  /** Lane and transit speeds, m/s. */
  speedMps: number;
  transitSpeedMps: number;
}

/** Three severities per kind, mildest first (FaultSpec.severity meaning; unused kinds 1). */
export const SEVERITIES: Readonly<Record<FaultKind, readonly [number, number, number]>> = {
  thrusterLoss: [1, 1, 1],
  thrusterDegradation: [0.6, 0.4, 0.2],
  stuckVegetation: [60, 100, 150],
  imuHeadingDrift: [0.3, 0.6, 1.0],
  gnssDegradation: [3, 5, 8],
  gnssDropout: [1, 1, 1],
  gnssJump: [5, 10, 20],
  sonarDropout: [1, 1, 1],
  sonarSpurious: [0.3, 0.5, 0.8],
};

export const MISSION_DURATION_S = 180;

/** A mission drawn from `seed`: `kind` forces the fault kind, null draws one, 'none' has no fault. */
export function drawMission(seed: number, kind: FaultKind | null | 'none', durationS = MISSION_DURATION_S): MissionSpec {
  const rng = new Rng(seed, 'detector-mission');
  // Kinds cycle with the seed, so that any run of consecutive seeds covers every kind evenly.
  const k: FaultKind = kind === null || kind === 'none' ? FAULT_KINDS[seed % FAULT_KINDS.length] : kind;
  const gradual = rng.chance(0.5);
  const severity = SEVERITIES[k][rng.int(0, 2)];
  const atS = rng.range(60, Math.max(61, durationS - 70));
  const fault: FaultSpec = {
    kind: k,
    atS: round1(atS),
    durationS: round1(rng.range(30, 50)),
    severity,
    side: rng.chance(0.5) ? 'left' : 'right',
    mode: rng.chance(0.5) ? 'silent' : 'noFix',
  };
  if (gradual) fault.rampS = round1(rng.range(3, 8));
  const speeds = [1.0, 1.5, 2.0];
  return {
    seed,
    durationS,
    faults: kind === 'none' ? [] : [fault],
    gustSigmaN: round1(rng.range(3, 12)),
    speedMps: speeds[rng.int(0, 2)],
    transitSpeedMps: speeds[rng.int(0, 2)],
  };
}

export function missionConfig(spec: MissionSpec, base: Config = resolveConfig({})): Config {
  return {
    ...base,
    sim: { ...base.sim, faults: spec.faults, disturbance: { ...base.sim.disturbance, gustSigmaN: spec.gustSigmaN } },
    survey: { ...base.survey, speedMps: spec.speedMps, transitSpeedMps: spec.transitSpeedMps },
    // The mission only records windows: the onboard detector stays out of it.
    detector: { ...base.detector, enabled: false },
  };
}

export interface RecordedMission {
  spec: MissionSpec;
  /** Window times, s. */
  tS: Float64Array;
  /** Windows, row-major count x FEATURE_COUNT. */
  windows: Float64Array;
}

/** Runs a mission and records every feature window. */
export async function recordMission(spec: MissionSpec, warmupS: number, base?: Config): Promise<RecordedMission> {
  const config = missionConfig(spec, base);
  const times: number[] = [];
  const rows: number[] = [];
  await runSimulation({
    config,
    scenario: 'detector-mission',
    seed: spec.seed,
    durationS: spec.durationS,
    realtime: false,
    log: silentLogger,
    onRuntime: (runtime) => {
      runtime.add(
        new WindowNode(
          'detector-recorder',
          config.vehicle,
          warmupS,
          (tS, f) => {
          times.push(tS);
            for (let k = 0; k < FEATURE_COUNT; k++) rows.push(f[k]);
          },
          { minM: config.detector.sounderMinRangeM, maxM: config.detector.sounderMaxRangeM },
        ),
      );
    },
  });
  return { spec, tS: Float64Array.from(times), windows: Float64Array.from(rows) };
}

/** Level in [0, 1] of the strongest fault active at tS. */
export function faultLevelAt(spec: MissionSpec, tS: number): number {
  let level = 0;
  for (const f of spec.faults) level = Math.max(level, faultLevel(f, tS));
  return level;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
