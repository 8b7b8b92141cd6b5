// Scores a simulated run against the simulator's truth. Only the composition of a simulation
// uses this: the runtime's nodes never see truth.
import type { GnssFix, GuidanceTarget, NavState } from '../msg/index.ts';
import type { LocalFrame } from '../geo/index.ts';
import { wrapPi } from '../geo/index.ts';

export interface TruthPose {
  northM: number;
  eastM: number;
  yawRad: number;
  /** True depth of the water under the vessel. */
  depthM: number;
}

export interface MetricsWorld {
  bounds: { minNorthM: number; maxNorthM: number; minEastM: number; maxEastM: number };
  isWater(northM: number, eastM: number): boolean;
}

export interface MetricsOptions {
  /** Coverage counts water within this distance of the track (half the lane spacing). */
  swathHalfWidthM: number;
  /** Cross-track figures ignore this long after each lane starts (the turn onto the lane). */
  laneSettleS: number;
  /** A true depth below this is a grounding. */
  draftM: number;
  /** Coverage raster cell size. */
  coverageCellM: number;
}

export interface Leg {
  fromNorthM: number;
  fromEastM: number;
  toNorthM: number;
  toEastM: number;
  kind: 'lane' | 'transit';
}

export class SimMetrics {
  private navSq = 0;
  private navN = 0;
  private yawSq = 0;
  private gnssSq = 0;
  private gnssN = 0;
  private xtSq = 0;
  private xtN = 0;
  private distanceM = 0;
  private last: { northM: number; eastM: number } | undefined;
  private lastMark: { northM: number; eastM: number } | undefined;
  private outside = false;
  private aground = false;
  geofenceViolations = 0;
  groundings = 0;
  minDepthM = Infinity;
  private legIndex = -1;
  private legStartS = 0;
  private readonly covered: Uint8Array;
  private readonly water: Uint8Array;
  private readonly cols: number;
  private readonly rows: number;
  private waterCells = 0;
  private coveredCells = 0;

  constructor(
    private readonly frame: LocalFrame,
    private readonly world: MetricsWorld,
    private readonly legs: readonly Leg[],
    private readonly insideFence: (northM: number, eastM: number) => boolean,
    private readonly options: MetricsOptions,
  ) {
    const b = world.bounds;
    const cell = options.coverageCellM;
    this.rows = Math.max(1, Math.ceil((b.maxNorthM - b.minNorthM) / cell));
    this.cols = Math.max(1, Math.ceil((b.maxEastM - b.minEastM) / cell));
    this.covered = new Uint8Array(this.rows * this.cols);
    this.water = new Uint8Array(this.rows * this.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) {
        const n = b.minNorthM + (i + 0.5) * cell;
        const e = b.minEastM + (j + 0.5) * cell;
        if (world.isWater(n, e)) {
          this.water[i * this.cols + j] = 1;
          this.waterCells++;
        }
      }
    }
  }

  /** Every physics step: distance, coverage, fence and grounding. */
  onTruth(t: TruthPose): void {
    if (this.last) this.distanceM += Math.hypot(t.northM - this.last.northM, t.eastM - this.last.eastM);
    this.last = { northM: t.northM, eastM: t.eastM };
    if (!this.lastMark || Math.hypot(t.northM - this.lastMark.northM, t.eastM - this.lastMark.eastM) >= 1) {
      this.markCoverage(t.northM, t.eastM);
      this.lastMark = { northM: t.northM, eastM: t.eastM };
    }
    const outside = !this.insideFence(t.northM, t.eastM);
    if (outside && !this.outside) this.geofenceViolations++;
    this.outside = outside;
    this.minDepthM = Math.min(this.minDepthM, t.depthM);
    const aground = t.depthM < this.options.draftM;
    if (aground && !this.aground) this.groundings++;
    this.aground = aground;
  }

  onNav(nav: NavState, t: TruthPose): void {
    if (!nav.valid) return;
    this.navSq += (nav.northM - t.northM) ** 2 + (nav.eastM - t.eastM) ** 2;
    this.yawSq += wrapPi(nav.yawRad - t.yawRad) ** 2;
    this.navN++;
  }

  onGnss(fix: GnssFix, t: TruthPose): void {
    if (fix.fixQuality === 0) return;
    const p = this.frame.toLocal({ latDeg: fix.latDeg, lonDeg: fix.lonDeg });
    this.gnssSq += (p.northM - t.northM) ** 2 + (p.eastM - t.eastM) ** 2;
    this.gnssN++;
  }

  /** Cross-track of the TRUE position to the leg the guidance is following. */
  onGuidance(g: GuidanceTarget, t: TruthPose, tS: number): void {
    if (g.legIndex !== this.legIndex) {
      this.legIndex = g.legIndex;
      this.legStartS = tS;
    }
    const leg = this.legs[g.legIndex];
    if (g.done || !leg || leg.kind !== 'lane' || tS - this.legStartS < this.options.laneSettleS) return;
    const dn = leg.toNorthM - leg.fromNorthM;
    const de = leg.toEastM - leg.fromEastM;
    const len = Math.hypot(dn, de);
    if (len === 0) return;
    const xt = ((t.eastM - leg.fromEastM) * dn - (t.northM - leg.fromNorthM) * de) / len;
    this.xtSq += xt * xt;
    this.xtN++;
  }

  private markCoverage(n: number, e: number): void {
    const b = this.world.bounds;
    const cell = this.options.coverageCellM;
    const r = this.options.swathHalfWidthM;
    const i0 = Math.max(0, Math.floor((n - r - b.minNorthM) / cell));
    const i1 = Math.min(this.rows - 1, Math.floor((n + r - b.minNorthM) / cell));
    const j0 = Math.max(0, Math.floor((e - r - b.minEastM) / cell));
    const j1 = Math.min(this.cols - 1, Math.floor((e + r - b.minEastM) / cell));
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const k = i * this.cols + j;
        if (!this.water[k] || this.covered[k]) continue;
        const cn = b.minNorthM + (i + 0.5) * cell;
        const ce = b.minEastM + (j + 0.5) * cell;
        if ((cn - n) ** 2 + (ce - e) ** 2 <= r * r) {
          this.covered[k] = 1;
          this.coveredCells++;
        }
      }
    }
  }

  result() {
    const rms = (sq: number, n: number) => (n > 0 ? Math.sqrt(sq / n) : 0);
    return {
      positionRmseM: rms(this.navSq, this.navN),
      headingRmseDeg: (rms(this.yawSq, this.navN) * 180) / Math.PI,
      gnssRmseM: rms(this.gnssSq, this.gnssN),
      crossTrackRmsM: rms(this.xtSq, this.xtN),
      distanceM: this.distanceM,
      coveragePct: this.waterCells > 0 ? (100 * this.coveredCells) / this.waterCells : 0,
      geofenceViolations: this.geofenceViolations,
      groundings: this.groundings,
      minDepthM: Number.isFinite(this.minDepthM) ? this.minDepthM : 0,
    };
  }
}
