// What the simulator knows about the water body. Local NED metres around the world's origin.
import { pointInPolygonNe } from '../../src/planning/geometry.ts';

export interface NorthEast {
  northM: number;
  eastM: number;
}

export interface World {
  readonly name: string;
  readonly kind: 'lake' | 'grid';
  /** Geodetic anchor of the local frame (the point at northM = eastM = 0). */
  readonly origin: { latDeg: number; lonDeg: number };
  /** Closed polygon of the water body's edge, local NED; the last vertex is not repeated. */
  readonly shoreline: NorthEast[];
  /** Water depth at a point, positive down; <= 0 on land. */
  depthAt(northM: number, eastM: number): number;
  /** True where there is water (depth > 0). */
  isWater(northM: number, eastM: number): boolean;
  /** Axis-aligned box that holds the shoreline. */
  readonly bounds: { minNorthM: number; maxNorthM: number; minEastM: number; maxEastM: number };
  /** A safe start pose in water (depth > 1 m, away from the shore), bow towards open water. */
  readonly start: { northM: number; eastM: number; yawRad: number };
  /** Deepest depth the world can have, for colour scales and sanity checks. */
  readonly maxDepthM: number;
}

/** Bounding box of a polygon. */
export function polygonBounds(poly: readonly NorthEast[]): World['bounds'] {
  let minN = Infinity;
  let maxN = -Infinity;
  let minE = Infinity;
  let maxE = -Infinity;
  for (const p of poly) {
    if (p.northM < minN) minN = p.northM;
    if (p.northM > maxN) maxN = p.northM;
    if (p.eastM < minE) minE = p.eastM;
    if (p.eastM > maxE) maxE = p.eastM;
  }
  return { minNorthM: minN, maxNorthM: maxN, minEastM: minE, maxEastM: maxE };
}

/** Even-odd point-in-polygon test (the project's one implementation, in src/planning/geometry). */
export function insidePolygon(poly: readonly NorthEast[], northM: number, eastM: number): boolean {
  return pointInPolygonNe(northM, eastM, poly);
}
