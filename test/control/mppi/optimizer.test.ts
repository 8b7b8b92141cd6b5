import { describe, expect, it } from 'vitest';
import { CpuMppi } from '../../../src/control/mppi/cpu.ts';
import { P } from '../../../src/control/mppi/problem.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../../src/control/mppi/settings.ts';
import { shiftNominal } from '../../../src/control/mppi/update.ts';
import { CALM, OTTER, stepVesselRk4 } from '../../../src/model/vessel.ts';

const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 256, horizonSteps: 40 };

function northLeg(m: CpuMppi, s: { northM: number; eastM: number; yawRad: number; uMps: number; vMps: number; rRadps: number }, l: number, r: number): void {
  const f = m.problem.f;
  f[P.n] = s.northM; f[P.e] = s.eastM; f[P.psi] = s.yawRad; f[P.u] = s.uMps; f[P.v] = s.vMps; f[P.r] = s.rRadps;
  f[P.tl] = l; f[P.tr] = r; f[P.lastCmdL] = l; f[P.lastCmdR] = r;
  f[P.aToN] = 1000; f[P.uRefMps] = 1.5; f[P.goalN] = s.northM + 6;
}

describe('CPU MPPI', () => {
  it('steers the model onto a lane 5 m off and holds the reference speed', () => {
    const m = new CpuMppi({ settings, vessel: OTTER, workers: 0 });
    const s = { northM: 0, eastM: 5, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0 };
    let l = 0;
    let r = 0;
    for (let tick = 0; tick < 250; tick++) {
      northLeg(m, s, l, r);
      m.optimize();
      l = m.nominal[0];
      r = m.nominal[settings.horizonSteps];
      shiftNominal(m.nominal, settings.horizonSteps, 1);
      for (let i = 0; i < 10; i++) stepVesselRk4(OTTER, s, l, r, CALM, 0.01);
    }
    expect(Math.abs(s.eastM)).toBeLessThan(0.5);
    expect(s.uMps).toBeGreaterThan(1.2);
    expect(s.uMps).toBeLessThan(1.8);
  });

  it('gives the same plan bit for bit with a worker thread as on one thread', async () => {
    const one = new CpuMppi({ settings, vessel: OTTER, workers: 0 });
    const two = new CpuMppi({ settings, vessel: OTTER, workers: 1 });
    try {
      await two.ready();
      expect(two.threads).toBe(2);
      const s = { northM: 0, eastM: 3, yawRad: 0.2, uMps: 1, vMps: 0, rRadps: 0 };
      for (let i = 0; i < 3; i++) {
        northLeg(one, s, 40, 40);
        northLeg(two, s, 40, 40);
        one.optimize();
        two.optimize();
      }
      expect([...two.nominal]).toEqual([...one.nominal]);
    } finally {
      two.close();
    }
  });

  it('never lets NaN into the plan: a NaN state leaves every sample costed NaN and the result flagged', () => {
    const m = new CpuMppi({ settings, vessel: OTTER, workers: 0 });
    northLeg(m, { northM: NaN, eastM: 0, yawRad: 0, uMps: 0, vMps: 0, rRadps: 0 }, 0, 0);
    const r = m.optimize();
    expect(Number.isFinite(r.minCost)).toBe(false);
    expect(m.nominal.every((x) => Number.isFinite(x))).toBe(true);
  });
});

describe('CPU MPPI warm-up', () => {
  it('leaves the plan, the problem and the random stream as it found them', () => {
    const a = new CpuMppi({ settings, vessel: OTTER, workers: 0 });
    const b = new CpuMppi({ settings, vessel: OTTER, workers: 0 });
    const s = { northM: 0, eastM: 3, yawRad: 0.2, uMps: 1, vMps: 0, rRadps: 0 };
    northLeg(a, s, 40, 40);
    northLeg(b, s, 40, 40);
    b.warmUp(2);
    a.optimize();
    b.optimize();
    // Bit for bit: the warm-up consumed no iteration of the counter-based noise.
    expect([...b.nominal]).toEqual([...a.nominal]);
  });
});
