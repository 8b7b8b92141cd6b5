// The navigation EKF against truth from the vessel model: a lawnmower survey of the Otter at
// ~1.5 m/s in a 0.32 m/s current, with an unmodelled wind-like force, GNSS at 5 Hz and the IMU
// at 50 Hz (see scenario.ts for every sensor error). Figures are printed for the report.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OTTER } from '../../src/model/vessel.ts';
import { wrapPi } from '../../src/geo/index.ts';
import { STATE_SIZE, X, createEkf, initialiseEkf, predict, predictWithoutThrust } from '../../src/estimator/ekf.ts';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/estimator/options.ts';
import { updateGnssPosition, updateGnssVelocity, updateHeading, updateYawRate } from '../../src/estimator/update.ts';
import type { Trace } from './scenario.ts';
import { BASE_SPEC, runScenario } from './scenario.ts';

const DEG = Math.PI / 180;
const N = STATE_SIZE;

function freshEkf() {
  const ekf = createEkf(DEFAULT_ESTIMATOR_OPTIONS, OTTER);
  initialiseEkf(ekf, { northM: 0, eastM: 0, positionSigmaM: 1, yawRad: 0, yawSigmaRad: 0.02, yawIncludesBias: true });
  return ekf;
}

function expectHealthy(ekf: ReturnType<typeof createEkf>): void {
  for (let i = 0; i < N; i++) expect(Number.isFinite(ekf.x[i])).toBe(true);
  for (let i = 0; i < N; i++) {
    expect(ekf.P[i * N + i]).toBeGreaterThan(0);
    for (let j = 0; j < N; j++) {
      expect(Number.isFinite(ekf.P[i * N + j])).toBe(true);
      expect(ekf.P[i * N + j]).toBe(ekf.P[j * N + i]);
    }
  }
}

const horizontalError = (t: Trace): number => Math.hypot(t.estNorthM - t.truthNorthM, t.estEastM - t.truthEastM);
const at = (trace: Trace[], tS: number): Trace => trace[Math.round(tS / 0.02)];

