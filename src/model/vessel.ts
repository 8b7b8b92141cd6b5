// The 3-DOF (surge, sway, yaw) surface-vessel model shared by the simulator (as truth), the
// estimator (as its process model) and the controllers (for rollouts). Pure functions only.
//
// Equations (Fossen, Handbook of Marine Craft Hydrodynamics and Motion Control, 2nd ed., 2021,
// ch. 6-7): M nu_r' + C(nu_r) nu_r + D(nu_r) nu_r = tau, with nu_r = nu - nu_c the velocity
// relative to an irrotational current, M = M_RB + M_A (diagonal, x_g = 0), and
// C = C_RB + C_A in the 3-DOF form. Kinematics: eta' = R(psi) nu.
//
// Default parameters are those of the Maritime Robotics Otter USV as modelled in Fossen's
// book and in the MSS toolbox (otter.m): L = 2.0 m, B = 1.08 m, m = 55 kg, R66 = 0.25 L,
// thrusters at y = +-0.395 m, propeller constants k_pos = 0.02216/2, k_neg = 0.01289/2 and a
// maximum forward thrust of 24.4 g / 2 per thruster, propeller time constant 0.1 s, surge
// damping tuned for U_max = 6 kn, sway and yaw time constants 1 s, Nrr = 10 Nr.

export interface VesselParams {
  /** Mass including payload. */
  massKg: number;
  /** Moment of inertia about z. */
  izKgM2: number;
  /** Added mass (negative by convention): X_u', Y_v', N_r'. */
  xUdotKg: number;
  yVdotKg: number;
  nRdotKgM2: number;
  /** Linear damping (negative). */
  xuNsPerM: number;
  yvNsPerM: number;
  nrNmsPerRad: number;
  /** Quadratic damping (negative). */
  xuuNs2PerM2: number;
  yvvNs2PerM2: number;
  nrrNms2PerRad2: number;
  /** Lateral offset of each thruster from the centreline (port negative, starboard positive). */
  thrusterYM: number;
  /** Largest forward thrust of one thruster. */
  maxForwardThrustN: number;
  /** Largest reverse thrust of one thruster (a positive number). */
  maxReverseThrustN: number;
  /** First-order lag of the thrusters. */
  thrusterTimeConstantS: number;
  /** Length overall, for collision and grounding margins. */
  lengthM: number;
  /** Beam. */
  beamM: number;
  /** Draft: a depth below this means grounding. */
  draftM: number;
}

const G = 9.81;
const OTTER_M = 55;
const OTTER_IZ = OTTER_M * (0.25 * 2.0) ** 2;
const OTTER_UMAX = 6 * 0.5144;

export const OTTER: Readonly<VesselParams> = Object.freeze({
  massKg: OTTER_M,
  izKgM2: OTTER_IZ,
  xUdotKg: -0.1 * OTTER_M,
  yVdotKg: -1.5 * OTTER_M,
  nRdotKgM2: -1.7 * OTTER_IZ,
  xuNsPerM: -(24.4 * G) / OTTER_UMAX,
  yvNsPerM: -(OTTER_M + 1.5 * OTTER_M) / 1.0,
  nrNmsPerRad: -(OTTER_IZ + 1.7 * OTTER_IZ) / 1.0,
  xuuNs2PerM2: 0,
  // Cross-flow drag of the two hulls: 0.5 rho Cd L T with rho 1025, Cd ~1, T ~0.13 m per hull.
  yvvNs2PerM2: -0.5 * 1025 * 1.0 * 2.0 * 0.13 * 2,
  nrrNms2PerRad2: (10 * -(OTTER_IZ + 1.7 * OTTER_IZ)) / 1.0,
  thrusterYM: 0.395,
  maxForwardThrustN: (24.4 * G) / 2,
  maxReverseThrustN: ((24.4 * G) / 2) * (0.01289 / 0.02216),
  thrusterTimeConstantS: 0.1,
  lengthM: 2.0,
  beamM: 1.08,
  draftM: 0.13,
});

export interface VesselState {
  northM: number;
  eastM: number;
  yawRad: number;
  /** Body velocities over ground. */
  uMps: number;
  vMps: number;
  rRadps: number;
}

/** What the environment does to the vessel at this instant. */
export interface VesselEnv {
  currentNorthMps: number;
  currentEastMps: number;
  /** External force (wind, a snag) in NED, and yaw moment. */
  forceNorthN: number;
  forceEastN: number;
  momentNm: number;
  /** Extra linear surge and sway drag (vegetation, a towed line); 0 normally. */
  extraDragNsPerM: number;
}

export const CALM: Readonly<VesselEnv> = Object.freeze({
  currentNorthMps: 0,
  currentEastMps: 0,
  forceNorthN: 0,
  forceEastN: 0,
  momentNm: 0,
  extraDragNsPerM: 0,
});

