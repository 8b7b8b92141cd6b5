// Field readers for comma-separated sentence bodies.
//
// A reader walks the fields of one sentence. An empty field reads as `undefined` (the sentence
// left it out), a field that is present but does not parse marks the reader `bad` and also reads
// as `undefined`; the decoder then rejects the whole sentence as malformed. This keeps decoders
// linear and guarantees that no NaN or Infinity ever leaves them: every number comes from text
// that matched a plain decimal pattern.

/** Plain decimal: optional sign, digits with an optional fraction, or a bare fraction. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const DIGITS = /^\d+$/;

/** Knots to metres per second: 1 kn = 1852 m / 3600 s (international nautical mile). */
export const MPS_PER_KNOT = 1852 / 3600;
/** Kilometres per hour to metres per second. */
export const MPS_PER_KMH = 1000 / 3600;
/** International foot, 0.3048 m exactly. */
export const M_PER_FOOT = 0.3048;
/** Fathom, 6 ft = 1.8288 m exactly. */
export const M_PER_FATHOM = 1.8288;

export class FieldReader {
  /** Set when a present field failed to parse; the sentence must then be rejected. */
  bad = false;
  /** Why the reader went bad, for logs. */
  why = '';
  private fields: readonly string[] = [];

  reset(fields: readonly string[]): this {
    this.fields = fields;
    this.bad = false;
    this.why = '';
    return this;
  }

  get length(): number {
    return this.fields.length;
  }

  fail(why: string): undefined {
    if (!this.bad) {
      this.bad = true;
      this.why = why;
    }
    return undefined;
  }

  /** The raw text of field i ('' when the sentence is shorter). */
  text(i: number): string {
    return i < this.fields.length ? this.fields[i] : '';
  }

  /** Non-empty text of field i, or undefined. */
  str(i: number): string | undefined {
    const t = this.text(i);
    return t === '' ? undefined : t;
  }

  /** A decimal number, or undefined when empty. */
  num(i: number): number | undefined {
    const t = this.text(i);
    if (t === '') return undefined;
    if (!DECIMAL.test(t)) return this.fail(`field ${i}: expected a number, found '${t}'`);
    const v = Number(t);
    return Number.isFinite(v) ? v : this.fail(`field ${i}: '${t}' is out of range`);
  }

  /** A non-negative integer, or undefined when empty. */
  int(i: number): number | undefined {
    const t = this.text(i);
    if (t === '') return undefined;
    if (!DIGITS.test(t) || t.length > 9) return this.fail(`field ${i}: expected an integer, found '${t}'`);
    return Number(t);
  }

  /** One of the given single letters, or undefined when empty. */
  letter<T extends string>(i: number, allowed: readonly T[]): T | undefined {
    const t = this.text(i);
    if (t === '') return undefined;
    if ((allowed as readonly string[]).includes(t)) return t as T;
    return this.fail(`field ${i}: expected one of ${allowed.join('/')}, found '${t}'`);
  }

  /**
   * A latitude or longitude written `(d)ddmm.mmmm` followed by its hemisphere letter in field i+1.
   * Both empty reads as undefined; one without the other is malformed.
   */
  angle(i: number, kind: 'lat' | 'lon'): number | undefined {
    const t = this.text(i);
    const h = this.text(i + 1);
    if (t === '' && h === '') return undefined;
    const positive = kind === 'lat' ? 'N' : 'E';
    const negative = kind === 'lat' ? 'S' : 'W';
    if (h !== positive && h !== negative) return this.fail(`field ${i + 1}: expected ${positive}/${negative}, found '${h}'`);
    if (!/^\d{3,}(?:\.\d*)?$/.test(t)) return this.fail(`field ${i}: expected (d)ddmm.mmm, found '${t}'`);
    const dot = t.indexOf('.');
    const intLen = dot < 0 ? t.length : dot;
    const deg = Number(t.slice(0, intLen - 2));
    const min = Number(t.slice(intLen - 2));
    const limit = kind === 'lat' ? 90 : 180;
    if (!(min < 60) || deg + min / 60 > limit) return this.fail(`field ${i}: ${kind} '${t}' out of range`);
    const v = deg + min / 60;
    return h === negative ? -v : v;
  }

  /**
   * UTC time of day `hhmmss(.sss)` as "hh:mm:ss.sss" and as seconds since midnight.
   * Fractions are rounded to the millisecond, which is the resolution the string carries.
   */
  time(i: number): { text: string; seconds: number } | undefined {
    const t = this.text(i);
    if (t === '') return undefined;
    if (!/^\d{6}(?:\.\d*)?$/.test(t)) return this.fail(`field ${i}: expected hhmmss.sss, found '${t}'`);
    const hh = Number(t.slice(0, 2));
    const mm = Number(t.slice(2, 4));
    const ms = Math.round(Number(t.slice(4)) * 1000);
    // 60 s is allowed for a leap second.
    if (hh > 23 || mm > 59 || ms >= 61_000) return this.fail(`field ${i}: time '${t}' out of range`);
    const text = `${pad2(hh)}:${pad2(mm)}:${pad2(Math.floor(ms / 1000))}.${String(ms % 1000).padStart(3, '0')}`;
    return { text, seconds: hh * 3600 + mm * 60 + ms / 1000 };
  }

  /**
   * RMC date `ddmmyy` as "YYYY-MM-DD". Two-digit years below 80 are taken as 20yy, others as
   * 19yy (GPS started in 1980, so no receiver reports an earlier date).
   */
  dateDdMmYy(i: number): string | undefined {
    const t = this.text(i);
    if (t === '') return undefined;
    if (!/^\d{6}$/.test(t)) return this.fail(`field ${i}: expected ddmmyy, found '${t}'`);
    const yy = Number(t.slice(4, 6));
    return this.isoDate(i, Number(t.slice(0, 2)), Number(t.slice(2, 4)), yy < 80 ? 2000 + yy : 1900 + yy);
  }

  /** A calendar date from separate day, month and year numbers, checked. */
  isoDate(i: number, day: number, month: number, year: number): string | undefined {
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1980 || year > 9999) {
      return this.fail(`field ${i}: date ${year}-${month}-${day} out of range`);
    }
    return `${year}-${pad2(month)}-${pad2(day)}`;
  }

  /** A signed value whose sign comes from a letter in field i+1 (E positive, W negative). */
  signedByEW(i: number): number | undefined {
    const v = this.num(i);
    const d = this.letter(i + 1, ['E', 'W'] as const);
    if (v === undefined) return undefined;
    if (d === undefined) return this.fail(`field ${i + 1}: direction missing for '${this.text(i)}'`);
    return d === 'W' ? -v : v;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Removes keys whose value is undefined, so that left-out fields are absent, not undefined. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
