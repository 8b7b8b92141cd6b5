// Environmental disturbances: a water current that varies in space and time, and wind-like
// force gusts.
//
// Current = mean vector (slowly breathing in strength and direction) + a divergence-free field
// from a stream function psi(n, e, t) = sum_k a_k sin(kn_k n + ke_k e + w_k t + phi_k), whose
// velocity is (dpsi/de, -dpsi/dn): water is neither created nor lost, as in a real lake.
// Gusts: a mean force plus first-order-filtered (Ornstein-Uhlenbeck) noise per axis and a yaw
// moment, spatially uniform. All draws come from the 'disturbance' stream of the seed.
import type { VesselEnv } from '../src/model/vessel.ts';
import { Rng } from './random.ts';

export interface DisturbanceOptions {
  /** Mean current speed, m/s (0.2 default; 0.5 makes a strong current). */
  meanCurrentMps: number;
  /** Direction the mean current flows towards, degrees clockwise from north; null draws it from the seed. */
  currentDirectionDeg: number | null;
  /** Peak speed of each spatial mode of the current, m/s. */
  currentVariationMps: number;
  /** Number of spatial modes (sinusoids of the stream function). */
  currentModes: number;
  /** Shortest and longest wavelength of the spatial modes, metres. */
  currentWavelengthMinM: number;
  currentWavelengthMaxM: number;
  /** Relative amplitude of the slow variation of the mean current's strength (0.2 = +-20 %). */
  currentTemporalFraction: number;
  /** Swing of the mean current's direction, degrees. */
  currentDirectionSwingDeg: number;
  /** Period of the slow temporal variation, seconds. */
  currentPeriodS: number;
  /** Mean wind force on the hull, N. */
  meanWindForceN: number;
  /** Direction the wind pushes towards, degrees clockwise from north; null draws it from the seed. */
  windDirectionDeg: number | null;
  /** Standard deviation of the gust force per horizontal axis, N. */
  gustSigmaN: number;
  /** Standard deviation of the gust yaw moment, N m. */
  gustMomentSigmaNm: number;
  /** Correlation time of the gusts, seconds. */
  gustTimeConstantS: number;
}

export const DEFAULT_DISTURBANCE_OPTIONS: DisturbanceOptions = {
  meanCurrentMps: 0.2,
  currentDirectionDeg: null,
  currentVariationMps: 0.05,
  currentModes: 3,
  currentWavelengthMinM: 60,
  currentWavelengthMaxM: 250,
  currentTemporalFraction: 0.2,
  currentDirectionSwingDeg: 15,
  currentPeriodS: 600,
  meanWindForceN: 4,
  windDirectionDeg: null,
  gustSigmaN: 3,
  gustMomentSigmaNm: 0.5,
  gustTimeConstantS: 4,
};

export class Disturbances {
  private readonly o: DisturbanceOptions;
  private readonly rng: Rng;
  private readonly currentDirRad: number;
  private readonly windDirRad: number;
  private readonly phaseMean: number;
  private readonly phaseDir: number;
  /** Stream-function modes: amplitude (m^2/s), wavenumbers (rad/m), angular rate (rad/s), phase. */
  private readonly amp: Float64Array;
  private readonly kn: Float64Array;
  private readonly ke: Float64Array;
  private readonly w: Float64Array;
  private readonly ph: Float64Array;
  /** Gust state (OU), NED force and moment. */
  gustNorthN = 0;
  gustEastN = 0;
  gustMomentNm = 0;

  constructor(options: DisturbanceOptions, seed: number) {
    this.o = { ...options };
    this.rng = new Rng(seed, 'disturbance');
    const r = this.rng;
    const drawnCurrent = r.range(0, 2 * Math.PI);
    const drawnWind = r.range(0, 2 * Math.PI);
    this.currentDirRad = options.currentDirectionDeg !== null ? (options.currentDirectionDeg * Math.PI) / 180 : drawnCurrent;
    this.windDirRad = options.windDirectionDeg !== null ? (options.windDirectionDeg * Math.PI) / 180 : drawnWind;
    this.phaseMean = r.range(0, 2 * Math.PI);
    this.phaseDir = r.range(0, 2 * Math.PI);
    const n = Math.max(0, Math.floor(options.currentModes));
    this.amp = new Float64Array(n);
    this.kn = new Float64Array(n);
    this.ke = new Float64Array(n);
    this.w = new Float64Array(n);
    this.ph = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const lambda = r.range(options.currentWavelengthMinM, options.currentWavelengthMaxM);
      const k = (2 * Math.PI) / lambda;
      const dir = r.range(0, Math.PI);
      this.kn[i] = k * Math.cos(dir);
      this.ke[i] = k * Math.sin(dir);
      // Velocity amplitude of one mode is a * |k|.
      this.amp[i] = options.currentVariationMps / k;
      // Each pattern drifts over a period of the same order as the mean's variation.
      this.w[i] = ((2 * Math.PI) / Math.max(1, options.currentPeriodS)) * r.range(0.5, 1.5);
      this.ph[i] = r.range(0, 2 * Math.PI);
    }
    this.gustNorthN = options.gustSigmaN * r.normal();
    this.gustEastN = options.gustSigmaN * r.normal();
    this.gustMomentNm = options.gustMomentSigmaNm * r.normal();
  }

  /** Current at a point and time, written into env.currentNorthMps / currentEastMps. */
  currentAt(northM: number, eastM: number, tS: number, env: VesselEnv): void {
    const o = this.o;
    const wSlow = (2 * Math.PI) / Math.max(1, o.currentPeriodS);
    const speed = o.meanCurrentMps * (1 + o.currentTemporalFraction * Math.sin(wSlow * tS + this.phaseMean));
    const dir = this.currentDirRad + ((o.currentDirectionSwingDeg * Math.PI) / 180) * Math.sin(0.7 * wSlow * tS + this.phaseDir);
    let cn = speed * Math.cos(dir);
    let ce = speed * Math.sin(dir);
    for (let i = 0; i < this.amp.length; i++) {
      const c = this.amp[i] * Math.cos(this.kn[i] * northM + this.ke[i] * eastM + this.w[i] * tS + this.ph[i]);
      cn += c * this.ke[i]; // dpsi/de
      ce -= c * this.kn[i]; // -dpsi/dn
    }
    env.currentNorthMps = cn;
    env.currentEastMps = ce;
  }

  /** Advances the gusts by dtS (exact OU discretisation) and writes the forces into env. */
  stepWind(dtS: number, env: VesselEnv): void {
    const o = this.o;
    if (dtS > 0) {
      const a = o.gustTimeConstantS > 0 ? Math.exp(-dtS / o.gustTimeConstantS) : 0;
      const b = Math.sqrt(1 - a * a);
      this.gustNorthN = a * this.gustNorthN + o.gustSigmaN * b * this.rng.normal();
      this.gustEastN = a * this.gustEastN + o.gustSigmaN * b * this.rng.normal();
      this.gustMomentNm = a * this.gustMomentNm + o.gustMomentSigmaNm * b * this.rng.normal();
    }
    env.forceNorthN = o.meanWindForceN * Math.cos(this.windDirRad) + this.gustNorthN;
    env.forceEastN = o.meanWindForceN * Math.sin(this.windDirRad) + this.gustEastN;
    env.momentNm = this.gustMomentNm;
  }
}
