import { describe, expect, it } from 'vitest';
import { placeSounding } from '../../src/mapping/sounding-node.ts';
import type { NavState } from '../../src/msg/index.ts';

const nav = (yawRad: number): NavState => ({ stampNs: 0n, northM: 10, eastM: 20, yawRad, uMps: 0, vMps: 0, rRadps: 0, positionSigmaM: 1, yawSigmaRad: 0.01, valid: true });
const arm = { leverArmXM: 1, leverArmYM: 0.5, transducerDepthM: 0.1 };

describe('placeSounding', () => {
  it('water depth = depth below transducer + DPT offset, else the configured draft', () => {
    expect(placeSounding({ stampNs: 0n, depthBelowTransducerM: 4.9, offsetM: 0.1 }, nav(0), arm).depthM).toBeCloseTo(5, 12);
    expect(placeSounding({ stampNs: 0n, depthBelowTransducerM: 4.9 }, nav(0), arm).depthM).toBeCloseTo(5, 12);
  });

  it('rotates the lever arm by yaw: heading east, forward is +east and starboard −north', () => {
    const p = placeSounding({ stampNs: 0n, depthBelowTransducerM: 3 }, nav(Math.PI / 2), arm);
    // north = 10 + 1·cos90° − 0.5·sin90° = 9.5; east = 20 + 1·sin90° + 0.5·cos90° = 21
    expect(p.northM).toBeCloseTo(9.5, 12);
    expect(p.eastM).toBeCloseTo(21, 12);
  });

  it('a non-finite or non-positive depth gives NaN', () => {
    expect(placeSounding({ stampNs: 0n, depthBelowTransducerM: NaN }, nav(0), arm).depthM).toBeNaN();
    expect(placeSounding({ stampNs: 0n, depthBelowTransducerM: -1 }, nav(0), arm).depthM).toBeNaN();
  });
});
