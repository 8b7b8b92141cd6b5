// Settings of the navigation EKF and of the node around it. Plain JSON-serialisable data: the
// configuration schema imports DEFAULT_ESTIMATOR_OPTIONS as the one place defaults live.
//
// Process noise values are continuous-time spectral densities written as a 1-sigma growth per
// square root of a second (variance grows by sigma^2 * dt), so they do not depend on the rate
// the filter is stepped at.

export interface EstimatorOptions {
  // --- process noise -------------------------------------------------------------------------
  /** Position noise beyond the kinematics (unmodelled lever arm, waves), m/sqrt(s). */
  positionProcessSigmaMPerSqrtS: number;
  /** Yaw noise beyond integrating r, rad/sqrt(s). */
  yawProcessSigmaRadPerSqrtS: number;
  /** Surge acceleration the boat model does not explain (wind, waves), m/s per sqrt(s). */
  surgeProcessSigmaMpsPerSqrtS: number;
  /** Sway acceleration the boat model does not explain, m/s per sqrt(s). */
  swayProcessSigmaMpsPerSqrtS: number;
  /** Yaw acceleration the boat model does not explain, rad/s per sqrt(s). */
  yawRateProcessSigmaRadpsPerSqrtS: number;
  /** Surge and sway noise used instead when no thrust command is known (replay of a manned run). */
  unknownThrustSigmaMpsPerSqrtS: number;
  /** Yaw-rate noise used instead when no thrust command is known, rad/s per sqrt(s). */
  unknownThrustYawRateSigmaRadpsPerSqrtS: number;
  /** Random walk of the water current (north and east), m/s per sqrt(s). */
  currentProcessSigmaMpsPerSqrtS: number;
  /** Random walk of the gyro z bias, rad/s per sqrt(s). */
  gyroBiasProcessSigmaRadpsPerSqrtS: number;
  /** Random walk of the IMU heading bias (magnetic disturbance, drift), rad/sqrt(s). */
  headingBiasProcessSigmaRadPerSqrtS: number;
  /** Random walk of the thrust effectiveness (fouling, payload, battery sag), 1/sqrt(s). */
  thrustGainProcessSigmaPerSqrtS: number;
  /** Random walk of the unmodelled yaw acceleration (wind moment, thruster asymmetry), rad/s^2 per sqrt(s). */
  yawAccelBiasProcessSigmaRadps2PerSqrtS: number;

  // --- model trust (adaptive process noise) ---------------------------------------------------
  /**
   * Time constant of the model-trust adaptation: the surge/sway and yaw-rate process noise (and
   * with them the thrust-effectiveness and yaw-acceleration-bias random walks) are scaled by
   * factors that follow the GNSS-velocity and gyro innovations (see adapt.ts) at this
   * pace. Short enough to catch up within a turn, long enough to ride out one noisy sample.
   */
  modelTrustTimeConstantS: number;
  /** Largest factor on those process variances (1 = the model as tuned). */
  modelTrustMaxScale: number;
  /** A normalised innovation above this (per degree of freedom) counts as this much: outliers do not slam the scale. */
  modelTrustNisCap: number;

