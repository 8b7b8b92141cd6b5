// The geofence's pure core: the shoreline moved inwards by a margin, and the hard final check
// on every thrust command.
//
// A command is unsafe when it pushes the vessel forward while the point one stopping distance
// ahead of the bow lies outside the fence. The stopping distance is the reaction distance plus
// the braking distance of constant deceleration, s = u tr + u^2 / (2 a) (the ordinary
// kinematic stopping distance; `a` is set well below what full astern gives, so the check
// errs on the early side). An unsafe command is replaced, not dropped: its differential part
// (the yaw moment) is kept so the vessel can still turn away, and its common part (surge) is
// cut to zero, or to braking when the vessel is making way. Pure: no clock, no bus.
import type { NavState, ThrustCommand } from '../msg/index.ts';
import type { VesselParams } from '../model/vessel.ts';
import { clampThrust } from '../model/vessel.ts';
import { distanceToPolygonEdgeM, pointInPolygonNe, type NePoint } from '../planning/geometry.ts';
import type { GeofenceOptions } from './options.ts';

export interface FenceVerdict {
  /** The command may pass unchanged. */
  safe: boolean;
  /** The vessel's own position is outside the fence (or too close to its edge). */
  outside: boolean;
  leftN: number;
  rightN: number;
}

export class Geofence {
  constructor(
    readonly polygon: readonly NePoint[],
    private readonly options: GeofenceOptions,
    private readonly params: VesselParams,
  ) {}

  /** Inside the shoreline and at least marginM from it. */
  contains(northM: number, eastM: number): boolean {
    if (!Number.isFinite(northM) || !Number.isFinite(eastM)) return false;
    if (!pointInPolygonNe(northM, eastM, this.polygon)) return false;
    return distanceToPolygonEdgeM({ northM, eastM }, this.polygon) >= this.options.marginM;
  }

  /** Reaction plus braking distance at surge speed uMps (never less than minLookAheadM). */
  stoppingDistanceM(uMps: number): number {
    const u = Number.isFinite(uMps) ? Math.max(0, uMps) : 0;
    const o = this.options;
    return Math.max(o.minLookAheadM, u * o.reactionS + (u * u) / (2 * o.brakeDecelMps2));
  }

  /** Writes the verdict on `cmd` for a vessel at `nav` into `out` (allocates nothing). */
  /**
   * `speedOverGroundMps` (from the GNSS receiver, NaN when unknown) guards against an estimator
   * whose velocity has diverged: the larger of it and the estimated surge sets the distance.
   */
  check(nav: NavState, cmd: ThrustCommand, out: FenceVerdict, speedOverGroundMps = NaN): FenceVerdict {
    out.leftN = cmd.leftN;
    out.rightN = cmd.rightN;
    out.safe = true;
    out.outside = !this.contains(nav.northM, nav.eastM);
    const surgeN = cmd.leftN + cmd.rightN;
    if (!(surgeN > 0)) return out;
    const speed = Math.max(Number.isFinite(nav.uMps) ? Math.abs(nav.uMps) : 0, Number.isFinite(speedOverGroundMps) ? speedOverGroundMps : 0);
    const dist = this.stoppingDistanceM(speed);
    const aheadN = nav.northM + dist * Math.cos(nav.yawRad);
    const aheadE = nav.eastM + dist * Math.sin(nav.yawRad);
    if (this.contains(aheadN, aheadE) && !out.outside) return out;
    // Outside already, but the bow points into the fence: driving on is the way back in.
    if (out.outside && this.contains(aheadN, aheadE)) return out;
    out.safe = false;
    const diffN = cmd.leftN - cmd.rightN;
    // Braking force proportional to the way the vessel makes, at most full astern.
    // Braking opposes the way the vessel makes ahead; astern thrust on a vessel already going
    // astern would push it on towards whatever is behind it.
    const u = Number.isFinite(nav.uMps) ? nav.uMps : 0;
    const brakeN = u > 0.2 ? -Math.min(this.params.maxReverseThrustN, 60 * u) : 0;
    out.leftN = clampThrust(this.params, brakeN + diffN / 2);
    out.rightN = clampThrust(this.params, brakeN - diffN / 2);
    return out;
  }
}

export function createVerdict(): FenceVerdict {
  return { safe: true, outside: false, leftN: 0, rightN: 0 };
}
