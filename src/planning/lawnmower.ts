// Boustrophedon ("lawnmower") survey plan inside a shoreline polygon, kept a margin off shore.
//
// 1. Lane direction: given, or the one across which the polygon is narrowest. Sweeping across
//    the minimum width gives the fewest lanes and so the fewest turns (Huang, "Optimal
//    line-sweep-based decompositions for coverage algorithms", ICRA 2001).
// 2. Lanes: parallel lines `laneSpacingM` apart, centred across the usable width. Each line is
//    clipped to the polygon exactly (even-odd crossings, so a concave shore gives several
//    pieces), then every stretch closer than `marginM` to any edge is cut out, also exactly: the
//    points within a distance of an edge form a stadium, whose trace on a line is one interval.
// 3. Order: from the end of one piece, the next is the unvisited piece with the nearest end
//    that a straight transit reaches without coming within the margin of the shore. On a
//    convex lake that is the neighbouring lane's near end, i.e. the classic back-and-forth with
//    alternating directions. When no straight transit is clear (a headland in the way), the
//    transit is routed through the end points of other lanes (shortest path in their
//    visibility graph, which lies inside the margin by construction). A piece that no clear
//    route reaches is dropped and counted in `droppedPieces`.
import type { Leg, SurveyPlan } from './plan.ts';
import type { NePoint } from './geometry.ts';
import { lineNearSegmentInterval, segmentClearOfEdges } from './geometry.ts';

export interface LawnmowerOptions {
  /** Distance between adjacent lanes (sensor swath less overlap). */
  laneSpacingM: number;
  /**
   * Least distance from every shoreline edge, for lanes and transits alike. Shores shoal: 15 m
   * keeps the default lake's lanes in water deep enough for the sounder (its minimum range is
   * typically 0.3 m below the transducer), so the survey does not lose its bottom near the ends.
   */
  marginM: number;
  /** Lane direction, degrees clockwise from north; null picks the polygon's long axis (least width across). */
  angleDeg: number | null;
  /** Speed over ground on lanes. */
  speedMps: number;
  /** Speed over ground on transits between lanes. */
  transitSpeedMps: number;
  /** Lane pieces shorter than this are not worth the turn and are left out. */
  minLaneLengthM: number;
}

export const DEFAULT_LAWNMOWER_OPTIONS: Readonly<LawnmowerOptions> = Object.freeze({
  laneSpacingM: 20,
  marginM: 15,
  angleDeg: null,
  speedMps: 1.5,
  transitSpeedMps: 1.5,
  minLaneLengthM: 5,
});

/** A survey plan plus what the planner decided on the way. */
export interface LawnmowerPlan extends SurveyPlan {
  /** Lane direction used, degrees clockwise from north, in [0, 180). */
  angleDeg: number;
  /** Number of lane lines that cut the usable area. */
  laneCount: number;
  /** Lane pieces no clear transit could reach. */
  droppedPieces: number;
  /** Why the plan is empty or short, when it is. */
  problems: string[];
}

interface Piece {
  lane: number;
  a: NePoint;
  b: NePoint;
  visited: boolean;
}

const DEG = Math.PI / 180;
/** Slack on the margin for points computed to lie exactly on it. */
const MARGIN_TOLERANCE_M = 1e-7;

