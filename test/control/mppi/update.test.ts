import { describe, expect, it } from 'vitest';
import { createBatch } from '../../../src/control/mppi/batch.ts';
import { openFenceGrid } from '../../../src/control/mppi/grid.ts';
import { modelCoefficients } from '../../../src/control/mppi/model.ts';
import { createProblem } from '../../../src/control/mppi/problem.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../../src/control/mppi/settings.ts';
import { addControlCost, shiftNominal, updateNominal } from '../../../src/control/mppi/update.ts';
import { OTTER } from '../../../src/model/vessel.ts';

function twoSamples(controlCostWeight = 0) {
  const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 2, horizonSteps: 1, temperature: 1, controlCostWeight, noiseSigmaN: 25 };
  return createBatch(settings, modelCoefficients(OTTER, 0.1), createProblem(), openFenceGrid(), openFenceGrid());
}

describe('MPPI update', () => {
  it('averages the samples weighted by exp(-(S - min S) / lambda)', () => {
    const b = twoSamples();
    b.leftN.set([10, 20]);
    b.rightN.set([0, 40]);
    b.costs.set([0, Math.LN2]);
    // Weights 1 and exp(-ln 2) = 1/2, normalised 2/3 and 1/3: left 10*2/3 + 20/3 = 13.33, right 40/3.
    const r = updateNominal(b, new Float64Array(2), 1, { minCost: 0, meanCost: 0, effectiveSamples: 0 });
    expect(b.nominal[0]).toBeCloseTo(40 / 3, 4);
    expect(b.nominal[1]).toBeCloseTo(40 / 3, 4);
    expect(r.minCost).toBe(0);
    // 1 / ((2/3)^2 + (1/3)^2) = 1.8
    expect(r.effectiveSamples).toBeCloseTo(1.8, 6);
  });

  it('gives NaN costs no weight', () => {
    const b = twoSamples();
    b.leftN.set([10, 99]);
    b.rightN.set([10, 99]);
    b.costs.set([5, NaN]);
    updateNominal(b, new Float64Array(2), 1, { minCost: 0, meanCost: 0, effectiveSamples: 0 });
    expect(b.nominal[0]).toBe(10);
  });

  it('adds the control cost gamma * u . eps / sigma^2 of each sample against the nominal', () => {
    const b = twoSamples(2);
    b.nominal.set([10, 20]);
    // Sample 0 is the nominal (eps 0); sample 1 perturbs left +5, right -10.
    b.leftN.set([10, 15]);
    b.rightN.set([20, 10]);
    b.costs.set([1, 1]);
    addControlCost(b);
    // u . eps = 10 x 5 + 20 x (-10) = -150; x gamma 2 / 25^2 = -0.48.
    expect(b.costs[0]).toBe(1);
    expect(b.costs[1]).toBeCloseTo(0.52, 6);
  });

  it('adds no control cost with gamma 0', () => {
    const b = twoSamples(0);
    b.nominal.set([10, 20]);
    b.leftN.set([10, 15]);
    b.rightN.set([20, 10]);
    b.costs.set([1, 1]);
    addControlCost(b);
    expect([...b.costs]).toEqual([1, 1]);
  });

  it('shifts a plan by one step, repeating the last value', () => {
    const nominal = Float32Array.from([1, 2, 3, 10, 20, 30]);
    shiftNominal(nominal, 3, 1);
    expect([...nominal]).toEqual([2, 3, 3, 20, 30, 30]);
  });
});
