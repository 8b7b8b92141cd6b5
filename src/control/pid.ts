// A small PID on a plain state struct: derivative on the measurement (no kick when the set
// point steps), conditional integration against windup (the integrator is frozen while the
// output is saturated in the direction the error pushes, Åström & Hägglund, "Advanced PID
// Control", 2006, §3.5), and a hard bound on the integral term itself.

export interface PidGains {
  kp: number;
  ki: number;
  kd: number;
  /** Output limits. */
  outMin: number;
  outMax: number;
  /** Bound on |ki * integral|, the integral's share of the output. */
  integralLimit: number;
}

export interface PidState {
  /** Integral of the error, error-units x seconds. */
  integral: number;
  /** Last measurement, for the finite-difference derivative. */
  prevMeasurement: number;
  hasPrev: boolean;
  /** Integral increment of the last step, so a caller that saturates downstream can undo it. */
  lastIncrement: number;
  /** Last output, after limits. */
  output: number;
  /** Whether the last output hit a limit. */
  saturated: boolean;
}

export function createPidState(): PidState {
  return { integral: 0, prevMeasurement: 0, hasPrev: false, lastIncrement: 0, output: 0, saturated: false };
}

export function resetPid(s: PidState): void {
  s.integral = 0;
  s.prevMeasurement = 0;
  s.hasPrev = false;
  s.lastIncrement = 0;
  s.output = 0;
  s.saturated = false;
}

/**
 * One step. `error` is set point minus measurement (the caller wraps angles). The derivative
 * acts on `measurementRate` when it is finite (a gyro's yaw rate, say), otherwise on the finite
 * difference of `measurement`. A non-finite error or measurement, or dtS <= 0, returns 0 and
 * leaves the state untouched: the caller is expected to have rejected bad input already.
 */
export function pidStep(
  g: PidGains,
  s: PidState,
  error: number,
  measurement: number,
  dtS: number,
  measurementRate = Number.NaN,
): number {
  if (!Number.isFinite(error) || !Number.isFinite(measurement) || !(dtS > 0)) return 0;
  let rate = measurementRate;
  if (!Number.isFinite(rate)) rate = s.hasPrev ? (measurement - s.prevMeasurement) / dtS : 0;
  s.prevMeasurement = measurement;
  s.hasPrev = true;

  const p = g.kp * error;
  const d = -g.kd * rate;
  const increment = error * dtS;
  let integral = s.integral + increment;
  if (g.ki > 0) {
    const iMax = g.integralLimit / g.ki;
    integral = Math.min(iMax, Math.max(-iMax, integral));
  } else {
    integral = 0;
  }
  let u = p + g.ki * integral + d;
  let saturated = false;
  if (u > g.outMax || u < g.outMin) {
    saturated = true;
    // Integrate only when that pulls the output back inside the limits.
    const pushesOut = (u > g.outMax && increment > 0) || (u < g.outMin && increment < 0);
    if (pushesOut) integral = s.integral;
    u = p + g.ki * integral + d;
    u = Math.min(g.outMax, Math.max(g.outMin, u));
  }
  s.lastIncrement = integral - s.integral;
  s.integral = integral;
  s.output = u;
  s.saturated = saturated;
  return u;
}

/** Undoes the last step's integration: for when a downstream limit (a thrust mixer) cut the output. */
export function pidHoldIntegral(s: PidState): void {
  s.integral -= s.lastIncrement;
  s.lastIncrement = 0;
}
