// Simulated VectorNav IMU/AHRS: ASCII `$VNYMR` (yaw, pitch, roll, magnetic, acceleration,
// angular rate), one line per sample.
//
// Field formats follow real VN-100 output, e.g.
//   $VNYMR,+100.949,-007.330,+000.715,-00.0049,-00.2449,+00.5397,-01.258,-00.100,-09.701,-00.000018,+00.001122,-00.000551*69
// i.e. attitude %+08.3f deg, magnetic %+08.4f gauss, acceleration %+07.3f m/s^2, angular rate
// %+010.6f rad/s. Checksum: the 8-bit XOR used by NMEA. Axes are the sensor's body frame,
// x forward, y starboard, z down; a level sensor at rest reads accelZ = -g (specific force).
import { frameSentence } from '../../src/drivers/nmea/checksum.ts';
import { wrapPi } from '../../src/geo/index.ts';
import { RandomWalk, Rng } from '../random.ts';
import { SimByteSource, signedFixed } from './format.ts';
import type { SensorTruth, SimSensor } from './truth.ts';
import { periodNsOf } from './truth.ts';

export interface ImuSensorOptions {
  /** Samples per second. */
  rateHz: number;
  /** Constant heading error (magnetic disturbance, mounting), degrees. */
  headingBiasDeg: number;
  /** Random walk of the heading error, deg per sqrt(s). */
  headingDriftDegPerSqrtS: number;
  /** White noise on yaw, degrees. */
  yawNoiseDeg: number;
  /** White noise on pitch and roll, degrees. */
  pitchRollNoiseDeg: number;
  /** Wave motion: roll and pitch amplitudes (deg) and periods (s). 0 amplitude for a flat lake. */
  waveRollAmplitudeDeg: number;
  wavePitchAmplitudeDeg: number;
  waveRollPeriodS: number;
  wavePitchPeriodS: number;
  /** Initial gyro bias per axis is drawn with this standard deviation, rad/s. */
  gyroBiasSigmaRadps: number;
  /** Gyro bias random walk, rad/s per sqrt(s). */
  gyroBiasDriftRadpsPerSqrtS: number;
  /** White gyro noise, rad/s. */
  gyroNoiseRadps: number;
  /** Initial accelerometer bias per axis (standard deviation), m/s^2. */
  accelBiasSigmaMps2: number;
  /** White accelerometer noise, m/s^2. */
  accelNoiseMps2: number;
  /** Earth field in NED: horizontal (north) and vertical (down) components, gauss. */
  magNorthGauss: number;
  magDownGauss: number;
  /** White magnetometer noise, gauss. */
  magNoiseGauss: number;
  /** Gravity, m/s^2. */
  gravityMps2: number;
}

export const DEFAULT_IMU_OPTIONS: ImuSensorOptions = {
  rateHz: 50,
  headingBiasDeg: 0.5,
  headingDriftDegPerSqrtS: 0.01,
  yawNoiseDeg: 0.2,
  pitchRollNoiseDeg: 0.05,
  waveRollAmplitudeDeg: 1.0,
  wavePitchAmplitudeDeg: 0.5,
  waveRollPeriodS: 2.3,
  wavePitchPeriodS: 1.7,
  gyroBiasSigmaRadps: 0.001,
  gyroBiasDriftRadpsPerSqrtS: 1e-5,
  gyroNoiseRadps: 0.002,
  accelBiasSigmaMps2: 0.02,
  accelNoiseMps2: 0.03,
  // Roughly the IGRF field at 60 deg N (about 15 uT horizontal, 50 uT down); 1 gauss = 100 uT.
  magNorthGauss: 0.15,
  magDownGauss: 0.5,
  magNoiseGauss: 0.002,
  gravityMps2: 9.81,
};

const DEG = Math.PI / 180;

export class SimImu implements SimSensor {
  readonly periodNs: number;
  readonly source: SimByteSource;
  private readonly o: ImuSensorOptions;
  private readonly rng: Rng;
  private readonly headingDrift: RandomWalk;
  private readonly gyroBias: RandomWalk[];
  private readonly accelBias: Float64Array;
  private readonly rollPhase: number;
  private readonly pitchPhase: number;
  private lastTS = 0;

  constructor(options: ImuSensorOptions, seed: number, name = 'sim.imu') {
    this.o = { ...options };
    this.periodNs = periodNsOf(options.rateHz, 'sensors.imu');
    this.rng = new Rng(seed, 'sensor.imu');
    const r = this.rng;
    this.headingDrift = new RandomWalk(r, options.headingDriftDegPerSqrtS, 0);
    this.gyroBias = [0, 1, 2].map(() => new RandomWalk(r, options.gyroBiasDriftRadpsPerSqrtS, options.gyroBiasSigmaRadps * r.normal()));
    this.accelBias = Float64Array.from([0, 1, 2], () => options.accelBiasSigmaMps2 * r.normal());
    this.rollPhase = r.range(0, 2 * Math.PI);
    this.pitchPhase = r.range(0, 2 * Math.PI);
    this.source = new SimByteSource(name);
  }

