import { describe, expect, it } from 'vitest';
import { FaultSchedule, faultLevel, mergeSimOptions, noFaultEffects, Simulator } from '../../sim/index.ts';
import type { FaultSpec } from '../../sim/index.ts';
import { collect, fieldsOf, mean, nmeaToDeg } from './helpers.ts';

const quiet = { disturbance: { meanCurrentMps: 0, currentVariationMps: 0, meanWindForceN: 0, gustSigmaN: 0, gustMomentSigmaNm: 0 } };

function runWith(faults: FaultSpec[], seconds: number, seed = 1) {
  const sim = new Simulator(mergeSimOptions({ ...quiet, faults }), seed);
  const lines = collect(sim);
  for (let i = 0; i < seconds * 10; i++) sim.step(0.1);
  return { sim, lines };
}

const inWindow = (l: { stampNs: bigint }, fromS: number, toS: number) => l.stampNs >= BigInt(fromS * 1e9) && l.stampNs < BigInt(toS * 1e9);

describe('fault levels', () => {
  it('is abrupt without a ramp, linear with one, and ends abruptly', () => {
    const abrupt: FaultSpec = { kind: 'gnssJump', atS: 10, durationS: 5 };
    expect([faultLevel(abrupt, 9.99), faultLevel(abrupt, 10), faultLevel(abrupt, 14.9), faultLevel(abrupt, 15)]).toEqual([0, 1, 1, 0]);
    const ramped: FaultSpec = { kind: 'thrusterLoss', atS: 10, rampS: 4 };
    expect([faultLevel(ramped, 11), faultLevel(ramped, 12), faultLevel(ramped, 100)]).toEqual([0.25, 0.5, 1]);
  });

  it('refuses an unknown kind or a negative onset, naming the entry', () => {
    expect(() => new FaultSchedule([{ kind: 'gremlins' as FaultSpec['kind'], atS: 1 }], 0)).toThrow(/faults\[0\]\.kind/);
    expect(() => new FaultSchedule([{ kind: 'gnssJump', atS: -1 }], 0)).toThrow(/faults\[0\]\.atS/);
  });

  it('accumulates injected heading drift: 0.5 deg/s over a 10 s ramp reads 2.5 deg at the ramp end', () => {
    const fx = new FaultSchedule([{ kind: 'imuHeadingDrift', atS: 0, rampS: 10, severity: 0.5 }], 0);
    // Integral of 0.5 * t / 10 from 0 to 10 = 2.5 deg; then 0.5 deg/s.
    expect(fx.evaluate(10, noFaultEffects()).headingOffsetDeg).toBeCloseTo(2.5, 12);
    expect(fx.evaluate(20, noFaultEffects()).headingOffsetDeg).toBeCloseTo(7.5, 12);
  });
});

describe('sensor faults on the wire', () => {
  it('gnssDropout silent sends nothing during the window; noFix sends quality 0 and status V', () => {
    const silent = runWith([{ kind: 'gnssDropout', atS: 10, durationS: 5 }], 20).lines.gnss;
    expect(silent.filter((l) => inWindow(l, 10, 15))).toHaveLength(0);
    expect(silent.filter((l) => inWindow(l, 15, 20))).toHaveLength(25 * 3);
    const noFix = runWith([{ kind: 'gnssDropout', atS: 10, durationS: 5, mode: 'noFix' }], 20).lines.gnss;
    const during = noFix.filter((l) => inWindow(l, 10, 15)).map((l) => fieldsOf(l.text));
    expect(during).toHaveLength(25 * 3);
    for (const f of during) {
      if (f[0] === 'GNGGA') expect([f[2], f[6]]).toEqual(['', '0']);
      if (f[0] === 'GNRMC') expect(f[2]).toBe('V');
    }
  });

  it('gnssJump moves the reported position by the offset in the given bearing', () => {
    const { sim, lines } = runWith([{ kind: 'gnssJump', atS: 30, severity: 20, bearingDeg: 90 }], 60);
    const pos = (fromS: number, toS: number) =>
      lines.gnss
        .filter((l) => inWindow(l, fromS, toS) && l.text.startsWith('$GNGGA'))
        .map((l) => fieldsOf(l.text))
        .map((f) => sim.frame.toLocal({ latDeg: nmeaToDeg(f[2], f[3]), lonDeg: nmeaToDeg(f[4], f[5]) }));
    // The vessel drifts nowhere (no thrust, no current, no wind): only the jump moves the fix, 20 m east.
    const before = pos(25, 30);
    const after = pos(30, 35);
    expect(mean(after.map((p) => p.eastM)) - mean(before.map((p) => p.eastM))).toBeCloseTo(20, -0.5);
    expect(Math.abs(mean(after.map((p) => p.northM)) - mean(before.map((p) => p.northM)))).toBeLessThan(1.5);
  });

  it('sonarDropout and sonarSpurious act only inside their windows', () => {
    const { lines } = runWith(
      [
        { kind: 'sonarDropout', atS: 5, durationS: 5 },
        { kind: 'sonarDropout', atS: 12, durationS: 2, mode: 'noFix' },
        { kind: 'sonarSpurious', atS: 20, durationS: 5, severity: 1 },
      ],
      30,
    );
    const dpt = lines.sounder.filter((l) => l.text.startsWith('$SDDPT'));
    expect(dpt.filter((l) => inWindow(l, 5, 10))).toHaveLength(0);
    expect(dpt.filter((l) => inWindow(l, 12, 14)).every((l) => fieldsOf(l.text)[1] === '')).toBe(true);
    const depth = (from: number, to: number) => dpt.filter((l) => inWindow(l, from, to)).map((l) => Number(fieldsOf(l.text)[1]));
    const normal = depth(15, 20);
    const spurious = depth(20, 25);
    // Standing still: normal pings stay within a few cm; every ping is spurious in the window.
    expect(Math.max(...normal) - Math.min(...normal)).toBeLessThan(0.5);
    expect(Math.max(...spurious) - Math.min(...spurious)).toBeGreaterThan(2);
  });

  it('lists active faults in truth', () => {
    const { sim } = runWith([{ kind: 'gnssDegradation', atS: 5, rampS: 10 }, { kind: 'thrusterLoss', atS: 1, durationS: 2 }], 10);
    expect(sim.truth().activeFaults).toEqual([{ kind: 'gnssDegradation', index: 0, onsetS: 5, level: 0.5 }]);
  });
});
