// The plain single-threaded reference implementation, the bench's in-run baseline: the same
// algorithm written the straightforward way (array-of-objects states, a fresh Gaussian per
// draw by Box-Muller, the model through model.ts stepModel, trigonometry every step, the
// distance to the shore by bilinear lookup). Not used in control.
import type { VesselParams } from '../../model/vessel.ts';
import { modelCoefficients, stepModel, M, type RolloutState } from './model.ts';
import { sampleBilinear } from './grid.ts';
import { pcgHash } from './rng.ts';
import type { MppiSettings } from './settings.ts';
import { COURSE_SOFT_MPS, TURN_FREE_COS } from './critics/path.ts';

export interface ReferenceProblem {
  state: RolloutState;
  leg: { fromN: number; fromE: number; toN: number; toE: number };
  goal: { n: number; e: number };
  uRefMps: number;
}

export function referenceOptimize(settings: MppiSettings, vessel: VesselParams, fence: Float32Array, problem: ReferenceProblem, nominal: number[][], iteration: number): number[][] {
  const c = modelCoefficients(vessel, settings.dtS);
  const K = settings.samples;
  const T = settings.horizonSteps;
  const w = settings.weights;
  const samples: { controls: number[][]; cost: number }[] = [];
  const dN = problem.leg.toN - problem.leg.fromN;
  const dE = problem.leg.toE - problem.leg.fromE;
  const len = Math.hypot(dN, dE) || 1;
  for (let k = 0; k < K; k++) {
    const s: RolloutState = { ...problem.state };
    const controls: number[][] = [];
    let eps = [0, 0];
    let cost = 0;
    for (let t = 0; t < T; t++) {
      const z = [0, 1].map((ch) => {
        const a = pcgHash((iteration * 7919 + (k * T + t) * 2 + ch) >>> 0);
        const b = pcgHash(a ^ 0x9e3779b9);
        return Math.sqrt(-2 * Math.log(((a >>> 8) + 1) / 16777216)) * Math.cos((2 * Math.PI * (b >>> 8)) / 16777216);
      });
      eps = k === 0 ? [0, 0] : eps.map((e, ch) => settings.noiseSmoothing * e + Math.sqrt(1 - settings.noiseSmoothing ** 2) * settings.noiseSigmaN * z[ch]);
      const u = nominal[t].map((n, ch) => Math.min(c[M.maxFwdN], Math.max(-c[M.maxRevN], n + eps[ch])));
      controls.push(u);
      stepModel(c, s, u[0], u[1], 0, 0);
      const e = (-(s.n - problem.leg.fromN) * dE + (s.e - problem.leg.fromE) * dN) / len;
      const vN = s.u * Math.cos(s.psi) - s.v * Math.sin(s.psi);
      const vE = s.u * Math.sin(s.psi) + s.v * Math.cos(s.psi);
      const course = 1 - (vN * dN + vE * dE) / len / Math.sqrt(vN * vN + vE * vE + COURSE_SOFT_MPS ** 2);
      const cosErr = (Math.cos(s.psi) * dN + Math.sin(s.psi) * dE) / len;
      cost += w.path * e * e + w.heading * (1 - cosErr) + w.course * course + w.turn * Math.max(0, TURN_FREE_COS - cosErr);
      cost += w.speed * ((vN * dN + vE * dE) / len - problem.uRefMps) ** 2 + w.astern * Math.min(0, s.u) ** 2;
      const prev = t > 0 ? controls[t - 1] : [0, 0];
      cost += (w.effort * (u[0] ** 2 + u[1] ** 2) + w.smoothness * ((u[0] - prev[0]) ** 2 + (u[1] - prev[1]) ** 2)) / c[M.maxFwdN] ** 2;
      const d = sampleBilinear(fence, s.n, s.e);
      if (d < settings.shoreMarginM) cost += w.geofence * (settings.shoreMarginM - d) ** 2 + (d < 0 ? settings.collisionCost : 0);
    }
    cost += w.goal * ((s.n - problem.goal.n) ** 2 + (s.e - problem.goal.e) ** 2);
    samples.push({ controls, cost });
  }
  const min = Math.min(...samples.map((x) => x.cost));
  const weights = samples.map((x) => Math.exp(-(x.cost - min) / settings.temperature));
  const sum = weights.reduce((a, b) => a + b, 0);
  return nominal.map((_, t) => [0, 1].map((ch) => samples.reduce((a, x, k) => a + (weights[k] / sum) * x.controls[t][ch], 0)));
}
