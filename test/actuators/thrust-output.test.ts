import { describe, expect, it } from 'vitest';
import { ThrustOutputNode } from '../../src/actuators/thrust-output.ts';
import { Runtime } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { createLogger, memorySink } from '../../src/runtime/log.ts';
import type { NodeFault, ThrustCommand } from '../../src/msg/index.ts';
import { sToNs } from '../../src/msg/index.ts';
import type { ThrustSink } from '../../src/ports/index.ts';
import { OTTER } from '../../src/model/vessel.ts';

/** A sink that records what reached the thrusters, with the clock time it arrived. */
class RecordingSink implements ThrustSink {
  readonly name = 'recording';
  readonly applied: { atS: number; leftN: number; rightN: number }[] = [];
  constructor(private readonly clock: VirtualClock) {}
  apply(c: ThrustCommand): void {
    this.applied.push({ atS: Number(this.clock.nowNs()) / 1e9, leftN: c.leftN, rightN: c.rightN });
  }
}

function rig() {
  const clock = new VirtualClock();
  const lines: string[] = [];
  const rt = new Runtime({ clock, log: createLogger({ sinks: [memorySink(lines)] }) });
  const sink = new RecordingSink(clock);
  const node = new ThrustOutputNode('thrusters', sink);
  rt.add(node);
  const faults: NodeFault[] = [];
  rt.bus.subscriberFor('test').subscribe('fault', (f) => faults.push(f));
  rt.start();
  const runTo = (s: number): void => {
    const end = sToNs(s);
    for (let t = rt.nextDueNs(); t !== undefined && t <= end; t = rt.nextDueNs()) {
      clock.advanceTo(t);
      rt.runTimersUntil(t);
    }
    clock.advanceTo(end);
  };
  const command = (leftN: number, rightN: number): void =>
    rt.bus.publish('thrustCommand', { stampNs: clock.nowNs(), leftN, rightN });
  const warnings = (): string[] => lines.filter((l) => JSON.parse(l).level === 'warn');
  return { rt, sink, node, faults, runTo, command, warnings };
}

describe('ThrustOutputNode', () => {
  it('forwards commands at once, clamped to the thrusters, with NaN as zero', () => {
    const r = rig();
    r.command(30, -20);
    r.command(1000, -1000);
    r.command(Number.NaN, Number.POSITIVE_INFINITY);
    expect(r.sink.applied).toEqual([
      { atS: 0, leftN: 30, rightN: -20 },
      // Otter limits: +119.68 N ahead, -69.62 N astern.
      { atS: 0, leftN: OTTER.maxForwardThrustN, rightN: -OTTER.maxReverseThrustN },
      { atS: 0, leftN: 0, rightN: 0 },
    ]);
    expect(r.node.stats()).toEqual({ forwarded: 3, nonFinite: 2, clamped: 2, timeouts: 0 });
  });

  it('applies zero thrust when commands stop for longer than the timeout, and says so once', () => {
    const r = rig();
    // Commands every 0.1 s up to 1.0 s, then silence.
    for (let t = 0; t <= 1.0001; t += 0.1) {
      r.runTo(t);
      r.command(50, 50);
    }
    const lastCommand = r.sink.applied.length;
    expect(r.sink.applied.every((a) => a.leftN === 50)).toBe(true);
    r.runTo(3);
    const after = r.sink.applied.slice(lastCommand);
    // Timeout 0.5 s after the 1.0 s command, checked every 0.05 s: first zero at 1.55 s, then
    // every 0.05 s to 3.0 s -> 30 zeros, none before 1.5 s.
    expect(after.length).toBe(30);
    expect(after.every((a) => a.leftN === 0 && a.rightN === 0)).toBe(true);
    expect(after[0].atS).toBeCloseTo(1.55, 9);
    expect(r.warnings()).toHaveLength(1);
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0]).toMatchObject({ node: 'thrusters', kind: 'timeout' });
    // Commands resume: forwarded again; a second silence is a second episode.
    r.command(40, 40);
    expect(r.sink.applied.at(-1)).toMatchObject({ leftN: 40, rightN: 40 });
    r.runTo(5);
    expect(r.warnings()).toHaveLength(2);
    expect(r.node.stats().timeouts).toBe(2);
  });

  it('holds zero thrust before the first command, without calling it a timeout', () => {
    const r = rig();
    r.runTo(0.2);
    // Checks at 0.05, 0.1, 0.15, 0.2 s.
    expect(r.sink.applied).toHaveLength(4);
    expect(r.sink.applied.every((a) => a.leftN === 0 && a.rightN === 0)).toBe(true);
    expect(r.node.stats().timeouts).toBe(0);
  });

  it('applies zero thrust on stop', () => {
    const r = rig();
    r.command(60, 60);
    r.rt.stop();
    expect(r.sink.applied.at(-1)).toMatchObject({ leftN: 0, rightN: 0 });
  });
});
