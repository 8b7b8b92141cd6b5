// The shape of `coxswain bench PART --json` (DESIGN.md): one object per part, each case's
// figures beside an in-run baseline measured the same way on the same machine.
import { cpus } from 'node:os';

export interface BenchCase {
  name: string;
  backend: string;
  threads: number;
  medianMs: number;
  p99Ms: number;
  /** Size parameters (K, T, M, ...) and rates (sample-steps per second, ...). */
  [figure: string]: string | number | boolean;
}

export interface BenchResult {
  part: string;
  machine: { cpus: number; model: string; node: string };
  cases: BenchCase[];
  baseline: BenchCase;
  /** Free-form notes (what the baseline is, what was not measured and why). */
  notes?: string[];
}

export interface BenchOptions {
  /** Shorter runs (tests, smoke checks): fewer repetitions, smaller sizes where marked. */
  quick: boolean;
  /** Progress lines for a person; never part of the JSON. */
  log: (line: string) => void;
}

/** A bench part: a module under src/bench/ exporting `runBench`. */
export type RunBench = (options: BenchOptions) => Promise<BenchResult>;

export function machine(): BenchResult['machine'] {
  const c = cpus();
  return { cpus: c.length, model: c[0]?.model ?? 'unknown', node: process.version };
}

/** Median and 99th percentile of a list of durations. */
export function summarise(durationsMs: readonly number[]): { medianMs: number; p99Ms: number } {
  const s = [...durationsMs].sort((a, b) => a - b);
  if (s.length === 0) return { medianMs: NaN, p99Ms: NaN };
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { medianMs: at(0.5), p99Ms: at(0.99) };
}
