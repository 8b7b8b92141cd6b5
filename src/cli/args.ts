// A small, strict argument parser: unknown flags and missing values are errors, never ignored.

export interface FlagSpec {
  /** 'string' takes a value; 'boolean' does not. */
  type: 'string' | 'boolean';
  /** One line for --help. */
  help: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean>;
  positionals: string[];
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { flags, positionals };
}

export function numberFlag(
  flags: ParsedArgs['flags'],
  name: string,
  check: (n: number) => boolean,
  what: string,
): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name} must be ${what}, got '${String(v)}'`);
  }
  return n;
}

/** A comma-separated list of numbers, each passing `check`; undefined when the flag is absent. */
export function numberListFlag(
  flags: ParsedArgs['flags'],
  name: string,
  check: (n: number) => boolean,
  what: string,
): number[] | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const parts = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [];
  const list = parts.map(Number);
  if (parts.length === 0 || parts.some((s) => s === '') || list.some((n) => !Number.isFinite(n) || !check(n))) {
    throw new UsageError(`--${name} must be ${what} separated by commas, got '${String(v)}'`);
  }
  return list;
}

export function helpText(usage: string, spec: Record<string, FlagSpec>): string {
  const rows = Object.entries(spec).map(([k, s]) => `  --${k}${s.type === 'string' ? ' VALUE' : ''}`.padEnd(28) + s.help);
  return [usage, '', ...rows].join('\n');
}
