import { describe, expect, it } from 'vitest';
import { planLawnmower } from '../../src/planning/lawnmower.ts';
import type { LawnmowerPlan } from '../../src/planning/lawnmower.ts';
import type { NePoint } from '../../src/planning/geometry.ts';
import { distanceToPolygonEdgeM, pointInPolygon } from '../../src/planning/geometry.ts';

const EPS = 1e-6;

/** Every leg end and a point every 0.5 m along every leg lies inside and at least marginM off shore. */
function expectInsideMargin(plan: LawnmowerPlan, polygon: NePoint[], marginM: number): number {
  let checked = 0;
  for (const leg of plan.legs) {
    const len = Math.hypot(leg.toNorthM - leg.fromNorthM, leg.toEastM - leg.fromEastM);
    const steps = Math.max(1, Math.ceil(len / 0.5));
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      const p = { northM: leg.fromNorthM + t * (leg.toNorthM - leg.fromNorthM), eastM: leg.fromEastM + t * (leg.toEastM - leg.fromEastM) };
      expect(pointInPolygon(p, polygon)).toBe(true);
      expect(distanceToPolygonEdgeM(p, polygon)).toBeGreaterThanOrEqual(marginM - EPS);
      checked++;
    }
  }
  return checked;
}

/** Consecutive legs join end to start, so the vessel never jumps. */
function expectContinuous(plan: LawnmowerPlan): void {
  for (let i = 1; i < plan.legs.length; i++) {
    expect(plan.legs[i].fromNorthM).toBeCloseTo(plan.legs[i - 1].toNorthM, 6);
    expect(plan.legs[i].fromEastM).toBeCloseTo(plan.legs[i - 1].toEastM, 6);
  }
}

const RECT = [
  { northM: 0, eastM: 0 },
  { northM: 200, eastM: 0 },
  { northM: 200, eastM: 300 },
  { northM: 0, eastM: 300 },
];

describe('planLawnmower', () => {
  it('runs lanes along the long axis of a rectangle, spaced and alternating', () => {
    const plan = planLawnmower(RECT, { laneSpacingM: 20, marginM: 10 });
    expect(plan.angleDeg).toBe(90); // east-west lanes: the rectangle is 200 m across them
    const lanes = plan.legs.filter((l) => l.kind === 'lane');
    // Usable width 200 - 2 x 10 = 180 m -> 180 / 20 + 1 = 10 lanes at north 190, 170, ..., 10.
    expect(lanes).toHaveLength(10);
    lanes.forEach((l, i) => {
      expect(l.fromNorthM).toBeCloseTo(190 - 20 * i, 6);
      expect(l.toNorthM).toBeCloseTo(190 - 20 * i, 6);
      // 10 m off the west and east shores: 280 m long, direction alternating.
      expect(Math.abs(l.toEastM - l.fromEastM)).toBeCloseTo(280, 5);
      expect(Math.sign(l.toEastM - l.fromEastM)).toBe(i % 2 === 0 ? 1 : -1);
      expect(l.speedMps).toBe(1.5);
    });
    // Between lanes, one 20 m transit along the end margin.
    const transits = plan.legs.filter((l) => l.kind === 'transit');
    expect(transits).toHaveLength(9);
    for (const t of transits) expect(Math.hypot(t.toNorthM - t.fromNorthM, t.toEastM - t.fromEastM)).toBeCloseTo(20, 6);
    expectContinuous(plan);
    expect(expectInsideMargin(plan, RECT, 10)).toBeGreaterThan(5000);
  });

  it('follows a given lane angle on a rotated polygon', () => {
    // The same rectangle rotated 30 deg clockwise (about the origin); lanes asked at 120 deg.
    const rot = (p: NePoint): NePoint => {
      const a = (30 * Math.PI) / 180;
      return { northM: p.northM * Math.cos(a) - p.eastM * Math.sin(a), eastM: p.northM * Math.sin(a) + p.eastM * Math.cos(a) };
    };
    const poly = RECT.map(rot);
    const plan = planLawnmower(poly, { laneSpacingM: 20, marginM: 10, angleDeg: 120 });
    const lanes = plan.legs.filter((l) => l.kind === 'lane');
    expect(lanes).toHaveLength(10);
    for (const l of lanes) {
      const course = (Math.atan2(l.toEastM - l.fromEastM, l.toNorthM - l.fromNorthM) * 180) / Math.PI;
      // 120 deg or its reverse, -60 deg.
      expect([120, -60].some((c) => Math.abs(course - c) < 1e-6)).toBe(true);
    }
    // The automatic choice finds the same axis.
    expect(planLawnmower(poly, { laneSpacingM: 20, marginM: 10 }).angleDeg).toBeCloseTo(120, 6);
    expectInsideMargin(plan, poly, 10);
  });

  it('splits lanes that cross a concave shore and keeps every transit off the headland', () => {
    // A U-shaped lake open to the north: two 60 m wide arms around a headland (east 60..140,
    // north 60..200). North-south lanes (angle 0) cross the base and run up either arm.
    const U = [
      { northM: 0, eastM: 0 },
      { northM: 200, eastM: 0 },
      { northM: 200, eastM: 60 },
      { northM: 60, eastM: 60 },
      { northM: 60, eastM: 140 },
      { northM: 200, eastM: 140 },
      { northM: 200, eastM: 200 },
      { northM: 0, eastM: 200 },
    ];
    const plan = planLawnmower(U, { laneSpacingM: 10, marginM: 5, angleDeg: 0 });
    const lanes = plan.legs.filter((l) => l.kind === 'lane');
    // Usable 200 - 10 = 190 m -> 20 lane lines at east 5, 15, ..., 195.
    expect(plan.laneCount).toBe(20);
    // Lines inside the arms (east 5..55 and 145..195) run the full length: 190 m.
    const full = lanes.filter((l) => Math.abs(l.toNorthM - l.fromNorthM) > 189);
    expect(full.length).toBe(12);
    // Lines under the headland (east 65..135) stop 5 m short of it: north 5..55, 50 m.
    const short = lanes.filter((l) => l.fromEastM > 60 && l.fromEastM < 140);
    expect(short.length).toBe(8);
    for (const l of short) expect(Math.abs(l.toNorthM - l.fromNorthM)).toBeCloseTo(50, 5);
    // Lines at east 55 and 145 lie exactly on the headland's margin and run the full length.
    expect(plan.droppedPieces).toBe(0);
    expectContinuous(plan);
    expectInsideMargin(plan, U, 5);
  });

  it('routes a transit around a headland when the straight way is blocked', () => {
    // Water along the west (east -30..0) and north (north 100..130) of a square headland
    // (north 0..100, east 0..100) with an inlet cut into it from the north (north 30..100,
    // east 30..70). East-west lanes at 10 m: reaching the inlet's lanes from the west strip
    // needs a dog-leg through other pieces' ends, i.e. several transits in a row.
    const S = [
      { northM: 0, eastM: 0 },
      { northM: 100, eastM: 0 },
      { northM: 100, eastM: 30 },
      { northM: 30, eastM: 30 },
      { northM: 30, eastM: 70 },
      { northM: 100, eastM: 70 },
      { northM: 100, eastM: 100 },
      { northM: 130, eastM: 100 },
      { northM: 130, eastM: -30 },
      { northM: 0, eastM: -30 },
    ];
    const plan = planLawnmower(S, { laneSpacingM: 10, marginM: 5, angleDeg: 90 });
    let run = 0;
    let longestRun = 0;
    for (const l of plan.legs) {
      run = l.kind === 'transit' ? run + 1 : 0;
      longestRun = Math.max(longestRun, run);
    }
    expect(longestRun).toBeGreaterThanOrEqual(2);
    expect(plan.droppedPieces).toBe(0);
    expectContinuous(plan);
    expectInsideMargin(plan, S, 5);
  });

  it('returns an empty plan with the reason instead of throwing on bad input', () => {
    expect(planLawnmower([{ northM: 0, eastM: 0 }]).problems[0]).toMatch(/3 vertices/);
    expect(planLawnmower(RECT, { laneSpacingM: 0 }).legs).toEqual([]);
    const narrow = planLawnmower(RECT, { marginM: 150 });
    expect(narrow.legs).toEqual([]);
    expect(narrow.problems[0]).toMatch(/narrower/);
  });
});

