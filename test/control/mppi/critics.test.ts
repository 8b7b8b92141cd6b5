import { describe, expect, it } from 'vitest';
import { createBatch } from '../../../src/control/mppi/batch.ts';
import { COURSE_SOFT_MPS, pathCritic } from '../../../src/control/mppi/critics/path.ts';
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
  const weights = { ...DEFAULT_MPPI_SETTINGS.weights, path: 1, heading: 1, course: 0, turn: 0, speed: 1, astern: 0, geofence: 1, shallow: 1 };
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

  it('speed: squared error of the speed over ground along the leg', () => {
    const b = onePoint(0, 0, 0);
    b.uMps[0] = 1;
    b.problem.f[P.aToN] = 100;
    b.problem.f[P.uRefMps] = 1.5;
    speedCritic.score(b, 0, 1);
    expect(b.costs[0]).toBeCloseTo(0.25, 6);
    // Crabbing 30 deg to starboard with u = 1.5 cos 30, v = -1.5 sin 30: over ground 1.5 m/s due
    // north, along the leg: no cost, where the surge error alone would cost (1.5 - 1.299)^2.
    const crab = onePoint(0, 0, Math.PI / 6);
    crab.uMps[0] = 1.5 * Math.cos(Math.PI / 6);
    crab.vMps[0] = -1.5 * Math.sin(Math.PI / 6);
    crab.problem.f[P.aToN] = 100;
    crab.problem.f[P.uRefMps] = 1.5;
    speedCritic.score(crab, 0, 1);
    expect(crab.costs[0]).toBeCloseTo(0, 5);
    // Full speed backwards along the leg is 3 m/s short of the reference, not on it.
    const astern = onePoint(0, 0, 0);
    astern.uMps[0] = -1.5;
    astern.problem.f[P.aToN] = 100;
    astern.problem.f[P.uRefMps] = 1.5;
    speedCritic.score(astern, 0, 1);
    expect(astern.costs[0]).toBeCloseTo(9, 5);
  });

  it('path: the turn term is free within 45 degrees of the leg and grows to 1 + cos 45 deg at 180 degrees', () => {
    const turnCost = (yawRad: number) => {
      const b = onePoint(10, 0, yawRad);
      b.settings.weights.heading = 0;
      b.settings.weights.turn = 1;
      b.problem.f[P.aToN] = 100;
      pathCritic.score(b, 0, 1);
      return b.costs[0];
    };
    expect(turnCost(0)).toBe(0);
    expect(turnCost((30 * Math.PI) / 180)).toBe(0);
    expect(turnCost(Math.PI / 2)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(turnCost(Math.PI)).toBeCloseTo(1 + Math.SQRT1_2, 5);
  });

  it('speed: going astern through the water costs its squared surge; forward, or set back by a current, does not', () => {
    const score = (u: number, curN: number) => {
      const b = onePoint(0, 0, 0);
      b.settings.weights.speed = 0;
      b.settings.weights.astern = 2;
      b.uMps[0] = u;
      b.problem.f[P.curN] = curN;
      speedCritic.score(b, 0, 1);
      return b.costs[0];
    };
    // Driven astern at 0.5 m/s in still water: 2 x 0.25.
    expect(score(-0.5, 0)).toBeCloseTo(0.5, 6);
    // Bow into a 0.8 m/s current, making 0.3 m/s through the water, set back 0.5 m/s over ground: no cost.
    expect(score(-0.5, -0.8)).toBe(0);
    expect(score(1.5, 0)).toBe(0);
  });

  it('path: the course term scores the course over ground, not the bow, so a crab into the current is free', () => {
    const withCourse = (yawRad: number, u: number, v: number) => {
      const b = onePoint(10, 0, yawRad);
      b.settings.weights.heading = 0;
      b.settings.weights.course = 1;
      b.uMps[0] = u;
      b.vMps[0] = v;
      b.problem.f[P.aToN] = 100;
      pathCritic.score(b, 0, 1);
      return b.costs[0];
    };
    const soft2 = COURSE_SOFT_MPS ** 2;
    // Bow 30 deg to starboard, over ground due north at 1.5 m/s: 1 - 1.5 / sqrt(1.5^2 + soft^2).
    expect(withCourse(Math.PI / 6, 1.5 * Math.cos(Math.PI / 6), -1.5 * Math.sin(Math.PI / 6))).toBeCloseTo(1 - 1.5 / Math.sqrt(2.25 + soft2), 5);
    // Bow due north but set 90 deg to the east over ground (pure sway): 1 - 0.
    expect(withCourse(0, 0, 1)).toBeCloseTo(1, 5);
    // Astern along the leg: 1 - (-1) = 2 at speed; at rest the term is 1.
    expect(withCourse(0, -1.5, 0)).toBeCloseTo(1 + 1.5 / Math.sqrt(2.25 + soft2), 5);
    expect(withCourse(0, 0, 0)).toBeCloseTo(1, 6);
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
