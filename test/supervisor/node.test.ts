import { describe, expect, it } from 'vitest';
import { Runtime, type RuntimeNode } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { sToNs, type Mode, type NavState, type NodeFault, type ThrustCommand } from '../../src/msg/index.ts';
import { SupervisorNode } from '../../src/supervisor/node.ts';
import { SafetyNode } from '../../src/supervisor/safety-node.ts';
import { ContainedNode } from '../../src/supervisor/containment.ts';
import { DEFAULT_SUPERVISOR_OPTIONS } from '../../src/supervisor/options.ts';
import { OTTER } from '../../src/model/vessel.ts';

const nav = (s: number): NavState => ({ stampNs: sToNs(s), northM: 10, eastM: 10, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0, positionSigmaM: 1, yawSigmaRad: 0.01, valid: true });

/** A runtime with a supervisor and the safety filter, on virtual time, sensors kept fresh. */
function rig() {
  const clock = new VirtualClock(0n);
  const rt = new Runtime({ clock, log: silentLogger });
  const modes: Mode[] = [];
  const sup = new SupervisorNode('supervisor', DEFAULT_SUPERVISOR_OPTIONS, (m) => modes.push(m));
  const safety = new SafetyNode('safety', DEFAULT_SUPERVISOR_OPTIONS, undefined, OTTER);
  const thrust: ThrustCommand[] = [];
  rt.add(sup).add(safety);
  rt.add({ name: 'probe', start: (ctx) => void ctx.bus.subscribe('thrustCommand', (c) => thrust.push(c)) });
  rt.start();
  let navOn = true;
  const run = (untilS: number) => {
    for (let t = Number(clock.nowNs()) / 1e9 + 0.02; t <= untilS + 1e-9; t += 0.02) {
      const ns = sToNs(t);
      clock.advanceTo(ns);
      rt.bus.publish('imu', { stampNs: ns, yawRad: t, pitchRad: 0, rollRad: 0, gyroRadps: [0, 0, t], accelMps2: [0, 0, -9.8] });
      if (Math.round(t * 50) % 10 === 0) rt.bus.publish('gnss', { stampNs: ns, latDeg: 1, lonDeg: 2, fixQuality: 1 });
      if (Math.round(t * 50) % 5 === 0) rt.bus.publish('depth', { stampNs: ns, depthBelowTransducerM: 4 });
      if (navOn) rt.bus.publish('nav', nav(t));
      rt.runTimersUntil(ns);
    }
  };
  return { rt, sup, safety, thrust, modes, run, setNav: (on: boolean) => (navOn = on), publish: rt.bus.publish.bind(rt.bus) };
}

