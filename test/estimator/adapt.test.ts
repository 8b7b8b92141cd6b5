// Model trust: the process-noise factors follow the GNSS-velocity and gyro NIS.
import { describe, expect, it } from 'vitest';
import { OTTER } from '../../src/model/vessel.ts';
import { adaptModelTrust } from '../../src/estimator/adapt.ts';
import { createEkf, initialiseEkf } from '../../src/estimator/ekf.ts';
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
