// The estimator node on a real Runtime with a VirtualClock: bus messages in, `nav` out.
import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../src/geo/index.ts';
import type { NavState, StampNs } from '../../src/msg/index.ts';
import { sToNs } from '../../src/msg/index.ts';
import type { VesselState } from '../../src/model/vessel.ts';
import { CALM, OTTER, stepVesselRk4 } from '../../src/model/vessel.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { Runtime } from '../../src/runtime/node.ts';
import { EstimatorNode } from '../../src/estimator/node.ts';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/estimator/options.ts';
import { prng } from './scenario.ts';

const ORIGIN = { latDeg: 59.9, lonDeg: 10.7 };

interface Harness {
  runtime: Runtime;
  clock: VirtualClock;
  node: EstimatorNode;
  navs: NavState[];
  truthAt: Map<StampNs, VesselState>;
}

function harness(frame: LocalFrame | undefined): Harness {
  const clock = new VirtualClock();
  const runtime = new Runtime({ clock, log: silentLogger });
  const node = new EstimatorNode('estimator', DEFAULT_ESTIMATOR_OPTIONS, OTTER, frame);
  runtime.add(node);
  const navs: NavState[] = [];
  runtime.bus.tap((topic, m) => {
    if (topic === 'nav') navs.push(m as NavState);
  });
  runtime.start();
  return { runtime, clock, node, navs, truthAt: new Map() };
}

/**
 * Drives `seconds` of a straight run then a starboard turn: thrust at 50 Hz, IMU at 50 Hz,
 * GNSS fix and velocity at 5 Hz (0.5 m white noise, HDOP 1.2), all in time order on the bus.
 */
function drive(h: Harness, seconds: number, truthFrame: LocalFrame, firstFixS = 0.5): void {
  const g = prng(11).gauss;
  const s: VesselState = { northM: 0, eastM: 0, yawRad: 0.3, uMps: 0, vMps: 0, rRadps: 0 };
  for (let k = 0; k <= seconds * 50; k++) {
    const t = k * 0.02;
    const stampNs = sToNs(t);
    h.clock.advanceTo(stampNs);
    const left = t < 20 ? 60 : 70;
    const right = t < 20 ? 60 : 50;
    h.runtime.bus.publish('thrustCommand', { stampNs, leftN: left, rightN: right });
    h.runtime.bus.publish('imu', {
      stampNs,
      yawRad: s.yawRad + 0.002 * g(),
      pitchRad: 0,
      rollRad: 0,
      gyroRadps: [0, 0, s.rRadps + 0.002 * g()],
      accelMps2: [0, 0, -9.81],
    });
    if (k % 10 === 0 && t >= firstFixS) {
      const geo = truthFrame.toGeo({ northM: s.northM + 0.5 * g(), eastM: s.eastM + 0.5 * g() });
      h.runtime.bus.publish('gnss', { stampNs, latDeg: geo.latDeg, lonDeg: geo.lonDeg, fixQuality: 1, hdop: 1.2 });
      const vn = s.uMps * Math.cos(s.yawRad) - s.vMps * Math.sin(s.yawRad);
      const ve = s.uMps * Math.sin(s.yawRad) + s.vMps * Math.cos(s.yawRad);
      h.runtime.bus.publish('gnssVelocity', { stampNs, speedMps: Math.hypot(vn, ve), courseRad: Math.atan2(ve, vn) });
    }
    h.truthAt.set(stampNs, { ...s });
    h.runtime.runTimersUntil(stampNs);
    // The command just published holds until the next tick; the thrusters lag it by 0.1 s.
    stepVesselRk4(OTTER, s, left, right, CALM, 0.02);
  }
}

