// The mode machine's pure core: (mode, event) -> next mode and the reason, or no change.
//
// Modes, from least to most conservative:
//   IDLE      zero thrust, waiting for a start
//   MANUAL    the operator drives (through the safety filter)
//   AUTO      the controller follows the survey plan (through the safety filter)
//   HOLD      station keeping at the position where HOLD began
//   RETURN    retracing the travelled path back to the start
//   FAILSAFE  zero thrust, drifting; left by an operator reset, or to HOLD when navigation returns
//   ESTOP     zero thrust, latched until an explicit operator reset
//
// A watchdog trigger carries the action configured for it (hold, return or drift). It only ever
// makes the vehicle MORE conservative: RANK orders the driving modes, and a trigger whose mode
// does not rank above the current one changes nothing (a hold request while returning keeps
// returning; a second fault while drifting keeps drifting). Only an operator makes the vehicle
// less conservative, and only navRecovered lifts FAILSAFE to HOLD by itself, because drifting
// with working navigation is worse than holding (the current carries a drifting boat ashore).
//
// TRANSITIONS below is the table; nextMode() is its implementation, and the tests check one
// against the other for every (mode, event) pair.
import type { Mode } from '../msg/index.ts';

/** What a watchdog asks for: station keeping, retracing the path, or zero thrust. */
export type FailsafeAction = 'hold' | 'return' | 'drift';

export const OPERATOR_VERBS = ['start', 'stop', 'estop', 'reset', 'manual', 'hold', 'return', 'resume', 'heartbeat', 'thrust'] as const;
export type OperatorVerb = (typeof OPERATOR_VERBS)[number];

export type SupervisorEvent =
  | { kind: 'navValid' }
  | { kind: 'navLost'; why: string }
  | { kind: 'navRecovered' }
  | { kind: 'planDone' }
  | { kind: 'trigger'; trigger: string; action: FailsafeAction; why: string }
  | { kind: 'command'; verb: OperatorVerb };

export interface Transition {
  to: Mode;
  why: string;
}

export interface ModePolicy {
  /** Start the survey by itself once navigation is valid (simulation, unattended runs). */
  autoStart: boolean;
}

export const MODES: readonly Mode[] = ['IDLE', 'MANUAL', 'AUTO', 'HOLD', 'RETURN', 'FAILSAFE', 'ESTOP'];

/** Modes in which the thrusters may push (something drives: operator, controller or station keeper). */
export const DRIVING: ReadonlySet<Mode> = new Set<Mode>(['MANUAL', 'AUTO', 'HOLD', 'RETURN']);

/** How conservative each mode is; triggers only move up this order. */
export const RANK: Readonly<Record<Mode, number>> = Object.freeze({
  IDLE: 0,
  MANUAL: 0,
  AUTO: 0,
  HOLD: 1,
  RETURN: 2,
  FAILSAFE: 3,
  ESTOP: 4,
});

export const ACTION_MODE: Readonly<Record<FailsafeAction, Mode>> = Object.freeze({ hold: 'HOLD', return: 'RETURN', drift: 'FAILSAFE' });

/** One row of the table: from these modes, this input leads to `to`. */
export interface TableRow {
  input: string;
  from: readonly Mode[];
  to: Mode | 'by action';
  note: string;
}

