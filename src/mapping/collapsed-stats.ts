// What a collapsed sparse GP keeps of its samples, for a basis k(x) over M inducing points:
// Φ = Σ k kᵀ (upper triangle used), Φy = Σ k y, Σk, and N, Σy, Σy². Both streaming maps
// (sparse-gp.ts, attentive-gp.ts) hold one set that learns and a copy taken at their last good
// posterior, to go back to when a refresh fails to factorise.

export class CollapsedStats {
  readonly phi: Float64Array;
  readonly phiY: Float64Array;
  readonly sumK: Float64Array;
  n = 0;
  sumY = 0;
  sumY2 = 0;

  constructor(readonly m: number) {
    this.phi = new Float64Array(m * m);
    this.phiY = new Float64Array(m);
    this.sumK = new Float64Array(m);
  }

  /** Counts one sample's value; its basis terms (Φ, Φy, Σk) the model adds over the basis's support. */
  countValue(y: number): void {
    this.sumY += y;
    this.sumY2 += y * y;
    this.n++;
  }

  copyFrom(o: CollapsedStats): void {
    this.phi.set(o.phi);
    this.phiY.set(o.phiY);
    this.sumK.set(o.sumK);
    this.n = o.n;
    this.sumY = o.sumY;
    this.sumY2 = o.sumY2;
  }

  clear(): void {
    this.phi.fill(0);
    this.phiY.fill(0);
    this.sumK.fill(0);
    this.n = 0;
    this.sumY = 0;
    this.sumY2 = 0;
  }
}
