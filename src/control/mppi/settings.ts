// MPPI settings: every default in one place (DEFAULT_MPPI_SETTINGS, plain JSON data).
//
// Sizes follow Williams et al. (MPPI, ICRA 2016 / IEEE T-RO 2018) and Nav2's MPPI controller:
// K perturbed control sequences over T steps of dtS, an exponentially weighted average of them
// at temperature lambda. dtS equals the control period so that a plan shifts by one step per tick.

/** Weights of the cost terms; 0 turns a critic off. */
export interface CriticWeights {
  /** Squared cross-track distance to the active lane/leg, per m² per step. */
  path: number;
  /** 1 - cos(heading - leg direction), per step: keeps the bow along the lane. */
  heading: number;
  /** 1 - cos(course over ground - leg direction), per step: the track along the lane, crab allowed. */
  course: number;
  /** cos 45° - cos(heading - leg direction) where positive, per step: the drive to turn onto a leg (critics/path.ts). */
  turn: number;
  /** Squared distance of the horizon's last point to the goal (carrot or hold point), per m². */
  goal: number;
  /** Squared error of the speed over ground along the leg to the reference, per (m/s)² per step. */
  speed: number;
  /** Squared surge through the water when negative (going astern), per (m/s)² per step. */
  astern: number;
  /** Squared commanded thrust over the largest forward thrust, per step. */
  effort: number;
  /** Squared step-to-step change of commanded thrust over the largest forward thrust. */
  smoothness: number;
  /** Squared use of thrust beyond thrustSoftLimitFraction of the thruster's limit (over the largest thrust). */
  limits: number;
  /** Squared change of thrust beyond the rate limit per step (over the largest thrust). */
  rateLimit: number;
  /** Squared intrusion into the shore margin, per m². */
  geofence: number;
  /** Squared shortfall of under-keel clearance (map mean - k sigma - draft) below its margin, per m². */
  shallow: number;
  /** Reward for visiting cells where the map is unsure (its std), per m per step; a later issue uses it. */
  information: number;
}

export interface MppiSettings {
  /** Sampled control sequences per optimisation (K). */
  samples: number;
  /** Steps in the horizon (T). */
  horizonSteps: number;
  /** Model step and control period. */
  dtS: number;
  /** Temperature lambda of the exponential weighting, in cost units. */
  temperature: number;
  /** Weight gamma of the information-theoretic control cost (update.ts), in cost units; 0 turns it off. */
  controlCostWeight: number;
  /** Standard deviation of the thrust perturbation of each thruster. */
  noiseSigmaN: number;
  /** AR(1) coefficient of the perturbation along the horizon: 0 white, near 1 smooth (coloured). */
  noiseSmoothing: number;
  /** Seed of the counter-based random numbers. */
  seed: number;
  /** Worker threads besides the main thread for the CPU backend; -1: one per core beyond the first. */
  workerThreads: number;
  /** Weights of the cost terms. */
  weights: CriticWeights;
  /** Fraction of a thruster's limit above which the limits critic starts to cost. */
  thrustSoftLimitFraction: number;
  /** Largest change of commanded thrust per second before the rate-limit critic costs. */
  thrustRateLimitNps: number;
  /** Distance from the shore (geofence) below which the geofence critic costs. */
  shoreMarginM: number;
  /** Added once per step spent outside the geofence (a crash is never an option). */
  collisionCost: number;
  /** Under-keel clearance below which the shallow-water critic costs. */
  clearanceMarginM: number;
  /** Map standard deviations subtracted from its mean depth (a cautious depth). */
  depthSigmaFactor: number;
  /** Cell size of the precomputed distance-to-shore grid. */
  fenceCellM: number;
  /**
   * Scale the model's thrust by the estimator's thrust effectiveness (navDiagnostics.thrustGain,
   * clamped to thrustGainRange) in the rollouts and the current observer.
   */
  useThrustGain: boolean;
  /** Bounds on the thrust gain taken from the estimator. */
  thrustGainRange: [number, number];
  /** Add the estimator's unmodelled yaw acceleration (navDiagnostics.yawAccelBiasRadps2, clamped to ±maxYawAccelBiasRadps2) in the rollouts. */
  useYawAccelBias: boolean;
  maxYawAccelBiasRadps2: number;
}

export const DEFAULT_MPPI_SETTINGS: MppiSettings = {
  samples: 1024,
  horizonSteps: 50,
  dtS: 0.1,
  temperature: 1,
  controlCostWeight: 0,
  noiseSigmaN: 25,
  noiseSmoothing: 0.8,
  seed: 1,
  workerThreads: -1,
  weights: {
    path: 2,
    // Closed-loop trials (coxswain compare, issue 5): the course term in place of most of the
    // heading term keeps the track on the lane in a cross current.
    heading: 0.5,
    course: 2,
    turn: 10,
    goal: 1,
    speed: 5,
    astern: 100,
    effort: 0.05,
    smoothness: 2,
    limits: 5,
    rateLimit: 5,
    geofence: 50,
    shallow: 50,
    information: 0,
  },
  thrustSoftLimitFraction: 0.95,
  thrustRateLimitNps: 400,
  shoreMarginM: 4,
  collisionCost: 1000,
  clearanceMarginM: 0.3,
  depthSigmaFactor: 2,
  fenceCellM: 2,
  useThrustGain: true,
  thrustGainRange: [0.3, 1.5],
  useYawAccelBias: true,
  maxYawAccelBiasRadps2: 0.5,
};
