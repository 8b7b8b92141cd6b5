// Event scoring of alarms against injected faults. A fault is detected when an alarm comes
// within `horizonS` after its onset (the issue: 10 s). An alarm is a false alarm when no fault is
// active at its time or ended less than `graceS` before it (a vehicle recovering from a fault is
// not normal running). Normal running time is what lies outside those intervals.
import type { Alarm } from './change.ts';

export interface ScoredFault {
  kind: string;
  onsetS: number;
  endS?: number;
}

export interface EventScore {
  detected: number;
  missed: number;
  falseAlarms: number;
  /** Delay of each detected fault, in fault order. */
  delaysS: number[];
  /** Per fault: the delay, or null when missed. */
  perFault: Array<{ kind: string; onsetS: number; delayS: number | null; alarmKind: string | null }>;
  /** Alarms that are not false. */
  trueAlarms: number;
  normalTimeS: number;
}

export function scoreEvents(faults: ScoredFault[], alarms: Array<Pick<Alarm, 'atS' | 'kind'>>, simTimeS: number, startS = 0, horizonS = 10, graceS = 10): EventScore {
  const perFault = faults.map((f) => {
    const first = alarms.find((a) => a.atS >= f.onsetS && a.atS <= f.onsetS + horizonS);
    return { kind: f.kind, onsetS: f.onsetS, delayS: first ? round3(first.atS - f.onsetS) : null, alarmKind: first ? first.kind : null };
  });
  const busy = faults.map((f) => [f.onsetS, Math.min(simTimeS, (f.endS ?? simTimeS) + graceS)] as const);
  const falseAlarms = alarms.filter((a) => !busy.some(([s, e]) => a.atS >= s && a.atS <= e)).length;
  let busyS = 0;
  for (const [s, e] of mergeIntervals(busy.map(([s, e]) => [Math.max(s, startS), e]))) busyS += Math.max(0, e - s);
  const delaysS = perFault.filter((p) => p.delayS !== null).map((p) => p.delayS as number);
  return {
    detected: delaysS.length,
    missed: faults.length - delaysS.length,
    falseAlarms,
    delaysS,
    perFault,
    trueAlarms: alarms.length - falseAlarms,
    normalTimeS: Math.max(0, simTimeS - startS - busyS),
  };
}

function mergeIntervals(iv: Array<[number, number]>): Array<[number, number]> {
  const sorted = iv.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
