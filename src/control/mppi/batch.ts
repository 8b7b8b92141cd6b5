// The batch of one optimisation, structure of arrays as in Nav2's MPPI: one Float32Array per
// state variable and per control, indexed k*T + t (state after step t of sample k). Arrays
// can live on a SharedArrayBuffer so that worker threads fill disjoint sample ranges.
import type { MppiSettings } from './settings.ts';
import type { ProblemBlock } from './problem.ts';

export interface RolloutBatch {
  readonly K: number;
  readonly T: number;
  readonly settings: MppiSettings;
  /** Model coefficients (model.ts). */
  readonly model: Float64Array;
  readonly problem: ProblemBlock;
  /** Signed distance to the shore, positive in water (grid.ts, one layer). */
  readonly fence: Float32Array;
  /** Learned depth map: mean then std (grid.ts, two layers); header valid = 0 until a map arrives. */
  readonly map: Float32Array;
  readonly northM: Float32Array;
  readonly eastM: Float32Array;
  readonly yawRad: Float32Array;
  /** cos and sin of yawRad, carried by the rollout so critics need no trigonometry. */
  readonly cosYaw: Float32Array;
  readonly sinYaw: Float32Array;
  readonly uMps: Float32Array;
  readonly vMps: Float32Array;
  /** Commanded thrust of each sample, after the thrusters' limits. */
  readonly leftN: Float32Array;
  readonly rightN: Float32Array;
  /** The nominal (mean) control sequence, 2T: left at t, right at T + t. */
  readonly nominal: Float32Array;
  /** Total cost of each sample (K). */
  readonly costs: Float32Array;
}

/** Arrays for K samples of T steps; the ones the update reads may be given (shared). */
export function createBatch(
  settings: MppiSettings,
  model: Float64Array,
  problem: ProblemBlock,
  fence: Float32Array,
  map: Float32Array,
  shared?: { leftN: Float32Array; rightN: Float32Array; nominal: Float32Array; costs: Float32Array },
): RolloutBatch {
  const K = settings.samples;
  const T = settings.horizonSteps;
  const n = K * T;
  return {
    K,
    T,
    settings,
    model,
    problem,
    fence,
    map,
    northM: new Float32Array(n),
    eastM: new Float32Array(n),
    yawRad: new Float32Array(n),
    cosYaw: new Float32Array(n),
    sinYaw: new Float32Array(n),
    uMps: new Float32Array(n),
    vMps: new Float32Array(n),
    leftN: shared?.leftN ?? new Float32Array(n),
    rightN: shared?.rightN ?? new Float32Array(n),
    nominal: shared?.nominal ?? new Float32Array(2 * T),
    costs: shared?.costs ?? new Float32Array(K),
  };
}