describe('EKF accuracy against truth', () => {
  it('(a) beats raw GNSS by a wide margin when the GNSS error is white (1.5 m per axis)', () => {
    const r = runScenario({ ...BASE_SPEC, gnssWhiteSigmaM: 1.5, gnssBiasSigmaM: 0, filterGnssSigmaM: 1.5 });
    console.info(`(a) white 1.5 m: ekf ${r.positionRmseM.toFixed(3)} m, gnss ${r.gnssRmseM.toFixed(3)} m`);
    // Raw GNSS horizontal RMSE is sqrt(2) * 1.5 = 2.12 m; velocity aiding and the model average
    // ~tens of fixes, so the filter should be several times better.
    expect(r.gnssRmseM).toBeGreaterThan(1.9);
    expect(r.gnssRmseM).toBeLessThan(2.4);
    expect(r.positionRmseM).toBeLessThan(0.5 * r.gnssRmseM);
    expect(r.finiteThroughout).toBe(true);
  });

  it('(a2) still beats it without GNSS velocity (model and IMU only between fixes)', () => {
    const r = runScenario({ ...BASE_SPEC, gnssWhiteSigmaM: 1.5, gnssBiasSigmaM: 0, filterGnssSigmaM: 1.5, useGnssVelocity: false });
    console.info(`(a2) white 1.5 m, no velocity: ekf ${r.positionRmseM.toFixed(3)} m, gnss ${r.gnssRmseM.toFixed(3)} m`);
    expect(r.positionRmseM).toBeLessThan(0.5 * r.gnssRmseM);
  });

  it('(b) beats raw GNSS in a 600 s survey with a 1 m / 60 s Gauss-Markov bias plus 0.5 m white noise', () => {
    // The bias is not removable (no second position source); the floor is the bias itself,
    // sqrt(2) * 1 = 1.41 m horizontally, against sqrt(2 * (1 + 0.25)) = 1.58 m for raw GNSS.
    const ratios: number[] = [];
    for (const seed of [1, 2, 3]) {
      const r = runScenario({ ...BASE_SPEC, seed, durationS: 600 });
      ratios.push(r.positionRmseM / r.gnssRmseM);
      console.info(
        `(b) GM seed ${seed}: ekf ${r.positionRmseM.toFixed(3)} m, gnss ${r.gnssRmseM.toFixed(3)} m, ratio ${(r.positionRmseM / r.gnssRmseM).toFixed(3)}, heading ${r.headingRmseDeg.toFixed(2)} deg, ${r.distanceM.toFixed(0)} m run`,
      );
      expect(r.positionRmseM).toBeLessThan(r.gnssRmseM);
      expect(r.ekf.counts.gnssPosition.resets).toBe(0);
    }
    expect(Math.max(...ratios)).toBeLessThan(0.97);
  });

  it('(c) gates a 30 m GNSS jump lasting 3 s and is moved by it less than 1 m', () => {
    const spec = { ...BASE_SPEC, seed: 4, durationS: 200 };
    const clean = runScenario(spec);
    const jumped = runScenario({ ...spec, jump: { fromS: 120, toS: 123, northM: 30, eastM: 0 } });
    // 3 s at 5 Hz = 15 fixes, every one of them 30 m / 1.2 m = 25 sigma off.
    expect(jumped.ekf.counts.gnssPosition.gated - clean.ekf.counts.gnssPosition.gated).toBe(15);
    expect(jumped.ekf.counts.gnssPosition.resets).toBe(0);
    // Same seed, same noise: any difference between the runs is the jump's doing.
    let worst = 0;
    for (let k = 0; k < clean.trace.length; k++) {
      worst = Math.max(worst, Math.hypot(jumped.trace[k].estNorthM - clean.trace[k].estNorthM, jumped.trace[k].estEastM - clean.trace[k].estEastM));
    }
    console.info(`(c) 30 m jump for 3 s: 15 fixes gated, largest effect on the estimate ${worst.toFixed(3)} m`);
    expect(worst).toBeLessThan(1);
  });

  it('re-initialises position after 5 s of consistently gated fixes (the vessel really is elsewhere)', () => {
    // A permanent 40 m offset from t = 120 s: gated for resetAfterGatedS = 5 s, then reset.
    const r = runScenario({ ...BASE_SPEC, seed: 5, durationS: 180, jump: { fromS: 120, toS: 1e9, northM: 40, eastM: 0 } });
    expect(r.ekf.counts.gnssPosition.resets).toBe(1);
    // 5 s at 5 Hz: the 26th fix is the first with 5 s of streak behind it (sinceS = 120).
    expect(r.ekf.counts.gnssPosition.gated).toBeGreaterThanOrEqual(25);
    const end = r.trace[r.trace.length - 1];
    // Following the (offset) fixes again: 40 m north of truth, within the GNSS error.
    expect(Math.abs(end.estNorthM - end.truthNorthM - 40)).toBeLessThan(3);
  });

  it('(d) dead-reckons a 10 s GNSS outage with the model, IMU and estimated current', () => {
    const r = runScenario({ ...BASE_SPEC, seed: 6, durationS: 200, outage: { fromS: 150, toS: 160 } });
    const b = at(r.trace, 149.98);
    const end = at(r.trace, 159.98);
    // Dead-reckoning drift: how far the error vector moved over the outage (the GM bias that
    // was in the estimate before the outage is not the outage's doing).
    const driftM = Math.hypot(
      end.estNorthM - end.truthNorthM - (b.estNorthM - b.truthNorthM),
      end.estEastM - end.truthEastM - (b.estEastM - b.truthEastM),
    );
    console.info(
      `(d) 10 s outage: error ${horizontalError(b).toFixed(2)} m before, ${horizontalError(end).toFixed(2)} m at its end, dead-reckoning drift ${driftM.toFixed(2)} m (filter sigma ${b.sigmaM.toFixed(2)} -> ${end.sigmaM.toFixed(2)} m)`,
    );
    // ~1.5 m/s for 10 s on the model, IMU and the estimated current: a drift of a few dm.
    expect(driftM).toBeLessThan(1.5);
    expect(horizontalError(end)).toBeLessThan(4);
    // The filter knows it is less sure, and the first fix after the outage is not gated.
    expect(end.sigmaM).toBeGreaterThan(at(r.trace, 149.98).sigmaM);
    expect(r.ekf.counts.gnssPosition.gated).toBe(0);
  });

  it('(e) estimates yaw within a few degrees of truth despite a 4 degree IMU heading bias', () => {
    const r = runScenario({ ...BASE_SPEC, seed: 7, durationS: 300, imuYawBiasRad: 4 * DEG });
    let worstAfterTurnDeg = 0;
    for (const t of r.trace) {
      // After the first turn (t ~ 70 s) heading bias and cross-current are separable.
      if (t.tS > 90) worstAfterTurnDeg = Math.max(worstAfterTurnDeg, Math.abs(wrapPi(t.estYawRad - t.truthYawRad)) / DEG);
    }
    const biasErrDeg = (r.estHeadingBiasRad - r.finalHeadingBiasRad) / DEG;
    console.info(
      `(e) 4 deg IMU bias: heading RMSE ${r.headingRmseDeg.toFixed(2)} deg, worst after first turn ${worstAfterTurnDeg.toFixed(2)} deg, bias estimate error ${biasErrDeg.toFixed(2)} deg`,
    );
    expect(r.headingRmseDeg).toBeLessThan(3);
    expect(worstAfterTurnDeg).toBeLessThan(2);
    expect(Math.abs(biasErrDeg)).toBeLessThan(1);
  });
});

