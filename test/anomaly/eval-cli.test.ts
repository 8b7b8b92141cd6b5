import { describe, expect, it } from 'vitest';
import { parseSeedRange } from '../../src/cli/eval-detector.ts';
import { drawMission } from '../../src/anomaly/missions.ts';
import { TRAINING_SEED_BAND, TRAINING_SEEDS } from '../../src/anomaly/pipeline.ts';

describe('eval-detector seeds', () => {
  it('parses an inclusive range outside the training seeds', () => {
    expect(parseSeedRange('3..6')).toEqual([3, 4, 5, 6]);
    expect(() => parseSeedRange('6..3')).toThrow(/before/);
    expect(() => parseSeedRange('990..1005')).toThrow(/training keeps seeds 1000..1999/);
    expect(() => parseSeedRange('1999..2001')).toThrow(/training keeps seeds 1000..1999/);
    expect(() => parseSeedRange('900..2100')).toThrow(/training keeps seeds 1000..1999/);
    expect(parseSeedRange('2000..2001')).toEqual([2000, 2001]);
    expect(() => parseSeedRange('1-5')).toThrow(/A..B/);
  });

  it('keeps every training, labelled and calibration seed inside the band evaluation refuses', () => {
    for (const seed of [...TRAINING_SEEDS.normal, ...TRAINING_SEEDS.labelled, ...TRAINING_SEEDS.calibration]) {
      expect(seed).toBeGreaterThanOrEqual(TRAINING_SEED_BAND.first);
      expect(seed).toBeLessThanOrEqual(TRAINING_SEED_BAND.last);
      expect(() => parseSeedRange(`${seed}..${seed}`)).toThrow(/training keeps seeds/);
    }
  });

  it('draws one fault per mission, onset after the warm-up, the same for the same seed', () => {
    const a = drawMission(17, null);
    expect(a).toEqual(drawMission(17, null));
    expect(a.faults).toHaveLength(1);
    expect(a.faults[0].atS).toBeGreaterThanOrEqual(60);
    expect(a.faults[0].atS + (a.faults[0].durationS ?? 0)).toBeLessThanOrEqual(a.durationS);
    expect(drawMission(17, 'none').faults).toEqual([]);
  });
});
