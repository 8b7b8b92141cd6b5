import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.ts';
import type { NavDiagnostics } from '../../src/msg/index.ts';
import { nsToS } from '../../src/msg/index.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { runSimulation } from '../../src/runtime/simulate.ts';
import { scenarioOverrides } from '../../src/runtime/scenarios.ts';

describe('navDiagnostics', () => {
  it('flags gated GNSS fixes during a jump and carries finite health figures', async () => {
    // gnss-faults: a 15 m jump from 150 s to 155 s.
    const seen: NavDiagnostics[] = [];
    const currentErrorMps: number[] = [];
    await runSimulation({
      config: resolveConfig(scenarioOverrides('gnss-faults')),
      scenario: 'gnss-faults',
      seed: 4,
      durationS: 170,
      realtime: false,
      log: silentLogger,
      onRuntime: (rt, truth) =>
        rt.bus.tap((topic, m) => {
          if (topic !== 'navDiagnostics') return;
          const d = m as NavDiagnostics;
          seen.push(d);
          const t = truth();
          currentErrorMps.push(Math.hypot(d.currentNorthMps - t.currentNorthMps, d.currentEastMps - t.currentEastMps));
        }),
    });
    // One per GNSS epoch (5 Hz): GGA and RMC of the same epoch are one measurement, fused once.
    expect(seen.length).toBeGreaterThan(5 * 160);
    expect(seen.length).toBeLessThanOrEqual(5 * 170);
    const gatedAt = seen.filter((d) => d.gnssPositionGated).map((d) => nsToS(d.stampNs));
    expect(gatedAt.length).toBeGreaterThan(0);
    for (const t of gatedAt) expect(t).toBeGreaterThanOrEqual(150);
    expect(Math.min(...gatedAt)).toBeLessThan(151);
    const last = seen[seen.length - 1];
    expect(last.gatedTotal).toBeGreaterThanOrEqual(gatedAt.length);
    for (const v of [last.nisGnssPosition, last.thrustGain, last.thrustGainSigma, last.yawAccelBiasRadps2]) expect(Number.isFinite(v)).toBe(true);
    expect(last.thrustGain).toBeGreaterThan(0.5);
    // the current it has learned (the default 0.2 m/s) against the simulator's, over the last 60 s
    const late = currentErrorMps.slice(-300);
    expect(late.reduce((a, b) => a + b, 0) / late.length).toBeLessThan(0.05);
  });
});
