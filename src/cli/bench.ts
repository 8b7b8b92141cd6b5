// `coxswain bench [PART...] [--json]`: performance figures of each part, each beside a
// baseline measured in the same run. Parts are modules in src/bench/ exporting `runBench`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult, RunBench } from '../bench/types.ts';
import { helpText, parseArgs, UsageError, type FlagSpec } from './args.ts';
import type { Io } from './main.ts';

/** Every part that may exist; a part is listed by `--help` only when its module is present. */
const KNOWN_PARTS = ['mppi', 'map', 'detector', 'sim'] as const;

const FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', help: 'one JSON object per part on stdout (DESIGN.md format)' },
  quick: { type: 'boolean', help: 'fewer repetitions: a smoke check, not figures to quote' },
  help: { type: 'boolean', help: 'this text' },
};

function moduleUrl(part: string): URL {
  return new URL(`../bench/${part}.ts`, import.meta.url);
}

export function availableParts(): string[] {
  return KNOWN_PARTS.filter((p) => existsSync(fileURLToPath(moduleUrl(p))));
}

export async function runBenchCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  const parts = availableParts();
  if (flags.help) {
    io.out(helpText(`usage: coxswain bench [PART...] [--json]\n\nparts: ${parts.join(', ')}`, FLAGS));
    return 0;
  }
  const chosen = positionals.length > 0 ? positionals : parts;
  for (const p of chosen) if (!parts.includes(p)) throw new UsageError(`unknown bench part '${p}' (available: ${parts.join(', ')})`);
  for (const part of chosen) {
    const mod = (await import(moduleUrl(part).href)) as { runBench: RunBench };
    const result = await mod.runBench({ quick: flags.quick === true, log: (l) => io.err(l) });
    io.out(flags.json ? JSON.stringify(result) : formatResult(result));
  }
  return 0;
}

function formatResult(r: BenchResult): string {
  const rows = [r.baseline, ...r.cases];
  const keys = [...new Set(rows.flatMap((c) => Object.keys(c)))].filter((k) => k !== 'name');
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v ?? ''));
  const table = [['case', ...keys], ...rows.map((c, i) => [`${i === 0 ? '(baseline) ' : ''}${c.name}`, ...keys.map((k) => cell(c[k]))])];
  const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
  const lines = table.map((row) => row.map((v, j) => v.padEnd(widths[j])).join('  '));
  return [`bench ${r.part} — ${r.machine.model}, ${r.machine.cpus} cpus, node ${r.machine.node}`, ...lines, ...(r.notes ?? []).map((n) => `note: ${n}`), ''].join('\n');
}