/** Which inputs may cause which transitions. Inputs in a mode not listed change nothing. */
export const TRANSITIONS: readonly TableRow[] = [
  { input: 'navValid', from: ['IDLE'], to: 'AUTO', note: 'only with autoStart, and only once (the node keeps it one-shot)' },
  { input: 'planDone', from: ['AUTO'], to: 'HOLD', note: 'survey complete' },
  { input: 'navLost', from: ['MANUAL', 'AUTO', 'HOLD', 'RETURN'], to: 'FAILSAFE', note: 'nothing can steer without navigation' },
  { input: 'navRecovered', from: ['FAILSAFE'], to: 'HOLD', note: 'the node sends it only when navigation caused the FAILSAFE' },
  { input: 'trigger hold', from: ['MANUAL', 'AUTO'], to: 'HOLD', note: 'watchdog, alarm, node fault' },
  { input: 'trigger return', from: ['MANUAL', 'AUTO', 'HOLD'], to: 'RETURN', note: 'watchdog, alarm, node fault' },
  { input: 'trigger drift', from: ['MANUAL', 'AUTO', 'HOLD', 'RETURN'], to: 'FAILSAFE', note: 'watchdog, alarm, node fault' },
  { input: 'command start', from: ['IDLE'], to: 'AUTO', note: '' },
  { input: 'command resume', from: ['HOLD', 'RETURN', 'MANUAL'], to: 'AUTO', note: 'back to the survey where it left off' },
  { input: 'command stop', from: ['MANUAL', 'AUTO', 'HOLD', 'RETURN'], to: 'IDLE', note: '' },
  { input: 'command manual', from: ['IDLE', 'AUTO', 'HOLD', 'RETURN'], to: 'MANUAL', note: '' },
  { input: 'command hold', from: ['MANUAL', 'AUTO', 'RETURN'], to: 'HOLD', note: '' },
  { input: 'command return', from: ['MANUAL', 'AUTO', 'HOLD'], to: 'RETURN', note: '' },
  { input: 'command estop', from: ['IDLE', 'MANUAL', 'AUTO', 'HOLD', 'RETURN', 'FAILSAFE'], to: 'ESTOP', note: 'latched' },
  { input: 'command reset', from: ['FAILSAFE', 'ESTOP'], to: 'IDLE', note: 'the only way out of ESTOP' },
  { input: 'command heartbeat', from: [], to: 'IDLE', note: 'never a transition: feeds the link watchdog' },
  { input: 'command thrust', from: [], to: 'IDLE', note: 'never a transition: the operator\'s thrust in MANUAL' },
];

const has = (modes: readonly Mode[], m: Mode) => modes.includes(m);

export function nextMode(mode: Mode, event: SupervisorEvent, policy: ModePolicy): Transition | undefined {
  switch (event.kind) {
    case 'navValid':
      return mode === 'IDLE' && policy.autoStart ? { to: 'AUTO', why: 'navigation valid; survey started' } : undefined;
    case 'navLost':
      return DRIVING.has(mode) ? { to: 'FAILSAFE', why: `navigation lost: ${event.why}` } : undefined;
    case 'navRecovered':
      return mode === 'FAILSAFE' ? { to: 'HOLD', why: 'navigation recovered; holding position' } : undefined;
    case 'planDone':
      return mode === 'AUTO' ? { to: 'HOLD', why: 'survey complete; holding position' } : undefined;
    case 'trigger': {
      const to = ACTION_MODE[event.action];
      if (!DRIVING.has(mode) || RANK[to] <= RANK[mode]) return undefined;
      return { to, why: `${event.trigger}: ${event.why}` };
    }
    case 'command':
      return commandTransition(mode, event.verb);
  }
}

function commandTransition(mode: Mode, verb: OperatorVerb): Transition | undefined {
  switch (verb) {
    case 'estop':
      return mode === 'ESTOP' ? undefined : { to: 'ESTOP', why: 'operator e-stop' };
    case 'reset':
      return has(['FAILSAFE', 'ESTOP'], mode) ? { to: 'IDLE', why: 'operator reset' } : undefined;
    case 'start':
      return mode === 'IDLE' ? { to: 'AUTO', why: 'operator start' } : undefined;
    case 'resume':
      return has(['HOLD', 'RETURN', 'MANUAL'], mode) ? { to: 'AUTO', why: 'operator resume' } : undefined;
    case 'stop':
      return DRIVING.has(mode) ? { to: 'IDLE', why: 'operator stop' } : undefined;
    case 'manual':
      return has(['IDLE', 'AUTO', 'HOLD', 'RETURN'], mode) ? { to: 'MANUAL', why: 'operator takes manual control' } : undefined;
    case 'hold':
      return has(['MANUAL', 'AUTO', 'RETURN'], mode) ? { to: 'HOLD', why: 'operator hold' } : undefined;
    case 'return':
      return has(['MANUAL', 'AUTO', 'HOLD'], mode) ? { to: 'RETURN', why: 'operator return' } : undefined;
    case 'heartbeat':
    case 'thrust':
      return undefined;
  }
}

/** The mode in which the survey controller may drive the thrusters. */
export function allowsAutonomy(mode: Mode): boolean {
  return mode === 'AUTO';
}