describe('EKF updates', () => {
  it('accepts a consistent fix and reports its NIS', () => {
    const ekf = freshEkf();
    // Prior sigma 1 m, measurement sigma 1 m: S = 2 per axis, NIS = (1^2 + 1^2) / 2 = 1.
    const out = updateGnssPosition(ekf, 1, 1, 1);
    expect(out.status).toBe('accepted');
    expect(out.nis).toBeCloseTo(1, 12);
    // Equal weights: half way, and the variance halves.
    expect(ekf.x[X.north]).toBeCloseTo(0.5, 12);
    expect(ekf.P[X.north * N + X.north]).toBeCloseTo(0.5, 12);
    expect(ekf.counts.gnssPosition.accepted).toBe(1);
  });

  it('gates a 20 m outlier, counts it and keeps the state', () => {
    const ekf = freshEkf();
    // NIS = 20^2 / 2 = 200 > 13.82.
    const out = updateGnssPosition(ekf, 20, 0, 1);
    expect(out.status).toBe('gated');
    expect(out.nis).toBeCloseTo(200, 9);
    expect(ekf.x[X.north]).toBe(0);
    expect(ekf.counts.gnssPosition.gated).toBe(1);
  });

  it('wraps heading innovations across +-pi', () => {
    const ekf = createEkf(DEFAULT_ESTIMATOR_OPTIONS, OTTER);
    initialiseEkf(ekf, { northM: 0, eastM: 0, positionSigmaM: 1, yawRad: Math.PI - 0.01, yawSigmaRad: 0.02, yawIncludesBias: false });
    // -pi + 0.01 is 0.02 rad away, not 2 pi - 0.02.
    const out = updateHeading(ekf, -Math.PI + 0.01, 0.02, false);
    expect(out.status).toBe('accepted');
    expect(Math.abs(wrapPi(ekf.x[X.yaw] - Math.PI))).toBeLessThan(0.011);
  });

  it('treats the gyro as r plus bias, and GNSS velocity below 0.3 m/s as "nearly still"', () => {
    const ekf = freshEkf();
    expect(updateYawRate(ekf, 0.01).status).toBe('accepted');
    expect(ekf.x[X.r] + ekf.x[X.gyroBias]).toBeGreaterThan(0);
    // Speed 0.2 with a wild course: the course is ignored, so a still vessel stays still.
    expect(updateGnssVelocity(ekf, 0.2, 2.5).status).toBe('accepted');
    expect(Math.hypot(ekf.x[X.u], ekf.x[X.v])).toBeLessThan(0.05);
  });

  it('does nothing before initialisation', () => {
    const ekf = createEkf(DEFAULT_ESTIMATOR_OPTIONS, OTTER);
    expect(updateGnssPosition(ekf, 1, 1, 1).status).toBe('uninitialised');
    expect(predict(ekf, 10, 10, 0.02)).toBe('uninitialised');
    expect(ekf.initialised).toBe(false);
  });

  it('drops the solution after a prediction longer than maxPredictS (10 s)', () => {
    const ekf = freshEkf();
    expect(predict(ekf, 50, 50, 11)).toBe('lost');
    expect(ekf.initialised).toBe(false);
    expect(ekf.predictCounts.lost).toBe(1);
  });

  it('brakes under zero thrust with the model, but holds velocity without a known thrust', () => {
    const a = freshEkf();
    const b = freshEkf();
    for (const e of [a, b]) {
      e.x[X.u] = 1.5;
    }
    predict(a, 0, 0, 2);
    predictWithoutThrust(b, 2);
    // Surge damping X_u = -77.5 N s/m on m11 = 60.5 kg: a time constant of 0.78 s.
    expect(a.x[X.u]).toBeLessThan(0.2);
    expect(b.x[X.u]).toBeCloseTo(1.5, 12);
    expect(b.x[X.north]).toBeCloseTo(3, 9);
  });
});

