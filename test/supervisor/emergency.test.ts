import { describe, expect, it } from 'vitest';
import { emergencyStop, registerEmergencyStop } from '../../src/supervisor/emergency.ts';

describe('emergency stop', () => {
  it('runs every registered zeroing, even when one throws, and forgets unregistered ones', () => {
    const zeroed: string[] = [];
    const offA = registerEmergencyStop(() => zeroed.push('a'));
    const offBad = registerEmergencyStop(() => {
      throw new Error('port closed');
    });
    const offB = registerEmergencyStop(() => zeroed.push('b'));
    expect(emergencyStop()).toBe(2);
    expect(zeroed).toEqual(['a', 'b']);
    offA();
    offBad();
    offB();
    expect(emergencyStop()).toBe(0);
  });
});