/** Clamps a thrust command to what one thruster can deliver. */
export function clampThrust(p: VesselParams, thrustN: number): number {
  if (!(thrustN === thrustN)) return 0; // NaN never reaches a thruster
  return Math.min(p.maxForwardThrustN, Math.max(-p.maxReverseThrustN, thrustN));
}

/**
 * Time derivative of the state. Writes [n', e', psi', u', v', r'] into `out`.
 * `leftN` and `rightN` are the thrusts actually delivered (after lag and limits).
 */
export function vesselDerivative(
  p: VesselParams,
  s: VesselState,
  leftN: number,
  rightN: number,
  env: VesselEnv,
  out: Float64Array,
): void {
  const c = Math.cos(s.yawRad);
  const sn = Math.sin(s.yawRad);
  // Current in body frame, and velocities relative to the water.
  const uc = env.currentNorthMps * c + env.currentEastMps * sn;
  const vc = -env.currentNorthMps * sn + env.currentEastMps * c;
  const ur = s.uMps - uc;
  const vr = s.vMps - vc;
  const r = s.rRadps;

  const m11 = p.massKg - p.xUdotKg;
  const m22 = p.massKg - p.yVdotKg;
  const m33 = p.izKgM2 - p.nRdotKgM2;

  const tauX = leftN + rightN + env.forceNorthN * c + env.forceEastN * sn;
  const tauY = -env.forceNorthN * sn + env.forceEastN * c;
  // A port thruster pushing harder turns the bow to starboard (positive yaw).
  const tauN = p.thrusterYM * (leftN - rightN) + env.momentNm;

  const dX = -(p.xuNsPerM + p.xuuNs2PerM2 * Math.abs(ur) - env.extraDragNsPerM) * ur;
  const dY = -(p.yvNsPerM + p.yvvNs2PerM2 * Math.abs(vr) - env.extraDragNsPerM) * vr;
  const dN = -(p.nrNmsPerRad + p.nrrNms2PerRad2 * Math.abs(r)) * r;

  // Relative accelerations, then back to over-ground: the body-frame current rotates with yaw.
  const urDot = (tauX + m22 * vr * r - dX) / m11;
  const vrDot = (tauY - m11 * ur * r - dY) / m22;
  const rDot = (tauN - (m22 - m11) * ur * vr - dN) / m33;

  out[0] = s.uMps * c - s.vMps * sn;
  out[1] = s.uMps * sn + s.vMps * c;
  out[2] = r;
  out[3] = urDot + r * vc;
  out[4] = vrDot - r * uc;
  out[5] = rDot;
}

const k1 = new Float64Array(6);
const k2 = new Float64Array(6);
const k3 = new Float64Array(6);
const k4 = new Float64Array(6);
const tmp: VesselState = { northM: 0, eastM: 0, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0 };

function offset(s: VesselState, k: Float64Array, h: number): VesselState {
  tmp.northM = s.northM + h * k[0];
  tmp.eastM = s.eastM + h * k[1];
  tmp.yawRad = s.yawRad + h * k[2];
  tmp.uMps = s.uMps + h * k[3];
  tmp.vMps = s.vMps + h * k[4];
  tmp.rRadps = s.rRadps + h * k[5];
  return tmp;
}

/** One classical Runge-Kutta step, in place. Thrust and environment are held over the step. */
export function stepVesselRk4(
  p: VesselParams,
  s: VesselState,
  leftN: number,
  rightN: number,
  env: VesselEnv,
  dtS: number,
): void {
  vesselDerivative(p, s, leftN, rightN, env, k1);
  vesselDerivative(p, offset(s, k1, dtS / 2), leftN, rightN, env, k2);
  vesselDerivative(p, offset(s, k2, dtS / 2), leftN, rightN, env, k3);
  vesselDerivative(p, offset(s, k3, dtS), leftN, rightN, env, k4);
  const h = dtS / 6;
  s.northM += h * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
  s.eastM += h * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
  s.yawRad += h * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2]);
  s.uMps += h * (k1[3] + 2 * k2[3] + 2 * k3[3] + k4[3]);
  s.vMps += h * (k1[4] + 2 * k2[4] + 2 * k3[4] + k4[4]);
  s.rRadps += h * (k1[5] + 2 * k2[5] + 2 * k3[5] + k4[5]);
}

/** Steady forward speed in calm water for a symmetric thrust per thruster (for tests, guidance). */
export function steadySpeedMps(p: VesselParams, thrustPerThrusterN: number): number {
  const t = 2 * thrustPerThrusterN;
  const a = -p.xuuNs2PerM2;
  const b = -p.xuNsPerM;
  return a === 0 ? t / b : (-b + Math.sqrt(b * b + 4 * a * t)) / (2 * a);
}
