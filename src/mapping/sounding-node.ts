// Places each echo-sounder depth in the local frame: the transducer's position from the latest
// navigation solution and the body-frame lever arm, the water depth from the depth below the
// transducer plus the transducer's depth below the waterline (DPT's offset when the sounder
// sends one, the configured draft otherwise). DPT and DBT of one ping carry the same stamp:
// only the first sounding of a stamp is used, so one ping is one sample.
import type { DepthSounding, NavState, StampNs } from '../msg/index.ts';
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import type { MappingOptions } from './options.ts';

/** Oldest navigation solution a sounding may be placed with, s. */
const MAX_NAV_AGE_S = 1;

export interface SoundingCounters {
  placed: number;
  /** Second sentence of the same ping. */
  duplicate: number;
  /** No valid, recent navigation solution. */
  noNav: number;
  /** Depth not a finite positive number. */
  invalid: number;
}

/** Pure placement: water depth and transducer position; NaN depth for invalid input. */
export function placeSounding(
  depth: DepthSounding,
  nav: NavState,
  o: Pick<MappingOptions, 'leverArmXM' | 'leverArmYM' | 'transducerDepthM'>,
): { northM: number; eastM: number; depthM: number } {
  const c = Math.cos(nav.yawRad);
  const s = Math.sin(nav.yawRad);
  // Body (x forward, y starboard) to NED with yaw ψ: north = x cosψ − y sinψ, east = x sinψ + y cosψ
  // (Fossen, "Handbook of Marine Craft Hydrodynamics and Motion Control", 2021, eq. 2.18, roll
  // and pitch neglected: a catamaran's are small and the IMU's are not in NavState).
  const northM = nav.northM + o.leverArmXM * c - o.leverArmYM * s;
  const eastM = nav.eastM + o.leverArmXM * s + o.leverArmYM * c;
  const offset = depth.offsetM !== undefined && depth.offsetM >= 0 ? depth.offsetM : o.transducerDepthM;
  const d = depth.depthBelowTransducerM;
  const depthM = Number.isFinite(d) && d > 0 && Number.isFinite(offset) ? d + offset : NaN;
  return { northM, eastM, depthM };
}

export class SoundingNode implements RuntimeNode {
  readonly name = 'mapping.soundings';
  readonly counters: SoundingCounters = { placed: 0, duplicate: 0, noNav: 0, invalid: 0 };
  private nav?: NavState;
  private lastStampNs: StampNs = -1n;

  constructor(
    private readonly o: MappingOptions,
    /** Sounder noise, 1 sigma, m, folded into each sounding's sigmaM. */
    private readonly noiseSigmaM = o.noiseSigmaM,
  ) {}

  start(ctx: NodeContext): void {
    ctx.bus.subscribe('nav', (n) => {
      this.nav = n;
    });
    ctx.bus.subscribe('depth', (d) => {
      if (d.stampNs === this.lastStampNs) {
        this.counters.duplicate++;
        return;
      }
      this.lastStampNs = d.stampNs;
      const nav = this.nav;
      if (!nav || !nav.valid || Number(d.stampNs - nav.stampNs) / 1e9 > MAX_NAV_AGE_S) {
        this.counters.noNav++;
        return;
      }
      const p = placeSounding(d, nav, this.o);
      if (!Number.isFinite(p.depthM) || !Number.isFinite(p.northM) || !Number.isFinite(p.eastM)) {
        this.counters.invalid++;
        return;
      }
      this.counters.placed++;
      ctx.bus.publish('sounding', {
        stampNs: d.stampNs,
        northM: p.northM,
        eastM: p.eastM,
        depthM: p.depthM,
        // The slope-times-position-error term needs the map's gradient; left to the mapper's noise.
        sigmaM: this.noiseSigmaM,
      });
    });
  }
}