describe('planLawnmower from a start position', () => {
  // A 300 m (north) x 200 m (east) rectangle is narrowest across east, so lanes run north-south
  // at east = 10, 30, ..., 190 (10 lanes centred in the 180 m usable width), ends at north 10 and 290.
  const rect = [
    { northM: 0, eastM: 0 },
    { northM: 300, eastM: 0 },
    { northM: 300, eastM: 200 },
    { northM: 0, eastM: 200 },
  ];

  it('opens with a transit from the start to the nearest lane end', () => {
    // 5 m off two edges, inside the margin: no transit from here is clear, so the nearest end wins.
    const start = { northM: 295, eastM: 195 };
    const plan = planLawnmower(rect, { laneSpacingM: 20, marginM: 10 }, start);
    expect(plan.legs[0].kind).toBe('transit');
    expect(plan.legs[0].fromNorthM).toBe(295);
    expect(plan.legs[0].fromEastM).toBe(195);
    // The nearest lane end is the north end (290) of the easternmost lane (east 190).
    expect(plan.legs[0].toNorthM).toBeCloseTo(290, 6);
    expect(plan.legs[0].toEastM).toBeCloseTo(190, 6);
    expect(plan.legs[1].kind).toBe('lane');
    const lanes = plan.legs.filter((l) => l.kind === 'lane');
    const without = planLawnmower(rect, { laneSpacingM: 20, marginM: 10 });
    expect(lanes.length).toBe(without.legs.filter((l) => l.kind === 'lane').length);
  });

  it('prefers the nearest end that a clear transit reaches', () => {
    // From the middle of the rectangle every end is reachable; the nearest is the lane at
    // east 90 or 110 (distance to north 10 or 290 ends is the same: 140 m north, 10 m east).
    const plan = planLawnmower(rect, { laneSpacingM: 20, marginM: 10 }, { northM: 150, eastM: 100 });
    expect(plan.legs[0].kind).toBe('transit');
    expect([90, 110]).toContain(Math.round(plan.legs[0].toEastM));
  });

  it('without a start, the plan opens on a lane', () => {
    expect(planLawnmower(rect, { laneSpacingM: 20, marginM: 10 }).legs[0].kind).toBe('lane');
  });
});
