// `coxswain sim`: a simulated vessel surveys a simulated lake through the real pipeline.
import { mkdirSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig, type Config, loadConfigOrDefaults } from '../config/index.ts';
import { mergeConfig } from '../config/derive.ts';
import { createLogger, type LogSink } from '../runtime/log.ts';
import { runSimulation, type SimRunResult } from '../runtime/simulate.ts';
import { emergencyStop } from '../supervisor/emergency.ts';
import { scenarioOverrides, SCENARIOS } from '../runtime/scenarios.ts';
import { trackToGeoJson } from '../output/geojson.ts';
import { renderSurveyPng } from '../output/survey-png.ts';
import { formatSummaryTable, progressBar } from '../output/console.ts';
import { helpText, numberFlag, parseArgs, UsageError, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';

const FLAGS: Record<string, FlagSpec> = {
  scenario: { type: 'string', help: `named scenario: ${Object.keys(SCENARIOS).join(', ')} (default survey)` },
  world: { type: 'string', help: 'a depth grid (.npy or .csv) to survey instead of the generated lake' },
  seed: { type: 'string', help: 'random seed of the world, sensors and disturbances (default 1)' },
  duration: { type: 'string', help: 'simulated seconds (default: until the survey is complete, at most 4 h)' },
  realtime: { type: 'boolean', help: 'pace the simulation to the wall clock' },
  out: { type: 'string', help: 'directory for report.json, track.geojson, survey.png, log.jsonl' },
  config: { type: 'string', help: 'a YAML/JSON configuration file applied before the scenario' },
  quiet: { type: 'boolean', help: 'no progress bar and no summary' },
  help: { type: 'boolean', help: 'this text' },
};

export async function runSimCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(helpText('usage: coxswain sim [options]', FLAGS));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const scenario = typeof flags.scenario === 'string' ? flags.scenario : 'survey';
  if (!(scenario in SCENARIOS)) throw new UsageError(`unknown scenario '${scenario}' (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const seed = numberFlag(flags, 'seed', (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer in [0, 2^32)') ?? 1;
  const durationS = numberFlag(flags, 'duration', (n) => n > 0 && n <= 7 * 86400, 'seconds in (0, 604800]');
  const outDir = typeof flags.out === 'string' ? resolve(flags.out) : undefined;

  let config: Config = loadConfigOrDefaults(typeof flags.config === 'string' ? flags.config : undefined);
  config = resolveConfig(mergeConfig(config, scenarioOverrides(scenario)), `scenario '${scenario}'`);
  if (typeof flags.world === 'string') {
    config = resolveConfig(mergeConfig(config, { sim: { world: { kind: 'grid', file: resolve(flags.world) } } }), '--world');
  }

  const sinks: LogSink[] = [];
  let logFile: WriteStream | undefined;
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    logFile = createWriteStream(join(outDir, 'log.jsonl'));
    const file = logFile;
    sinks.push((line) => file.write(`${line}\n`));
  }
  const interactive = !flags.quiet && process.stderr.isTTY === true;
  // Warnings and errors always reach the operator; the full log goes to the file.
  sinks.push((line, level) => {
    if (level === 'warn' || level === 'error') io.err(interactive ? `\r\x1b[K${line}` : line);
  });
  const log = createLogger({ level: config.log.level, sinks });

  let interrupted = false;
  let lastDrawMs = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // Thrust to zero first, at once; the run then stops at its next step and writes its report.
    const zeroed = emergencyStop();
    log.warn('signal: thrust zeroed; stopping', { signal, outputs: zeroed });
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result: SimRunResult;
  try {
    result = await runSimulation({
      config,
      scenario,
      seed,
      durationS,
      realtime: flags.realtime === true,
      log,
      shouldStop: () => interrupted,
      onProgress: (simS, wallS, surveyFraction) => {
        // Redrawn at most ten times a second of wall time.
        if (!interactive || wallS * 1000 - lastDrawMs < 100) return;
        lastDrawMs = wallS * 1000;
        // Without a duration the survey's own progress is the fraction done.
        const fraction = durationS ? simS / durationS : surveyFraction;
        process.stderr.write(`\r${progressBar(fraction, simS, simS / Math.max(wallS, 1e-9))}`);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (interactive) process.stderr.write('\r\x1b[K');
  }
  const { report } = result;

  if (outDir) {
    writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeOutputs(outDir, result);
    await new Promise<void>((r) => (logFile ? logFile.end(r) : r()));
  }
  if (!flags.quiet) {
    io.out(
      formatSummaryTable([
        ['scenario / seed', `${report.scenario} / ${report.seed}`],
        ['simulated', `${report.simTimeS.toFixed(0)} s in ${report.wallTimeS.toFixed(2)} s (${(report.simTimeS / Math.max(report.wallTimeS, 1e-9)).toFixed(0)}x real time)`],
        ['position RMSE', `${report.navigation.positionRmseM.toFixed(2)} m (raw GNSS ${report.navigation.gnssRmseM.toFixed(2)} m)`],
        ['heading RMSE', `${report.navigation.headingRmseDeg.toFixed(2)} deg`],
        ['survey', `${report.survey.distanceM.toFixed(0)} m, ${report.survey.coveragePct.toFixed(1)} % covered, legs ${report.survey.legsCompleted}/${report.survey.legsPlanned}`],
        ['cross-track RMS', `${report.survey.crossTrackRmsM.toFixed(2)} m`],
        ['control', `${report.control.backend} @ ${report.control.rateHz} Hz, p99 ${report.control.p99Ms.toFixed(3)} ms, ${report.control.overruns} overruns`],
        ['safety', `final ${report.safety.finalMode}, fence violations ${report.safety.geofenceViolations}, groundings ${report.safety.groundings}`],
        ...(report.map
          ? ([['map', `RMSE ${report.map.rmseM.toFixed(2)} m, ${report.map.samples} soundings, ${report.map.inducingPoints} inducing points`]] as [string, string][])
          : []),
        ...(report.anomaly
          ? ([['detector', `${report.anomaly.alarms.length} alarms, ${report.anomaly.detected} faults detected, ${report.anomaly.missed} missed, ${report.anomaly.falseAlarms} false`]] as [string, string][])
          : []),
        ...(outDir ? ([['outputs', outDir]] as [string, string][]) : []),
      ]),
    );
  }
  return interrupted ? 130 : 0;
}

function writeOutputs(outDir: string, r: SimRunResult): void {
  const frame = r.simulator.frame;
  const world = r.simulator.world;
  const geoTrack = (points: { tS: number; northM: number; eastM: number }[]) =>
    points.map((p) => ({ ...frame.toGeo({ northM: p.northM, eastM: p.eastM }), tS: p.tS }));
  const estimated = r.track.filter((p) => Number.isFinite(p.estNorthM)).map((p) => ({ tS: p.tS, northM: p.estNorthM, eastM: p.estEastM }));
  const geo = trackToGeoJson(geoTrack(r.track), {
    frame,
    estimatedTrack: geoTrack(estimated),
    plan: r.plan,
    shoreline: world.shoreline,
    properties: { scenario: r.report.scenario, seed: r.report.seed },
  });
  writeFileSync(join(outDir, 'track.geojson'), `${JSON.stringify(geo)}\n`);
  const png = renderSurveyPng({
    bounds: world.bounds,
    depthAt: (n, e) => (world.isWater(n, e) ? world.depthAt(n, e) : NaN),
    shoreline: world.shoreline,
    plan: r.plan,
    trueTrack: r.track,
    estimatedTrack: estimated,
  });
  writeFileSync(join(outDir, 'survey.png'), png);
  r.writeMapOutputs(outDir);
}
