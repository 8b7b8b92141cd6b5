// Thruster limits and rate limits. Commands are clamped to the thrusters' range before the
// rollout, so this critic keeps the plan off the stops (beyond a soft fraction of each limit)
// and its changes within the rate the thrusters and the hull tolerate.
import type { RolloutBatch } from '../batch.ts';
import { M } from '../model.ts';
import { P } from '../problem.ts';
import type { Critic } from './critic.ts';

export const limitsCritic: Critic = {
  name: 'limits',
  score(b: RolloutBatch, k0: number, k1: number): void {
    const wL = b.settings.weights.limits;
    const wR = b.settings.weights.rateLimit;
    if (wL === 0 && wR === 0) return;
    const fwd = b.model[M.maxFwdN] * b.settings.thrustSoftLimitFraction;
    const rev = b.model[M.maxRevN] * b.settings.thrustSoftLimitFraction;
    const maxStep = b.settings.thrustRateLimitNps * b.model[M.dtS];
    const inv2 = 1 / (b.model[M.maxFwdN] * b.model[M.maxFwdN]);
    const T = b.T;
    for (let k = k0; k < k1; k++) {
      let prevL = b.problem.f[P.lastCmdL];
      let prevR = b.problem.f[P.lastCmdR];
      let over = 0;
      let fast = 0;
      for (let i = k * T, end = i + T; i < end; i++) {
        const l = b.leftN[i];
        const r = b.rightN[i];
        const ol = l > fwd ? l - fwd : l < -rev ? -rev - l : 0;
        const or = r > fwd ? r - fwd : r < -rev ? -rev - r : 0;
        over += ol * ol + or * or;
        const dl = Math.abs(l - prevL) - maxStep;
        const dr = Math.abs(r - prevR) - maxStep;
        if (dl > 0) fast += dl * dl;
        if (dr > 0) fast += dr * dr;
        prevL = l;
        prevR = r;
      }
      b.costs[k] += (wL * over + wR * fast) * inv2;
    }
  },
};
