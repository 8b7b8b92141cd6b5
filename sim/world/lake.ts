// A lake generated from a seed: irregular shore, and a bathymetry that is non-stationary on
// purpose (a mapper with one global length scale should struggle somewhere): a smooth basin,
// an off-centre deep hole, a steep drop-off, a dredged channel and shoals near the surface.
//
// Shore: in polar coordinates about the centre, r(theta) = ellipse(theta) * (1 + sum_k a_k
// cos(k theta + phi_k)), k = 2..modes+1, with sum |a_k| <= shoreRoughness < 1, so the shore is
// smooth, star-shaped and closed. With s = 1 - rho / r(theta) (0 at the shore, 1 at the
// centre), depth is taper(s) * (basin + hole + drop-off + channel), then shoals pull it up to
// their crest depth. taper(0) = 0, so depth is exactly 0 at the shore and negative outside.
import { Rng } from '../random.ts';
import type { NorthEast, World } from './types.ts';
import { polygonBounds } from './types.ts';

export interface LakeOptions {
  /** Seed of the lake's shape; null uses the simulation seed. Fix it to keep a lake while noise changes. */
  seed: number | null;
  /** Display name. */
  name: string;
  /** Extent of the lake before shore noise, metres. */
  sizeNorthM: number;
  sizeEastM: number;
  /** Largest relative radial deviation of the shore (0..0.5). */
  shoreRoughness: number;
  /** Number of angular modes of the shore noise. */
  shoreModes: number;
  /** Vertices of the shoreline polygon. */
  shoreVertices: number;
  /** Deepest water, metres. */
  maxDepthM: number;
  /** Width of the shallow shelf, as a fraction of the centre-to-shore distance. */
  shelfFraction: number;
  /** Extra depth beyond the drop-off, metres, and the drop-off's width (a tanh), metres. */
  dropOffDepthM: number;
  dropOffWidthM: number;
  /** Extra depth along the channel's axis, metres, and its half-width (Gaussian sigma), metres. */
  channelDepthM: number;
  channelWidthM: number;
  /** Number of shoals, and the shallowest depth over any of them, metres (keep >= 1 m: the draft is 0.13 m). */
  shoalCount: number;
  shoalMinDepthM: number;
  /** Geodetic anchor of the lake's centre. */
  originLatDeg: number;
  originLonDeg: number;
}

export const DEFAULT_LAKE_OPTIONS: LakeOptions = {
  seed: null,
  name: 'lake',
  sizeNorthM: 300,
  sizeEastM: 400,
  shoreRoughness: 0.25,
  shoreModes: 6,
  shoreVertices: 256,
  maxDepthM: 20,
  shelfFraction: 0.08,
  dropOffDepthM: 4,
  dropOffWidthM: 6,
  channelDepthM: 3,
  channelWidthM: 12,
  shoalCount: 3,
  shoalMinDepthM: 1.2,
  originLatDeg: 59.6625,
  originLonDeg: 10.7625,
};

const LAND_SLOPE = 0.05;

export class LakeWorld implements World {
  readonly kind = 'lake' as const;
  readonly name: string;
  readonly origin: { latDeg: number; lonDeg: number };
  readonly shoreline: NorthEast[];
  readonly bounds: World['bounds'];
  readonly start: { northM: number; eastM: number; yawRad: number };
  readonly maxDepthM: number;
  private readonly o: LakeOptions;
  private readonly ak: Float64Array;
  private readonly phik: Float64Array;
  private readonly hole: { n: number; e: number; sigmaM: number; depthM: number };
  private readonly drop: { n: number; e: number; nx: number; ny: number };
  private readonly channel: { n: number; e: number; nx: number; ny: number };
  private readonly shoals: Array<{ n: number; e: number; sigmaM: number; crestM: number }>;

