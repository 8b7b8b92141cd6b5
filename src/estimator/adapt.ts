// Model trust: process-noise factors that follow the innovations, so that a boat model which
// no longer fits the boat loosens its grip instead of making the filter gate good measurements.
//
// The rule is innovation-based covariance matching (Mehra, "Approaches to adaptive filtering",
// IEEE TAC 17(5), 1972; Mohamed & Schwarz, "Adaptive Kalman filtering for INS/GPS", J. Geodesy
// 73, 1999): for a consistent filter the normalised innovation squared has mean m (its degrees
// of freedom), so a NIS persistently above m means the predicted covariance is too small. Rather
// than estimate Q from a window of innovations (Sage-Husa style, which can lose positive
// definiteness and needs a window of storage), one scalar per measurement kind is driven in the
// log domain by the NIS excess:
//
//     log s += (dt / tau) * (min(NIS / m, cap) - 1),    s clamped to [1, maxScale]
//
// which settles where the mean NIS is m, never goes below the model as tuned (s = 1), rises
// within a second or two when the NIS is large (a turn the model gets wrong) and falls back at
// about 1/tau when the model fits again (NIS / m well below 1 because R is conservative). The
// cap keeps one wild sample from opening the model all at once; the gate still rejects it.
import type { EkfState } from './ekf.ts';

/**
 * Adapts the surge/sway factor from a GNSS-velocity NIS (m = 2) or the yaw-rate factor from a
 * gyro NIS (m = 1). Non-finite NIS is ignored. Called before the gate, so gated innovations
 * count too: those are the ones that say the model is off.
 */
export function adaptModelTrust(ekf: EkfState, kind: 'gnssVelocity' | 'yawRate', nis: number, m: number): void {
  if (!Number.isFinite(nis)) return;
  const o = ekf.options;
  const mt = ekf.modelTrust;
  const velocity = kind === 'gnssVelocity';
  const lastS = velocity ? mt.velocityAtS : mt.yawRateAtS;
  if (velocity) mt.velocityAtS = ekf.timeS;
  else mt.yawRateAtS = ekf.timeS;
  // The first sample of a kind has no interval to weigh it by; a long gap counts as one tau.
  if (!Number.isFinite(lastS)) return;
  const tau = o.modelTrustTimeConstantS;
  const w = tau > 0 ? Math.min(1, (ekf.timeS - lastS) / tau) : 1;
  if (!(w > 0)) return;
  const excess = Math.min(nis / m, o.modelTrustNisCap) - 1;
  const maxLog = Math.log(Math.max(1, o.modelTrustMaxScale));
  const current = velocity ? mt.velocityScale : mt.yawRateScale;
  const logScale = Math.min(maxLog, Math.max(0, Math.log(current) + w * excess));
  const next = Math.exp(logScale);
  if (velocity) mt.velocityScale = next;
  else mt.yawRateScale = next;
}