  // --- initial uncertainty -------------------------------------------------------------------
  /** Surge and sway 1-sigma at initialisation. */
  initialVelocitySigmaMps: number;
  /** Yaw-rate 1-sigma at initialisation. */
  initialYawRateSigmaRadps: number;
  /** Current 1-sigma per axis at initialisation (and after a velocity reset). */
  initialCurrentSigmaMps: number;
  /** Gyro bias 1-sigma at initialisation. */
  initialGyroBiasSigmaRadps: number;
  /**
   * IMU heading bias 1-sigma at initialisation (yaw is initialised from the biased IMU yaw).
   * Until the first turn a heading bias and a cross-current look alike, and this prior decides
   * how the filter splits a crab angle between them; 3 degrees matches a compensated magnetic
   * heading and keeps the first-leg yaw error below the bias itself in tests.
   */
  initialHeadingBiasSigmaRad: number;
  /**
   * Thrust effectiveness 1-sigma at initialisation: how far the real thrust-to-drag ratio may be
   * from the model's (payload, hull fouling, other propellers). 0.3 covers a 30 % mismatch.
   */
  initialThrustGainSigma: number;
  /**
   * Unmodelled yaw acceleration 1-sigma at initialisation. 0.1 rad/s^2 on the Otter (yaw inertia
   * with added mass ~37 kg m^2) is a 4 N m moment: a 10 N thrust difference at the 0.395 m arm.
   */
  initialYawAccelBiasSigmaRadps2: number;
  /** Bounds on the thrust-effectiveness estimate, a guard against a diverged state (1 = the model). */
  minThrustGain: number;
  maxThrustGain: number;

  // --- measurement noise ---------------------------------------------------------------------
  /**
   * GNSS position 1-sigma per axis at HDOP 1, by GGA fix quality; a quality not listed is
   * rejected. It must cover the slowly varying (Gauss-Markov) error as well as the white part,
   * because the filter cannot separate them (see ekf.ts), or fixes get gated as outliers.
   */
  gnssSigmaByFixQualityM: Record<string, number>;
  /** HDOP below this is treated as this (receivers are optimistic at low HDOP). */
  gnssMinHdop: number;
  /** Fixes with HDOP above this are rejected: the geometry is too poor to be worth the risk. */
  gnssMaxHdop: number;
  /** HDOP assumed when the sentence has none (GLL, RMC). */
  gnssDefaultHdop: number;
  /** Speed-over-ground 1-sigma. */
  gnssSpeedSigmaMps: number;
  /** Course-over-ground 1-sigma at speeds above gnssMinCourseSpeedMps. */
  gnssCourseSigmaRad: number;
  /** Below this speed the course is noise; only "slow" (|v| small) is used. */
  gnssMinCourseSpeedMps: number;
  /** IMU yaw 1-sigma per sample (white part; the bias is a state). */
  imuYawSigmaRad: number;
  /** Gyro z 1-sigma per sample (white part; the bias is a state). */
  gyroSigmaRadps: number;
  /** True heading (HDT, GNSS compass) 1-sigma; it is not given the IMU bias. */
  trueHeadingSigmaRad: number;
  /** Magnetic heading (HDM, HDG) 1-sigma; it shares the IMU heading bias state. */
  magneticHeadingSigmaRad: number;

  // --- gating and recovery -------------------------------------------------------------------
  /** Chi-square gate on the NIS for 1-DOF updates: 10.83 is the 99.9 % quantile. */
  gateChi2OneDof: number;
  /** Chi-square gate on the NIS for 2-DOF updates: 13.82 is the 99.9 % quantile. */
  gateChi2TwoDof: number;
  /**
   * After consecutive gated measurements of one kind spanning this long, the filter stops
   * trusting itself: the states that measurement observes get their initial covariance back
   * (decorrelated) and the measurement is applied ungated. Longer than any outlier burst worth
   * riding out (multipath jumps last seconds), shorter than dead-reckoning stays honest.
   */
  resetAfterGatedS: number;
  /** ... and at least this many consecutive gated measurements (one bad sample never resets). */
  resetMinGated: number;

  // --- prediction ----------------------------------------------------------------------------
  /** Longest integration sub-step of the boat model. */
  maxStepS: number;
  /**
   * A prediction longer than this (no input at all for that long) is not trusted: the filter
   * drops its solution and waits to be initialised again from GNSS and heading.
   */
  maxPredictS: number;

