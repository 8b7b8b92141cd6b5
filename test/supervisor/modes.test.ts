import { describe, expect, it } from 'vitest';
import type { Mode } from '../../src/msg/index.ts';
import {
  allowsAutonomy,
  MODES,
  nextMode,
  OPERATOR_VERBS,
  RANK,
  TRANSITIONS,
  type FailsafeAction,
  type SupervisorEvent,
} from '../../src/supervisor/modes.ts';

const auto = { autoStart: true };

/** Every input of the table, as an event. */
const INPUTS: Array<[string, SupervisorEvent]> = [
  ['navValid', { kind: 'navValid' }],
  ['planDone', { kind: 'planDone' }],
  ['navLost', { kind: 'navLost', why: 'no valid navigation for 1.2 s' }],
  ['navRecovered', { kind: 'navRecovered' }],
  ...(['hold', 'return', 'drift'] as FailsafeAction[]).map(
    (action): [string, SupervisorEvent] => [`trigger ${action}`, { kind: 'trigger', trigger: 'gnssStale', action, why: 'no GNSS fix for 2.1 s' }],
  ),
  ...OPERATOR_VERBS.map((verb): [string, SupervisorEvent] => [`command ${verb}`, { kind: 'command', verb }]),
];

describe('mode machine', () => {
  it('has a table row for every input, and nothing else', () => {
    expect(TRANSITIONS.map((r) => r.input).sort()).toEqual(INPUTS.map(([name]) => name).sort());
  });

  // The exhaustive check: every (mode, input) pair against the table. A pair the table does
  // not list must change nothing: that is every illegal command in every mode.
  for (const [name, event] of INPUTS) {
    const row = TRANSITIONS.find((r) => r.input === name)!;
    for (const mode of MODES) {
      const listed = row.from.includes(mode);
      it(`${mode} --${name}--> ${listed ? (row.to === 'by action' ? 'by action' : row.to) : '(no change)'}`, () => {
        const t = nextMode(mode, event, auto);
        if (!listed) expect(t).toBeUndefined();
        else {
          expect(t?.to).toBe(row.to);
          expect(t?.why.length).toBeGreaterThan(0);
        }
      });
    }
  }

  it('autoStart off: navigation becoming valid starts nothing', () => {
    for (const m of MODES) expect(nextMode(m, { kind: 'navValid' }, { autoStart: false })).toBeUndefined();
  });

  it('says why: the trigger and its reason, the navigation loss and its reason', () => {
    expect(nextMode('AUTO', { kind: 'trigger', trigger: 'imuFrozen', action: 'hold', why: '25 identical IMU samples' }, auto)).toEqual({
      to: 'HOLD',
      why: 'imuFrozen: 25 identical IMU samples',
    });
    expect(nextMode('HOLD', { kind: 'navLost', why: 'position sigma 16.0 m' }, auto)).toEqual({ to: 'FAILSAFE', why: 'navigation lost: position sigma 16.0 m' });
  });

  it('triggers only ever make the vehicle more conservative', () => {
    for (const m of MODES) {
      for (const action of ['hold', 'return', 'drift'] as FailsafeAction[]) {
        const t = nextMode(m, { kind: 'trigger', trigger: 'alarm', action, why: 'x' }, auto);
        if (t) expect(RANK[t.to]).toBeGreaterThan(RANK[m]);
      }
    }
  });

  it('e-stop is latched: only an operator reset leaves it', () => {
    const leaving = INPUTS.filter(([, e]) => nextMode('ESTOP', e, auto) !== undefined).map(([n]) => n);
    expect(leaving).toEqual(['command reset']);
    expect(nextMode('ESTOP', { kind: 'command', verb: 'reset' }, auto)).toEqual({ to: 'IDLE', why: 'operator reset' });
  });

  it('only AUTO lets the survey controller drive', () => {
    expect(MODES.filter(allowsAutonomy)).toEqual<Mode[]>(['AUTO']);
  });
});
