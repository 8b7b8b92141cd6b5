import { describe, expect, it } from 'vitest';
import { Watchdogs, type ActiveCondition } from '../../src/supervisor/watchdogs.ts';
import { DEFAULT_SUPERVISOR_OPTIONS } from '../../src/supervisor/options.ts';
import { sToNs, type ImuSample } from '../../src/msg/index.ts';

const o = DEFAULT_SUPERVISOR_OPTIONS;
const at = (s: number) => sToNs(s);
const triggers = (w: Watchdogs, s: number) => w.evaluate(at(s), [] as ActiveCondition[]).map((c) => c.trigger);
const imu = (s: number, yaw: number): ImuSample => ({ stampNs: at(s), yawRad: yaw, pitchRad: 0, rollRad: 0, gyroRadps: [0, 0, 0.01], accelMps2: [0, 0, -9.8] });

function fed(untilS: number): Watchdogs {
  const w = new Watchdogs(o);
  w.start(at(0));
  for (let t = 0; t <= untilS + 1e-9; t += 0.02) w.onImu(imu(t, t), at(t));
  for (let t = 0; t <= untilS + 1e-9; t += 0.2) w.onGnss({ stampNs: at(t), latDeg: 1, lonDeg: 2, fixQuality: 1 }, at(t));
  for (let t = 0; t <= untilS + 1e-9; t += 0.1) w.onDepth({ stampNs: at(t), depthBelowTransducerM: 3 }, at(t));
  return w;
}

describe('watchdogs', () => {
  it('quiet while every sensor streams', () => {
    expect(triggers(fed(10), 10)).toEqual([]);
  });

  it('stale streams, each after its own timeout (GNSS 2 s, IMU 0.5 s, sonar 3 s)', () => {
    const w = fed(10);
    expect(triggers(w, 10.4)).toEqual([]);
    expect(triggers(w, 10.6)).toEqual(['imuStale']);
    expect(triggers(w, 12.1)).toEqual(['gnssStale', 'imuStale']);
    expect(triggers(w, 13.2)).toEqual(['gnssStale', 'imuStale', 'sonarStale']);
  });

  it('a frozen IMU: 25 bit-identical samples', () => {
    const w = fed(1);
    for (let i = 1; i <= 23; i++) w.onImu(imu(1 + i * 0.02, 0.5), at(1 + i * 0.02));
    expect(triggers(w, 1.47)).not.toContain('imuFrozen'); // 23 identical so far
    w.onImu(imu(1.48, 0.5), at(1.48));
    w.onImu(imu(1.5, 0.5), at(1.5));
    expect(triggers(w, 1.5)).toContain('imuFrozen');
  });

  it('a sample stamped far from the clock is not trusted and raises clockSkew for a second', () => {
    const w = fed(10);
    w.onGnss({ stampNs: at(40), latDeg: 1, lonDeg: 2, fixQuality: 1 }, at(10.1));
    expect(triggers(w, 10.1)).toEqual(['clockSkew']);
    expect(triggers(w, 11.2)).toEqual(['imuStale']);
  });

  it('shallow water: five soundings in a row below the minimum', () => {
    const w = fed(1);
    for (let i = 1; i <= 5; i++) w.onDepth({ stampNs: at(1 + i * 0.1), depthBelowTransducerM: 0.2 }, at(1 + i * 0.1));
    expect(triggers(w, 1.5)).toEqual(['shallowWater']);
  });

  it('operator link: armed by the first heartbeat, lost 5 s after the last', () => {
    const w = fed(20);
    expect(triggers(w, 20)).not.toContain('operatorLink');
    w.onHeartbeat(at(14));
    expect(triggers(w, 18.9)).not.toContain('operatorLink');
    expect(triggers(w, 19.1)).toContain('operatorLink');
  });

  it('counts gated fixes and overruns in sliding windows', () => {
    const w = fed(10);
    w.onGatedTotal(9, at(9));
    expect(triggers(w, 10)).toEqual([]);
    w.onGatedTotal(10, at(10));
    expect(triggers(w, 10)).toEqual(['estimatorGating']);
    for (let i = 0; i < 5; i++) w.onOverrun(at(10));
    expect(triggers(w, 10)).toContain('controllerOverrun');
  });

  it('alarms below the minimum severity are not triggers; a high one is, once', () => {
    const w = fed(10);
    const alarm = { stampNs: at(10), kind: 'thruster' as const, score: 9, detector: 'cusum', message: 'thrust deficit' };
    w.onAlarm({ ...alarm, severity: 'medium' });
    expect(triggers(w, 10)).toEqual([]);
    w.onAlarm({ ...alarm, severity: 'high' });
    expect(triggers(w, 10)).toEqual(['alarm']);
    expect(triggers(w, 10)).toEqual([]);
  });
});
