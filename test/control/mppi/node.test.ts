import { describe, expect, it } from 'vitest';
import { MppiControllerNode, type MppiNodeOptions, type MppiOptimizer } from '../../../src/control/mppi/node.ts';
import { CpuMppi } from '../../../src/control/mppi/cpu.ts';
import { createProblem, P } from '../../../src/control/mppi/problem.ts';
import { modelCoefficients } from '../../../src/control/mppi/model.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../../src/control/mppi/settings.ts';
import type { UpdateResult } from '../../../src/control/mppi/update.ts';
import { Runtime } from '../../../src/runtime/node.ts';
import { VirtualClock } from '../../../src/runtime/clock.ts';
import { silentLogger } from '../../../src/runtime/log.ts';
import type { GuidanceTarget, NavState, NodeFault, ThrustCommand } from '../../../src/msg/index.ts';
import { sToNs } from '../../../src/msg/index.ts';
import type { SurveyPlan } from '../../../src/planning/plan.ts';
import { OTTER } from '../../../src/model/vessel.ts';

const PLAN: SurveyPlan = {
  legs: [
    { fromNorthM: 0, fromEastM: 0, toNorthM: 50, toEastM: 0, kind: 'lane', speedMps: 1.5 },
    { fromNorthM: 50, fromEastM: 0, toNorthM: 50, toEastM: 20, kind: 'transit', speedMps: 1.5 },
  ],
};

const OPTIONS: MppiNodeOptions = {
  rateHz: 10,
  navStaleS: 0.5,
  switchRadiusM: 3,
  deadlineFraction: 0.8,
  overrunFaultAfter: 3,
  currentFilterS: 5,
  maxCurrentMps: 1.5,
};

const T = 4;

/**
 * A scripted optimiser: each optimize() writes the plan the test queued (left = right = the
 * values given) and advances a fake wall clock by the time the test queued, so that a tick is
 * on time or late exactly when the test says.
 */
class ScriptedOptimizer implements MppiOptimizer {
  readonly settings = { ...DEFAULT_MPPI_SETTINGS, samples: 1, horizonSteps: T };
  readonly problem = createProblem();
  readonly nominal = new Float32Array(2 * T);
  readonly model = modelCoefficients(OTTER, 0.1);
  wallMs = 0;
  calls = 0;
  closed = false;
  readonly script: { plan: number[]; ms: number; cost?: number }[] = [];
  setMap(): void {}
  optimize(): UpdateResult {
    this.calls++;
    const step = this.script.shift() ?? { plan: [0, 0, 0, 0], ms: 1 };
    for (let t = 0; t < T; t++) {
      this.nominal[t] = step.plan[t];
      this.nominal[T + t] = step.plan[t];
    }
    this.wallMs += step.ms;
    return { minCost: step.cost ?? 1, meanCost: 1, effectiveSamples: 10 };
  }
  close(): void {
    this.closed = true;
  }
}

const navAt = (stampNs: bigint, northM: number, eastM = 0, valid = true): NavState => ({
  stampNs,
  northM,
  eastM,
  yawRad: 0,
  uMps: 1.5,
  vMps: 0,
  rRadps: 0,
  positionSigmaM: 0.1,
  yawSigmaRad: 0.01,
  valid,
});

function rig(core: MppiOptimizer & { wallMs?: number }) {
  const clock = new VirtualClock();
  const rt = new Runtime({ clock, log: silentLogger });
  const node = new MppiControllerNode('guidance', PLAN, core, OPTIONS, 'test', () => (core as ScriptedOptimizer).wallMs ?? 0);
  rt.add(node);
  const thrust: ThrustCommand[] = [];
  const targets: GuidanceTarget[] = [];
  const faults: NodeFault[] = [];
  const sub = rt.bus.subscriberFor('test');
  sub.subscribe('thrustCommand', (c) => thrust.push(c));
  sub.subscribe('guidance', (g) => targets.push(g));
  sub.subscribe('fault', (f) => faults.push(f));
  rt.start();
  /** Fresh navigation at each tick, then the tick itself. */
  const tickTo = (s: number, northM = 10, eastM = 0): void => {
    const end = sToNs(s);
    for (let t = rt.nextDueNs(); t !== undefined && t <= end; t = rt.nextDueNs()) {
      clock.advanceTo(t);
      rt.bus.publish('nav', navAt(t, northM, eastM));
      rt.runTimersUntil(t);
    }
  };
  return { rt, node, thrust, targets, faults, tickTo };
}

const last = <X>(xs: X[]): X => xs[xs.length - 1];