  sample(t: SensorTruth): void {
    const o = this.o;
    const r = this.rng;
    const dt = t.tS - this.lastTS;
    this.lastTS = t.tS;
    const drift = this.headingDrift.step(dt);
    const bg0 = this.gyroBias[0].step(dt);
    const bg1 = this.gyroBias[1].step(dt);
    const bg2 = this.gyroBias[2].step(dt);

    const s = t.state;
    const wr = (2 * Math.PI) / Math.max(1e-3, o.waveRollPeriodS);
    const wp = (2 * Math.PI) / Math.max(1e-3, o.wavePitchPeriodS);
    const phi = o.waveRollAmplitudeDeg * DEG * Math.sin(wr * t.tS + this.rollPhase);
    const theta = o.wavePitchAmplitudeDeg * DEG * Math.sin(wp * t.tS + this.pitchPhase);
    const phiDot = o.waveRollAmplitudeDeg * DEG * wr * Math.cos(wr * t.tS + this.rollPhase);
    const thetaDot = o.wavePitchAmplitudeDeg * DEG * wp * Math.cos(wp * t.tS + this.pitchPhase);
    const psiDot = s.rRadps;
    const cphi = Math.cos(phi);
    const sphi = Math.sin(phi);
    const cth = Math.cos(theta);
    const sth = Math.sin(theta);

    // Heading as the AHRS reports it: truth + bias + drift + any injected drift, then noise.
    const yawErrDeg = o.headingBiasDeg + drift + t.faults.headingOffsetDeg;
    const psiSensor = s.yawRad + yawErrDeg * DEG;
    const yawDeg = (wrapPi(psiSensor + o.yawNoiseDeg * DEG * r.normal()) * 180) / Math.PI;
    const pitchDeg = (theta + o.pitchRollNoiseDeg * DEG * r.normal()) / DEG;
    const rollDeg = (phi + o.pitchRollNoiseDeg * DEG * r.normal()) / DEG;

    // Body rates from Euler rates (ZYX): p = phi' - psi' sin(theta), q = theta' cos(phi) +
    // psi' cos(theta) sin(phi), r = -theta' sin(phi) + psi' cos(theta) cos(phi).
    const p = phiDot - psiDot * sth + bg0 + o.gyroNoiseRadps * r.normal();
    const q = thetaDot * cphi + psiDot * cth * sphi + bg1 + o.gyroNoiseRadps * r.normal();
    const rr = -thetaDot * sphi + psiDot * cth * cphi + bg2 + o.gyroNoiseRadps * r.normal();

    // Specific force f = a - R^T g, g = [0, 0, g] in NED.
    const g = o.gravityMps2;
    const fx = t.accelBody[0] + g * sth + this.accelBias[0] + o.accelNoiseMps2 * r.normal();
    const fy = t.accelBody[1] - g * cth * sphi + this.accelBias[1] + o.accelNoiseMps2 * r.normal();
    const fz = -g * cth * cphi + this.accelBias[2] + o.accelNoiseMps2 * r.normal();

    // Magnetic field R^T m with the sensor's own heading, so a heading error shows in both.
    const cps = Math.cos(psiSensor);
    const sps = Math.sin(psiSensor);
    const x1 = o.magNorthGauss * cps;
    const y1 = -o.magNorthGauss * sps;
    const z1 = o.magDownGauss;
    const x2 = cth * x1 - sth * z1;
    const z2 = sth * x1 + cth * z1;
    const mx = x2 + o.magNoiseGauss * r.normal();
    const my = cphi * y1 + sphi * z2 + o.magNoiseGauss * r.normal();
    const mz = -sphi * y1 + cphi * z2 + o.magNoiseGauss * r.normal();

    const body =
      `VNYMR,${signedFixed(yawDeg, 3, 3)},${signedFixed(pitchDeg, 3, 3)},${signedFixed(rollDeg, 3, 3)},` +
      `${signedFixed(mx, 2, 4)},${signedFixed(my, 2, 4)},${signedFixed(mz, 2, 4)},` +
      `${signedFixed(fx, 2, 3)},${signedFixed(fy, 2, 3)},${signedFixed(fz, 2, 3)},` +
      `${signedFixed(p, 2, 6)},${signedFixed(q, 2, 6)},${signedFixed(rr, 2, 6)}`;
    this.source.emitText(frameSentence(body), t.stampNs);
  }
}
