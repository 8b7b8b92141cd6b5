// Test scenario for the estimator: a lawnmower survey of the Otter in a current, with truth from
// stepVesselRk4 and seeded synthetic sensors. Self-contained on purpose (sim/ is written in
// parallel): a small PRNG, first-order Gauss-Markov errors, and the loop that drives the EKF core.
import { wrapPi } from '../../src/geo/index.ts';
import type { VesselEnv, VesselParams, VesselState } from '../../src/model/vessel.ts';
import { OTTER, clampThrust, stepVesselRk4 } from '../../src/model/vessel.ts';
import type { EkfState } from '../../src/estimator/ekf.ts';
import { X, createEkf, initialiseEkf, predict } from '../../src/estimator/ekf.ts';
import type { EstimatorOptions } from '../../src/estimator/options.ts';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/estimator/options.ts';
import { updateGnssPosition, updateGnssVelocity, updateHeading, updateYawRate } from '../../src/estimator/update.ts';

/** mulberry32: a tiny, well-mixed 32-bit PRNG; plenty for test noise. */
export function prng(seed: number): { uniform(): number; gauss(): number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Box-Muller; the spare draw is discarded to keep the stream simple to reason about.
  const gauss = (): number => {
    const u1 = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, gauss };
}

/** First-order Gauss-Markov process with stationary sigma and time constant tau. */
export class GaussMarkov {
  value: number;
  constructor(
    private readonly sigma: number,
    private readonly tauS: number,
    private readonly g: () => number,
  ) {
    this.value = sigma * g();
  }
  step(dtS: number): number {
    const phi = Math.exp(-dtS / this.tauS);
    this.value = phi * this.value + this.sigma * Math.sqrt(1 - phi * phi) * this.g();
    return this.value;
  }
}

export interface ScenarioSpec {
  seed: number;
  durationS: number;
  currentNorthMps: number;
  currentEastMps: number;
  gnssWhiteSigmaM: number;
  /** Gauss-Markov GNSS position error per axis (0: none). */
  gnssBiasSigmaM: number;
  gnssBiasTauS: number;
  /** Sigma the filter is told for GNSS position. */
  filterGnssSigmaM: number;
  gnssVelocitySigmaMps: number;
  imuYawBiasRad: number;
  /** Random-walk drift of the IMU yaw bias, rad/sqrt(s). */
  imuYawDriftRadPerSqrtS: number;
  imuYawNoiseRad: number;
  gyroBiasRadps: number;
  gyroNoiseRadps: number;
  /** Unmodelled wind/wave force: Gauss-Markov sigma per axis (N) and yaw moment (N m), tau 30 s. */
  disturbanceForceN: number;
  disturbanceMomentNm: number;
  /** No GNSS at all (position and velocity) during [from, to). */
  outage?: { fromS: number; toS: number };
  /** GNSS positions offset by (north, east) during [from, to). */
  jump?: { fromS: number; toS: number; northM: number; eastM: number };
  useGnssVelocity: boolean;
  options?: Partial<EstimatorOptions>;
  /** The real vessel, when it is not the filter's model (OTTER): model-mismatch tests. */
  truthParams?: Readonly<VesselParams>;
}

export const BASE_SPEC: ScenarioSpec = {
  seed: 1,
  durationS: 300,
  currentNorthMps: 0.25,
  currentEastMps: -0.2,
  gnssWhiteSigmaM: 0.5,
  gnssBiasSigmaM: 1,
  gnssBiasTauS: 60,
  filterGnssSigmaM: 1.2,
  gnssVelocitySigmaMps: 0.05,
  imuYawBiasRad: (3 * Math.PI) / 180,
  imuYawDriftRadPerSqrtS: (0.02 * Math.PI) / 180,
  imuYawNoiseRad: (0.3 * Math.PI) / 180,
  gyroBiasRadps: 0.005,
  gyroNoiseRadps: 0.003,
  disturbanceForceN: 3,
  disturbanceMomentNm: 0.5,
  useGnssVelocity: true,
};

export interface Trace {
  tS: number;
  truthNorthM: number;
  truthEastM: number;
  estNorthM: number;
  estEastM: number;
  truthYawRad: number;
  estYawRad: number;
  /** Filter's 1-sigma position (larger axis). */
  sigmaM: number;
}

