import { describe, expect, it } from 'vitest';
import { scoreEvents } from '../../src/anomaly/evaluate.ts';

describe('event scoring', () => {
  it('counts detections within 10 s of onset, false alarms outside faults and their grace, normal time', () => {
    const faults = [
      { kind: 'gnssJump', onsetS: 100, endS: 140 },
      { kind: 'sonarDropout', onsetS: 200, endS: 230 },
    ];
    const alarms = [
      { atS: 50, kind: 'thruster' as const }, // false: before any fault
      { atS: 100.6, kind: 'gnss' as const }, // detects the jump after 0.6 s
      { atS: 145, kind: 'gnss' as const }, // within 10 s grace after the jump's end: not false
      { atS: 212, kind: 'sonar' as const }, // 12 s after onset: too late to detect, not false
    ];
    const s = scoreEvents(faults, alarms, 300, 30);
    expect(s.detected).toBe(1);
    expect(s.missed).toBe(1);
    expect(s.delaysS).toEqual([0.6]);
    expect(s.falseAlarms).toBe(1);
    expect(s.trueAlarms).toBe(3);
    // 300 - 30 start - (100..150) - (200..240) = 270 - 50 - 40 = 180 s
    expect(s.normalTimeS).toBe(180);
  });
});
