import { describe, expect, it } from 'vitest';
import type { Mode } from '../../src/msg/index.ts';
import { allowsAutonomy, nextMode, type SupervisorEvent } from '../../src/supervisor/modes.ts';

const MODES: Mode[] = ['IDLE', 'MANUAL', 'AUTO', 'HOLD', 'RETURN', 'FAILSAFE', 'ESTOP'];
const auto = { autoStart: true };

describe('mode machine', () => {
  it('starts the survey when navigation becomes valid, only from IDLE and only with autoStart', () => {
    expect(nextMode('IDLE', { kind: 'navValid' }, auto)?.to).toBe('AUTO');
    expect(nextMode('IDLE', { kind: 'navValid' }, { autoStart: false })).toBeUndefined();
    for (const m of MODES.filter((x) => x !== 'IDLE')) expect(nextMode(m, { kind: 'navValid' }, auto)).toBeUndefined();
  });

  it('goes to FAILSAFE on a node fault from every mode except ESTOP (latched) and FAILSAFE', () => {
    const ev: SupervisorEvent = { kind: 'nodeFault', node: 'estimator', message: 'boom' };
    for (const m of MODES) {
      const t = nextMode(m, ev, auto);
      if (m === 'ESTOP' || m === 'FAILSAFE') expect(t).toBeUndefined();
      else expect(t).toEqual({ to: 'FAILSAFE', why: "node 'estimator' failed: boom" });
    }
  });

  it('e-stop is latched until an explicit reset', () => {
    expect(nextMode('AUTO', { kind: 'command', verb: 'estop' }, auto)?.to).toBe('ESTOP');
    expect(nextMode('ESTOP', { kind: 'navValid' }, auto)).toBeUndefined();
    expect(nextMode('ESTOP', { kind: 'command', verb: 'start' }, auto)).toBeUndefined();
    expect(nextMode('ESTOP', { kind: 'command', verb: 'reset' }, auto)?.to).toBe('IDLE');
  });

  it('losing navigation while driving goes to FAILSAFE with the age in the reason', () => {
    expect(nextMode('AUTO', { kind: 'navLost', ageS: 1.25 }, auto)).toEqual({ to: 'FAILSAFE', why: 'navigation lost for 1.3 s' });
    expect(nextMode('IDLE', { kind: 'navLost', ageS: 5 }, auto)).toBeUndefined();
  });

  it('ends the survey holding at the last waypoint', () => {
    expect(nextMode('AUTO', { kind: 'planDone' }, auto)).toEqual({ to: 'HOLD', why: 'survey complete; holding at the last waypoint' });
    expect(nextMode('HOLD', { kind: 'planDone' }, auto)).toBeUndefined();
  });

  it('only AUTO and HOLD let the guidance drive', () => {
    expect(MODES.filter(allowsAutonomy)).toEqual(['AUTO', 'HOLD']);
  });
});
