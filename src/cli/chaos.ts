// `coxswain chaos`: the chaos scenario over many seeds, and the safety figures that matter:
// crashes, geofence violations, groundings, and for each fault kind the time to a safe mode.
import { writeFileSync } from 'node:fs';
import { loadConfigOrDefaults } from '../config/index.ts';
import { createLogger } from '../runtime/log.ts';
import { runSimulation } from '../runtime/simulate.ts';
import { CHAOS_KINDS } from '../runtime/chaos.ts';
import type { ChaosOutcome } from '../runtime/chaos-score.ts';
import { formatSummaryTable } from '../output/console.ts';
import { helpText, numberFlag, parseArgs, UsageError, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';

const FLAGS: Record<string, FlagSpec> = {
  seeds: { type: 'string', help: 'seeds to run: A..B, or a comma list (default 1..50)' },
  duration: { type: 'string', help: 'simulated seconds per run (default: the chaos scenario\'s, 900)' },
  config: { type: 'string', help: 'a YAML/JSON configuration file for every run (e.g. the MPPI controller on the GPU, so that gpuLost destroys a device in use)' },
  json: { type: 'boolean', help: 'one JSON object on stdout instead of tables' },
  out: { type: 'string', help: 'also write the JSON summary to this file' },
  help: { type: 'boolean', help: 'this text' },
};

export interface KindFigures {
  kind: string;
  injected: number;
  /** Reached a safe mode during the fault. */
  safe: number;
  /** Was already in a safe mode (an earlier fault) when it began. */
  alreadySafe: number;
  /** No mode change (the fault was absorbed: gated, refused, restarted without a hold). */
  tolerated: number;
  medianS: number | null;
  maxS: number | null;
}

export interface ChaosSummary {
  seeds: number[];
  runs: number;
  crashes: number;
  crashed: Array<{ seed: number; error: string }>;
  geofenceViolations: number;
  groundings: number;
  /** gpuLost faults that destroyed a GPU device in use, and those that found none (a controller on the CPU). */
  gpuDevicesLost: number;
  gpuLostWithoutDevice: number;
  simTimeS: number;
  wallTimeS: number;
  kinds: KindFigures[];
}

export function parseSeeds(spec: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(spec.trim());
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a || b - a > 100_000) throw new UsageError(`--seeds: bad range '${spec}'`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  const list = spec.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError(`--seeds: expected A..B or a comma list of integers, got '${spec}'`);
  return list;
}

export function summarise(outcomes: ChaosOutcome[]): KindFigures[] {
  return CHAOS_KINDS.map((kind) => {
    const of = outcomes.filter((o) => o.kind === kind);
    const times = of.filter((o) => o.outcome === 'safe').map((o) => o.timeToSafeS ?? 0).sort((a, b) => a - b);
    const median = times.length === 0 ? null : times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
    return {
      kind,
      injected: of.length,
      safe: times.length,
      alreadySafe: of.filter((o) => o.outcome === 'alreadySafe').length,
      tolerated: of.filter((o) => o.outcome === 'tolerated').length,
      medianS: median === null ? null : Math.round(median * 1000) / 1000,
      maxS: times.length === 0 ? null : times[times.length - 1],
    };
  });
}

export async function runChaosCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText('usage: coxswain chaos [options]', FLAGS));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const seeds = parseSeeds(typeof flags.seeds === 'string' ? flags.seeds : '1..50');
  const durationS = numberFlag(flags, 'duration', (n) => n > 0 && n <= 86400, 'seconds in (0, 86400]');
  const config = loadConfigOrDefaults(typeof flags.config === 'string' ? flags.config : undefined);
  const log = createLogger({ level: 'error', sinks: [] });
  const outcomes: ChaosOutcome[] = [];
  const summary: ChaosSummary = { seeds, runs: 0, crashes: 0, crashed: [], geofenceViolations: 0, groundings: 0, gpuDevicesLost: 0, gpuLostWithoutDevice: 0, simTimeS: 0, wallTimeS: 0, kinds: [] };
  for (const seed of seeds) {
    try {
      const { report } = await runSimulation({ config, scenario: 'chaos', seed, durationS, realtime: false, log });
      summary.runs++;
      summary.geofenceViolations += report.safety.geofenceViolations;
      summary.groundings += report.safety.groundings;
      summary.simTimeS += report.simTimeS;
      summary.wallTimeS += report.wallTimeS;
      const chaos = (report as { chaos?: { faults: ChaosOutcome[] } }).chaos;
      if (chaos) outcomes.push(...chaos.faults);
      if (!flags.json && (report.safety.geofenceViolations > 0 || report.safety.groundings > 0)) {
        io.err(`seed ${seed}: ${report.safety.geofenceViolations} geofence violations, ${report.safety.groundings} groundings`);
      }
    } catch (error) {
      summary.crashes++;
      summary.crashed.push({ seed, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  summary.kinds = summarise(outcomes);
  for (const o of outcomes) {
    if (o.kind !== 'gpuLost') continue;
    if (o.deviceLost) summary.gpuDevicesLost++;
    else summary.gpuLostWithoutDevice++;
  }
  summary.simTimeS = Math.round(summary.simTimeS);
  summary.wallTimeS = Math.round(summary.wallTimeS * 10) / 10;
  const json = JSON.stringify(summary, null, 2);
  if (typeof flags.out === 'string') writeFileSync(flags.out, `${json}\n`);
  if (flags.json) {
    io.out(json);
  } else {
    io.out(
      formatSummaryTable([
        ['runs', `${summary.runs} of ${seeds.length} seeds, ${summary.simTimeS} s simulated in ${summary.wallTimeS} s`],
        ['crashes', String(summary.crashes)],
        ['geofence violations', String(summary.geofenceViolations)],
        ['groundings', String(summary.groundings)],
        ['GPU devices lost', `${summary.gpuDevicesLost} destroyed in use; ${summary.gpuLostWithoutDevice} gpuLost faults found no GPU in use`],
      ]),
    );
    io.out('');
    io.out('fault kind          injected  safe  already  tolerated  median s  max s');
    for (const k of summary.kinds) {
      const f = (v: number | null) => (v === null ? '-' : v.toFixed(2));
      io.out(
        `${k.kind.padEnd(20)}${String(k.injected).padStart(8)}${String(k.safe).padStart(6)}${String(k.alreadySafe).padStart(9)}${String(k.tolerated).padStart(11)}${f(k.medianS).padStart(10)}${f(k.maxS).padStart(7)}`,
      );
    }
    for (const c of summary.crashed) io.err(`seed ${c.seed} crashed: ${c.error}`);
  }
  return summary.crashes > 0 || summary.geofenceViolations > 0 || summary.groundings > 0 ? 1 : 0;
}
