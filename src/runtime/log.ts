// Structured logging: one JSON object per line. Library code logs through a Logger it is given.
import type { Clock } from '../ports/index.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string, level: Level) => void;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Lowest level written. */
  level?: Level;
  /** Where lines go; each receives the line without a trailing newline. */
  sinks: LogSink[];
  /** Stamps lines with this clock's time (seconds) as `t`; wall time is always in `wall`. */
  clock?: Clock;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLogger(options: LoggerOptions, bound: Record<string, unknown> = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = (level: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] < min) return;
    const record: Record<string, unknown> = { level, msg };
    if (options.clock) record.t = Number(options.clock.nowNs()) / 1e9;
    Object.assign(record, bound, fields);
    const line = JSON.stringify(record, replacer);
    for (const sink of options.sinks) sink(line, level);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests, benches). */
export const silentLogger: Logger = createLogger({ sinks: [] });

/** A sink that keeps lines in memory, for tests and for the run summary. */
export function memorySink(lines: string[]): LogSink {
  return (line) => {
    lines.push(line);
  };
}
