// The rollout's motion model: the 3-DOF vessel of src/model/vessel.ts (Fossen 2021, ch. 6-7)
// in a flat coefficient block, integrated by explicit Euler at the MPPI step, with the
// thrusters' first-order lag. The controller's parameters come from config.vehicle, which may
// differ from the simulator's truth (config.sim.vessel): that gap is how robustness to model
// error is tested. The same coefficients feed the WGSL kernel in the same order.
import type { VesselParams } from '../../model/vessel.ts';

/** Indices into the coefficient block. */
export const M = {
  m11: 0,
  m22: 1,
  m33: 2,
  xu: 3,
  yv: 4,
  nr: 5,
  xuu: 6,
  yvv: 7,
  nrr: 8,
  armM: 9,
  maxFwdN: 10,
  maxRevN: 11,
  lagAlpha: 12,
  dtS: 13,
  draftM: 14,
} as const;
export const MODEL_FLOATS = 16;

/** The coefficient block for `params` at step dtS. */
export function modelCoefficients(params: VesselParams, dtS: number): Float64Array {
  const c = new Float64Array(MODEL_FLOATS);
  c[M.m11] = params.massKg - params.xUdotKg;
  c[M.m22] = params.massKg - params.yVdotKg;
  c[M.m33] = params.izKgM2 - params.nRdotKgM2;
  c[M.xu] = params.xuNsPerM;
  c[M.yv] = params.yvNsPerM;
  c[M.nr] = params.nrNmsPerRad;
  c[M.xuu] = params.xuuNs2PerM2;
  c[M.yvv] = params.yvvNs2PerM2;
  c[M.nrr] = params.nrrNms2PerRad2;
  c[M.armM] = params.thrusterYM;
  c[M.maxFwdN] = params.maxForwardThrustN;
  c[M.maxRevN] = params.maxReverseThrustN;
  // Exact discretisation of the first-order thruster lag over one step.
  c[M.lagAlpha] = params.thrusterTimeConstantS > 0 ? 1 - Math.exp(-dtS / params.thrusterTimeConstantS) : 1;
  c[M.dtS] = dtS;
  c[M.draftM] = params.draftM;
  return c;
}

/** A vessel state for one rollout (over-ground body velocities, delivered thrusts). */
export interface RolloutState {
  n: number;
  e: number;
  psi: number;
  u: number;
  v: number;
  r: number;
  tl: number;
  tr: number;
}

/**
 * One Euler step in place, current (curN, curE) in NED. Mirrors vesselDerivative() in
 * src/model/vessel.ts, with the thrust lag stepped first.
 */
export function stepModel(c: Float64Array, s: RolloutState, cmdL: number, cmdR: number, curN: number, curE: number): void {
  const dt = c[M.dtS];
  s.tl += c[M.lagAlpha] * (cmdL - s.tl);
  s.tr += c[M.lagAlpha] * (cmdR - s.tr);
  const cy = Math.cos(s.psi);
  const sy = Math.sin(s.psi);
  const uc = curN * cy + curE * sy;
  const vc = -curN * sy + curE * cy;
  const ur = s.u - uc;
  const vr = s.v - vc;
  const r = s.r;
  const m11 = c[M.m11];
  const m22 = c[M.m22];
  const dX = -(c[M.xu] + c[M.xuu] * Math.abs(ur)) * ur;
  const dY = -(c[M.yv] + c[M.yvv] * Math.abs(vr)) * vr;
  const dN = -(c[M.nr] + c[M.nrr] * Math.abs(r)) * r;
  const urDot = (s.tl + s.tr + m22 * vr * r - dX) / m11;
  const vrDot = (-m11 * ur * r - dY) / m22;
  const rDot = (c[M.armM] * (s.tl - s.tr) - (m22 - m11) * ur * vr - dN) / c[M.m33];
  s.n += (s.u * cy - s.v * sy) * dt;
  s.e += (s.u * sy + s.v * cy) * dt;
  s.psi += r * dt;
  s.u += (urDot + r * vc) * dt;
  s.v += (vrDot - r * uc) * dt;
  s.r += rDot * dt;
}
