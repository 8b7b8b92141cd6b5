import { describe, expect, it } from 'vitest';
import { FeatureExtractor, FEATURE_NAMES } from '../../src/anomaly/features.ts';
import { FEATURE_COUNT } from '../../src/anomaly/graph.ts';
import { CALM, OTTER, stepVesselRk4, type VesselState } from '../../src/model/vessel.ts';

const at = (name: string) => FEATURE_NAMES.indexOf(name);

/** Estimator diagnostics of a quiet filter: small NIS, the model's thrust, no current. */
const QUIET_DIAG = { nisGnssPosition: 1, nisGnssVelocity: 0.5, nisHeading: 0.2, nisYawRate: 0.3, gnssPositionGated: false, thrustGain: 1, yawAccelBiasRadps2: 0.02, currentNorthMps: 0, currentEastMps: 0 };

/**
 * A boat making 1 m/s north under equal thrust until `untilS`: IMU at 50 Hz with the yaw output
 * and gyro rate given, GNSS at 5 Hz, the sounder at 10 Hz until `sounderUntilS` (none by default).
 */
function run(fx: FeatureExtractor, untilS: number, yawAt: (t: number) => number, rateAt: (t: number) => number = () => 0, sounderUntilS = -Infinity): void {
  for (let k = 0; k <= untilS * 50; k++) {
    const t = k * 0.02;
    fx.onThrust(20, 20);
    fx.onGnssVelocity(1, 0);
    fx.onImu(t, yawAt(t), rateAt(t));
    if (k % 10 === 0) fx.onGnss(t, 60 + (t * 1) / 111_000, 10, 1, 1.2);
    if (k % 5 === 0 && t <= sounderUntilS) fx.onDepth(t, 4);
  }
}

/** 6 s of a boat going straight at 1 m/s, sounder included: the gyro reads no rotation; the yaw output drifts. */
function straightRun(fx: FeatureExtractor, yawDriftRadps: number, untilS = 6, sounderUntilS = untilS): void {
  run(fx, untilS, (t) => yawDriftRadps * t, () => 0, sounderUntilS);
}

