// Suspect soundings held for a second look (used by both streaming maps).
//
// A sample that fails the innovation test against the last refreshed posterior is held, not
// rejected: against a posterior seconds old, a new drop-off looks like a run of outliers. At the
// next refresh, which knows the samples that came with it, each suspect is tested again. It
// passes if the test passes now (its neighbours moved the map there), or if other suspects close
// by tell the same story: residuals of the same sign within `agreeM` of its own, as soundings
// over a new drop-off do and a lone spike does not. The rest are outliers.

/** Agreeing suspects nearby that clear a suspect at its re-test. */
const CORROBORATION = 2;

/** Suspects held for a re-test at most (the oldest give way, counted as outliers). */
export const QUARANTINE = 512;

export class Quarantine {
  private readonly held = { n: new Float64Array(QUARANTINE), e: new Float64Array(QUARANTINE), z: new Float64Array(QUARANTINE), start: 0, count: 0 };
  /** Suspects the last re-test cleared. */
  readonly released = { n: new Float64Array(QUARANTINE), e: new Float64Array(QUARANTINE), z: new Float64Array(QUARANTINE) };
  /** Residuals of the held suspects at their re-test (NaN: passed the test outright). */
  private readonly residuals = new Float64Array(QUARANTINE);

  get count(): number {
    return this.held.count;
  }

  /** Holds a suspect; false when a full quarantine gave up its oldest (an outlier, for the caller to count). */
  hold(northM: number, eastM: number, y: number): boolean {
    const h = this.held;
    let kept = true;
    if (h.count === QUARANTINE) {
      h.start = (h.start + 1) % QUARANTINE;
      h.count--;
      kept = false;
    }
    const k = (h.start + h.count) % QUARANTINE;
    h.n[k] = northM;
    h.e[k] = eastM;
    h.z[k] = y;
    h.count++;
    return kept;
  }

  /**
   * Re-tests every suspect with `innovation` (NaN when the sample passes, else its residual),
   * corroboration within `nearM` and `agreeM`, and empties the quarantine. Returns how many were
   * cleared (in `released`, first ones) and how many are outliers.
   */
  retest(innovation: (northM: number, eastM: number, y: number) => number, nearM: number, agreeM: number): { cleared: number; outliers: number } {
    const h = this.held;
    const rel = this.released;
    const res = this.residuals;
    const count = h.count;
    for (let i = 0; i < count; i++) {
      const j = (h.start + i) % QUARANTINE;
      res[i] = innovation(h.n[j], h.e[j], h.z[j]);
    }
    const near2 = nearM * nearM;
    let cleared = 0;
    let outliers = 0;
    for (let i = 0; i < count; i++) {
      const a = (h.start + i) % QUARANTINE;
      let pass = Number.isNaN(res[i]);
      if (!pass) {
        let support = 0;
        for (let t = 0; t < count && support < CORROBORATION; t++) {
          if (t === i || Number.isNaN(res[t]) || Math.sign(res[t]) !== Math.sign(res[i]) || Math.abs(res[t] - res[i]) > agreeM) continue;
          const b = (h.start + t) % QUARANTINE;
          if ((h.n[a] - h.n[b]) ** 2 + (h.e[a] - h.e[b]) ** 2 <= near2) support++;
        }
        pass = support >= CORROBORATION;
      }
      if (!pass) {
        outliers++;
        continue;
      }
      rel.n[cleared] = h.n[a];
      rel.e[cleared] = h.e[a];
      rel.z[cleared] = h.z[a];
      cleared++;
    }
    h.start = 0;
    h.count = 0;
    return { cleared, outliers };
  }
}
