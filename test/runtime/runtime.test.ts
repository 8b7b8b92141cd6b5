import { describe, expect, it } from 'vitest';
import { Runtime, type NodeContext, type RuntimeNode } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { createLogger, memorySink, silentLogger } from '../../src/runtime/log.ts';
import type { NodeFault, ThrustCommand } from '../../src/msg/index.ts';
import { sToNs } from '../../src/msg/index.ts';

function node(name: string, start: (ctx: NodeContext) => void, stop?: () => void): RuntimeNode {
  return { name, start, stop };
}

const cmd = (leftN: number): ThrustCommand => ({ stampNs: 0n, leftN, rightN: 0 });

describe('Runtime', () => {
  it('delivers messages synchronously, in subscription order', () => {
    const rt = new Runtime({ clock: new VirtualClock(), log: silentLogger });
    const seen: string[] = [];
    rt.add(node('a', (ctx) => ctx.bus.subscribe('thrustCommand', (m) => seen.push(`a${m.leftN}`))));
    rt.add(node('b', (ctx) => ctx.bus.subscribe('thrustCommand', (m) => seen.push(`b${m.leftN}`))));
    rt.start();
    rt.bus.publish('thrustCommand', cmd(1));
    rt.bus.publish('thrustCommand', cmd(2));
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('contains a throwing handler: the node is failed and stopped, a fault is published, others go on', () => {
    const lines: string[] = [];
    const rt = new Runtime({ clock: new VirtualClock(5n), log: createLogger({ sinks: [memorySink(lines)] }) });
    const faults: NodeFault[] = [];
    const okSeen: number[] = [];
    let stopped = false;
    rt.add(
      node(
        'bad',
        (ctx) =>
          ctx.bus.subscribe('thrustCommand', () => {
            throw new Error('boom');
          }),
        () => {
          stopped = true;
        },
      ),
    );
    rt.add(
      node('ok', (ctx) => {
        ctx.bus.subscribe('thrustCommand', (m) => okSeen.push(m.leftN));
        ctx.bus.subscribe('fault', (f) => faults.push(f));
      }),
    );
    rt.start();
    expect(() => rt.bus.publish('thrustCommand', cmd(1))).not.toThrow();
    rt.bus.publish('thrustCommand', cmd(2));
    expect(rt.state('bad')).toBe('failed');
    expect(stopped).toBe(true);
    expect(okSeen).toEqual([1, 2]);
    expect(faults).toEqual([{ stampNs: 5n, node: 'bad', kind: 'error', message: 'boom' }]);
    expect(lines.some((l) => JSON.parse(l).msg === 'node failed; stopped')).toBe(true);
  });

  it('fires timers in time order on virtual time, ties in registration order', () => {
    const clock = new VirtualClock();
    const rt = new Runtime({ clock, log: silentLogger });
    const fired: string[] = [];
    rt.add(node('fast', (ctx) => ctx.every(0.1, (t) => fired.push(`fast@${Number(t) / 1e9}`))));
    rt.add(node('slow', (ctx) => ctx.every(0.2, (t) => fired.push(`slow@${Number(t) / 1e9}`))));
    rt.start();
    expect(rt.nextDueNs()).toBe(sToNs(0.1));
    clock.advanceTo(sToNs(0.4));
    rt.runTimersUntil(clock.nowNs());
    // 0.1 fast; 0.2 fast then slow (registration order); 0.3 fast; 0.4 fast, slow.
    expect(fired).toEqual(['fast@0.1', 'fast@0.2', 'slow@0.2', 'fast@0.3', 'fast@0.4', 'slow@0.4']);
  });

  it('fails a node whose timer throws and stops its timers', () => {
    const clock = new VirtualClock();
    const rt = new Runtime({ clock, log: silentLogger });
    let calls = 0;
    rt.add(
      node('t', (ctx) =>
        ctx.every(0.1, () => {
          calls++;
          throw new Error('tick failed');
        }),
      ),
    );
    rt.start();
    clock.advanceTo(sToNs(1));
    rt.runTimersUntil(clock.nowNs());
    expect(calls).toBe(1);
    expect(rt.state('t')).toBe('failed');
    expect(rt.nextDueNs()).toBeUndefined();
  });

  it('fails a node that throws in start() without stopping the others', () => {
    const rt = new Runtime({ clock: new VirtualClock(), log: silentLogger });
    rt.add(
      node('broken', () => {
        throw new Error('no port');
      }),
    );
    rt.add(node('fine', () => {}));
    rt.start();
    expect(rt.state('broken')).toBe('failed');
    expect(rt.state('fine')).toBe('running');
  });

  it('refuses duplicate node names', () => {
    const rt = new Runtime({ clock: new VirtualClock(), log: silentLogger });
    rt.add(node('x', () => {}));
    expect(() => rt.add(node('x', () => {}))).toThrow(/duplicate node name 'x'/);
  });
});

describe('VirtualClock', () => {
  it('never moves backwards', () => {
    const c = new VirtualClock(10n);
    expect(c.advanceTo(5n)).toBe(false);
    expect(c.nowNs()).toBe(10n);
    expect(c.advanceTo(20n)).toBe(true);
    expect(c.nowNs()).toBe(20n);
  });
});
