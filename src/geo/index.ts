// Geodetic <-> local NED, in one place.
//
// The local frame is a tangent plane at an origin (marine NED: x north, y east, z down).
// Conversion goes through ECEF on the WGS84 ellipsoid (a = 6378137 m, f = 1/298.257223563,
// NIMA TR8350.2), so it is exact at any range rather than a flat-earth approximation.

const A = 6378137.0;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const DEG = Math.PI / 180;

export interface GeoPoint {
  latDeg: number;
  lonDeg: number;
  /** Height above the ellipsoid. */
  altM?: number;
}

export interface LocalPoint {
  northM: number;
  eastM: number;
  downM: number;
}

function toEcef(latDeg: number, lonDeg: number, h: number): [number, number, number] {
  const lat = latDeg * DEG;
  const lon = lonDeg * DEG;
  const s = Math.sin(lat);
  const n = A / Math.sqrt(1 - E2 * s * s);
  const c = Math.cos(lat);
  return [(n + h) * c * Math.cos(lon), (n + h) * c * Math.sin(lon), (n * (1 - E2) + h) * s];
}

function fromEcef(x: number, y: number, z: number): GeoPoint {
  // Bowring's closed form, refined twice: sub-millimetre for surface points.
  const lon = Math.atan2(y, x);
  const p = Math.hypot(x, y);
  let lat = Math.atan2(z, p * (1 - E2));
  let h = 0;
  for (let i = 0; i < 4; i++) {
    const s = Math.sin(lat);
    const n = A / Math.sqrt(1 - E2 * s * s);
    h = p / Math.cos(lat) - n;
    lat = Math.atan2(z, p * (1 - (E2 * n) / (n + h)));
  }
  return { latDeg: lat / DEG, lonDeg: lon / DEG, altM: h };
}

/** A local NED frame anchored at a geodetic origin. */
export class LocalFrame {
  readonly origin: Required<GeoPoint>;
  private readonly ecef0: [number, number, number];
  private readonly sLat: number;
  private readonly cLat: number;
  private readonly sLon: number;
  private readonly cLon: number;

  constructor(origin: GeoPoint) {
    this.origin = { latDeg: origin.latDeg, lonDeg: origin.lonDeg, altM: origin.altM ?? 0 };
    this.ecef0 = toEcef(this.origin.latDeg, this.origin.lonDeg, this.origin.altM);
    this.sLat = Math.sin(this.origin.latDeg * DEG);
    this.cLat = Math.cos(this.origin.latDeg * DEG);
    this.sLon = Math.sin(this.origin.lonDeg * DEG);
    this.cLon = Math.cos(this.origin.lonDeg * DEG);
  }

  toLocal(p: GeoPoint): LocalPoint {
    const [x, y, z] = toEcef(p.latDeg, p.lonDeg, p.altM ?? this.origin.altM);
    const dx = x - this.ecef0[0];
    const dy = y - this.ecef0[1];
    const dz = z - this.ecef0[2];
    const { sLat, cLat, sLon, cLon } = this;
    return {
      northM: -sLat * cLon * dx - sLat * sLon * dy + cLat * dz,
      eastM: -sLon * dx + cLon * dy,
      downM: -cLat * cLon * dx - cLat * sLon * dy - sLat * dz,
    };
  }

  toGeo(p: { northM: number; eastM: number; downM?: number }): Required<GeoPoint> {
    const { sLat, cLat, sLon, cLon } = this;
    const n = p.northM;
    const e = p.eastM;
    const d = p.downM ?? 0;
    const dx = -sLat * cLon * n - sLon * e - cLat * cLon * d;
    const dy = -sLat * sLon * n + cLon * e - cLat * sLon * d;
    const dz = cLat * n - sLat * d;
    const g = fromEcef(this.ecef0[0] + dx, this.ecef0[1] + dy, this.ecef0[2] + dz);
    return { latDeg: g.latDeg, lonDeg: g.lonDeg, altM: g.altM ?? 0 };
  }
}

/** Wraps an angle to (-pi, pi]. */
export function wrapPi(a: number): number {
  const w = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  return w === -Math.PI ? Math.PI : w;
}

/** Wraps an angle to [0, 2 pi). */
export function wrap2Pi(a: number): number {
  const w = a - 2 * Math.PI * Math.floor(a / (2 * Math.PI));
  return w >= 2 * Math.PI ? 0 : w;
}

export const degToRad = (d: number): number => d * DEG;
export const radToDeg = (r: number): number => r / DEG;
