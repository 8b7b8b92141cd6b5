// Scores a chaos run: for each injected fault, how long the vessel took to reach a safe mode.
import type { Mode } from '../msg/index.ts';
import type { ChaosFault, ChaosKind } from './chaos.ts';

/** Modes in which the survey controller no longer drives. */
export const SAFE_MODES: ReadonlySet<Mode> = new Set<Mode>(['HOLD', 'RETURN', 'FAILSAFE', 'ESTOP', 'IDLE']);

export interface ChaosOutcome {
  kind: ChaosKind;
  target?: string;
  atS: number;
  endS: number;
  /** The mode when the fault began. */
  modeAtOnset: Mode;
  /**
   * safe: a safe mode was entered during the fault (or within `graceS` of its end);
   * alreadySafe: the vessel was not in AUTO/MANUAL at onset; tolerated: no mode change.
   */
  outcome: 'safe' | 'alreadySafe' | 'tolerated';
  timeToSafeS?: number;
  safeMode?: Mode;
  why?: string;
  /** What the fault did where that is not a mode change (gpuLost: whether a device was destroyed). */
  effect?: string;
  /** gpuLost: a GPU device in use was destroyed. */
  deviceLost?: boolean;
}

/** A reaction this long after a fault has ended is still counted as caused by it. */
const GRACE_S = 5;

export function chaosOutcomes(
  faults: readonly ChaosFault[],
  changes: ReadonlyArray<{ atS: number; from: Mode; to: Mode; why: string }>,
  simTimeS: number,
): ChaosOutcome[] {
  const out: ChaosOutcome[] = [];
  for (const f of faults) {
    if (f.atS >= simTimeS) continue;
    const endS = f.atS + f.durationS;
    let modeAtOnset: Mode = 'IDLE';
    for (const c of changes) if (c.atS < f.atS) modeAtOnset = c.to;
    const base = { kind: f.kind, target: f.target, atS: f.atS, endS, modeAtOnset };
    if (SAFE_MODES.has(modeAtOnset)) {
      out.push({ ...base, outcome: 'alreadySafe' });
      continue;
    }
    const c = changes.find((x) => x.atS >= f.atS && x.atS <= endS + GRACE_S && SAFE_MODES.has(x.to));
    if (c) out.push({ ...base, outcome: 'safe', timeToSafeS: Math.round((c.atS - f.atS) * 1000) / 1000, safeMode: c.to, why: c.why });
    else out.push({ ...base, outcome: 'tolerated' });
  }
  return out;
}