describe('SupervisorNode', () => {
  it('starts AUTO on valid navigation, and goes FAILSAFE 1 s after navigation stops, with the reason', () => {
    const r = rig();
    r.run(1);
    expect(r.sup.current).toBe('AUTO');
    r.setNav(false);
    r.run(3);
    expect(r.sup.current).toBe('FAILSAFE');
    expect(r.sup.changes.at(-1)?.why).toMatch(/^navigation lost: no valid navigation for 1\.\d s$/);
    // Zero thrust while drifting.
    expect(r.thrust.at(-1)).toMatchObject({ leftN: 0, rightN: 0 });
  });

  it('lifts FAILSAFE to HOLD after 10 s of good navigation, never to AUTO', () => {
    const r = rig();
    r.run(1);
    r.setNav(false);
    r.run(3);
    r.setNav(true);
    r.run(12);
    expect(r.sup.current).toBe('FAILSAFE');
    r.run(14);
    expect(r.sup.current).toBe('HOLD');
  });

  it('refuses malformed operator commands and counts them; well-formed but illegal ones change nothing', () => {
    const r = rig();
    r.run(1);
    const bad = [{ verb: 42 }, { verb: 'launch' }, { verb: 'start', args: null }, { verb: 'st\u0000art', args: {} }];
    for (const b of bad) r.publish('operatorCommand', { stampNs: 0n, source: 'test', args: {}, ...b } as never);
    r.publish('operatorCommand', { stampNs: 0n, verb: 'reset', args: {}, source: 'test' }); // not allowed in AUTO
    expect(r.sup.stats()).toEqual({ commandsAccepted: 1, commandsRejected: 4, commandsIgnored: 1 });
    expect(r.sup.current).toBe('AUTO');
  });

  it('e-stop: zero thrust at once, latched until reset', () => {
    const r = rig();
    r.run(1);
    r.publish('operatorCommand', { stampNs: 0n, verb: 'estop', args: {}, source: 'test' });
    expect(r.sup.current).toBe('ESTOP');
    expect(r.thrust.at(-1)).toMatchObject({ leftN: 0, rightN: 0 });
    r.publish('operatorCommand', { stampNs: 0n, verb: 'start', args: {}, source: 'test' });
    r.run(5);
    expect(r.sup.current).toBe('ESTOP');
    r.publish('operatorCommand', { stampNs: 0n, verb: 'reset', args: {}, source: 'test' });
    expect(r.sup.current).toBe('IDLE');
  });

  it('a node fault holds position; the survey controller is gated off', () => {
    const r = rig();
    r.run(1);
    r.publish('fault', { stampNs: 0n, node: 'guidance', kind: 'error', message: 'GPU device lost' } satisfies NodeFault);
    expect(r.sup.current).toBe('HOLD');
    expect(r.sup.changes.at(-1)?.why).toBe("nodeFault: node 'guidance' failed: GPU device lost");
    expect(r.modes.at(-1)).toBe('HOLD');
  });

  it('the safety filter forwards the controller only in AUTO', () => {
    const r = rig();
    r.safety.propose({ stampNs: 0n, leftN: 50, rightN: 50 });
    expect(r.safety.stats().proposalsDropped).toBe(1); // IDLE
    r.run(1);
    r.safety.propose({ stampNs: 0n, leftN: 50, rightN: 50 });
    expect(r.thrust.at(-1)).toMatchObject({ leftN: 50, rightN: 50 });
  });
});

describe('ContainedNode', () => {
  it('restarts a throwing node up to maxRestarts, then lets the runtime fail it', () => {
    const clock = new VirtualClock(0n);
    const rt = new Runtime({ clock, log: silentLogger });
    let starts = 0;
    const flaky: RuntimeNode = {
      name: 'flaky',
      start: (ctx) => {
        starts++;
        ctx.bus.subscribe('mode', () => {
          throw new Error('boom');
        });
      },
    };
    const faults: NodeFault[] = [];
    rt.add(new ContainedNode(flaky, { maxRestarts: 2 }));
    rt.add({ name: 'probe', start: (ctx) => void ctx.bus.subscribe('fault', (f) => faults.push(f)) });
    rt.start();
    const poke = () => rt.bus.publish('mode', { stampNs: 0n, from: 'IDLE', to: 'AUTO', why: 'x' });
    poke();
    poke();
    expect(starts).toBe(3);
    expect(rt.state('flaky')).toBe('running');
    poke();
    expect(rt.state('flaky')).toBe('failed');
    expect(faults.map((f) => f.message)).toEqual(['boom; restarted (1/2)', 'boom; restarted (2/2)', 'boom']);
  });

  it('routes thrust commands to the safety filter instead of the bus', () => {
    const rt = new Runtime({ clock: new VirtualClock(0n), log: silentLogger });
    const seenOnBus: ThrustCommand[] = [];
    const intercepted: ThrustCommand[] = [];
    const ctl: RuntimeNode = { name: 'ctl', start: (ctx) => ctx.every(0.1, (ns) => ctx.bus.publish('thrustCommand', { stampNs: ns, leftN: 9, rightN: 9 })) };
    rt.add(new ContainedNode(ctl, { maxRestarts: 0, interceptThrust: (c) => intercepted.push(c) }));
    rt.add({ name: 'probe', start: (ctx) => void ctx.bus.subscribe('thrustCommand', (c) => seenOnBus.push(c)) });
    rt.start();
    rt.runTimersUntil(sToNs(0.35));
    expect(intercepted.length).toBe(3);
    expect(seenOnBus).toEqual([]);
  });
});
