import { describe, expect, it } from 'vitest';
import { CALM, OTTER, steadySpeedMps } from '../../src/model/vessel.ts';
import { SimVessel } from '../../sim/vessel.ts';
import { FaultSchedule, noFaultEffects } from '../../sim/faults.ts';
import { mergeSimOptions, Simulator } from '../../sim/index.ts';

const DT = 0.01; // 100 Hz, the default physics rate
const origin = { northM: 0, eastM: 0, yawRad: 0 };
const cmd = (leftN: number, rightN: number) => ({ stampNs: 0n, leftN, rightN });

function run(v: SimVessel, seconds: number, left = 1, right = 1): void {
  for (let i = 0; i < Math.round(seconds / DT); i++) v.step(DT, CALM, left, right);
}

describe('SimVessel', () => {
  it('reaches the model steady speed under symmetric thrust, going straight north', () => {
    const v = new SimVessel(OTTER, origin);
    v.apply(cmd(50, 50));
    run(v, 60);
    // Linear surge damping only (xuu = 0): U = 2 * 50 / |Xu| = 100 / (24.4 * 9.81 / (6 * 0.5144)) ~= 1.289 m/s.
    expect(v.state.uMps).toBeCloseTo(steadySpeedMps(OTTER, 50), 3);
    expect(v.state.uMps).toBeCloseTo(1.289, 2);
    expect(Math.abs(v.state.eastM)).toBeLessThan(1e-9);
    expect(Math.abs(v.state.yawRad)).toBeLessThan(1e-12);
  });

  it('turns to starboard (yaw increasing) when the left thruster pushes harder', () => {
    const v = new SimVessel(OTTER, origin);
    v.apply(cmd(60, 20));
    run(v, 3);
    expect(v.state.rRadps).toBeGreaterThan(0);
    expect(v.state.yawRad).toBeGreaterThan(0.1);
    const w = new SimVessel(OTTER, origin);
    w.apply(cmd(20, 60));
    run(w, 3);
    expect(w.state.yawRad).toBeLessThan(-0.1);
  });

  it('lags its command with the thruster time constant', () => {
    const v = new SimVessel(OTTER, origin);
    v.apply(cmd(100, 100));
    // After one time constant (0.1 s = 10 steps) a first-order lag has covered 1 - 1/e = 63.2 %.
    run(v, OTTER.thrusterTimeConstantS);
    expect(v.deliveredLeftN).toBeCloseTo(100 * (1 - Math.exp(-1)), 6);
    run(v, 1);
    // 1.1 s in all = 11 time constants: 100 (1 - e^-11) = 99.99833 N.
    expect(v.deliveredLeftN).toBeCloseTo(100 * (1 - Math.exp(-11)), 6);
  });

  it('clamps to the asymmetric forward and reverse limits and reads NaN as zero', () => {
    const v = new SimVessel(OTTER, origin);
    v.apply(cmd(1e6, -1e6));
    // Forward 24.4 * 9.81 / 2 = 119.68 N; reverse 119.68 * 0.01289 / 0.02216 = 69.62 N.
    expect(v.commandedLeftN).toBeCloseTo(119.682, 2);
    expect(v.commandedRightN).toBeCloseTo(-69.615, 2);
    v.apply(cmd(Number.NaN, 10));
    expect(v.commandedLeftN).toBe(0);
    expect(v.rejectedCommands).toBe(1);
  });

  it('turns towards the dead thruster when one is lost (forward thrust becomes a turn)', () => {
    const faults = new FaultSchedule([{ kind: 'thrusterLoss', atS: 0, side: 'right' }], 1);
    const fx = faults.evaluate(1, noFaultEffects());
    expect(fx.rightFactor).toBe(0);
    const v = new SimVessel(OTTER, origin);
    v.apply(cmd(50, 50));
    run(v, 5, fx.leftFactor, fx.rightFactor);
    // Only the port thruster pushes, so the bow swings to starboard.
    expect(v.deliveredRightN).toBe(0);
    expect(v.state.yawRad).toBeGreaterThan(0.3);
  });
});

describe('Simulator vessel faults', () => {
  const calm = mergeSimOptions({
    disturbance: { meanCurrentMps: 0, currentVariationMps: 0, meanWindForceN: 0, gustSigmaN: 0, gustMomentSigmaNm: 0 },
  });

  it('slows when stuck in vegetation, ramping in, and lists the fault as active', () => {
    const opts = { ...calm, faults: [{ kind: 'stuckVegetation' as const, atS: 30, rampS: 10, severity: 150 }] };
    const sim = new Simulator(opts, 3);
    sim.thrusters.apply(cmd(40, 40));
    sim.step(30);
    const before = sim.truth();
    expect(before.activeFaults).toEqual([]);
    sim.step(5);
    expect(sim.truth().activeFaults).toEqual([{ kind: 'stuckVegetation', index: 0, onsetS: 30, level: 0.5 }]);
    sim.step(25);
    const after = sim.truth();
    // Free: 80 / 77.57 = 1.031 m/s. Stuck: 80 / (77.57 + 150) = 0.352 m/s.
    expect(before.vessel.uMps).toBeCloseTo(1.031, 2);
    expect(after.vessel.uMps).toBeCloseTo(0.352, 2);
  });

  it('delivers a degraded fraction of the commanded thrust', () => {
    const opts = { ...calm, faults: [{ kind: 'thrusterDegradation' as const, atS: 1, side: 'both' as const, severity: 0.4 }] };
    const sim = new Simulator(opts, 3);
    sim.thrusters.apply(cmd(50, -30));
    sim.step(2);
    const t = sim.truth();
    expect(t.deliveredLeftN).toBeCloseTo(20, 6);
    expect(t.deliveredRightN).toBeCloseTo(-12, 6);
    expect(t.commandedLeftN).toBe(50);
  });
});
