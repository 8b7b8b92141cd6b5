// A fixed set of chaos seeds, short: every injected fault leads to a safe mode (or was
// absorbed), nothing crashes, the vessel neither leaves the fence nor runs aground.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { runSimulation } from '../../src/runtime/simulate.ts';
import { CHAOS_KINDS, DEFAULT_CHAOS_OPTIONS, planChaos, simFaultsOf } from '../../src/runtime/chaos.ts';
import { chaosOutcomes, type ChaosOutcome } from '../../src/runtime/chaos-score.ts';

describe('chaos plan', () => {
  it('is drawn from the seed: the same seed gives the same plan, kinds without repeats per run', () => {
    const a = planChaos(7, 900);
    expect(planChaos(7, 900)).toEqual(a);
    expect(planChaos(8, 900)).not.toEqual(a);
    // (900 - 40) / 120 = 7 slots, one fault each, onset within the first quarter of its slot.
    expect(a).toHaveLength(7);
    expect(new Set(a.map((f) => f.kind)).size).toBe(7);
    a.forEach((f, i) => {
      expect(f.atS).toBeGreaterThanOrEqual(40 + i * 120);
      expect(f.atS).toBeLessThanOrEqual(40 + i * 120 + 30);
      expect(f.durationS).toBeGreaterThanOrEqual(DEFAULT_CHAOS_OPTIONS.minFaultS);
    });
  });

  it('hands GNSS loss and jumps to the simulator\'s own fault schedule', () => {
    const faults = simFaultsOf([
      { kind: 'gnssLoss', atS: 10, durationS: 5 },
      { kind: 'gnssJump', atS: 30, durationS: 4, severity: 12 },
      { kind: 'imuFreeze', atS: 50, durationS: 5 },
    ]);
    expect(faults).toEqual([
      { kind: 'gnssDropout', atS: 10, durationS: 5 },
      { kind: 'gnssJump', atS: 30, durationS: 4, severity: 12 },
    ]);
  });

  it('scores time to safe mode from the mode changes', () => {
    const out = chaosOutcomes(
      [
        { kind: 'gnssLoss', atS: 10, durationS: 5 },
        { kind: 'badCommands', atS: 30, durationS: 5 },
        { kind: 'imuFreeze', atS: 50, durationS: 5 },
      ],
      [
        { atS: 0.2, from: 'IDLE', to: 'AUTO', why: 'start' },
        { atS: 11.9, from: 'AUTO', to: 'HOLD', why: 'gnssStale' },
        { atS: 20, from: 'HOLD', to: 'AUTO', why: 'operator resume' },
        { atS: 45, from: 'AUTO', to: 'HOLD', why: 'other' },
      ],
      100,
    );
    expect(out.map((o) => [o.kind, o.outcome, o.timeToSafeS])).toEqual([
      ['gnssLoss', 'safe', 1.9],
      ['badCommands', 'tolerated', undefined],
      ['imuFreeze', 'alreadySafe', undefined],
    ]);
  });
});

describe('chaos scenario (CI seeds)', () => {
  // Three seeds of 300 s: two or three faults each, on different kinds.
  const SEEDS = [2, 5, 9];
  const outcomes: ChaosOutcome[] = [];
  it.each(SEEDS)('seed %i: no crash, no fence violation, no grounding, every fault safe or absorbed', async (seed) => {
    const { report } = await runSimulation({ config: resolveConfig({}), scenario: 'chaos', seed, durationS: 300, realtime: false, log: silentLogger });
    expect(report.safety.geofenceViolations).toBe(0);
    expect(report.safety.groundings).toBe(0);
    const chaos = (report as unknown as { chaos: { faults: ChaosOutcome[] } }).chaos;
    expect(chaos.faults.length).toBe(2); // (300 - 40) / 120 slots
    for (const f of chaos.faults) {
      // Malformed commands must change nothing; every other fault must reach a safe mode.
      if (f.kind === 'badCommands') expect(f.outcome).not.toBe('safe');
      else expect(['safe', 'alreadySafe']).toContain(f.outcome);
      if (f.outcome === 'safe') expect(f.timeToSafeS).toBeLessThanOrEqual(6);
    }
    // Every mode change has its reason.
    for (const c of report.safety.modeChanges) expect(c.why.length).toBeGreaterThan(0);
    outcomes.push(...chaos.faults);
  });

  it('the CI seeds cover several fault kinds', () => {
    expect(new Set(outcomes.map((o) => o.kind)).size).toBeGreaterThanOrEqual(4);
    expect(CHAOS_KINDS).toContain(outcomes[0]?.kind);
  });
});
