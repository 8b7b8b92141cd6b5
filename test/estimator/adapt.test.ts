// Model trust: the process-noise factors follow the GNSS-velocity and gyro NIS.
import { describe, expect, it } from 'vitest';
import { OTTER } from '../../src/model/vessel.ts';
import { adaptModelTrust } from '../../src/estimator/adapt.ts';
import { createEkf, initialiseEkf, predict, STATE_SIZE, X } from '../../src/estimator/ekf.ts';
import { updateHeading } from '../../src/estimator/update.ts';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/estimator/options.ts';

// tau = 2 s, cap 10, at most 400 (the defaults, spelled out because the figures below use them).
const options = { ...DEFAULT_ESTIMATOR_OPTIONS, modelTrustTimeConstantS: 2, modelTrustNisCap: 10, modelTrustMaxScale: 400 };

function fresh() {
  const ekf = createEkf(options, OTTER);
  initialiseEkf(ekf, { northM: 0, eastM: 0, positionSigmaM: 1, yawRad: 0, yawSigmaRad: 0.02, yawIncludesBias: true });
  return ekf;
}

describe('adaptModelTrust', () => {
  it('starts at 1, and the first sample of a kind only starts its clock', () => {
    const ekf = fresh();
    adaptModelTrust(ekf, 'yawRate', 50, 1);
    expect(ekf.modelTrust.yawRateScale).toBe(1);
    expect(ekf.modelTrust.velocityScale).toBe(1);
  });

  it('raises the factor by exp(dt / tau * (NIS/m - 1))', () => {
    const ekf = fresh();
    adaptModelTrust(ekf, 'yawRate', 1, 1);
    ekf.timeS += 0.02;
    // dt / tau = 0.01, NIS 5 on 1 DOF: log scale += 0.01 * 4 = 0.04.
    adaptModelTrust(ekf, 'yawRate', 5, 1);
    expect(ekf.modelTrust.yawRateScale).toBeCloseTo(Math.exp(0.04), 12);
    // The other factor is untouched.
    expect(ekf.modelTrust.velocityScale).toBe(1);
  });

  it('caps one wild innovation at cap - 1, and a GNSS velocity NIS counts per degree of freedom', () => {
    const ekf = fresh();
    adaptModelTrust(ekf, 'gnssVelocity', 1, 2);
    ekf.timeS += 0.2;
    // NIS 1e6 on 2 DOF counts as 10: log scale += 0.1 * 9 = 0.9.
    adaptModelTrust(ekf, 'gnssVelocity', 1e6, 2);
    expect(ekf.modelTrust.velocityScale).toBeCloseTo(Math.exp(0.9), 12);
    ekf.timeS += 0.2;
    // NIS 0.5 on 2 DOF: log scale += 0.1 * (0.25 - 1) = -0.075.
    adaptModelTrust(ekf, 'gnssVelocity', 0.5, 2);
    expect(ekf.modelTrust.velocityScale).toBeCloseTo(Math.exp(0.825), 12);
  });

  it('never goes below 1 nor above the maximum, and ignores a NaN', () => {
    const ekf = fresh();
    adaptModelTrust(ekf, 'yawRate', 1, 1);
    for (let i = 0; i < 100; i++) {
      ekf.timeS += 1;
      adaptModelTrust(ekf, 'yawRate', 0, 1);
    }
    expect(ekf.modelTrust.yawRateScale).toBe(1);
    for (let i = 0; i < 100; i++) {
      ekf.timeS += 1;
      adaptModelTrust(ekf, 'yawRate', 100, 1);
    }
    expect(ekf.modelTrust.yawRateScale).toBeCloseTo(400, 9);
    adaptModelTrust(ekf, 'yawRate', Number.NaN, 1);
    expect(ekf.modelTrust.yawRateScale).toBeCloseTo(400, 9);
  });

  it('is reset by a re-initialisation', () => {
    const ekf = fresh();
    ekf.modelTrust.velocityScale = 50;
    initialiseEkf(ekf, { northM: 0, eastM: 0, positionSigmaM: 1, yawRad: 0, yawSigmaRad: 0.02, yawIncludesBias: true });
    expect(ekf.modelTrust.velocityScale).toBe(1);
  });
});