describe('(f) garbage never produces NaN', () => {
  it('rejects non-finite and negative inputs and keeps the previous state', () => {
    const ekf = freshEkf();
    predict(ekf, 60, 60, 1);
    const x0 = Float64Array.from(ekf.x);
    expect(predict(ekf, 60, 60, Number.NaN)).toBe('rejected');
    expect(predict(ekf, 60, 60, -0.02)).toBe('rejected');
    expect(predict(ekf, 60, 60, Infinity)).toBe('rejected');
    expect(Array.from(ekf.x)).toEqual(Array.from(x0));
    expect(updateGnssPosition(ekf, Number.NaN, 0, 1).status).toBe('invalid');
    expect(updateGnssPosition(ekf, 0, Infinity, 1).status).toBe('invalid');
    expect(updateGnssPosition(ekf, 0, 0, 0).status).toBe('invalid');
    expect(updateGnssPosition(ekf, 0, 0, -1).status).toBe('invalid');
    expect(updateGnssPosition(ekf, 1e300, 0, 1).status).toBe('invalid'); // NIS overflows
    expect(updateGnssVelocity(ekf, -1, 0).status).toBe('invalid');
    expect(updateGnssVelocity(ekf, Number.NaN, 0).status).toBe('invalid');
    expect(updateHeading(ekf, Infinity).status).toBe('invalid');
    expect(updateYawRate(ekf, Number.NaN).status).toBe('invalid');
    expect(Array.from(ekf.x)).toEqual(Array.from(x0));
    // NaN thrust is zero thrust, infinite thrust is the thruster's limit: still finite.
    expect(predict(ekf, Number.NaN, Infinity, 0.02)).toBe('ok');
    expectHealthy(ekf);
    expect(ekf.predictCounts.rejected).toBe(3);
  });

  it('stays finite and symmetric under any sequence of arbitrary doubles', () => {
    const anyDouble = fc.double();
    const op = fc.oneof(
      fc.tuple(fc.constant('predict'), anyDouble, anyDouble, anyDouble),
      fc.tuple(fc.constant('pos'), anyDouble, anyDouble, anyDouble),
      fc.tuple(fc.constant('vel'), anyDouble, anyDouble, anyDouble),
      fc.tuple(fc.constant('heading'), anyDouble, anyDouble, anyDouble),
      fc.tuple(fc.constant('rate'), anyDouble, anyDouble, anyDouble),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const ekf = freshEkf();
        for (const [kind, a, b, c] of ops) {
          if (kind === 'predict') predict(ekf, a, b, Math.min(Math.abs(c), 2));
          else if (kind === 'pos') updateGnssPosition(ekf, a, b, c);
          else if (kind === 'vel') updateGnssVelocity(ekf, a, b);
          else if (kind === 'heading') updateHeading(ekf, a, Math.abs(c));
          else updateYawRate(ekf, a, Math.abs(b));
          if (!ekf.initialised) break;
        }
        expectHealthy(ekf);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