export interface ScenarioResult {
  /** Horizontal RMSE of the EKF against truth at the GNSS epochs after warm-up. */
  positionRmseM: number;
  /** Horizontal RMSE of the raw GNSS fixes against truth at the same epochs. */
  gnssRmseM: number;
  headingRmseDeg: number;
  /** IMU yaw bias at the end, truth and estimate. */
  finalHeadingBiasRad: number;
  estHeadingBiasRad: number;
  finiteThroughout: boolean;
  trace: Trace[];
  ekf: EkfState;
  distanceM: number;
}

const DT_S = 0.02; // 50 Hz IMU tick
const GNSS_EVERY = 10; // 5 Hz
const WARMUP_S = 10;
const BASE_THRUST_N = 60;
const LEG_M = 120;
const SPACING_M = 20;

function waypoint(i: number): [number, number] {
  // (0,0) -> (L,0) -> (L,S) -> (0,S) -> (0,2S) -> ...
  const lane = Math.floor((i + 1) / 2);
  const far = i % 4 === 1 || i % 4 === 2;
  return [far ? LEG_M : 0, lane * SPACING_M];
}

export function runScenario(spec: ScenarioSpec): ScenarioResult {
  const rng = prng(spec.seed);
  const g = rng.gauss;
  const options: EstimatorOptions = { ...DEFAULT_ESTIMATOR_OPTIONS, ...spec.options };
  const ekf = createEkf(options, OTTER);
  const real = spec.truthParams ?? OTTER;

  const truth: VesselState = { northM: 0, eastM: 0, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0 };
  const env: VesselEnv = {
    currentNorthMps: spec.currentNorthMps,
    currentEastMps: spec.currentEastMps,
    forceNorthN: 0,
    forceEastN: 0,
    momentNm: 0,
    extraDragNsPerM: 0,
  };
  const biasN = new GaussMarkov(spec.gnssBiasSigmaM, spec.gnssBiasTauS, g);
  const biasE = new GaussMarkov(spec.gnssBiasSigmaM, spec.gnssBiasTauS, g);
  const windN = new GaussMarkov(spec.disturbanceForceN, 30, g);
  const windE = new GaussMarkov(spec.disturbanceForceN, 30, g);
  const windM = new GaussMarkov(spec.disturbanceMomentNm, 30, g);
  let headingBias = spec.imuYawBiasRad;
  let target = 1;
  let deliveredL = 0;
  let deliveredR = 0;
  const alpha = 1 - Math.exp(-DT_S / real.thrusterTimeConstantS);

  let sumEkf = 0;
  let sumGnss = 0;
  let sumYaw = 0;
  let nEpochs = 0;
  let nYaw = 0;
  let finite = true;
  let distanceM = 0;
  const trace: Trace[] = [];
  const steps = Math.round(spec.durationS / DT_S);

  for (let k = 0; k <= steps; k++) {
    const t = k * DT_S;
    // --- sensors at t ---
    headingBias += spec.imuYawDriftRadPerSqrtS * Math.sqrt(DT_S) * g();
    const imuYaw = wrapPi(truth.yawRad + headingBias + spec.imuYawNoiseRad * g());
    const gyro = truth.rRadps + spec.gyroBiasRadps + spec.gyroNoiseRadps * g();
    const c = Math.cos(truth.yawRad);
    const s = Math.sin(truth.yawRad);
    const vN = truth.uMps * c - truth.vMps * s;
    const vE = truth.uMps * s + truth.vMps * c;
    if (k % GNSS_EVERY === 0) {
      biasN.step(GNSS_EVERY * DT_S);
      biasE.step(GNSS_EVERY * DT_S);
    }
    const gnssDue = k % GNSS_EVERY === 0;
    const inOutage = spec.outage !== undefined && t >= spec.outage.fromS && t < spec.outage.toS;
    const wn = g();
    const we = g();
    const gvn = vN + spec.gnssVelocitySigmaMps * g();
    const gve = vE + spec.gnssVelocitySigmaMps * g();
    let fixN = truth.northM + biasN.value + spec.gnssWhiteSigmaM * wn;
    let fixE = truth.eastM + biasE.value + spec.gnssWhiteSigmaM * we;
    if (spec.jump && t >= spec.jump.fromS && t < spec.jump.toS) {
      fixN += spec.jump.northM;
      fixE += spec.jump.eastM;
    }

    // --- filter: measurements at t ---
    if (!ekf.initialised) {
      if (gnssDue && !inOutage) {
        initialiseEkf(ekf, {
          northM: fixN,
          eastM: fixE,
          positionSigmaM: spec.filterGnssSigmaM,
          yawRad: imuYaw,
          yawSigmaRad: options.imuYawSigmaRad,
          yawIncludesBias: true,
        });
      }
    } else {
      updateYawRate(ekf, gyro);
      updateHeading(ekf, imuYaw);
      if (gnssDue && !inOutage) {
        updateGnssPosition(ekf, fixN, fixE, spec.filterGnssSigmaM);
        if (spec.useGnssVelocity) {
          const speed = Math.hypot(gvn, gve);
          updateGnssVelocity(ekf, speed, speed > 0.1 ? Math.atan2(gve, gvn) : undefined);
        }
      }
    }
    for (let i = 0; i < ekf.x.length; i++) if (!Number.isFinite(ekf.x[i])) finite = false;

    if (ekf.initialised && gnssDue && t >= WARMUP_S) {
      const en = ekf.x[X.north] - truth.northM;
      const ee = ekf.x[X.east] - truth.eastM;
      sumEkf += en * en + ee * ee;
      sumGnss += (fixN - truth.northM) ** 2 + (fixE - truth.eastM) ** 2;
      nEpochs++;
    }
    if (ekf.initialised && t >= WARMUP_S) {
      sumYaw += wrapPi(ekf.x[X.yaw] - truth.yawRad) ** 2;
      nYaw++;
    }
    trace.push({
      tS: t,
      truthNorthM: truth.northM,
      truthEastM: truth.eastM,
      estNorthM: ekf.x[X.north],
      estEastM: ekf.x[X.east],
      truthYawRad: truth.yawRad,
      estYawRad: ekf.x[X.yaw],
      sigmaM: Math.sqrt(Math.max(ekf.P[0], ekf.P[ekf.x.length + 1])),
    });
    if (k === steps) break;

    // --- guidance: steer to the next lawnmower waypoint (on truth; the filter gets the command) ---
    let [wpN, wpE] = waypoint(target);
    if (Math.hypot(wpN - truth.northM, wpE - truth.eastM) < 5) {
      target++;
      [wpN, wpE] = waypoint(target);
    }
    const yawErr = wrapPi(Math.atan2(wpE - truth.eastM, wpN - truth.northM) - truth.yawRad);
    const diff = Math.max(-40, Math.min(40, 80 * yawErr - 60 * truth.rRadps));
    // The filter is given the command; the real thrusters clamp it to their own limits.
    const cmdL = clampThrust(OTTER, BASE_THRUST_N + diff);
    const cmdR = clampThrust(OTTER, BASE_THRUST_N - diff);
    const realL = clampThrust(real, cmdL);
    const realR = clampThrust(real, cmdR);

    // --- truth and filter move to t + dt ---
    deliveredL += alpha * (realL - deliveredL);
    deliveredR += alpha * (realR - deliveredR);
    env.forceNorthN = windN.step(DT_S);
    env.forceEastN = windE.step(DT_S);
    env.momentNm = windM.step(DT_S);
    const n0 = truth.northM;
    const e0 = truth.eastM;
    stepVesselRk4(real, truth, deliveredL, deliveredR, env, DT_S);
    distanceM += Math.hypot(truth.northM - n0, truth.eastM - e0);
    predict(ekf, cmdL, cmdR, DT_S);
  }
  return {
    positionRmseM: Math.sqrt(sumEkf / nEpochs),
    gnssRmseM: Math.sqrt(sumGnss / nEpochs),
    headingRmseDeg: (Math.sqrt(sumYaw / nYaw) * 180) / Math.PI,
    finalHeadingBiasRad: headingBias,
    estHeadingBiasRad: ekf.x[X.headingBias],
    finiteThroughout: finite,
    trace,
    ekf,
    distanceM,
  };
}
