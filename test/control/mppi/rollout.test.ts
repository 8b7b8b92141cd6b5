import { describe, expect, it } from 'vitest';
import { createBatch } from '../../../src/control/mppi/batch.ts';
import { openFenceGrid, createGrid } from '../../../src/control/mppi/grid.ts';
import { modelCoefficients } from '../../../src/control/mppi/model.ts';
import { createProblem, P } from '../../../src/control/mppi/problem.ts';
import { rollout } from '../../../src/control/mppi/rollout.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../../src/control/mppi/settings.ts';
import { OTTER } from '../../../src/model/vessel.ts';

const T = 30;

/** Sample 0 (the nominal, unperturbed) rolled out from rest with constant commands. */
function nominalRollout(leftN: number, rightN: number, thrustGain: number, yawAccelBias: number) {
  const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 1, horizonSteps: T };
  const b = createBatch(settings, modelCoefficients(OTTER, settings.dtS), createProblem(), openFenceGrid(), createGrid(16, 2));
  b.problem.f[P.thrustGain] = thrustGain;
  b.problem.f[P.yawAccelBias] = yawAccelBias;
  b.nominal.fill(leftN, 0, T);
  b.nominal.fill(rightN, T, 2 * T);
  rollout(b, 0, 1);
  return b;
}

describe('rollout with the estimator\'s model corrections', () => {
  it('a new problem block has thrust gain 1 and no yaw bias (the model as it is)', () => {
    const f = createProblem().f;
    expect([f[P.thrustGain], f[P.yawAccelBias]]).toEqual([1, 0]);
  });

  it('delivers gain x command: gain 0.6 at 50/40 N moves the boat as gain 1 at 30/24 N', () => {
    const weak = nominalRollout(50, 40, 0.6, 0);
    const same = nominalRollout(30, 24, 1, 0);
    for (let t = 0; t < T; t++) {
      expect(weak.northM[t]).toBeCloseTo(same.northM[t], 5);
      expect(weak.eastM[t]).toBeCloseTo(same.eastM[t], 5);
      expect(weak.yawRad[t]).toBeCloseTo(same.yawRad[t], 5);
    }
    // The commands themselves (what the effort and limit critics score) stay as sent.
    expect(weak.leftN[0]).toBe(50);
    expect(weak.northM[T - 1]).toBeGreaterThan(0.5);
  });

  it('adds the unmodelled yaw acceleration to the yaw rate: a boat at rest with no thrust turns with its sign', () => {
    const still = nominalRollout(0, 0, 1, 0);
    const port = nominalRollout(0, 0, 1, -0.1);
    expect(still.yawRad[T - 1]).toBe(0);
    // Over 3 s the rate builds to ~0.1 x 3 less the yaw damping: the heading turns to port.
    expect(port.yawRad[T - 1]).toBeLessThan(-0.1);
    expect(port.yawRad[T - 1]).toBeGreaterThan(-0.1 * 3 * 3 / 2 - 1e-6);
  });
});
