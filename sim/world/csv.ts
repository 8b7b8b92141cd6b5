// A grid of numbers as text: one row per line, values separated by commas, semicolons, tabs or
// spaces. Blank lines and lines starting with '#' are skipped. Every row must have as many
// values as the first; a value that is not a finite number is an error naming its line.

export interface Grid2D {
  rows: number;
  cols: number;
  /** Row-major values. */
  data: Float64Array;
}

export class CsvGridError extends Error {
  override readonly name = 'CsvGridError';
  constructor(
    message: string,
    /** 1-based line number. */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsvGrid(text: string): Grid2D {
  const values: number[] = [];
  let cols = -1;
  let rows = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    const cells = line.split(/[,;\t ]+/).filter((c) => c.length > 0);
    if (cols < 0) cols = cells.length;
    else if (cells.length !== cols) throw new CsvGridError(`expected ${cols} values, found ${cells.length}`, i + 1);
    for (const c of cells) {
      const v = Number(c);
      if (!Number.isFinite(v)) throw new CsvGridError(`expected a number, found '${c}'`, i + 1);
      values.push(v);
    }
    rows++;
  }
  if (rows === 0) throw new CsvGridError('expected at least one row of numbers, found none', lines.length);
  return { rows, cols, data: Float64Array.from(values) };
}
