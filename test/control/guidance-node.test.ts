import { describe, expect, it } from 'vitest';
import { GuidanceNode } from '../../src/control/guidance-node.ts';
import { Runtime } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import type { GuidanceTarget, NavState, ThrustCommand } from '../../src/msg/index.ts';
import { sToNs } from '../../src/msg/index.ts';
import type { SurveyPlan } from '../../src/planning/plan.ts';

const PLAN: SurveyPlan = {
  legs: [
    { fromNorthM: 0, fromEastM: 0, toNorthM: 50, toEastM: 0, kind: 'lane', speedMps: 1.5 },
    { fromNorthM: 50, fromEastM: 0, toNorthM: 50, toEastM: 20, kind: 'transit', speedMps: 1.5 },
  ],
};

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

function rig() {
  const clock = new VirtualClock();
  const rt = new Runtime({ clock, log: silentLogger });
  const node = new GuidanceNode('guidance', PLAN);
  rt.add(node);
  const thrust: ThrustCommand[] = [];
  const targets: GuidanceTarget[] = [];
  const sub = rt.bus.subscriberFor('test');
  sub.subscribe('thrustCommand', (c) => thrust.push(c));
  sub.subscribe('guidance', (g) => targets.push(g));
  rt.start();
  const runTo = (s: number): void => {
    const end = sToNs(s);
    for (let t = rt.nextDueNs(); t !== undefined && t <= end; t = rt.nextDueNs()) {
      clock.advanceTo(t);
      rt.runTimersUntil(t);
    }
  };
  const publishNav = (northM: number, eastM = 0, valid = true): void =>
    rt.bus.publish('nav', navAt(clock.nowNs(), northM, eastM, valid));
  return { rt, node, thrust, targets, runTo, publishNav };
}

const isZero = (c: ThrustCommand): boolean => c.leftN === 0 && c.rightN === 0;

describe('GuidanceNode', () => {
  it('publishes zero thrust at 10 Hz until navigation arrives', () => {
    const r = rig();
    r.runTo(1.0);
    // Ticks at 0.1, 0.2, ..., 1.0 s.
    expect(r.thrust).toHaveLength(10);
    expect(r.thrust.every(isZero)).toBe(true);
  });

  it('drives along the first leg with fresh valid navigation, then stops on stale navigation', () => {
    const r = rig();
    r.publishNav(10);
    r.runTo(0.1);
    const drive = r.thrust.at(-1)!;
    expect(drive.leftN).toBeGreaterThan(0);
    expect(drive.rightN).toBeGreaterThan(0);
    expect(r.targets.at(-1)).toMatchObject({ legIndex: 0, toNorthM: 50, done: false });
    // The nav stamp is now 0 s; at 0.6 s it is 0.6 s old (> 0.5 s): zero thrust.
    r.runTo(0.5);
    expect(isZero(r.thrust.at(-1)!)).toBe(false);
    r.runTo(0.6);
    expect(isZero(r.thrust.at(-1)!)).toBe(true);
  });

  it('holds zero thrust on invalid navigation', () => {
    const r = rig();
    r.publishNav(10, 0, false);
    r.runTo(0.3);
    expect(r.thrust.every(isZero)).toBe(true);
  });

  it('publishes zero thrust while the supervisor has it disabled', () => {
    const r = rig();
    r.node.setEnabled(false);
    r.publishNav(10);
    r.runTo(0.1);
    expect(isZero(r.thrust.at(-1)!)).toBe(true);
    r.node.setEnabled(true);
    r.publishNav(10);
    r.runTo(0.2);
    expect(isZero(r.thrust.at(-1)!)).toBe(false);
  });

  it('moves through the legs and reports done with zero thrust at the end', () => {
    const r = rig();
    // Inside the 3 m switching radius of leg 0 (48 of 50 m): on to leg 1.
    r.publishNav(48);
    r.runTo(0.1);
    expect(r.node.legIndex).toBe(1);
    expect(r.targets.at(-1)).toMatchObject({ legIndex: 1, toEastM: 20, done: false });
    // Near the end of leg 1 (east 18 of 20): the plan is done.
    r.publishNav(50, 18);
    r.runTo(0.2);
    expect(r.node.done).toBe(true);
    expect(r.targets.at(-1)).toMatchObject({ legIndex: -1, done: true });
    expect(isZero(r.thrust.at(-1)!)).toBe(true);
  });
});
