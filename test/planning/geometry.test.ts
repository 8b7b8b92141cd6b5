import { describe, expect, it } from 'vitest';
import {
  distanceToPolygonEdgeM,
  pointInPolygon,
  polygonAreaM2,
  segmentClearOfEdges,
} from '../../src/planning/geometry.ts';

const square = [
  { northM: 0, eastM: 0 },
  { northM: 10, eastM: 0 },
  { northM: 10, eastM: 10 },
  { northM: 0, eastM: 10 },
];

describe('planning geometry', () => {
  it('tells inside from outside', () => {
    expect(pointInPolygon({ northM: 5, eastM: 5 }, square)).toBe(true);
    expect(pointInPolygon({ northM: 11, eastM: 5 }, square)).toBe(false);
    expect(pointInPolygon({ northM: 5, eastM: -0.1 }, square)).toBe(false);
  });

  it('measures the distance to the nearest edge, inside or out', () => {
    expect(distanceToPolygonEdgeM({ northM: 5, eastM: 2 }, square)).toBeCloseTo(2, 12);
    // Outside past a corner: distance to the corner (10, 10) from (13, 14) = 5.
    expect(distanceToPolygonEdgeM({ northM: 13, eastM: 14 }, square)).toBeCloseTo(5, 12);
  });

  it('computes the area of either winding', () => {
    expect(Math.abs(polygonAreaM2(square))).toBeCloseTo(100, 12);
    expect(polygonAreaM2([...square].reverse())).toBeCloseTo(-polygonAreaM2(square), 12);
  });

  it('accepts a segment clear of the margin and refuses one that comes too close or leaves', () => {
    const p = { northM: 5, eastM: 3 };
    expect(segmentClearOfEdges(p, { northM: 5, eastM: 7 }, square, 2)).toBe(true);
    // Passes 1 m from the east edge with a 2 m margin.
    expect(segmentClearOfEdges(p, { northM: 5, eastM: 9 }, square, 2)).toBe(false);
    // Leaves the polygon, even with no margin at all.
    expect(segmentClearOfEdges(p, { northM: 5, eastM: 12 }, square, 0)).toBe(false);
  });
});