  // --- node ----------------------------------------------------------------------------------
  /** Messages up to this much older than the filter's time are applied at the filter's time. */
  lateToleranceS: number;
  /** A thrust command older than this is taken as zero thrust (the actuators' own timeout). */
  thrustTimeoutS: number;
  /** Initialisation needs a heading no older than this at the first valid fix. */
  initMaxHeadingAgeS: number;
  /** Use the IMU yaw as a (biased) heading measurement. */
  useImuYaw: boolean;
  /** Use the IMU gyro z as a (biased) yaw-rate measurement. */
  useGyro: boolean;
  /** The IMU counts as frozen (stuck) after this many consecutive bit-identical samples; frozen samples are not fused. */
  imuFrozenAfterRepeats: number;
  /** Use GNSS speed and course over ground. */
  useGnssVelocity: boolean;
  /** Publish `nav` with valid: false before initialisation (otherwise publish nothing). */
  publishInvalid: boolean;
  /** Publish `nav` on every n-th IMU sample (1: at the IMU rate). */
  publishEveryNthImu: number;
}

const DEG = Math.PI / 180;

export const DEFAULT_ESTIMATOR_OPTIONS: Readonly<EstimatorOptions> = Object.freeze({
  positionProcessSigmaMPerSqrtS: 0.02,
  yawProcessSigmaRadPerSqrtS: 0.002,
  surgeProcessSigmaMpsPerSqrtS: 0.05,
  swayProcessSigmaMpsPerSqrtS: 0.05,
  yawRateProcessSigmaRadpsPerSqrtS: 0.02,
  unknownThrustSigmaMpsPerSqrtS: 0.5,
  unknownThrustYawRateSigmaRadpsPerSqrtS: 0.2,
  currentProcessSigmaMpsPerSqrtS: 0.003,
  gyroBiasProcessSigmaRadpsPerSqrtS: 1e-4,
  headingBiasProcessSigmaRadPerSqrtS: 3e-4,
  thrustGainProcessSigmaPerSqrtS: 0.003,
  yawAccelBiasProcessSigmaRadps2PerSqrtS: 0.005,

  modelTrustTimeConstantS: 2,
  modelTrustMaxScale: 400,
  modelTrustNisCap: 10,

  initialVelocitySigmaMps: 1,
  initialYawRateSigmaRadps: 0.1,
  initialCurrentSigmaMps: 0.5,
  initialGyroBiasSigmaRadps: 0.02,
  initialHeadingBiasSigmaRad: 3 * DEG,
  initialThrustGainSigma: 0.3,
  initialYawAccelBiasSigmaRadps2: 0.1,
  minThrustGain: 0.2,
  maxThrustGain: 2,

  // Standalone GPS: ~1 m slowly varying + ~0.5 m white per axis (sqrt(1 + 0.25) = 1.12);
  // DGPS/SBAS roughly half; RTK fixed a few cm, RTK float a few dm (receiver datasheets).
  gnssSigmaByFixQualityM: Object.freeze({ '1': 1.2, '2': 0.7, '4': 0.05, '5': 0.4 }),
  gnssMinHdop: 1,
  gnssMaxHdop: 10,
  gnssDefaultHdop: 1.5,
  gnssSpeedSigmaMps: 0.1,
  gnssCourseSigmaRad: 3 * DEG,
  gnssMinCourseSpeedMps: 0.3,
  imuYawSigmaRad: 1 * DEG,
  gyroSigmaRadps: 0.01,
  trueHeadingSigmaRad: 0.5 * DEG,
  magneticHeadingSigmaRad: 2 * DEG,

  gateChi2OneDof: 10.83,
  gateChi2TwoDof: 13.82,
  resetAfterGatedS: 5,
  resetMinGated: 5,

  maxStepS: 0.05,
  maxPredictS: 10,

  lateToleranceS: 0.05,
  thrustTimeoutS: 0.5,
  initMaxHeadingAgeS: 1,
  useImuYaw: true,
  useGyro: true,
  imuFrozenAfterRepeats: 3,
  useGnssVelocity: true,
  publishInvalid: true,
  publishEveryNthImu: 1,
});
