// Sampling and rollout of samples [k0, k1): coloured Gaussian perturbations of the nominal
// thrust sequence from the counter-based generator, clamped to the thrusters' range, then the
// motion model stepped over the horizon, with the estimator's corrections to it (problem.ts:
// delivered thrust = thrustGain x command, and an unmodelled yaw acceleration). Sample 0 is the nominal itself, unperturbed, so the
// update can never do worse than keeping the plan. Allocates nothing.
import type { RolloutBatch } from './batch.ts';
import { M } from './model.ts';
import { P } from './problem.ts';
import { gaussianPair, streamKey, type NormalPair } from './rng.ts';

/** Index of the Gaussian pair for sample k, step t: z0 perturbs the left thruster, z1 the right. */
export function drawIndex(k: number, t: number, T: number): number {
  return k * T + t;
}

const z: NormalPair = { z0: 0, z1: 0 };

export function rollout(b: RolloutBatch, k0: number, k1: number): void {
  const c = b.model;
  const p = b.problem.f;
  const T = b.T;
  const sigma = b.settings.noiseSigmaN;
  const alpha = b.settings.noiseSmoothing;
  const innov = Math.sqrt(1 - alpha * alpha);
  const key = streamKey(b.problem.u[P.seed], b.problem.u[P.iteration]);
  const fwd = c[M.maxFwdN];
  const rev = c[M.maxRevN];
  const dt = c[M.dtS];
  const lag = c[M.lagAlpha];
  const m11 = c[M.m11], m22 = c[M.m22], m33 = c[M.m33];
  const xu = c[M.xu], yv = c[M.yv], nr = c[M.nr], xuu = c[M.xuu], yvv = c[M.yvv], nrr = c[M.nrr];
  const arm = c[M.armM];
  const curN = p[P.curN], curE = p[P.curE];
  const gain = p[P.thrustGain];
  const yawBias = p[P.yawAccelBias];
  const nom = b.nominal;
  for (let k = k0; k < k1; k++) {
    let n = p[P.n], e = p[P.e], psi = p[P.psi], u = p[P.u], v = p[P.v], r = p[P.r];
    let tl = p[P.tl], tr = p[P.tr];
    let epsL = 0, epsR = 0;
    // cos and sin of the yaw are carried and rotated by r dt each step (a 4th-order Taylor
    // rotation, |r dt| <= ~0.1 rad: error < 1e-6 per step) instead of two trig calls per step.
    let cy = Math.cos(psi);
    let sy = Math.sin(psi);
    const perturbed = k > 0;
    for (let t = 0; t < T; t++) {
      const i = k * T + t;
      if (perturbed) {
        gaussianPair(key, drawIndex(k, t, T), z);
        epsL = t === 0 ? sigma * z.z0 : alpha * epsL + innov * sigma * z.z0;
        epsR = t === 0 ? sigma * z.z1 : alpha * epsR + innov * sigma * z.z1;
      }
      let cl = nom[t] + epsL;
      let cr = nom[T + t] + epsR;
      cl = cl > fwd ? fwd : cl < -rev ? -rev : cl;
      cr = cr > fwd ? fwd : cr < -rev ? -rev : cr;
      b.leftN[i] = cl;
      b.rightN[i] = cr;
      // The motion model (model.ts stepModel), inlined: this loop is the hot path.
      // The thrusters deliver gain x the command (the estimator's thrust effectiveness).
      tl += lag * (gain * cl - tl);
      tr += lag * (gain * cr - tr);
      const uc = curN * cy + curE * sy;
      const vc = -curN * sy + curE * cy;
      const ur = u - uc;
      const vr = v - vc;
      const dX = -(xu + xuu * Math.abs(ur)) * ur;
      const dY = -(yv + yvv * Math.abs(vr)) * vr;
      const dN = -(nr + nrr * Math.abs(r)) * r;
      const urDot = (tl + tr + m22 * vr * r - dX) / m11;
      const vrDot = (-m11 * ur * r - dY) / m22;
      const rDot = (arm * (tl - tr) - (m22 - m11) * ur * vr - dN) / m33 + yawBias;
      n += (u * cy - v * sy) * dt;
      e += (u * sy + v * cy) * dt;
      const a = r * dt;
      const a2 = a * a;
      const ca = 1 - a2 * (0.5 - a2 / 24);
      const sa = a * (1 - a2 / 6);
      const cy1 = cy * ca - sy * sa;
      sy = sy * ca + cy * sa;
      cy = cy1;
      psi += a;
      u += (urDot + r * vc) * dt;
      v += (vrDot - r * uc) * dt;
      r += rDot * dt;
      b.northM[i] = n;
      b.eastM[i] = e;
      b.yawRad[i] = psi;
      b.cosYaw[i] = cy;
      b.sinYaw[i] = sy;
      b.uMps[i] = u;
      b.vMps[i] = v;
    }
    b.costs[k] = 0;
  }
}
