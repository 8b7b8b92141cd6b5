// report.json: the figures every run with --out writes. Field names are a public contract
// (DESIGN.md); evaluations read them.
import type { Mode } from '../msg/index.ts';
import type { ChaosOutcome } from './chaos-score.ts';

export interface Report {
  scenario: string;
  seed: number;
  simTimeS: number;
  wallTimeS: number;
  navigation: { positionRmseM: number; gnssRmseM: number; headingRmseDeg: number; gnssGated: number };
  survey: { distanceM: number; coveragePct: number; crossTrackRmsM: number; legsCompleted: number; legsPlanned: number };
  control: { backend: string; rateHz: number; p50Ms: number; p99Ms: number; overruns: number };
  safety: {
    finalMode: Mode;
    geofenceViolations: number;
    groundings: number;
    minDepthM: number;
    modeChanges: Array<{ atS: number; from: Mode; to: Mode; why: string }>;
    /** The safety filter's and the supervisor's counters (beyond the contract). */
    published?: number;
    fenceReplaced?: number;
    proposalsDropped?: number;
    manualRefused?: number;
    commandsAccepted?: number;
    commandsRejected?: number;
    commandsIgnored?: number;
    nodeRestarts?: Record<string, number>;
    thrustTimeouts?: number;
  };
  drivers: Record<string, { accepted: number; rejected: Record<string, number> }>;
  /** Present when the mapper runs. rmseM is against the simulator's truth. */
  map?: {
    rmseM: number;
    samples: number;
    inducingPoints: number;
    rmseOverTime?: Array<{ tS: number; rmseM: number }>;
    /** Soundings rejected by the robust test against the posterior, and batches whose update failed. */
    outliers?: number;
    failedUpdates?: number;
    soundings?: Record<string, number>;
  };
  /** The chaos scenario: each injected fault and how the vessel reached a safe mode. */
  chaos?: { kinds: readonly string[]; badCommandsSent: number; faults: ChaosOutcome[] };
  /** Present when fault detection runs. */
  anomaly?: {
    faults: Array<{ kind: string; onsetS: number }>;
    alarms: Array<{ kind: string; atS: number; score: number }>;
    detected: number;
    missed: number;
    falseAlarms: number;
    delaysS: number[];
  };
}

/**
 * Figures that depend on the machine rather than the run; left out when comparing runs.
 * Overruns are ticks whose computation took longer than their period in wall time.
 */
export const WALL_CLOCK_FIELDS = ['wallTimeS', 'control.p50Ms', 'control.p99Ms', 'control.overruns'] as const;

/** Rounds for the report: keeps files readable and comparisons exact. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}
