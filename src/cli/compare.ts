// `coxswain compare --controllers pid,mppi --seeds 1..10 [--scenario NAME] [--duration S] [--json]`:
// the closed-loop comparison of controllers in the same seeds, scenario and currents. One
// table row per controller and seed, then the means; --json prints one object instead.
import { resolveConfig } from '../config/index.ts';
import { silentLogger } from '../runtime/log.ts';
import { scenarioOverrides } from '../runtime/scenarios.ts';
import { runSimulation } from '../runtime/simulate.ts';
import { helpText, parseArgs, UsageError, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';

const FLAGS: Record<string, FlagSpec> = {
  controllers: { type: 'string', help: 'comma-separated controllers (default pid,mppi)' },
  seeds: { type: 'string', help: 'seeds: a range A..B or a list 1,2,3 (default 1..10)' },
  scenario: { type: 'string', help: 'named scenario (default survey)' },
  duration: { type: 'string', help: 'simulated seconds per run (default: until the survey is done)' },
  json: { type: 'boolean', help: 'one JSON object on stdout' },
  help: { type: 'boolean', help: 'this text' },
};

export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new UsageError(`--seeds: empty range ${text}`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError(`--seeds: expected A..B or a list of integers, got '${text}'`);
  return list;
}

export interface CompareRow {
  controller: string;
  seed: number;
  crossTrackRmsM: number;
  geofenceViolations: number;
  groundings: number;
  legsCompleted: number;
  p50Ms: number;
  overruns: number;
  speedUp: number;
}

export async function runCompareCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText('usage: coxswain compare [--controllers pid,mppi] [--seeds 1..10] [--scenario NAME] [--duration S] [--json]', FLAGS));
    return 0;
  }
  const controllers = String(flags.controllers ?? 'pid,mppi').split(',').map((s) => s.trim());
  const seeds = parseSeeds(String(flags.seeds ?? '1..10'));
  const scenario = String(flags.scenario ?? 'survey');
  const durationS = flags.duration === undefined ? undefined : Number(flags.duration);
  if (durationS !== undefined && !(durationS > 0)) throw new UsageError('--duration: expected a positive number of seconds');
  const rows: CompareRow[] = [];
  for (const controller of controllers) {
    for (const seed of seeds) {
      const config = resolveConfig({ ...scenarioOverrides(scenario), control: { controller } });
      const { report } = await runSimulation({ config, scenario, seed, durationS, realtime: false, log: silentLogger });
      const row: CompareRow = {
        controller,
        seed,
        crossTrackRmsM: report.survey.crossTrackRmsM,
        geofenceViolations: report.safety.geofenceViolations,
        groundings: report.safety.groundings,
        legsCompleted: report.survey.legsCompleted as number,
        p50Ms: report.control.p50Ms,
        overruns: report.control.overruns,
        speedUp: report.simTimeS / report.wallTimeS,
      };
      rows.push(row);
      io.err(`${controller} seed ${seed}: cross-track RMS ${row.crossTrackRmsM} m, fence ${row.geofenceViolations}, groundings ${row.groundings}, ${row.speedUp.toFixed(1)}x real time`);
    }
  }
  const summary = controllers.map((controller) => {
    const mine = rows.filter((r) => r.controller === controller);
    const mean = (f: (r: CompareRow) => number) => mine.reduce((a, r) => a + f(r), 0) / Math.max(1, mine.length);
    return {
      controller,
      runs: mine.length,
      meanCrossTrackRmsM: mean((r) => r.crossTrackRmsM),
      geofenceViolations: mine.reduce((a, r) => a + r.geofenceViolations, 0),
      groundings: mine.reduce((a, r) => a + r.groundings, 0),
      meanSpeedUp: mean((r) => r.speedUp),
    };
  });
  if (flags.json) {
    io.out(JSON.stringify({ scenario, durationS: durationS ?? null, seeds, rows, summary }));
    return 0;
  }
  io.out(`scenario ${scenario}, ${durationS === undefined ? 'until done' : `${durationS} s`}, seeds ${seeds.join(',')}`);
  io.out('controller  seed  xtRmsM  fence  ground  legs  p50Ms  overruns  speedUp');
  for (const r of rows) {
    io.out(`${r.controller.padEnd(10)}  ${String(r.seed).padStart(4)}  ${r.crossTrackRmsM.toFixed(3).padStart(6)}  ${String(r.geofenceViolations).padStart(5)}  ${String(r.groundings).padStart(6)}  ${String(r.legsCompleted).padStart(4)}  ${r.p50Ms.toFixed(3).padStart(5)}  ${String(r.overruns).padStart(8)}  ${r.speedUp.toFixed(1).padStart(7)}`);
  }
  for (const s of summary) {
    io.out(`mean ${s.controller}: cross-track RMS ${s.meanCrossTrackRmsM.toFixed(3)} m over ${s.runs} runs; fence violations ${s.geofenceViolations}, groundings ${s.groundings}; ${s.meanSpeedUp.toFixed(1)}x real time`);
  }
  return 0;
}
