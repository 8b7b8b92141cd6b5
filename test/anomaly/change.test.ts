import { describe, expect, it } from 'vitest';
import { AlarmGate, Chi2Gate, FeatureCusum, LearnedCusum } from '../../src/anomaly/change.ts';
import { FEATURE_NAMES } from '../../src/anomaly/features.ts';
import { FEATURE_COUNT } from '../../src/anomaly/graph.ts';

const zeros = () => new Array<number>(FEATURE_COUNT).fill(0);
const ones = () => new Array<number>(FEATURE_COUNT).fill(1);

describe('change detectors', () => {
  it('learned CUSUM accumulates the window score above k and names the argmax node', () => {
    const c = new LearnedCusum([1, 1, 2, 1, 1], 1, 5, 10);
    // node 2 score 8 / scale 2 = 4 -> g = 3; again -> g = 6 > 5: alarm at the second window
    expect(c.update(0, [0, 0, 8, 0, 0])).toBeNull();
    const a = c.update(0.2, [0, 0, 8, 0, 0]);
    expect(a).toMatchObject({ atS: 0.2, kind: 'heading', detector: 'learned', score: 6, severity: 'low' });
    // disarmed until quiet for 10 s
    expect(c.update(0.4, [0, 0, 80, 0, 0])).toBeNull();
  });

  it('learned Shewhart gate: one window scoring above spikeQ alarms at once, before the CUSUM would', () => {
    const c = new LearnedCusum([1, 1, 1, 1, 1], 1, 20, 10, 6);
    // q = 7 > spikeQ 6: the statistic is max(g = 6, 7 / 6 * 20 = 23.3) > 20
    const a = c.update(0, [0, 0, 0, 7, 0]);
    expect(a).toMatchObject({ kind: 'gnss', detector: 'learned' });
    expect(a!.score).toBeCloseTo(23.333, 3);
    // below spikeQ, only the CUSUM: q = 5 -> g = 4, no alarm on a fresh detector
    const b = new LearnedCusum([1, 1, 1, 1, 1], 1, 20, 10, 6);
    expect(b.update(0, [5, 0, 0, 0, 0])).toBeNull();
    expect(b.lastSum).toBe(4);
    expect(b.lastQ).toBe(5);
  });

  it('learned Shewhart gate per node: a light-tailed node alarms on a smaller excursion, and names itself', () => {
    // thruster's level 6, sonar's 2
    const c = new LearnedCusum([1, 1, 1, 1, 1], 1, 20, 10, [6, 6, 6, 6, 2]);
    // thruster q = 5 (below its 6) and sonar q = 3 (above its 2): CUSUM g = 4 (argmax thruster),
    // gate = max(5/6, 3/2) * 20 = 30 from sonar > g: the alarm is the sonar's
    const a = c.update(0, [5, 0, 0, 0, 3]);
    expect(a).toMatchObject({ kind: 'sonar', detector: 'learned', score: 30 });
    expect(c.lastSpike).toBeCloseTo(1.5, 12);
    expect(() => new LearnedCusum([1, 1, 1, 1, 1], 1, 20, 10, [6, 6])).toThrow(/5 levels/);
  });

  it('re-arms after the statistic has been quiet for rearmS', () => {
    const g = new AlarmGate('x', 2, 1);
    expect(g.update(0, 3, 0)).not.toBeNull();
    expect(g.update(0.5, 0, 0)).toBeNull();
    expect(g.update(1.2, 3, 0)).toBeNull(); // quiet for only 0.7 s
    expect(g.update(1.4, 0, 0)).toBeNull();
    expect(g.update(2.4, 0, 0)).toBeNull(); // quiet from 1.4 to 2.4 s: re-armed
    expect(g.update(2.6, 3, 0)).not.toBeNull();
  });

  it('feature CUSUM is two-sided on standardised features', () => {
    const c = new FeatureCusum(zeros(), ones(), 3, 10, 10);
    const raw = zeros();
    raw[FEATURE_NAMES.indexOf('gnss.hdop')] = -9; // 9 sigma low: g- grows by 6 per window
    expect(c.update(0, raw)).toBeNull(); // 6
    expect(c.update(0.2, raw)).toMatchObject({ kind: 'gnss', score: 12 });
  });

  it('chi-square gate needs consecutive windows over the threshold', () => {
    const c = new Chi2Gate(zeros(), ones(), 50, 2, 10);
    const raw = zeros();
    raw[FEATURE_NAMES.indexOf('sonar.jumpFraction2s')] = 8; // chi2 = 64
    expect(c.update(0, raw)).toBeNull();
    expect(c.update(0.2, zeros())).toBeNull();
    expect(c.update(0.4, raw)).toBeNull();
    expect(c.update(0.6, raw)).toMatchObject({ kind: 'sonar', score: 64, detector: 'chi2' });
  });
});
