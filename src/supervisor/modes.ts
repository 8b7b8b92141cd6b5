// The mode machine's pure core: (mode, event) -> next mode and the reason, or no change.
//
// Transition table (anything not listed leaves the mode as it is):
//   IDLE      --navValid (autoStart) / command start-->  AUTO
//   AUTO      --planDone-->                               HOLD      loiter at the last waypoint
//   AUTO/HOLD/RETURN/MANUAL --navLost-->                  FAILSAFE  zero thrust, drift
//   any but ESTOP --nodeFault-->                          FAILSAFE
//   any        --command estop-->                         ESTOP     latched
//   ESTOP      --command reset-->                         IDLE
//   FAILSAFE   --command reset-->                         IDLE
import type { Mode } from '../msg/index.ts';

export type SupervisorEvent =
  | { kind: 'navValid' }
  | { kind: 'navLost'; ageS: number }
  | { kind: 'planDone' }
  | { kind: 'nodeFault'; node: string; message: string }
  | { kind: 'command'; verb: 'start' | 'stop' | 'estop' | 'reset' };

export interface Transition {
  to: Mode;
  why: string;
}

export interface ModePolicy {
  /** Start the survey by itself once navigation is valid (simulation, unattended runs). */
  autoStart: boolean;
}

const DRIVING: ReadonlySet<Mode> = new Set<Mode>(['AUTO', 'HOLD', 'RETURN', 'MANUAL']);

export function nextMode(mode: Mode, event: SupervisorEvent, policy: ModePolicy): Transition | undefined {
  switch (event.kind) {
    case 'navValid':
      return mode === 'IDLE' && policy.autoStart ? { to: 'AUTO', why: 'navigation valid; survey started' } : undefined;
    case 'navLost':
      return DRIVING.has(mode) ? { to: 'FAILSAFE', why: `navigation lost for ${event.ageS.toFixed(1)} s` } : undefined;
    case 'planDone':
      return mode === 'AUTO' ? { to: 'HOLD', why: 'survey complete; holding at the last waypoint' } : undefined;
    case 'nodeFault':
      return mode === 'ESTOP' || mode === 'FAILSAFE'
        ? undefined
        : { to: 'FAILSAFE', why: `node '${event.node}' failed: ${event.message}` };
    case 'command':
      switch (event.verb) {
        case 'estop':
          return mode === 'ESTOP' ? undefined : { to: 'ESTOP', why: 'operator e-stop' };
        case 'reset':
          return mode === 'ESTOP' || mode === 'FAILSAFE' ? { to: 'IDLE', why: 'operator reset' } : undefined;
        case 'start':
          return mode === 'IDLE' ? { to: 'AUTO', why: 'operator start' } : undefined;
        case 'stop':
          return DRIVING.has(mode) ? { to: 'IDLE', why: 'operator stop' } : undefined;
      }
  }
}

/** Modes in which the guidance may drive the thrusters (following the plan, or holding at its end). */
export function allowsAutonomy(mode: Mode): boolean {
  return mode === 'AUTO' || mode === 'HOLD';
}