/** Plans a lawnmower survey inside `polygon` (local NED, closed implicitly). Never throws. */
export function planLawnmower(
  polygon: readonly NePoint[],
  options: Partial<LawnmowerOptions> = {},
  /** Where the vessel is: the plan then opens with a transit from here to the nearest lane end. */
  start?: NePoint,
): LawnmowerPlan {
  const o: LawnmowerOptions = { ...DEFAULT_LAWNMOWER_OPTIONS, ...options };
  const problems: string[] = [];
  const empty = (angleDeg: number): LawnmowerPlan => ({ legs: [], angleDeg, laneCount: 0, droppedPieces: 0, problems });
  if (polygon.length < 3) problems.push(`polygon needs at least 3 vertices, got ${polygon.length}`);
  if (polygon.some((p) => !Number.isFinite(p.northM) || !Number.isFinite(p.eastM))) problems.push('polygon has a non-finite vertex');
  if (!(o.laneSpacingM > 0)) problems.push(`laneSpacingM must be > 0, got ${o.laneSpacingM}`);
  if (!(o.marginM >= 0)) problems.push(`marginM must be >= 0, got ${o.marginM}`);
  if (!(o.speedMps > 0) || !(o.transitSpeedMps > 0)) problems.push('speeds must be > 0');
  if (o.angleDeg !== null && !Number.isFinite(o.angleDeg)) problems.push(`angleDeg must be finite or null, got ${o.angleDeg}`);
  if (problems.length > 0) return empty(o.angleDeg ?? 0);

  const angleDeg = normaliseAngleDeg(o.angleDeg ?? narrowestSweepDeg(polygon));
  const dN = Math.cos(angleDeg * DEG);
  const dE = Math.sin(angleDeg * DEG);
  // Lane normal, to starboard of the lane direction.
  const wN = -dE;
  const wE = dN;

  let cMin = Infinity;
  let cMax = -Infinity;
  for (const p of polygon) {
    const c = p.northM * wN + p.eastM * wE;
    if (c < cMin) cMin = c;
    if (c > cMax) cMax = c;
  }
  const usable = cMax - cMin - 2 * o.marginM;
  const laneCount = usable >= 0 ? Math.floor(usable / o.laneSpacingM + 1e-9) + 1 : 0;
  if (laneCount === 0) {
    problems.push(`polygon is narrower (${(cMax - cMin).toFixed(1)} m) than twice the margin`);
    return empty(angleDeg);
  }
  const firstC = (cMin + cMax) / 2 - ((laneCount - 1) * o.laneSpacingM) / 2;

  const pieces: Piece[] = [];
  for (let lane = 0; lane < laneCount; lane++) {
    const c = firstC + lane * o.laneSpacingM;
    const oN = c * wN;
    const oE = c * wE;
    for (const [s0, s1] of laneIntervals(polygon, c, oN, oE, dN, dE, wN, wE, o.marginM)) {
      if (s1 - s0 < o.minLaneLengthM) continue;
      pieces.push({
        lane,
        a: { northM: oN + s0 * dN, eastM: oE + s0 * dE },
        b: { northM: oN + s1 * dN, eastM: oE + s1 * dE },
        visited: false,
      });
    }
  }
  if (pieces.length === 0) {
    problems.push('no lane piece fits inside the margin');
    return { legs: [], angleDeg, laneCount, droppedPieces: 0, problems };
  }

  const { legs, dropped } = orderPieces(pieces, polygon, o, start);
  if (dropped > 0) problems.push(`${dropped} lane piece(s) unreachable by a clear transit; dropped`);
  return { legs, angleDeg, laneCount, droppedPieces: dropped, problems };
}

function normaliseAngleDeg(a: number): number {
  const w = a - 180 * Math.floor(a / 180);
  return w >= 180 ? 0 : w;
}

/** The lane direction across which the polygon is narrowest: every edge direction and every whole degree are tried. */
function narrowestSweepDeg(polygon: readonly NePoint[]): number {
  const candidates: number[] = [];
  for (let d = 0; d < 180; d++) candidates.push(d);
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const eN = polygon[i].northM - polygon[j].northM;
    const eE = polygon[i].eastM - polygon[j].eastM;
    if (eN !== 0 || eE !== 0) candidates.push(normaliseAngleDeg(Math.atan2(eE, eN) / DEG));
  }
  let best = 0;
  let bestWidth = Infinity;
  for (const deg of candidates) {
    const wN = -Math.sin(deg * DEG);
    const wE = Math.cos(deg * DEG);
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of polygon) {
      const c = p.northM * wN + p.eastM * wE;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    // A hair of tolerance so that an exact edge direction wins over a whole degree that ties.
    if (hi - lo < bestWidth - 1e-9) {
      bestWidth = hi - lo;
      best = deg;
    }
  }
  return best;
}

/** Intervals of s along the lane line that are inside the polygon and at least marginM off every edge. */
function laneIntervals(
  polygon: readonly NePoint[],
  c: number,
  oN: number,
  oE: number,
  dN: number,
  dE: number,
  wN: number,
  wE: number,
  marginM: number,
): [number, number][] {
  const crossings: number[] = [];
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[j];
    const b = polygon[i];
    const ca = a.northM * wN + a.eastM * wE - c;
    const cb = b.northM * wN + b.eastM * wE - c;
    if (ca > 0 === cb > 0) continue;
    const t = ca / (ca - cb);
    crossings.push((a.northM + t * (b.northM - a.northM)) * dN + (a.eastM + t * (b.eastM - a.eastM)) * dE);
  }
  crossings.sort((x, y) => x - y);
  let allowed: [number, number][] = [];
  for (let k = 0; k + 1 < crossings.length; k += 2) allowed.push([crossings[k], crossings[k + 1]]);
  if (marginM <= 0) return allowed;
  // A lane exactly at the margin (the outermost ones, by construction) is allowed: shave a
  // hair off the radius so rounding does not cut it out as tangent to an edge's stadium.
  const radiusM = marginM - MARGIN_TOLERANCE_M;
  for (let i = 0, j = n - 1; i < n && allowed.length > 0; j = i++) {
    const a = polygon[j];
    const b = polygon[i];
    const near = lineNearSegmentInterval(oN, oE, dN, dE, a.northM, a.eastM, b.northM, b.eastM, radiusM);
    if (near) allowed = subtract(allowed, near[0], near[1]);
  }
  return allowed;
}

