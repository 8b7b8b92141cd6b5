// Small builders shared by the simulator's tests. Sentences are checked here independently of
// the project's drivers (which are written in parallel): XOR checksum, then split on commas.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { Simulator } from '../../sim/index.ts';

export interface Line {
  stampNs: bigint;
  text: string;
}

/** Collects every line each source emits, with the stamp of its chunk. */
export function collect(sim: Simulator): { gnss: Line[]; imu: Line[]; sounder: Line[]; all: string[] } {
  const out = { gnss: [] as Line[], imu: [] as Line[], sounder: [] as Line[], all: [] as string[] };
  const dec = new TextDecoder();
  for (const k of ['gnss', 'imu', 'sounder'] as const) {
    sim.sources[k].onData((bytes, stampNs) => {
      const text = dec.decode(bytes);
      out.all.push(`${k}@${stampNs}:${text}`);
      for (const l of text.split('\r\n')) if (l.length > 0) out[k].push({ stampNs, text: l });
    });
  }
  return out;
}

/** Verifies `$BODY*HH` and returns the comma-split fields of BODY, or throws naming the line. */
export function fieldsOf(line: string): string[] {
  const m = /^\$([^*]*)\*([0-9A-F]{2})$/.exec(line);
  if (!m) throw new Error(`not a framed sentence: ${JSON.stringify(line)}`);
  let x = 0;
  for (let i = 0; i < m[1].length; i++) x ^= m[1].charCodeAt(i);
  if (x !== parseInt(m[2], 16)) throw new Error(`bad checksum ${m[2]} (computed ${x.toString(16)}) in ${line}`);
  return m[1].split(',');
}

/** ddmm.mmmm + hemisphere -> signed degrees. */
export function nmeaToDeg(v: string, hemi: string): number {
  const dot = v.indexOf('.');
  const deg = Number(v.slice(0, dot - 2));
  const min = Number(v.slice(dot - 2));
  const d = deg + min / 60;
  return hemi === 'S' || hemi === 'W' ? -d : d;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / (xs.length - 1));
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared real-data folder (COXSWAIN_DATA, default ../shared/data from the repo root), or
 * null with the reason when absent. Under CI a missing folder is a failure, not a skip.
 */
export function dataDir(): { dir: string | null; reason: string } {
  const dir = resolve(repoRoot, process.env.COXSWAIN_DATA ?? '../shared/data');
  if (existsSync(dir)) return { dir, reason: '' };
  const reason = `real data folder ${dir} is absent (set COXSWAIN_DATA)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  return { dir: null, reason };
}