describe('feature windows', () => {
  it('reads an IMU yaw drifting away from the integrated gyro as a drift rate', () => {
    const fx = new FeatureExtractor(OTTER);
    const out = new Float64Array(FEATURE_COUNT);
    straightRun(fx, 0.01);
    expect(fx.ready()).toBe(true);
    fx.compute(6, out);
    // the gyro bias is not known yet (no baseline averaged for 30 s): no drift rate
    expect(out[at('heading.driftRate2s')]).toBe(0);
    // 56 s: no drift for 50 s (the baseline learns 0), then 0.01 rad/s
    const g = new FeatureExtractor(OTTER);
    run(g, 56, (t) => 0.01 * Math.max(0, t - 50));
    g.compute(56, out);
    // yaw - integral(gyro) = 0.01 (t - 50): its mean over the last 0.5 s minus the mean 2.0..2.5 s
    // ago, over 2 s; the baseline took in at most a bounded step of it
    expect(out[at('heading.driftRate2s')]).toBeCloseTo(0.01, 3);
    expect(out[at('heading.driftRate4s')]).toBeCloseTo(0.01, 3);
  });

  it('takes the mission\'s slow drift (gyro bias) out of the drift rates and sees a new drift on top of it', () => {
    const fx = new FeatureExtractor(OTTER);
    // 0.002 rad/s of steady drift for 120 s: the baseline (60 s time constant) learns it
    straightRun(fx, 0.002, 120);
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(120, out);
    expect(Math.abs(out[at('heading.driftRate10s')])).toBeLessThan(1e-4);
    expect(Math.abs(out[at('heading.driftRate4s')])).toBeLessThan(1e-4);
    // then 0.01 rad/s more for 12 s: the 10-s rate sees all of it, the baseline only a little
    for (let k = 1; k <= 600; k++) {
      const t = 120 + k * 0.02;
      fx.onGnssVelocity(1, 0);
      fx.onImu(t, 0.002 * t + 0.01 * (t - 120), 0);
      if (k % 10 === 0) fx.onGnss(t, 60 + t / 111_000, 10, 1, 1.2);
    }
    fx.compute(132, out);
    // baseline after 12 s: ~0.002 + 0.01 * (fraction absorbed, < 12/60): the feature keeps > 0.008
    expect(out[at('heading.driftRate10s')]).toBeGreaterThan(0.008);
    expect(out[at('heading.driftRate10s')]).toBeLessThan(0.0101);
  });

  it('integrates the gyro so that a turn leaves no drift (a turn is not heading drift)', () => {
    const fx = new FeatureExtractor(OTTER);
    const out = new Float64Array(FEATURE_COUNT);
    // straight for 50 s, then the yaw rate ramps to 0.4 rad/s over 1 s and stays; the IMU yaw is
    // the exact integral of the rate
    const rate = (t: number) => (t < 50 ? 0 : Math.min(1, t - 50) * 0.4);
    const yaw = (t: number) => (t < 50 ? 0 : t < 51 ? 0.2 * (t - 50) ** 2 : 0.2 + 0.4 * (t - 51));
    run(fx, 53, yaw, rate);
    fx.compute(53, out);
    // the rectangle rule would lead the yaw by 0.4 * 0.02 / 2 = 4e-3 rad after the ramp, which the
    // 2-s rate (means over half-second blocks) reads as ~5e-4 rad/s
    expect(Math.abs(out[at('heading.driftRate2s')])).toBeLessThan(1e-4);
    expect(Math.abs(out[at('heading.driftRate4s')])).toBeLessThan(1e-4);
  });

  it('does not let a start-up drift rate hold the baseline for a minute', () => {
    const fx = new FeatureExtractor(OTTER);
    // 0.01 rad/s of drift over the first 5 s (start-up manoeuvres), then the gyro bias's 0.002 rad/s
    const yawAt = (t: number) => (t < 5 ? 0.01 * t : 0.05 + 0.002 * (t - 5));
    const out = new Float64Array(FEATURE_COUNT);
    run(fx, 60, yawAt);
    fx.compute(60, out);
    // The baseline averages every rate seen so far (most of them 0.002) before it starts to
    // forget; a first-order filter started on the first rate would still be 1e-3 off here.
    expect(Math.abs(out[at('heading.driftRate10s')])).toBeLessThan(2e-4);
    expect(Math.abs(out[at('heading.driftRate4s')])).toBeLessThan(2e-4);
  });

  it('explains a steady turn by thrust, damping and the Munk moment of the turn\'s sway: no yaw residual', () => {
    // The vessel model itself, in calm water, 60 N port and 30 N starboard for 40 s: it settles
    // into a steady starboard turn with sway, whose Munk moment (m22 - m11) u v the thrusters'
    // differential moment must also balance.
    const p = OTTER;
    const s: VesselState = { northM: 0, eastM: 0, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0 };
    const fx = new FeatureExtractor(p);
    const out = new Float64Array(FEATURE_COUNT);
    const dt = 0.02;
    for (let k = 1; k <= 40 * 50; k++) {
      fx.onThrust(60, 30);
      // the extractor's lag starts from zero thrust, so the model is driven by the lagged command
      stepVesselRk4(p, s, 60 * (1 - Math.exp(-(k * dt) / p.thrusterTimeConstantS)), 30 * (1 - Math.exp(-(k * dt) / p.thrusterTimeConstantS)), CALM, dt);
      const t = k * dt;
      fx.onGnssVelocity(Math.hypot(s.uMps, s.vMps), s.yawRad + Math.atan2(s.vMps, s.uMps));
      fx.onImu(t, Math.atan2(Math.sin(s.yawRad), Math.cos(s.yawRad)), s.rRadps);
      if (k % 10 === 0) fx.onGnss(t, 60, 10, 1, 1.2);
    }
    fx.compute(40, out);
    const munkNm = ((p.massKg - p.yVdotKg) - (p.massKg - p.xUdotKg)) * s.uMps * s.vMps;
    // the turn carries a Munk moment of a fifth of the differential moment (0.395 m x 30 N)
    expect(s.rRadps).toBeGreaterThan(0.05);
    expect(Math.abs(munkNm)).toBeGreaterThan(2);
    // ... which the residuals account for: what is left is a small fraction of it
    expect(Math.abs(out[at('thruster.momentResidual3s')])).toBeLessThan(0.1 * Math.abs(munkNm));
    expect(Math.abs(out[at('thruster.yawResidual1s')])).toBeLessThan(0.01);
  });

  it('compares fix displacements with the Doppler velocity: a 5 m jump stands out, Doppler-consistent motion does not', () => {
    const fx = new FeatureExtractor(OTTER);
    straightRun(fx, 0, 10);
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(10, out);
    // 1 m/s north on the Doppler, fixes 1 m/s north (1/111000 deg of latitude is ~1.002 m)
    expect(out[at('gnss.dopplerResidual4sM')]).toBeLessThan(0.05);
    // the next fix is 5 m east of where the Doppler puts it
    fx.onGnssVelocity(1, 0);
    fx.onGnss(10.2, 60 + 10.2 / 111_000, 10 + 5 / (111_320 * Math.cos((60 * Math.PI) / 180)), 1, 1.2);
    fx.compute(10.2, out);
    expect(out[at('gnss.dopplerResidual4sM')]).toBeCloseTo(5, 1);
    expect(out[at('gnss.incrementResidualM')]).toBeGreaterThan(1.5);
  });

  it('counts the time since the last fix and the last sounding', () => {
    const fx = new FeatureExtractor(OTTER);
    straightRun(fx, 0, 6, 4.5);
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(6, out);
    expect(out[at('gnss.sinceFixS')]).toBeCloseTo(0, 9);
    expect(out[at('gnss.hdop')]).toBe(1.2);
    expect(out[at('sonar.sinceDepthS')]).toBeCloseTo(1.5, 9);
    expect(out[at('sonar.pings1s')]).toBe(0);
  });

  it('does not count a silence after a sounding at the edge of the range', () => {
    const fx = new FeatureExtractor(OTTER, { minM: 0.3, maxM: 100 });
    straightRun(fx, 0, 6, 4);
    fx.onDepth(4.1, 0.5); // 0.5 m: within 0.5 m of the 0.3 m minimum
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(6, out);
    expect(out[at('sonar.sinceDepthS')]).toBe(0);
  });

  it('counts depth jumps of more than 15 %', () => {
    const fx = new FeatureExtractor(OTTER);
    straightRun(fx, 0);
    // pings in the last second (t 5.1..6.0): add two spurious ones at 6.02 and back at 6.04
    fx.onDepth(6.02, 8);
    fx.onDepth(6.04, 4);
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(6.04, out);
    // 1-s window from 5.04: pings at 5.1 .. 6.0 (10) plus 2 = 12, of which 2 jumped (4->8 is 100 %, 8->4 is 50 %)
    expect(out[at('sonar.pings1s')]).toBe(12);
    expect(out[at('sonar.jumpFraction1s')]).toBeCloseTo(2 / 12, 12);
  });

  it('explains the Munk moment of a side force\'s sway by the estimator\'s sway through the water, in a cross-current', () => {
    // The vessel model heading north at about 1.5 m/s with a steady 12 N push to the east (wind) and
    // a 0.2 m/s current to the west; a heading hold on the differential thrust keeps it straight,
    // so the thrusters hold the Munk moment (m22 - m11) u v of the sway the push causes. The
    // estimator's view comes in as it would: sway over ground, the current it has learned.
    const p = OTTER;
    const env = { ...CALM, currentEastMps: -0.2, forceEastN: 12 };
    const s: VesselState = { northM: 0, eastM: 0, yawRad: 0, uMps: 1.5, vMps: -0.2, rRadps: 0 };
    const withNav = new FeatureExtractor(p);
    const without = new FeatureExtractor(p);
    const out = new Float64Array(FEATURE_COUNT);
    const dt = 0.02;
    let left = 0;
    let right = 0;
    for (let k = 1; k <= 60 * 50; k++) {
      const t = k * dt;
      // heading hold: a moment against the yaw and its rate, on top of 2 x 70 N
      const diff = Math.max(-60, Math.min(60, -120 * s.yawRad - 150 * s.rRadps));
      const cmdL = 70 + diff / 2;
      const cmdR = 70 - diff / 2;
      const a = 1 - Math.exp(-dt / p.thrusterTimeConstantS);
      left += a * (cmdL - left);
      right += a * (cmdR - right);
      stepVesselRk4(p, s, left, right, env, dt);
      for (const fx of [withNav, without]) {
        fx.onThrust(cmdL, cmdR);
        fx.onGnssVelocity(Math.hypot(s.uMps, s.vMps), s.yawRad + Math.atan2(s.vMps, s.uMps));
        fx.onImu(t, s.yawRad, s.rRadps);
        if (k % 10 === 0) fx.onGnss(t, 60, 10, 1, 1.2);
      }
      withNav.onNav(s.northM, s.eastM, s.yawRad, s.uMps, s.vMps, true);
      if (k % 10 === 0) withNav.onNavDiagnostics(t, { ...QUIET_DIAG, currentNorthMps: env.currentNorthMps, currentEastMps: env.currentEastMps });
    }
    const c = Math.cos(s.yawRad);
    const sn = Math.sin(s.yawRad);
    const vr = s.vMps - (-env.currentNorthMps * sn + env.currentEastMps * c);
    const ur = s.uMps - (env.currentNorthMps * c + env.currentEastMps * sn);
    const munkNm = ((p.massKg - p.yVdotKg) - (p.massKg - p.xUdotKg)) * ur * vr;
    // straight and steady, with a Munk moment the thrusters' differential must hold
    expect(Math.abs(s.rRadps)).toBeLessThan(1e-3);
    expect(Math.abs(munkNm)).toBeGreaterThan(5);
    withNav.compute(60, out);
    expect(Math.abs(out[at('thruster.momentResidual3s')])).toBeLessThan(0.1 * Math.abs(munkNm));
    // the model's own sway (no side force in it) leaves the whole Munk moment as a residual
    without.compute(60, out);
    expect(Math.abs(out[at('thruster.momentResidual3s')])).toBeGreaterThan(0.8 * Math.abs(munkNm));
  });

  it('takes the drag at the speed through the water: a head current is not extra drag', () => {
    // The vessel model heading north under 2 x 60 N against a 0.3 m/s current from ahead: steady
    // at its speed through the water, 0.3 m/s slower over ground.
    const p = OTTER;
    const env = { ...CALM, currentNorthMps: -0.3 };
    const s: VesselState = { northM: 0, eastM: 0, yawRad: 0, uMps: 1, vMps: 0, rRadps: 0 };
    const knowing = new FeatureExtractor(p);
    const unaware = new FeatureExtractor(p);
    const out = new Float64Array(FEATURE_COUNT);
    const dt = 0.02;
    for (let k = 1; k <= 40 * 50; k++) {
      const t = k * dt;
      stepVesselRk4(p, s, 60, 60, env, dt);
      for (const fx of [knowing, unaware]) {
        fx.onThrust(60, 60);
        fx.onGnssVelocity(Math.hypot(s.uMps, s.vMps), s.yawRad + Math.atan2(s.vMps, s.uMps));
        fx.onImu(t, s.yawRad, s.rRadps);
        fx.onNav(s.northM, s.eastM, s.yawRad, s.uMps, s.vMps, true);
        if (k % 10 === 0) fx.onGnss(t, 60, 10, 1, 1.2);
      }
      if (k % 10 === 0) knowing.onNavDiagnostics(t, { ...QUIET_DIAG, currentNorthMps: env.currentNorthMps, currentEastMps: 0 });
      if (k % 10 === 0) unaware.onNavDiagnostics(t, QUIET_DIAG);
    }
    // the 120 N of thrust is what the drag at the speed through the water takes
    const ur = s.uMps - env.currentNorthMps;
    expect(120 + (p.xuNsPerM + p.xuuNs2PerM2 * ur) * ur).toBeCloseTo(0, 1);
    knowing.compute(40, out);
    expect(Math.abs(out[at('stuck.forceResidual3s')])).toBeLessThan(2);
    // taken at the speed over ground, the drag is short by tens of newtons: a snag's signature
    unaware.compute(40, out);
    expect(out[at('stuck.forceResidual3s')]).toBeGreaterThan(20);
  });

  it('reads the estimator\'s diagnostics: NIS over the window, gated fraction, slow states against their baseline', () => {
    const fx = new FeatureExtractor(OTTER);
    straightRun(fx, 0, 6);
    const diag = QUIET_DIAG;
    // 5 Hz epochs from 0 to 6 s: the baselines start at the first values and see no change
    for (let k = 0; k <= 30; k++) fx.onNavDiagnostics(k * 0.2, diag);
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(6, out);
    expect(out[at('gnss.nisPositionMax1s')]).toBe(1);
    expect(out[at('gnss.gatedFraction2s')]).toBe(0);
    expect(out[at('stuck.thrustGainShift')]).toBe(0);
    expect(out[at('thruster.yawAccelBiasShift')]).toBe(0);
    // a jump: the next two fixes are gated with NIS 40 and 60; the thrust gain falls to 0.7
    fx.onNavDiagnostics(6.2, { ...diag, nisGnssPosition: 40, gnssPositionGated: true, thrustGain: 0.7 });
    fx.onNavDiagnostics(6.4, { ...diag, nisGnssPosition: 60, gnssPositionGated: true, thrustGain: 0.7 });
    fx.compute(6.4, out);
    expect(out[at('gnss.nisPositionMax1s')]).toBe(60);
    // epochs within 2 s of 6.4: 4.4 .. 6.4, 11 of them, 2 gated
    expect(out[at('gnss.gatedFraction2s')]).toBeCloseTo(2 / 11, 12);
    // baseline after two 0.2 s steps of a 60 s filter, each step toward 0.7 bounded to 0.05: a
    // fault does not drag the baseline along (1 - 2 * 0.05 / 300); shift = 0.7 - that
    expect(out[at('stuck.thrustGainShift')]).toBeCloseTo(0.7 - (1 - (2 * 0.05) / 300), 9);
    // heading NIS: the mean over 4 s is the steady 0.2, the max over 1 s too
    expect(out[at('heading.nisHeadingMean4s')]).toBeCloseTo(0.2, 12);
    expect(out[at('heading.nisHeadingMax1s')]).toBeCloseTo(0.2, 12);
    // no epoch for 2 s (a GNSS outage): the NIS windows are empty and read 0
    fx.compute(8.5, out);
    expect(out[at('gnss.nisPositionMax1s')]).toBe(0);
  });

  it('reads a NIS the estimator has not computed yet (NaN) as 0, and caps huge ones', () => {
    const fx = new FeatureExtractor(OTTER);
    straightRun(fx, 0, 6);
    fx.onNavDiagnostics(5.8, { nisGnssPosition: NaN, nisGnssVelocity: 1e9, nisHeading: NaN, nisYawRate: NaN, gnssPositionGated: false, thrustGain: NaN, yawAccelBiasRadps2: NaN, currentNorthMps: NaN, currentEastMps: NaN });
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(6, out);
    expect(out[at('gnss.nisPositionMax1s')]).toBe(0);
    expect(out[at('stuck.nisVelocityMax1s')]).toBe(1000);
    expect(out[at('stuck.thrustGainShift')]).toBe(0);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('rejects non-finite input and never writes NaN', () => {
    const fx = new FeatureExtractor(OTTER);
    fx.onImu(0, NaN, 0);
    fx.onDepth(0, Infinity);
    fx.onThrust(NaN, 1);
    expect(fx.rejected).toBe(3);
    straightRun(fx, 0);
    const out = new Float64Array(FEATURE_COUNT);
    fx.compute(6, out);
    expect(out.every(Number.isFinite)).toBe(true);
  });
});