function subtract(intervals: [number, number][], lo: number, hi: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of intervals) {
    if (hi <= a || lo >= b) {
      out.push([a, b]);
      continue;
    }
    if (lo > a) out.push([a, lo]);
    if (hi < b) out.push([hi, b]);
  }
  return out;
}

function orderPieces(
  pieces: Piece[],
  polygon: readonly NePoint[],
  o: LawnmowerOptions,
  start: NePoint | undefined,
): { legs: Leg[]; dropped: number } {
  // Nodes of the transit graph: the two ends of every piece (2k, 2k + 1).
  const nodes: NePoint[] = [];
  for (const p of pieces) nodes.push(p.a, p.b);
  const clear = new Map<number, boolean>();
  const isClear = (i: number, j: number): boolean => {
    const key = i < j ? i * nodes.length + j : j * nodes.length + i;
    let v = clear.get(key);
    if (v === undefined) {
      v = segmentClearOfEdges(nodes[i], nodes[j], polygon, o.marginM);
      clear.set(key, v);
    }
    return v;
  };

  const legs: Leg[] = [];
  const lane = (from: NePoint, to: NePoint): void => {
    legs.push(leg(from, to, 'lane', o.speedMps));
  };
  const transit = (from: NePoint, to: NePoint): void => {
    if (Math.hypot(to.northM - from.northM, to.eastM - from.eastM) < 1e-6) return;
    legs.push(leg(from, to, 'transit', o.transitSpeedMps));
  };

  // Without a start position: the first piece (lowest lane, smallest s), entered at its `a`
  // end. With one: the lane end nearest to it that a clear straight transit reaches (the start
  // itself may lie within the margin, e.g. at a jetty; then simply the nearest end).
  let first = 0;
  if (start && Number.isFinite(start.northM) && Number.isFinite(start.eastM)) {
    const byDistance = nodes
      .map((_, i) => i)
      .sort((x, y) => dist2(nodes[x], start) - dist2(nodes[y], start) || x - y);
    first = byDistance.find((i) => segmentClearOfEdges(start, nodes[i], polygon, o.marginM)) ?? byDistance[0];
    transit(start, nodes[first]);
  }
  pieces[first >> 1].visited = true;
  const firstExit = first % 2 === 0 ? first + 1 : first - 1;
  lane(nodes[first], nodes[firstExit]);
  let here = firstExit; // node index of where the vessel is
  let remaining = pieces.length - 1;
  let dropped = 0;

  while (remaining > 0) {
    // Unvisited ends, nearest first; take the first a straight transit reaches.
    const ends: number[] = [];
    for (let k = 0; k < pieces.length; k++) if (!pieces[k].visited) ends.push(2 * k, 2 * k + 1);
    const dist = (i: number): number =>
      Math.hypot(nodes[i].northM - nodes[here].northM, nodes[i].eastM - nodes[here].eastM);
    ends.sort((x, y) => dist(x) - dist(y) || x - y);
    let entry = ends.find((e) => isClear(here, e));
    let route: number[] = entry === undefined ? [] : [entry];
    if (entry === undefined) {
      route = shortestRouteToAny(here, new Set(ends), nodes, isClear);
      entry = route.length > 0 ? route[route.length - 1] : undefined;
    }
    if (entry === undefined) {
      dropped += remaining;
      break;
    }
    let from = nodes[here];
    for (const node of route) {
      transit(from, nodes[node]);
      from = nodes[node];
    }
    pieces[entry >> 1].visited = true;
    remaining--;
    const exit = entry % 2 === 0 ? entry + 1 : entry - 1;
    lane(nodes[entry], nodes[exit]);
    here = exit;
  }
  return { legs, dropped };
}

/** Dijkstra over the visibility graph of piece ends; returns the node path (excluding the start) to the nearest target. */
function shortestRouteToAny(
  start: number,
  targets: Set<number>,
  nodes: readonly NePoint[],
  isClear: (i: number, j: number) => boolean,
): number[] {
  const n = nodes.length;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[start] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) return [];
    if (targets.has(u)) {
      const path: number[] = [];
      for (let v = u; v !== start; v = prev[v]) path.push(v);
      return path.reverse();
    }
    done[u] = 1;
    for (let v = 0; v < n; v++) {
      if (done[v] || !isClear(u, v)) continue;
      const d = dist[u] + Math.hypot(nodes[v].northM - nodes[u].northM, nodes[v].eastM - nodes[u].eastM);
      if (d < dist[v]) {
        dist[v] = d;
        prev[v] = u;
      }
    }
  }
}

function dist2(a: NePoint, b: NePoint): number {
  return (a.northM - b.northM) ** 2 + (a.eastM - b.eastM) ** 2;
}

function leg(from: NePoint, to: NePoint, kind: Leg['kind'], speedMps: number): Leg {
  return { fromNorthM: from.northM, fromEastM: from.eastM, toNorthM: to.northM, toEastM: to.eastM, kind, speedMps };
}
