// Covariance functions over the local plane (north, east), in metres.
//
// RBF and Matérn 5/2 as in Rasmussen & Williams, "Gaussian Processes for Machine Learning"
// (2006), eqs. 4.9 and 4.17. The non-stationary kernel follows the construction of the
// Attentive Kernel (Chen, Khardon & Liu, "AK: Attentive Kernel for Information Gathering",
// RSS 2022): a sum of RBF components of fixed, different length scales, each multiplied by
// location-dependent weights w_p(x) w_p(x') with ‖w(x)‖₂ = 1, so that k(x, x) = σ_f² everywhere
// and the sum stays positive semi-definite (a product of a PSD kernel and a rank-one feature
// kernel is PSD; a sum of PSD kernels is PSD). AK learns w with a neural network; here w comes
// from a weight field the caller supplies (see attentive-fit.ts, which learns one).

export interface Kernel {
  readonly name: string;
  /** Covariance between two points. */
  k(aNorthM: number, aEastM: number, bNorthM: number, bEastM: number): number;
  /** Prior variance at a point, k(x, x). */
  diag(northM: number, eastM: number): number;
}

/** Hyperparameters of a stationary kernel. */
export interface StationaryHypers {
  /** Length scale, m. */
  lengthScaleM: number;
  /** Signal variance σ_f², m². */
  signalVarM2: number;
}

export class RbfKernel implements Kernel {
  readonly name = 'rbf';
  private readonly inv2l2: number;
  constructor(readonly hypers: StationaryHypers) {
    this.inv2l2 = 1 / (2 * hypers.lengthScaleM * hypers.lengthScaleM);
  }
  k(an: number, ae: number, bn: number, be: number): number {
    const dn = an - bn;
    const de = ae - be;
    return this.hypers.signalVarM2 * Math.exp(-(dn * dn + de * de) * this.inv2l2);
  }
  diag(): number {
    return this.hypers.signalVarM2;
  }
  /** The RBF is a product over axes: k = σ_f² f(Δn) f(Δe), used by Kronecker fast paths. */
  factor(d: number): number {
    return Math.exp(-d * d * this.inv2l2);
  }
}

export class Matern52Kernel implements Kernel {
  readonly name = 'matern52';
  constructor(readonly hypers: StationaryHypers) {}
  k(an: number, ae: number, bn: number, be: number): number {
    const dn = an - bn;
    const de = ae - be;
    const r = (Math.sqrt(5) * Math.sqrt(dn * dn + de * de)) / this.hypers.lengthScaleM;
    return this.hypers.signalVarM2 * (1 + r + (r * r) / 3) * Math.exp(-r);
  }
  diag(): number {
    return this.hypers.signalVarM2;
  }
}

/** Location-dependent mixture weights: writes P non-negative weights with unit L2 norm. */
export type WeightField = (northM: number, eastM: number, out: Float64Array) => void;

export class AttentiveKernel implements Kernel {
  readonly name = 'attentive';
  private readonly inv2l2: Float64Array;
  private readonly wa: Float64Array;
  private readonly wb: Float64Array;
  constructor(
    /** Length scales of the RBF components, m. */
    readonly lengthScalesM: readonly number[],
    readonly signalVarM2: number,
    readonly weights: WeightField,
  ) {
    this.inv2l2 = Float64Array.from(lengthScalesM, (l) => 1 / (2 * l * l));
    this.wa = new Float64Array(lengthScalesM.length);
    this.wb = new Float64Array(lengthScalesM.length);
  }
  k(an: number, ae: number, bn: number, be: number): number {
    this.weights(an, ae, this.wa);
    this.weights(bn, be, this.wb);
    const dn = an - bn;
    const de = ae - be;
    const d2 = dn * dn + de * de;
    let s = 0;
    for (let p = 0; p < this.inv2l2.length; p++) s += this.wa[p] * this.wb[p] * Math.exp(-d2 * this.inv2l2[p]);
    return this.signalVarM2 * s;
  }
  diag(): number {
    return this.signalVarM2;
  }
}