  constructor(options: LakeOptions, seed: number) {
    const o = { ...options };
    if (!(o.sizeNorthM > 0 && o.sizeEastM > 0)) throw new Error('lake: sizeNorthM and sizeEastM must be > 0');
    if (!(o.shoreRoughness >= 0 && o.shoreRoughness < 0.9)) throw new Error('lake: shoreRoughness must be in [0, 0.9)');
    if (!(o.maxDepthM > 0)) throw new Error('lake: maxDepthM must be > 0');
    this.o = o;
    this.name = o.name;
    this.maxDepthM = o.maxDepthM;
    this.origin = { latDeg: o.originLatDeg, lonDeg: o.originLonDeg };
    const rng = new Rng(o.seed ?? seed, 'world.lake');

    const modes = Math.max(0, Math.floor(o.shoreModes));
    this.ak = new Float64Array(modes);
    this.phik = new Float64Array(modes);
    let wsum = 0;
    for (let i = 0; i < modes; i++) {
      this.ak[i] = rng.range(0.3, 1) / (i + 2);
      this.phik[i] = rng.range(0, 2 * Math.PI);
      wsum += this.ak[i];
    }
    for (let i = 0; i < modes; i++) this.ak[i] *= wsum > 0 ? o.shoreRoughness / wsum : 0;

    const verts = Math.max(16, Math.floor(o.shoreVertices));
    this.shoreline = [];
    for (let i = 0; i < verts; i++) {
      const th = (2 * Math.PI * i) / verts;
      const r = this.shoreRadius(th);
      this.shoreline.push({ northM: r * Math.cos(th), eastM: r * Math.sin(th) });
    }
    this.bounds = polygonBounds(this.shoreline);

    const half = Math.min(o.sizeNorthM, o.sizeEastM) / 2;
    // Features are placed at a fraction of the way from centre to shore, so they lie in water.
    const at = (sLo: number, sHi: number): { n: number; e: number } => {
      const th = rng.range(0, 2 * Math.PI);
      const f = rng.range(sLo, sHi) * this.shoreRadius(th);
      return { n: f * Math.cos(th), e: f * Math.sin(th) };
    };
    const h = at(0.2, 0.5);
    this.hole = { n: h.n, e: h.e, sigmaM: half * rng.range(0.25, 0.4), depthM: 0.25 * o.maxDepthM };
    const d = at(0, 0.3);
    const dAng = rng.range(0, 2 * Math.PI);
    this.drop = { n: d.n, e: d.e, nx: Math.cos(dAng), ny: Math.sin(dAng) };
    const cAng = rng.range(0, 2 * Math.PI);
    const c = at(0, 0.2);
    this.channel = { n: c.n, e: c.e, nx: Math.cos(cAng), ny: Math.sin(cAng) };
    this.shoals = [];
    for (let i = 0; i < Math.max(0, Math.floor(o.shoalCount)); i++) {
      const p = at(0.3, 0.7);
      this.shoals.push({ n: p.n, e: p.e, sigmaM: half * rng.range(0.06, 0.14), crestM: o.shoalMinDepthM + rng.range(0, 1.5) });
    }
    this.start = this.findStart(rng.range(0, 2 * Math.PI));
  }

  /** Centre-to-shore distance along bearing th (radians clockwise from north). */
  shoreRadius(th: number): number {
    const c = Math.cos(th) / (this.o.sizeNorthM / 2);
    const s = Math.sin(th) / (this.o.sizeEastM / 2);
    let f = 1;
    for (let i = 0; i < this.ak.length; i++) f += this.ak[i] * Math.cos((i + 2) * th + this.phik[i]);
    return f / Math.sqrt(c * c + s * s);
  }

  depthAt(northM: number, eastM: number): number {
    if (!Number.isFinite(northM) || !Number.isFinite(eastM)) return 0;
    const o = this.o;
    const rho = Math.hypot(northM, eastM);
    const r = this.shoreRadius(Math.atan2(eastM, northM));
    if (rho >= r) return -LAND_SLOPE * (rho - r);
    const s = 1 - rho / r;
    const taper = 1 - Math.exp(-s / Math.max(1e-6, o.shelfFraction));
    const basin = 0.45 * o.maxDepthM * (1 - (1 - s) * (1 - s));
    const hd = (northM - this.hole.n) ** 2 + (eastM - this.hole.e) ** 2;
    const hole = this.hole.depthM * Math.exp(-hd / (2 * this.hole.sigmaM ** 2));
    const dd = (northM - this.drop.n) * this.drop.nx + (eastM - this.drop.e) * this.drop.ny;
    const drop = o.dropOffDepthM * 0.5 * (1 + Math.tanh(dd / Math.max(1e-6, o.dropOffWidthM)));
    const cd = -(northM - this.channel.n) * this.channel.ny + (eastM - this.channel.e) * this.channel.nx;
    const chan = o.channelDepthM * Math.exp(-(cd * cd) / (2 * o.channelWidthM * o.channelWidthM));
    let depth = Math.min(o.maxDepthM, taper * (basin + hole + drop + chan));
    for (const sh of this.shoals) {
      if (depth <= sh.crestM) continue;
      const q = ((northM - sh.n) ** 2 + (eastM - sh.e) ** 2) / (2 * sh.sigmaM * sh.sigmaM);
      depth -= (depth - sh.crestM) * Math.exp(-q);
    }
    return depth;
  }

  isWater(northM: number, eastM: number): boolean {
    return this.depthAt(northM, eastM) > 0;
  }

  /** A point a quarter of the way in from the shore with at least 2 m of water, bow to the centre. */
  private findStart(bearing: number): { northM: number; eastM: number; yawRad: number } {
    for (let i = 0; i < 72; i++) {
      const th = bearing + (i * 2 * Math.PI) / 72;
      for (const frac of [0.75, 0.6, 0.45]) {
        const rr = frac * this.shoreRadius(th);
        const n = rr * Math.cos(th);
        const e = rr * Math.sin(th);
        if (this.depthAt(n, e) > 2) return { northM: n, eastM: e, yawRad: Math.atan2(-e, -n) };
      }
    }
    return { northM: 0, eastM: 0, yawRad: 0 };
  }
}
