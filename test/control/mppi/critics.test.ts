import { describe, expect, it } from 'vitest';
import { createBatch } from '../../../src/control/mppi/batch.ts';
import { pathCritic } from '../../../src/control/mppi/critics/path.ts';
import { geofenceCritic } from '../../../src/control/mppi/critics/geofence.ts';
import { speedCritic } from '../../../src/control/mppi/critics/speed.ts';
import { shallowCritic } from '../../../src/control/mppi/critics/shallow.ts';
import { buildFenceGrid, copyMapInto, createGrid, openFenceGrid, sampleBilinear } from '../../../src/control/mppi/grid.ts';
import { modelCoefficients } from '../../../src/control/mppi/model.ts';
import { createProblem, P } from '../../../src/control/mppi/problem.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../../src/control/mppi/settings.ts';
import { OTTER } from '../../../src/model/vessel.ts';

const square = [
  { northM: 0, eastM: 0 },
  { northM: 0, eastM: 100 },
  { northM: 100, eastM: 100 },
  { northM: 100, eastM: 0 },
];

function onePoint(northM: number, eastM: number, yawRad: number, fence = openFenceGrid(), map = createGrid(16, 2)) {
  const weights = { ...DEFAULT_MPPI_SETTINGS.weights, path: 1, heading: 1, speed: 1, geofence: 1, shallow: 1 };
  const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 1, horizonSteps: 1, weights, shoreMarginM: 4, collisionCost: 1000 };
  const b = createBatch(settings, modelCoefficients(OTTER, 0.1), createProblem(), fence, map);
  b.northM[0] = northM;
  b.eastM[0] = eastM;
  b.yawRad[0] = yawRad;
  b.cosYaw[0] = Math.cos(yawRad);
  b.sinYaw[0] = Math.sin(yawRad);
  return b;
}

describe('critics', () => {
  it('path: squared cross-track to a northbound leg plus 1 - cos(heading error)', () => {
    const b = onePoint(10, 2, Math.PI / 2);
    const p = b.problem.f;
    p[P.aToN] = 100;
    pathCritic.score(b, 0, 1);
    // 2 m to starboard: 4; heading east on a north leg: 1 - cos 90 deg = 1.
    expect(b.costs[0]).toBeCloseTo(5, 5);
  });

  it('path: past the active leg, the next leg counts', () => {
    const b = onePoint(103, 10, 0);
    const p = b.problem.f;
    p[P.aToN] = 100;
    p[P.bFromN] = 100; p[P.bToN] = 100; p[P.bToE] = 50; p[P.hasB] = 1;
    pathCritic.score(b, 0, 1);
    // Leg B runs east along n = 100: cross-track 3 m (to port: e = -(103-100)) -> 9; heading north on an east leg -> 1.
    expect(b.costs[0]).toBeCloseTo(10, 5);
  });

  it('speed: squared surge error', () => {
    const b = onePoint(0, 0, 0);
    b.uMps[0] = 1;
    b.problem.f[P.uRefMps] = 1.5;
    speedCritic.score(b, 0, 1);
    expect(b.costs[0]).toBeCloseTo(0.25, 6);
  });

  it('geofence: the signed distance grid is positive inside the square and negative outside', () => {
    const g = buildFenceGrid(square, 1, 10);
    // The centre lies between cell centres 0.5 m off it, each 49.5 m from the shore.
    expect(sampleBilinear(g, 50, 50)).toBeCloseTo(49.5, 3);
    expect(sampleBilinear(g, 50, 2)).toBeCloseTo(2, 1);
    expect(sampleBilinear(g, 50, -3)).toBeCloseTo(-3, 1);
    // Beyond the grid's padding the distance keeps growing.
    expect(sampleBilinear(g, 50, -30)).toBeLessThan(-20);
  });

  it('geofence: margin intrusion squared, plus the collision cost outside', () => {
    const fence = buildFenceGrid(square, 1, 10);
    const inside = onePoint(50, 2, 0, fence);
    geofenceCritic.score(inside, 0, 1);
    // 2 m from shore with a 4 m margin: (4 - 2)^2 = 4.
    expect(inside.costs[0]).toBeCloseTo(4, 0);
    const outside = onePoint(50, -2, 0, fence);
    geofenceCritic.score(outside, 0, 1);
    expect(outside.costs[0]).toBeCloseTo(1036, -1);
  });

  it('shallow: costs the clearance shortfall from the map, nothing without a map', () => {
    const b = onePoint(5, 5, 0);
    shallowCritic.score(b, 0, 1);
    expect(b.costs[0]).toBe(0);
    const mean = new Float32Array(4).fill(1);
    const std = new Float32Array(4).fill(0.1);
    copyMapInto({ stampNs: 0n, minNorthM: 0, minEastM: 0, cellM: 10, rows: 2, cols: 2, mean, std, samples: 1, inducingPoints: 1 }, b.map);
    shallowCritic.score(b, 0, 1);
    // Cautious depth 1 - 2 x 0.1 = 0.8; need margin 0.3 + draft 0.13 = 0.43: clear, no cost.
    expect(b.costs[0]).toBe(0);
    mean.fill(0.5);
    copyMapInto({ stampNs: 0n, minNorthM: 0, minEastM: 0, cellM: 10, rows: 2, cols: 2, mean, std, samples: 1, inducingPoints: 1 }, b.map);
    shallowCritic.score(b, 0, 1);
    // Cautious depth 0.3, shortfall 0.13 -> 0.0169.
    expect(b.costs[0]).toBeCloseTo(0.0169, 4);
  });
});