describe('EstimatorNode', () => {
  it('(g) publishes nav at every IMU sample: invalid before the first fix, then tracking truth', () => {
    const frame = new LocalFrame(ORIGIN);
    const h = harness(frame);
    drive(h, 40, frame);
    // 40 s at 50 Hz, samples 0..2000 inclusive.
    expect(h.navs.length).toBe(2001);
    const firstValid = h.navs.findIndex((n) => n.valid);
    // Fixes come every 10th tick from t = 0.5 s, so the first is at t = 0.6 s (tick 30). The
    // IMU sample of that tick was delivered before the fix, so nav 30 is still invalid and
    // nav 31 is the first valid one.
    expect(firstValid).toBe(31);
    expect(h.navs.slice(0, firstValid).every((n) => !n.valid)).toBe(true);
    expect(h.navs.slice(firstValid).every((n) => n.valid)).toBe(true);
    // Stamps are the IMU's.
    expect(h.navs[100].stampNs).toBe(sToNs(2));
    let worstM = 0;
    for (const n of h.navs) {
      if (!n.valid || n.stampNs < sToNs(5)) continue;
      const tr = h.truthAt.get(n.stampNs)!;
      worstM = Math.max(worstM, Math.hypot(n.northM - tr.northM, n.eastM - tr.eastM));
      for (const v of [n.northM, n.eastM, n.yawRad, n.uMps, n.vMps, n.rRadps, n.positionSigmaM, n.yawSigmaRad]) {
        expect(Number.isFinite(v)).toBe(true);
      }
    }
    console.info(`(g) node: worst position error after 5 s ${worstM.toFixed(2)} m`);
    expect(worstM).toBeLessThan(1.5);
    const stats = h.node.stats();
    expect(stats.initialisations).toBe(1);
    expect(stats.counts.gnssPosition.accepted).toBeGreaterThan(190);
    expect(stats.counts.heading.accepted + stats.counts.heading.gated).toBe(2001 - 31);
    expect(stats.publishedValid).toBe(2001 - 31);
    h.runtime.stop();
  });

  it('scales the GNSS sigma with HDOP at initialisation', () => {
    const frame = new LocalFrame(ORIGIN);
    const h = harness(frame);
    h.runtime.bus.publish('imu', { stampNs: 0n, yawRad: 0, pitchRad: 0, rollRad: 0, gyroRadps: [0, 0, 0], accelMps2: [0, 0, 0] });
    h.runtime.bus.publish('gnss', { stampNs: 1_000_000n, ...ORIGIN, fixQuality: 1, hdop: 2 });
    h.runtime.bus.publish('imu', { stampNs: 2_000_000n, yawRad: 0, pitchRad: 0, rollRad: 0, gyroRadps: [0, 0, 0], accelMps2: [0, 0, 0] });
    // 1.2 m at HDOP 1 for a standalone fix, times HDOP 2 = 2.4 m (1 ms of process noise adds ~0).
    const nav = h.navs[h.navs.length - 1];
    expect(nav.valid).toBe(true);
    expect(nav.positionSigmaM).toBeCloseTo(2.4, 3);
  });

  it('anchors its own frame at the first valid fix when none is given', () => {
    const truthFrame = new LocalFrame(ORIGIN);
    const h = harness(undefined);
    drive(h, 3, truthFrame);
    const anchor = h.node.localFrame()!;
    // The first fix (truth plus 0.5 m noise) becomes the origin.
    const firstFixTruth = truthFrame.toLocal(anchor.origin);
    expect(Math.hypot(firstFixTruth.northM, firstFixTruth.eastM)).toBeLessThan(2.5);
    expect(h.navs.some((n) => n.valid)).toBe(true);
  });

  it('counts stale messages and refused fixes instead of using them', () => {
    const frame = new LocalFrame(ORIGIN);
    const h = harness(frame);
    drive(h, 2, frame);
    const before = h.node.stats();
    // One second older than the filter: stale. Quality 0: invalid fix. HDOP 50: too poor.
    h.runtime.bus.publish('gnss', { stampNs: sToNs(1), ...ORIGIN, fixQuality: 1, hdop: 1 });
    h.runtime.bus.publish('gnss', { stampNs: sToNs(2.1), ...ORIGIN, fixQuality: 0 });
    h.runtime.bus.publish('gnss', { stampNs: sToNs(2.2), ...ORIGIN, fixQuality: 1, hdop: 50 });
    h.runtime.bus.publish('gnss', { stampNs: sToNs(2.3), latDeg: Number.NaN, lonDeg: 10, fixQuality: 1 });
    const after = h.node.stats();
    expect(after.stale - before.stale).toBe(1);
    expect(after.rejectedFixes - before.rejectedFixes).toBe(3);
    expect(after.counts.gnssPosition.accepted).toBe(before.counts.gnssPosition.accepted);
    expect(h.runtime.state('estimator')).toBe('running');
  });
});

describe('EstimatorNode with a stuck IMU', () => {
  it('stops fusing an IMU that repeats itself and resumes when it moves', () => {
    const clock = new VirtualClock();
    const rt = new Runtime({ clock, log: silentLogger });
    const frame = new LocalFrame({ latDeg: 59.66, lonDeg: 10.76 });
    const node = new EstimatorNode('estimator', DEFAULT_ESTIMATOR_OPTIONS, OTTER, frame);
    rt.add(node);
    rt.start();
    const imu = (tNs: bigint, yawRad: number) =>
      rt.bus.publish('imu', { stampNs: tNs, yawRad, pitchRad: 0, rollRad: 0, gyroRadps: [0.001, -0.002, 0.003], accelMps2: [0, 0, -9.81] });
    // Ten moving samples, then ten identical ones (the sensor stuck), then moving again.
    for (let i = 0; i < 10; i++) imu(BigInt(i + 1) * 20_000_000n, 0.1 + i * 1e-4);
    expect(node.stats().imuFrozenSamples).toBe(0);
    for (let i = 10; i < 20; i++) imu(BigInt(i + 1) * 20_000_000n, 0.5);
    // The first of the ten is a change (0.1009 -> 0.5); the next repeats count 1, 2, 3, ...: frozen from the 3rd repeat.
    expect(node.stats().imuFrozenSamples).toBe(7);
    imu(21n * 20_000_000n, 0.51);
    imu(22n * 20_000_000n, 0.52);
    expect(node.stats().imuFrozenSamples).toBe(7);
  });
});