describe('MppiControllerNode: the control deadline', () => {
  it('sends the first step of an on-time plan, and the previous plan shifted when an optimisation is late', () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    // Tick 1 (0.1 s): 5 ms, on time (deadline 0.8 x 100 ms = 80 ms): plan 10, 20, 30, 40 -> sends 10.
    core.script.push({ plan: [10, 20, 30, 40], ms: 5 });
    // Tick 2: 95 ms, late: its plan (99...) is not used; the previous plan shifted by one -> 20.
    core.script.push({ plan: [99, 99, 99, 99], ms: 95 });
    // Tick 3: late again -> shifted once more -> 30.
    core.script.push({ plan: [98, 98, 98, 98], ms: 120 });
    // Tick 4: on time again: its own plan -> 7.
    core.script.push({ plan: [7, 8, 9, 10], ms: 2 });
    r.tickTo(0.1);
    expect(last(r.thrust)).toMatchObject({ leftN: 10, rightN: 10 });
    r.tickTo(0.2);
    expect(last(r.thrust)).toMatchObject({ leftN: 20, rightN: 20 });
    expect(r.node.overruns).toBe(1);
    r.tickTo(0.3);
    expect(last(r.thrust)).toMatchObject({ leftN: 30, rightN: 30 });
    expect(r.node.overruns).toBe(2);
    r.tickTo(0.4);
    expect(last(r.thrust)).toMatchObject({ leftN: 7, rightN: 7 });
    expect(r.node.overruns).toBe(2);
    // Two late in a row is under the fault threshold of 3.
    expect(r.faults).toHaveLength(0);
  });

  it('raises one fault of kind overrun after overrunFaultAfter late optimisations in a row', () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    core.script.push({ plan: [10, 20, 30, 40], ms: 1 });
    for (let i = 0; i < 5; i++) core.script.push({ plan: [99, 99, 99, 99], ms: 200 });
    r.tickTo(0.6);
    expect(r.node.overruns).toBe(5);
    // The third late tick in a row (0.4 s) raises it; later ones in the same streak do not repeat it.
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0]).toMatchObject({ kind: 'overrun', node: 'guidance', stampNs: sToNs(0.4) });
    // The shifted plan repeats its last value once it runs out: 20, 30, 40, 40, 40.
    expect(r.thrust.slice(-5).map((c) => c.leftN)).toEqual([20, 30, 40, 40, 40]);
    expect(r.node.stats()).toMatchObject({ optimisations: 6, overruns: 5 });
  });

  it('treats a non-finite optimisation as late: the plan is kept and no NaN is sent', () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    core.script.push({ plan: [10, 20, 30, 40], ms: 1 });
    core.script.push({ plan: [NaN, NaN, NaN, NaN], ms: 1, cost: NaN });
    r.tickTo(0.2);
    expect(last(r.thrust)).toMatchObject({ leftN: 20, rightN: 20 });
    // The NaN plan is not kept as the next warm start.
    expect([...core.nominal].every(Number.isFinite)).toBe(true);
    expect(r.node.stats()).toMatchObject({ overruns: 1, nonFinite: 1 });
  });
});

