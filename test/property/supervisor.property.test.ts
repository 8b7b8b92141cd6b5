// Arbitrary sequences of events and operator commands into the mode machine: whatever the
// order, the invariants of a safety supervisor hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mode } from '../../src/msg/index.ts';
import { DRIVING, MODES, nextMode, OPERATOR_VERBS, RANK, type SupervisorEvent } from '../../src/supervisor/modes.ts';
import { TRIGGERS } from '../../src/supervisor/options.ts';

const event: fc.Arbitrary<SupervisorEvent> = fc.oneof(
  fc.constant<SupervisorEvent>({ kind: 'navValid' }),
  fc.constant<SupervisorEvent>({ kind: 'planDone' }),
  fc.constant<SupervisorEvent>({ kind: 'navRecovered' }),
  fc.string().map((why): SupervisorEvent => ({ kind: 'navLost', why })),
  fc.record({
    kind: fc.constant('trigger' as const),
    trigger: fc.constantFrom(...TRIGGERS),
    action: fc.constantFrom('hold' as const, 'return' as const, 'drift' as const),
    why: fc.string(),
  }),
  fc.constantFrom(...OPERATOR_VERBS).map((verb): SupervisorEvent => ({ kind: 'command', verb })),
);

describe('mode machine under arbitrary event sequences', () => {
  it('keeps its invariants', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), fc.array(event, { maxLength: 60 }), fc.boolean(), (start, events, autoStart) => {
        let mode: Mode = start;
        for (const e of events) {
          const t = nextMode(mode, e, { autoStart });
          if (!t) continue;
          expect(MODES).toContain(t.to);
          expect(t.to).not.toBe(mode); // a transition is a change
          expect(t.why.length).toBeGreaterThan(0);
          // E-stop is latched: only an operator reset leaves it, and only to IDLE.
          if (mode === 'ESTOP') expect(e).toEqual({ kind: 'command', verb: 'reset' });
          // Nothing but the operator makes the vehicle less conservative, except FAILSAFE -> HOLD
          // on recovered navigation and the start of the survey from IDLE.
          if (RANK[t.to] < RANK[mode]) expect(e.kind === 'command' || (e.kind === 'navRecovered' && t.to === 'HOLD')).toBe(true);
          // Entering a driving mode from a stopped one takes an operator or the one-shot autostart.
          if (!DRIVING.has(mode) && DRIVING.has(t.to) && e.kind !== 'navRecovered') expect(['command', 'navValid']).toContain(e.kind);
          mode = t.to;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('an e-stop command reaches ESTOP from anywhere, and nothing but reset leaves it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), fc.array(event, { maxLength: 30 }), (start, events) => {
        let mode: Mode = nextMode(start, { kind: 'command', verb: 'estop' }, { autoStart: true })?.to ?? start;
        expect(mode).toBe('ESTOP');
        for (const e of events) {
          if (e.kind === 'command' && e.verb === 'reset') break;
          mode = nextMode(mode, e, { autoStart: true })?.to ?? mode;
          expect(mode).toBe('ESTOP');
        }
      }),
    );
  });
});
