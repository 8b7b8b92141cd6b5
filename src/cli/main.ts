// The coxswain command line. Each verb lives in its own module; this file only dispatches.
import { UsageError } from './args.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Errors that are the user's input, not a fault of coxswain: a bad configuration, a grid file
 * that is not a grid, a file that cannot be read. They get one line, not a stack trace.
 */
const INPUT_ERRORS = new Set(['ConfigError', 'NpyFormatError', 'CsvGridError', 'UsageError']);
const FILE_ERRNO = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR']);

function isInputError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return INPUT_ERRORS.has(error.name) || (code !== undefined && FILE_ERRNO.has(code));
}

const USAGE = `usage: coxswain <command> [options]

commands:
  sim      [--scenario NAME] [--world FILE] [--seed N] [--duration S] [--realtime] [--out DIR]
  decode   FILE                 raw NMEA / VectorNav capture -> one JSON object per sentence
  map      --samples CSV --query CSV --out CSV   offline streaming-map evaluation
  chaos    [--seeds A..B] [--duration S] [--json] [--out FILE]   the chaos scenario over many seeds
  compare  --controllers pid,mppi --seeds A..B [--scenario NAME] [--duration S]   closed-loop comparison
  train-detector [--seed N]     learn the anomaly model from simulated missions -> models/
  eval-detector --seeds A..B --report FILE   fault-injection evaluation of the detectors
  bench    [PART...] [--json]   performance figures of each part against an in-run baseline
  help                          this text

Run 'coxswain <command> --help' for a command's options.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    switch (verb) {
      case 'sim': {
        const { runSimCommand } = await import('./sim.ts');
        return await runSimCommand(rest, io);
      }
      case 'bench': {
        const { runBenchCommand } = await import('./bench.ts');
        return await runBenchCommand(rest, io);
      }
      case 'chaos': {
        const { runChaosCommand } = await import('./chaos.ts');
        return await runChaosCommand(rest, io);
      }
      case 'compare': {
        const { runCompareCommand } = await import('./compare.ts');
        return await runCompareCommand(rest, io);
      }
      case 'train-detector': {
        const { runTrainDetector } = await import('./train-detector.ts');
        return await runTrainDetector(rest, io);
      }
      case 'eval-detector': {
        const { runEvalDetector } = await import('./eval-detector.ts');
        return await runEvalDetector(rest, io);
      }
      case 'map': {
        const { runMapCommand } = await import('./map.ts');
        return await runMapCommand(rest, io);
      }
      case 'decode': {
        const { runDecode } = await import('./decode.ts');
        return await runDecode(rest, io.out, io.err);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return verb === undefined ? 2 : 0;
      default:
        io.err(`coxswain: unknown command '${verb}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`coxswain ${verb}: ${error.message}`);
      return 2;
    }
    if (isInputError(error)) {
      io.err(`coxswain ${verb}: ${(error as Error).message}`);
      return 2;
    }
    io.err(`coxswain ${verb}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
