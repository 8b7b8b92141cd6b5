// `coxswain compare --controllers pid,mppi --seeds 1..10 [--scenario NAME] [--duration S] [--config FILE] [--json]`:
// the closed-loop comparison of controllers in the same seeds, scenario and currents. One
// table row per controller and seed, then the means; --json prints one object instead.
// A run that never follows a lane past its settling time has no cross-track figure at all
// (report.json says 0 there): it is a failure, shown as FAIL and kept out of the means, and a
// controller with any failure cannot win the comparison. So is a run whose survey the
// supervisor aborted (left AUTO before the survey was complete, e.g. RETURN on a silent sounder).
import { resolveConfig, type Config, loadConfigOrDefaults } from '../config/index.ts';
import { mergeConfig } from '../config/derive.ts';
import { silentLogger } from '../runtime/log.ts';
import { scenarioOverrides } from '../runtime/scenarios.ts';
import { runSimulation } from '../runtime/simulate.ts';
import { helpText, parseArgs, UsageError, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';
import { secondsBetween, type Topics } from '../msg/index.ts';

const FLAGS: Record<string, FlagSpec> = {
  controllers: { type: 'string', help: 'comma-separated controllers (default pid,mppi)' },
  seeds: { type: 'string', help: 'seeds: a range A..B or a list 1,2,3 (default 1..10)' },
  scenario: { type: 'string', help: 'named scenario (default survey)' },
  duration: { type: 'string', help: 'simulated seconds per run (default: until the survey is done)' },
  config: { type: 'string', help: 'a YAML/JSON configuration file applied before the scenario (as coxswain sim)' },
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

/** Seconds after a lane starts before its cross-track counts (as src/runtime/sim-metrics.ts). */
const LANE_SETTLE_S = 10;

export interface CompareRow {
  controller: string;
  seed: number;
  /** null: the run never followed a lane (a failure). */
  crossTrackRmsM: number | null;
  /**
   * Cross-track RMS against the vessel's own estimate (the controller's tracking error alone,
   * without the navigation error that the truth figure adds), over the same lane ticks; null as above.
   */
  estCrossTrackRmsM: number | null;
  /** Guidance ticks on lane legs past their settling time: 0 means no lane was ever reached. */
  laneTicks: number;
  geofenceViolations: number;
  groundings: number;
  /** The supervisor took the vessel out of AUTO before the survey was complete (why, or null): a failure. */
  aborted: string | null;
  legsCompleted: number;
  p50Ms: number;
  overruns: number;
  speedUp: number;
}

/** Why the supervisor first left AUTO other than at the survey's end, or null when it never did. */
export function abortReason(changes: ReadonlyArray<{ from: string; to: string; why: string }>): string | null {
  const c = changes.find((m) => m.from === 'AUTO' && !m.why.startsWith('survey complete'));
  return c ? `${c.to}: ${c.why}` : null;
}

export async function runCompareCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText('usage: coxswain compare [--controllers pid,mppi] [--seeds 1..10] [--scenario NAME] [--duration S] [--config FILE] [--json]', FLAGS));
    return 0;
  }
  const controllers = String(flags.controllers ?? 'pid,mppi').split(',').map((s) => s.trim());
  const seeds = parseSeeds(String(flags.seeds ?? '1..10'));
  const scenario = String(flags.scenario ?? 'survey');
  const durationS = flags.duration === undefined ? undefined : Number(flags.duration);
  if (durationS !== undefined && !(durationS > 0)) throw new UsageError('--duration: expected a positive number of seconds');
  const base0: Config = loadConfigOrDefaults(typeof flags.config === 'string' ? flags.config : undefined);
  const rows: CompareRow[] = [];
  for (const controller of controllers) {
    for (const seed of seeds) {
      const config = resolveConfig(mergeConfig(mergeConfig(base0, scenarioOverrides(scenario)), { control: { controller } }), `scenario '${scenario}'`);
      // Ticks per leg index past the settling time; which legs are lanes is known after the run.
      const ticksByLeg = new Map<number, number>();
      const estSqByLeg = new Map<number, number>();
      let leg = -1;
      let legStartNs = 0n;
      const { report, plan } = await runSimulation({
        config,
        scenario,
        seed,
        durationS,
        realtime: false,
        log: silentLogger,
        onRuntime: (runtime) =>
          runtime.bus.tap((topic, msg) => {
            if (topic !== 'guidance') return;
            const g = msg as Topics['guidance'];
            if (g.legIndex !== leg) {
              leg = g.legIndex;
              legStartNs = g.stampNs;
            }
            if (g.done || g.legIndex < 0 || secondsBetween(legStartNs, g.stampNs) < LANE_SETTLE_S) return;
            ticksByLeg.set(g.legIndex, (ticksByLeg.get(g.legIndex) ?? 0) + 1);
            estSqByLeg.set(g.legIndex, (estSqByLeg.get(g.legIndex) ?? 0) + g.crossTrackM * g.crossTrackM);
          }),
      });
      let laneTicks = 0;
      let laneEstSq = 0;
      for (const [i, n] of ticksByLeg) {
        if (plan.legs[i]?.kind !== 'lane') continue;
        laneTicks += n;
        laneEstSq += estSqByLeg.get(i) ?? 0;
      }
      const aborted = abortReason(report.safety.modeChanges);
      const row: CompareRow = {
        controller,
        seed,
        // An aborted survey's cross-track includes the return: no figure, a failure.
        crossTrackRmsM: laneTicks > 0 && aborted === null ? report.survey.crossTrackRmsM : null,
        estCrossTrackRmsM: laneTicks > 0 && aborted === null ? Math.sqrt(laneEstSq / laneTicks) : null,
        laneTicks,
        geofenceViolations: report.safety.geofenceViolations,
        groundings: report.safety.groundings,
        aborted,
        legsCompleted: report.survey.legsCompleted as number,
        p50Ms: report.control.p50Ms,
        overruns: report.control.overruns,
        speedUp: report.simTimeS / report.wallTimeS,
      };
      rows.push(row);
      io.err(`${controller} seed ${seed}: cross-track RMS ${row.crossTrackRmsM ?? `FAIL (${aborted ?? 'never on a lane'})`} m (estimate ${row.estCrossTrackRmsM?.toFixed(4) ?? '-'} m), fence ${row.geofenceViolations}, groundings ${row.groundings}, ${row.speedUp.toFixed(1)}x real time`);
    }
  }
  const summary = controllers.map((controller) => {
    const mine = rows.filter((r) => r.controller === controller);
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
    const reached = mine.flatMap((r) => (r.crossTrackRmsM === null ? [] : [r.crossTrackRmsM]));
    const reachedEst = mine.flatMap((r) => (r.estCrossTrackRmsM === null ? [] : [r.estCrossTrackRmsM]));
    return {
      controller,
      runs: mine.length,
      /** Runs that never followed a lane or whose survey the supervisor aborted. */
      failures: mine.length - reached.length,
      /** Over the runs that reached a lane. */
      meanCrossTrackRmsM: mean(reached),
      /** The same runs, against the estimate (tracking error alone). */
      meanEstCrossTrackRmsM: mean(reachedEst),
      geofenceViolations: mine.reduce((a, r) => a + r.geofenceViolations, 0),
      groundings: mine.reduce((a, r) => a + r.groundings, 0),
      meanSpeedUp: mean(mine.map((r) => r.speedUp)),
    };
  });
  // Paired by seed against the first controller (the baseline): a failure of either side
  // counts as a loss for the side that failed.
  const base = controllers[0];
  const paired = controllers.slice(1).map((controller) => {
    let wins = 0;
    let losses = 0;
    for (const seed of seeds) {
      const a = rows.find((r) => r.controller === base && r.seed === seed)?.crossTrackRmsM ?? null;
      const b = rows.find((r) => r.controller === controller && r.seed === seed)?.crossTrackRmsM ?? null;
      if (b !== null && (a === null || b < a)) wins++;
      else losses++;
    }
    const s = summary.find((x) => x.controller === controller)!;
    const sb = summary.find((x) => x.controller === base)!;
    const beats = s.failures === 0 && s.geofenceViolations === 0 && s.groundings === 0 && s.meanCrossTrackRmsM < sb.meanCrossTrackRmsM;
    return { controller, against: base, winsBySeed: wins, lossesBySeed: losses, beatsBaseline: beats };
  });
  if (flags.json) {
    io.out(JSON.stringify({ scenario, durationS: durationS ?? null, seeds, rows, summary, paired }));
    return 0;
  }
  io.out(`scenario ${scenario}, ${durationS === undefined ? 'until done' : `${durationS} s`}, seeds ${seeds.join(',')}`);
  io.out('controller  seed  xtRmsM  xtEstM  fence  ground  legs  p50Ms  overruns  speedUp');
  for (const r of rows) {
    io.out(`${r.controller.padEnd(10)}  ${String(r.seed).padStart(4)}  ${(r.crossTrackRmsM === null ? 'FAIL' : r.crossTrackRmsM.toFixed(3)).padStart(6)}  ${(r.estCrossTrackRmsM === null ? '-' : r.estCrossTrackRmsM.toFixed(3)).padStart(6)}  ${String(r.geofenceViolations).padStart(5)}  ${String(r.groundings).padStart(6)}  ${String(r.legsCompleted).padStart(4)}  ${r.p50Ms.toFixed(3).padStart(5)}  ${String(r.overruns).padStart(8)}  ${r.speedUp.toFixed(1).padStart(7)}`);
  }
  for (const s of summary) {
    io.out(`mean ${s.controller}: cross-track RMS ${s.meanCrossTrackRmsM.toFixed(3)} m (against its estimate ${s.meanEstCrossTrackRmsM.toFixed(3)} m) over ${s.runs - s.failures} of ${s.runs} runs (${s.failures} failed: never on a lane or aborted); fence violations ${s.geofenceViolations}, groundings ${s.groundings}; ${s.meanSpeedUp.toFixed(1)}x real time`);
  }
  for (const p of paired) {
    io.out(`${p.controller} vs ${p.against}: lower cross-track in ${p.winsBySeed} of ${seeds.length} seeds; ${p.beatsBaseline ? 'beats' : 'does NOT beat'} the baseline (lower mean, no failure, no fence violation, no grounding)`);
  }
  return 0;
}
