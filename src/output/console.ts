// Console helpers for runs: a one-line progress bar (the caller writes it to stderr with a
// carriage return) and a fixed-width summary table. Plain strings, no terminal I/O here.

/** `[=========>          ]  45.0 %  t 812.3 s  x 63.2` for a run 45 % done at 63x real time. */
export function progressBar(fraction: number, simTimeS: number, speedUp: number, widthChars = 30): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const width = Math.max(1, Math.floor(widthChars));
  const filled = Math.floor(f * width);
  const head = filled < width && f > 0 ? '>' : '';
  const bar = '='.repeat(filled) + head + ' '.repeat(width - filled - head.length);
  const pct = `${(f * 100).toFixed(1).padStart(5)} %`;
  const t = `t ${Number.isFinite(simTimeS) ? simTimeS.toFixed(1) : '-'} s`;
  const x = `x ${Number.isFinite(speedUp) ? speedUp.toFixed(1) : '-'}`;
  return `[${bar}] ${pct}  ${t}  ${x}`;
}

export type SummaryValue = string | number | boolean | null | undefined;

export interface SummaryTableOptions {
  /** Decimals for non-integer numbers. */
  decimals: number;
}

export const DEFAULT_SUMMARY_TABLE_OPTIONS: Readonly<SummaryTableOptions> = Object.freeze({ decimals: 2 });

function formatValue(v: SummaryValue, decimals: number): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? 'inf' : '-inf';
    return Number.isInteger(v) ? String(v) : v.toFixed(decimals);
  }
  return String(v);
}

/**
 * A boxed two-column table. Labels are left-aligned; numbers are right-aligned (so decimal
 * points line up at equal decimals), text is left-aligned.
 */
export function formatSummaryTable(
  rows: ReadonlyArray<readonly [string, SummaryValue]>,
  options: SummaryTableOptions = DEFAULT_SUMMARY_TABLE_OPTIONS,
): string {
  const cells = rows.map(([label, value]) => ({ label, text: formatValue(value, options.decimals), numeric: typeof value === 'number' }));
  const lw = Math.max(0, ...cells.map((c) => c.label.length));
  const vw = Math.max(0, ...cells.map((c) => c.text.length));
  const rule = `+${'-'.repeat(lw + 2)}+${'-'.repeat(vw + 2)}+`;
  const lines = [rule];
  for (const c of cells) {
    const value = c.numeric ? c.text.padStart(vw) : c.text.padEnd(vw);
    lines.push(`| ${c.label.padEnd(lw)} | ${value} |`);
  }
  lines.push(rule);
  return lines.join('\n');
}
