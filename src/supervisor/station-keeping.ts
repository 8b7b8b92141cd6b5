// The supervisor's own small controllers, independent of the survey controller so that they
// still work when that one has failed: HOLD keeps station at a point, RETURN retraces the
// travelled path (known to be navigable water) back to where the vessel started.
//
// Both reuse the baseline LOS + PID controller on a short leg: HOLD rests inside a radius and
// drives back along a leg to the point when current or wind carry it out (a loiter, the usual
// station keeping of an underactuated catamaran); RETURN follows legs between breadcrumbs.
// Breadcrumbs are kept in a fixed ring; when full, every second one is dropped so the whole
// path stays covered at a coarser spacing. Pure: no clock, no bus.
import type { NavState } from '../msg/index.ts';
import type { Leg } from '../planning/plan.ts';
import type { VesselParams } from '../model/vessel.ts';
import { BaselineController, DEFAULT_BASELINE_OPTIONS, navUsable } from '../control/baseline.ts';
import type { StationKeepingOptions } from './options.ts';

export interface KeeperOutput {
  leftN: number;
  rightN: number;
}

const CAPACITY = 4096;

export class StationKeeper {
  private readonly controller: BaselineController;
  private readonly crumbN = new Float64Array(CAPACITY);
  private readonly crumbE = new Float64Array(CAPACITY);
  private crumbs = 0;
  private spacingM: number;
  private holdN = NaN;
  private holdE = NaN;
  private driving = false;
  private returnIndex = -1;
  private readonly leg: Leg = { fromNorthM: 0, fromEastM: 0, toNorthM: 0, toEastM: 0, kind: 'transit', speedMps: 0 };
  private readonly out: KeeperOutput = { leftN: 0, rightN: 0 };

  constructor(
    private readonly options: StationKeepingOptions,
    params: VesselParams,
  ) {
    this.controller = new BaselineController(DEFAULT_BASELINE_OPTIONS, params);
    this.spacingM = options.crumbSpacingM;
  }

  /** Records the travelled path (call with every valid navigation while the vessel drives). */
  record(nav: NavState): void {
    if (!navUsable(nav)) return;
    const k = this.crumbs;
    if (k > 0 && Math.hypot(nav.northM - this.crumbN[k - 1], nav.eastM - this.crumbE[k - 1]) < this.spacingM) return;
    if (k === CAPACITY) {
      for (let i = 0; i < CAPACITY / 2; i++) {
        this.crumbN[i] = this.crumbN[2 * i];
        this.crumbE[i] = this.crumbE[2 * i];
      }
      this.crumbs = CAPACITY / 2;
      this.spacingM *= 2;
    }
    this.crumbN[this.crumbs] = nav.northM;
    this.crumbE[this.crumbs] = nav.eastM;
    this.crumbs++;
  }

  /** The newest breadcrumb that satisfies `ok` (e.g. inside the geofence), if any. */
  newestCrumb(ok: (northM: number, eastM: number) => boolean): { northM: number; eastM: number } | undefined {
    for (let i = this.crumbs - 1; i >= 0; i--) if (ok(this.crumbN[i], this.crumbE[i])) return { northM: this.crumbN[i], eastM: this.crumbE[i] };
    return undefined;
  }

  get breadcrumbs(): number {
    return this.crumbs;
  }

  /**
   * The estimate jumped (an estimator reset, e.g. onto a GNSS jump): move the hold point with
   * it, so that the vessel keeps its place in the world instead of chasing the jump.
   */
  shift(dNorthM: number, dEastM: number): void {
    if (!Number.isFinite(dNorthM) || !Number.isFinite(dEastM)) return;
    this.holdN += dNorthM;
    this.holdE += dEastM;
    this.leg.toNorthM += dNorthM;
    this.leg.toEastM += dEastM;
    this.leg.fromNorthM += dNorthM;
    this.leg.fromEastM += dEastM;
  }

  /** Starts holding at (northM, eastM). */
  beginHold(northM: number, eastM: number): void {
    this.holdN = northM;
    this.holdE = eastM;
    this.driving = false;
    this.returnIndex = -1;
    this.controller.reset();
  }

  /** Starts retracing the breadcrumbs, newest first. With none, holds where it is. */
  beginReturn(nav: NavState): void {
    this.controller.reset();
    this.returnIndex = this.crumbs - 1;
    this.holdN = nav.northM;
    this.holdE = nav.eastM;
    this.driving = false;
    if (this.returnIndex >= 0) this.setLeg(nav, this.returnIndex, this.options.returnSpeedMps);
  }

  get holdPoint(): { northM: number; eastM: number } {
    return { northM: this.holdN, eastM: this.holdE };
  }

  /** Remaining breadcrumbs on the way back; -1 when not returning (or arrived and holding). */
  get returning(): number {
    return this.returnIndex;
  }

  /** One step of HOLD or RETURN (whichever was begun last). The output is reused. */
  step(nav: NavState, dtS: number): KeeperOutput {
    const out = this.out;
    out.leftN = 0;
    out.rightN = 0;
    if (!navUsable(nav) || !Number.isFinite(this.holdN)) return out;
    if (this.returnIndex >= 0) return this.stepReturn(nav, dtS);
    const distM = Math.hypot(nav.northM - this.holdN, nav.eastM - this.holdE);
    if (!this.driving && distM > this.options.holdRadiusM) {
      this.driving = true;
      this.controller.newLeg();
      this.leg.fromNorthM = nav.northM;
      this.leg.fromEastM = nav.eastM;
      this.leg.toNorthM = this.holdN;
      this.leg.toEastM = this.holdE;
      this.leg.speedMps = this.options.holdSpeedMps;
    }
    if (!this.driving) return out;
    const r = this.controller.step(nav, this.leg, dtS);
    if (r.legDone || distM < this.options.holdRadiusM / 3) {
      this.driving = false;
      this.controller.reset();
      return out;
    }
    out.leftN = r.leftN;
    out.rightN = r.rightN;
    return out;
  }

  private stepReturn(nav: NavState, dtS: number): KeeperOutput {
    const out = this.out;
    const i = this.returnIndex;
    if (Math.hypot(nav.northM - this.crumbN[i], nav.eastM - this.crumbE[i]) < this.options.crumbReachedM) {
      this.returnIndex--;
      if (this.returnIndex < 0) {
        // Home: keep station at the first breadcrumb.
        this.holdN = this.crumbN[0];
        this.holdE = this.crumbE[0];
        this.driving = false;
        this.controller.reset();
        return out;
      }
      this.setLeg(nav, this.returnIndex, this.options.returnSpeedMps);
    }
    const r = this.controller.step(nav, this.leg, dtS);
    out.leftN = r.leftN;
    out.rightN = r.rightN;
    return out;
  }

  private setLeg(nav: NavState, i: number, speedMps: number): void {
    this.controller.newLeg();
    this.leg.fromNorthM = nav.northM;
    this.leg.fromEastM = nav.eastM;
    this.leg.toNorthM = this.crumbN[i];
    this.leg.toEastM = this.crumbE[i];
    this.leg.speedMps = speedMps;
  }
}
