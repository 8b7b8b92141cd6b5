// Estimates the water current (plus whatever the model gets wrong, lumped) for the rollouts:
// a through-water velocity is propagated with the controller's model from the thrust actually
// commanded, and the over-ground velocity the navigation reports minus that, in NED, is
// low-passed. Where the estimator's thrust effectiveness is used (settings.useThrustGain) the
// model's thrust is scaled by it; whatever model error is left, the estimate absorbs as the
// speed the model mispredicts along the heading, which is what the rollouts need to predict
// where the boat goes.
import type { NavState } from '../../msg/index.ts';
import { M } from './model.ts';

export interface CurrentEstimate {
  northMps: number;
  eastMps: number;
}

export class CurrentObserver {
  /** Modelled surge and sway through the water. */
  private ur = 0;
  private vr = 0;
  private tl = 0;
  private tr = 0;
  private primed = false;
  readonly estimate: CurrentEstimate = { northMps: 0, eastMps: 0 };

  constructor(
    private readonly model: Float64Array,
    /** Time constant of the low-pass on the residual. */
    private readonly timeConstantS: number,
    /** Bound on each component. */
    private readonly maxMps: number,
  ) {}

  reset(): void {
    this.primed = false;
    this.estimate.northMps = 0;
    this.estimate.eastMps = 0;
  }

  /**
   * One update from navigation and the command sent over the last dtS; the thrusters deliver
   * `thrustGain` x the command (1: the model; the estimator's thrust effectiveness otherwise).
   */
  update(nav: NavState, cmdL: number, cmdR: number, dtS: number, thrustGain = 1): CurrentEstimate {
    const c = this.model;
    const cy = Math.cos(nav.yawRad);
    const sy = Math.sin(nav.yawRad);
    if (!this.primed) {
      this.ur = nav.uMps;
      this.vr = nav.vMps;
      this.primed = true;
    }
    // Sub-step the through-water model at <= 0.05 s for stability at low control rates.
    const steps = Math.max(1, Math.ceil(dtS / 0.05));
    const h = dtS / steps;
    const lag = c[M.lagAlpha] >= 1 ? 1 : 1 - Math.pow(1 - c[M.lagAlpha], h / c[M.dtS]);
    const r = nav.rRadps;
    for (let i = 0; i < steps; i++) {
      this.tl += lag * (thrustGain * cmdL - this.tl);
      this.tr += lag * (thrustGain * cmdR - this.tr);
      const dX = -(c[M.xu] + c[M.xuu] * Math.abs(this.ur)) * this.ur;
      const dY = -(c[M.yv] + c[M.yvv] * Math.abs(this.vr)) * this.vr;
      const urDot = (this.tl + this.tr + c[M.m22] * this.vr * r - dX) / c[M.m11];
      const vrDot = (-c[M.m11] * this.ur * r - dY) / c[M.m22];
      this.ur += urDot * h;
      this.vr += vrDot * h;
    }
    if (!Number.isFinite(this.ur) || !Number.isFinite(this.vr)) {
      this.ur = nav.uMps - (this.estimate.northMps * cy + this.estimate.eastMps * sy);
      this.vr = nav.vMps - (-this.estimate.northMps * sy + this.estimate.eastMps * cy);
    }
    const gN = nav.uMps * cy - nav.vMps * sy;
    const gE = nav.uMps * sy + nav.vMps * cy;
    const wN = this.ur * cy - this.vr * sy;
    const wE = this.ur * sy + this.vr * cy;
    const a = Math.min(1, dtS / this.timeConstantS);
    const est = this.estimate;
    est.northMps = clamp(est.northMps + a * (gN - wN - est.northMps), this.maxMps);
    est.eastMps = clamp(est.eastMps + a * (gE - wE - est.eastMps), this.maxMps);
    return est;
  }
}

function clamp(x: number, m: number): number {
  return x === x ? Math.max(-m, Math.min(m, x)) : 0;
}
