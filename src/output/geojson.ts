// Run products as GeoJSON (RFC 7946): the track as a LineString, and optionally the estimated
// track, the plan's legs and the shoreline. Positions are [longitude, latitude] (RFC 7946
// §3.1.1), in WGS84 degrees, rounded to 1e-7 degree (about 1 cm), well below GNSS error.
import type { SurveyPlan } from '../planning/plan.ts';
import type { NePoint } from '../planning/geometry.ts';
import { polygonAreaM2 } from '../planning/geometry.ts';

export interface TrackPoint {
  latDeg: number;
  lonDeg: number;
  /** Seconds since the start of the run. */
  tS: number;
}

/** Anything that maps the local frame to geodetic (src/geo LocalFrame does). */
export interface ToGeo {
  toGeo(p: { northM: number; eastM: number }): { latDeg: number; lonDeg: number };
}

export interface GeoJsonExtras {
  /** Local-to-geodetic conversion; needed for `plan` and `shoreline`. */
  frame?: ToGeo;
  /** The estimated (navigation) track, beside the true one. */
  estimatedTrack?: TrackPoint[];
  /** Survey legs in the local frame, one LineString each. */
  plan?: SurveyPlan;
  /** Shoreline polygon in the local frame. */
  shoreline?: NePoint[];
  /** Copied into the track feature's properties (scenario, seed, ...). */
  properties?: Record<string, unknown>;
}

export type Position = [number, number];

export interface Feature {
  type: 'Feature';
  geometry:
    | { type: 'LineString'; coordinates: Position[] }
    | { type: 'Point'; coordinates: Position }
    | { type: 'Polygon'; coordinates: Position[][] };
  properties: Record<string, unknown>;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
const pos = (latDeg: number, lonDeg: number): Position => [round7(lonDeg), round7(latDeg)];

function trackFeature(points: TrackPoint[], name: string, properties: Record<string, unknown>): Feature | undefined {
  const good = points.filter((p) => Number.isFinite(p.latDeg) && Number.isFinite(p.lonDeg) && Number.isFinite(p.tS));
  if (good.length === 0) return undefined;
  const props = { name, startS: good[0].tS, endS: good[good.length - 1].tS, points: good.length, ...properties };
  // A LineString needs two positions (RFC 7946 §3.1.4); one fix is a Point.
  if (good.length === 1) return { type: 'Feature', geometry: { type: 'Point', coordinates: pos(good[0].latDeg, good[0].lonDeg) }, properties: props };
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: good.map((p) => pos(p.latDeg, p.lonDeg)) },
    // Per-vertex times, as the common GPX-to-GeoJSON converters write them.
    properties: { ...props, coordTimes: good.map((p) => p.tS) },
  };
}

/** The run's track (and the extras given) as one FeatureCollection. Non-finite points are left out. */
export function trackToGeoJson(track: TrackPoint[], extras: GeoJsonExtras = {}): FeatureCollection {
  const features: Feature[] = [];
  const t = trackFeature(track, 'track', { ...extras.properties });
  if (t) features.push(t);
  if (extras.estimatedTrack) {
    const e = trackFeature(extras.estimatedTrack, 'estimatedTrack', {});
    if (e) features.push(e);
  }
  const frame = extras.frame;
  if (frame && extras.plan) {
    extras.plan.legs.forEach((leg, index) => {
      const a = frame.toGeo({ northM: leg.fromNorthM, eastM: leg.fromEastM });
      const b = frame.toGeo({ northM: leg.toNorthM, eastM: leg.toEastM });
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [pos(a.latDeg, a.lonDeg), pos(b.latDeg, b.lonDeg)] },
        properties: { name: 'leg', index, kind: leg.kind, speedMps: leg.speedMps },
      });
    });
  }
  if (frame && extras.shoreline && extras.shoreline.length >= 3) {
    // Exterior rings run counter-clockwise (RFC 7946 §3.1.6). polygonAreaM2 is positive for
    // clockwise on the map, so such a ring is reversed.
    const ring = polygonAreaM2(extras.shoreline) > 0 ? [...extras.shoreline].reverse() : extras.shoreline;
    const coords = ring.map((p) => {
      const g = frame.toGeo(p);
      return pos(g.latDeg, g.lonDeg);
    });
    coords.push(coords[0]); // a linear ring is closed explicitly
    features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [coords] }, properties: { name: 'shoreline' } });
  }
  return { type: 'FeatureCollection', features };
}
