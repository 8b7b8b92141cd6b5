// Plane geometry in the local NED frame, shared by the planners, the geofence and the plots.
// Polygons are arrays of vertices, closed implicitly (the last vertex joins the first), of
// either winding. Inside/outside follows the even-odd rule, so a self-touching shoreline
// still gives a sensible answer.

/** A point of the local frame (north, east), metres. */
export interface NePoint {
  northM: number;
  eastM: number;
}

/** True when `p` lies strictly inside the polygon (even-odd rule; points on an edge may go either way). */
export function pointInPolygon(p: NePoint, polygon: readonly NePoint[]): boolean {
  return pointInPolygonNe(p.northM, p.eastM, polygon);
}

/** `pointInPolygon` without an object, for per-pixel and per-sample loops. */
export function pointInPolygonNe(northM: number, eastM: number, polygon: readonly NePoint[]): boolean {
  let inside = false;
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    // Half-open test on east so a ray through a vertex counts that vertex once.
    if (a.eastM > eastM !== b.eastM > eastM) {
      const northAtCrossing = a.northM + ((eastM - a.eastM) * (b.northM - a.northM)) / (b.eastM - a.eastM);
      if (northM < northAtCrossing) inside = !inside;
    }
  }
  return inside;
}

/** Distance from (pN, pE) to the segment a-b. */
export function distanceToSegmentM(
  pN: number,
  pE: number,
  aN: number,
  aE: number,
  bN: number,
  bE: number,
): number {
  const dN = bN - aN;
  const dE = bE - aE;
  const len2 = dN * dN + dE * dE;
  let t = len2 > 0 ? ((pN - aN) * dN + (pE - aE) * dE) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(pN - (aN + t * dN), pE - (aE + t * dE));
}

/** Distance from `p` to the nearest edge of the polygon (whether `p` is inside or not). */
export function distanceToPolygonEdgeM(p: NePoint, polygon: readonly NePoint[]): number {
  let best = Infinity;
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[j];
    const b = polygon[i];
    const d = distanceToSegmentM(p.northM, p.eastM, a.northM, a.eastM, b.northM, b.eastM);
    if (d < best) best = d;
  }
  return best;
}

/** Signed area (positive when the vertices run clockwise seen with north up, east right). */
export function polygonAreaM2(polygon: readonly NePoint[]): number {
  let twice = 0;
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    // Shoelace in (east, north) as (x, y): positive for counter-clockwise in x-y, which with
    // north up and east right is counter-clockwise on the map too.
    twice += polygon[j].eastM * polygon[i].northM - polygon[i].eastM * polygon[j].northM;
  }
  return -twice / 2;
}

/**
 * The parameter interval [lo, hi] along the line p(s) = origin + s * dir (dir a unit vector)
 * where the line is closer than `radiusM` to the segment a-b, or null when it never is.
 * The set of points within a distance of a segment is convex (a stadium), so its trace on a
 * line is one interval: the union of the traces of the two end discs and the middle strip.
 */
export function lineNearSegmentInterval(
  oN: number,
  oE: number,
  dirN: number,
  dirE: number,
  aN: number,
  aE: number,
  bN: number,
  bE: number,
  radiusM: number,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const disc = (cN: number, cE: number): void => {
    // |o + s d - c|^2 < r^2 with |d| = 1: s^2 + 2 s (w.d) + |w|^2 - r^2 < 0, w = o - c.
    const wN = oN - cN;
    const wE = oE - cE;
    const b = wN * dirN + wE * dirE;
    const c = wN * wN + wE * wE - radiusM * radiusM;
    const disc2 = b * b - c;
    if (disc2 <= 0) return;
    const root = Math.sqrt(disc2);
    if (-b - root < lo) lo = -b - root;
    if (-b + root > hi) hi = -b + root;
  };
  disc(aN, aE);
  disc(bN, bE);
  const segN = bN - aN;
  const segE = bE - aE;
  const len = Math.hypot(segN, segE);
  if (len > 0) {
    const uN = segN / len;
    const uE = segE / len;
    // Strip: 0 <= (p - a).u <= len and |(p - a).w| <= r, w the unit normal; both linear in s.
    let sLo = -Infinity;
    let sHi = Infinity;
    const slab = (c0: number, c1: number, min: number, max: number): void => {
      // c0 + c1 s in [min, max]
      if (Math.abs(c1) < 1e-12) {
        if (c0 < min || c0 > max) {
          sLo = Infinity;
          sHi = -Infinity;
        }
        return;
      }
      let s0 = (min - c0) / c1;
      let s1 = (max - c0) / c1;
      if (s0 > s1) [s0, s1] = [s1, s0];
      if (s0 > sLo) sLo = s0;
      if (s1 < sHi) sHi = s1;
    };
    const wN = oN - aN;
    const wE = oE - aE;
    slab(wN * uN + wE * uE, dirN * uN + dirE * uE, 0, len);
    slab(-wN * uE + wE * uN, -dirN * uE + dirE * uN, -radiusM, radiusM);
    if (sLo < sHi) {
      if (sLo < lo) lo = sLo;
      if (sHi > hi) hi = sHi;
    }
  }
  return lo < hi ? [lo, hi] : null;
}

/**
 * True when the straight segment p-q stays inside the polygon and at least `marginM` from
 * every edge (with `toleranceM` of slack for points computed to lie exactly on the margin).
 */
export function segmentClearOfEdges(
  p: NePoint,
  q: NePoint,
  polygon: readonly NePoint[],
  marginM: number,
  toleranceM = 1e-6,
): boolean {
  if (!pointInPolygon(p, polygon)) return false;
  const dN = q.northM - p.northM;
  const dE = q.eastM - p.eastM;
  const len = Math.hypot(dN, dE);
  if (len === 0) return distanceToPolygonEdgeM(p, polygon) >= marginM - toleranceM;
  const uN = dN / len;
  const uE = dE / len;
  const r = Math.max(0, marginM - toleranceM);
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[j];
    const b = polygon[i];
    const near = lineNearSegmentInterval(p.northM, p.eastM, uN, uE, a.northM, a.eastM, b.northM, b.eastM, r);
    // A segment that never comes within the margin of an edge cannot cross one either, so
    // with p inside, all of it is inside.
    if (near && near[1] > 0 && near[0] < len) return false;
    // With a zero margin the stadium degenerates to the edge itself; test the crossing directly.
    if (segmentsCross(p, q, a, b)) return false;
  }
  return true;
}

/** True when segments p-q and a-b properly cross (touching end points do not count). */
export function segmentsCross(p: NePoint, q: NePoint, a: NePoint, b: NePoint): boolean {
  const o1 = orient(p, q, a);
  const o2 = orient(p, q, b);
  const o3 = orient(a, b, p);
  const o4 = orient(a, b, q);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

function orient(a: NePoint, b: NePoint, c: NePoint): number {
  return (b.northM - a.northM) * (c.eastM - a.eastM) - (b.eastM - a.eastM) * (c.northM - a.northM);
}