describe('MppiControllerNode: the guidance contract', () => {
  it('publishes zero thrust without navigation, and while disabled; clears the plan on re-enable', () => {
    const core = new ScriptedOptimizer();
    const clock = new VirtualClock();
    const rt = new Runtime({ clock, log: silentLogger });
    const node = new MppiControllerNode('guidance', PLAN, core, OPTIONS, 'test', () => core.wallMs);
    rt.add(node);
    const thrust: ThrustCommand[] = [];
    rt.bus.subscriberFor('test').subscribe('thrustCommand', (c) => thrust.push(c));
    rt.start();
    clock.advanceTo(sToNs(0.1));
    rt.runTimersUntil(sToNs(0.1));
    expect(last(thrust)).toMatchObject({ leftN: 0, rightN: 0 });
    expect(core.calls).toBe(0);
    node.setEnabled(false);
    core.script.push({ plan: [50, 50, 50, 50], ms: 1 });
    rt.bus.publish('nav', navAt(sToNs(0.2), 10));
    clock.advanceTo(sToNs(0.2));
    rt.runTimersUntil(sToNs(0.2));
    expect(last(thrust)).toMatchObject({ leftN: 0, rightN: 0 });
    expect(core.calls).toBe(0);
    core.nominal.fill(33);
    node.setEnabled(true);
    // Re-enabling starts from a zero plan, not from whatever was left in it.
    expect([...core.nominal]).toEqual(new Array(2 * T).fill(0));
    rt.bus.publish('nav', navAt(sToNs(0.3), 10));
    clock.advanceTo(sToNs(0.3));
    rt.runTimersUntil(sToNs(0.3));
    expect(last(thrust)).toMatchObject({ leftN: 50, rightN: 50 });
  });

  it('fills the problem from navigation, the leg, the next leg and a carrot one horizon ahead', () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    r.tickTo(0.1, 10, 1);
    const f = core.problem.f;
    expect([f[P.n], f[P.e], f[P.u]]).toEqual([10, 1, 1.5]);
    expect([f[P.aFromN], f[P.aToN], f[P.bToE], f[P.hasB]]).toEqual([0, 50, 20, 1]);
    expect(f[P.uRefMps]).toBe(1.5);
    // Along-track 10 m + 1.5 m/s x 4 steps x 0.1 s = 10.6 m along leg 0.
    expect(f[P.goalN]).toBeCloseTo(10.6, 5);
    expect(f[P.goalE]).toBe(0);
    // Cross-track of (10, 1) to a northbound leg: 1 m to starboard.
    expect(last(r.targets)).toMatchObject({ legIndex: 0, crossTrackM: 1, done: false });
  });

  it("takes the estimator's thrust effectiveness and yaw-acceleration bias, clamped, into the problem", () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    const diag = (thrustGain: number, yawAccelBiasRadps2: number) => ({
      stampNs: 0n, nisGnssPosition: 1, nisGnssVelocity: 1, nisHeading: 1, nisYawRate: 1, gnssPositionGated: false,
      gatedTotal: 0, thrustGain, thrustGainSigma: 0.01, yawAccelBiasRadps2, yawAccelBiasSigmaRadps2: 0.01, currentNorthMps: 0, currentEastMps: 0,
    });
    core.script.push({ plan: [40, 40, 40, 40], ms: 1 });
    r.tickTo(0.1);
    // Before any diagnostics: the model as it is.
    expect([core.problem.f[P.thrustGain], core.problem.f[P.yawAccelBias]]).toEqual([1, 0]);
    r.rt.bus.publish('navDiagnostics', diag(0.65, -0.1));
    r.tickTo(0.2);
    const f = core.problem.f;
    expect(f[P.thrustGain]).toBeCloseTo(0.65, 6);
    expect(f[P.yawAccelBias]).toBeCloseTo(-0.1, 6);
    // The delivered thrust the rollouts start from is the gain times the last command (40 N).
    expect(f[P.tl]).toBeCloseTo(0.65 * 40, 4);
    // Out of range: clamped to thrustGainRange and +-maxYawAccelBiasRadps2; NaN: the last good value kept.
    r.rt.bus.publish('navDiagnostics', diag(0.05, 3));
    r.tickTo(0.3);
    expect(f[P.thrustGain]).toBeCloseTo(DEFAULT_MPPI_SETTINGS.thrustGainRange[0], 6);
    expect(f[P.yawAccelBias]).toBeCloseTo(DEFAULT_MPPI_SETTINGS.maxYawAccelBiasRadps2, 6);
    r.rt.bus.publish('navDiagnostics', diag(NaN, NaN));
    r.tickTo(0.4);
    expect(f[P.thrustGain]).toBeCloseTo(DEFAULT_MPPI_SETTINGS.thrustGainRange[0], 6);
    expect(f[P.yawAccelBias]).toBeCloseTo(DEFAULT_MPPI_SETTINGS.maxYawAccelBiasRadps2, 6);
  });

  it('switches legs inside the switching radius and holds the last point with zero thrust when done', () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    r.tickTo(0.1, 48);
    expect(r.node.legIndex).toBe(1);
    r.tickTo(0.2, 50, 18);
    expect(r.node.done).toBe(true);
    expect(last(r.targets)).toMatchObject({ legIndex: -1, done: true });
    // Within the 5 m hold radius of the last point: zero thrust, no optimisation.
    expect(last(r.thrust)).toMatchObject({ leftN: 0, rightN: 0 });
    expect(core.calls).toBe(1);
  });

  it('stops the backend and sends zero thrust on stop', () => {
    const core = new ScriptedOptimizer();
    const r = rig(core);
    core.script.push({ plan: [60, 60, 60, 60], ms: 1 });
    r.tickTo(0.1);
    r.rt.stop();
    expect(core.closed).toBe(true);
    expect(last(r.thrust)).toMatchObject({ leftN: 0, rightN: 0 });
  });
});

describe('MppiControllerNode with the CPU backend', () => {
  it('drives forward along a lane from rest (both thrusters ahead)', () => {
    const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 128, horizonSteps: 20 };
    const core = new CpuMppi({ settings, vessel: OTTER, workers: 0 });
    const r = rig(core);
    r.tickTo(0.5, 10, 0);
    const c = last(r.thrust);
    expect(c.leftN).toBeGreaterThan(10);
    expect(c.rightN).toBeGreaterThan(10);
  });
});