describe('slow states under model trust', () => {
  // Their rows of the transition are the identity: one prediction adds q h to their variance.
  const growth = (scales: { velocity: number; yawRate: number }, state: number) => {
    const ekf = fresh();
    ekf.modelTrust.velocityScale = scales.velocity;
    ekf.modelTrust.yawRateScale = scales.yawRate;
    const before = ekf.P[state * STATE_SIZE + state];
    expect(predict(ekf, 40, 30, 0.1)).toBe('ok');
    return ekf.P[state * STATE_SIZE + state] - before;
  };

  it('widen the thrust-effectiveness walk with the velocity factor and the yaw-acceleration-bias walk with the yaw-rate factor', () => {
    const o = DEFAULT_ESTIMATOR_OPTIONS;
    expect(growth({ velocity: 1, yawRate: 1 }, X.thrustGain)).toBeCloseTo(o.thrustGainProcessSigmaPerSqrtS ** 2 * 0.1, 12);
    expect(growth({ velocity: 50, yawRate: 1 }, X.thrustGain)).toBeCloseTo(50 * o.thrustGainProcessSigmaPerSqrtS ** 2 * 0.1, 12);
    expect(growth({ velocity: 1, yawRate: 1 }, X.yawAccelBias)).toBeCloseTo(o.yawAccelBiasProcessSigmaRadps2PerSqrtS ** 2 * 0.1, 12);
    expect(growth({ velocity: 1, yawRate: 200 }, X.yawAccelBias)).toBeCloseTo(200 * o.yawAccelBiasProcessSigmaRadps2PerSqrtS ** 2 * 0.1, 12);
    // Each follows its own factor only, and the current follows neither.
    expect(growth({ velocity: 1, yawRate: 200 }, X.thrustGain)).toBeCloseTo(o.thrustGainProcessSigmaPerSqrtS ** 2 * 0.1, 12);
    expect(growth({ velocity: 50, yawRate: 200 }, X.currentNorth)).toBeCloseTo(o.currentProcessSigmaMpsPerSqrtS ** 2 * 0.1, 12);
  });

  it('get a fresh prior when a heading gated for resetAfterGatedS is reset to', () => {
    const o = DEFAULT_ESTIMATOR_OPTIONS;
    const ekf = fresh();
    const n = STATE_SIZE;
    const slow = [X.currentNorth, X.currentEast, X.thrustGain, X.yawAccelBias];
    // Learned states: small variances, coupled to the yaw.
    for (const j of slow) {
      ekf.P[j * n + j] = 1e-4;
      ekf.P[j * n + X.yaw] = ekf.P[X.yaw * n + j] = 1e-5;
    }
    ekf.x[X.currentNorth] = 0.8;
    // A heading 3 rad off the filter's, every 0.2 s: gated until the streak is 5 s old.
    let status = '';
    for (let k = 0; k <= 30 && status !== 'reset'; k++) {
      expect(predict(ekf, 40, 40, 0.2)).toBe('ok');
      status = updateHeading(ekf, ekf.x[X.yaw] + ekf.x[X.headingBias] + 3).status;
      if (ekf.timeS < o.resetAfterGatedS) expect(status).toBe('gated');
    }
    expect(status).toBe('reset');
    expect(ekf.counts.heading.resets).toBe(1);
    const prior = [o.initialCurrentSigmaMps ** 2, o.initialCurrentSigmaMps ** 2, o.initialThrustGainSigma ** 2, o.initialYawAccelBiasSigmaRadps2 ** 2];
    slow.forEach((j, i) => {
      // The reset variance, untouched by the heading update that follows (no covariance with the yaw left).
      expect(ekf.P[j * n + j]).toBeCloseTo(prior[i], 12);
      expect(ekf.P[j * n + X.yaw]).toBe(0);
    });
    // The value stays where it was: the GNSS velocity that follows moves it.
    expect(ekf.x[X.currentNorth]).toBe(0.8);
  });
});
