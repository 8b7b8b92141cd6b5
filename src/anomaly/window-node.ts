// The node that turns bus traffic into feature windows at a fixed rate. The onboard detector
// and the training recorder both run it, so training sees exactly what the detector sees.
import type { NodeContext, RuntimeNode } from '../runtime/node.ts';
import { nsToS } from '../msg/index.ts';
import type { VesselParams } from '../model/vessel.ts';
import { FeatureExtractor } from './features.ts';
import { FEATURE_COUNT } from './graph.ts';

/** Detector ticks per second: a window every 0.2 s. */
export const WINDOW_RATE_HZ = 5;

export class WindowNode implements RuntimeNode {
  readonly extractor: FeatureExtractor;
  private readonly features = new Float64Array(FEATURE_COUNT);
  private readonly off: Array<() => void> = [];
  private validSinceS = NaN;

  /**
   * `onWindow` receives each window once the navigation solution has been valid for `warmupS`
   * and the feature history is full; the array is reused, copy what you keep.
   */
  constructor(
    readonly name: string,
    vessel: VesselParams,
    private readonly warmupS: number,
    private readonly onWindow: (tS: number, features: Float64Array) => void,
    sounderRange?: { minM: number; maxM: number },
  ) {
    this.extractor = new FeatureExtractor(vessel, sounderRange);
  }

  start(ctx: NodeContext): void {
    const x = this.extractor;
    const bus = ctx.bus;
    this.off.push(
      bus.subscribe('imu', (m) => x.onImu(nsToS(m.stampNs), m.yawRad, m.gyroRadps[2])),
      bus.subscribe('gnss', (m) => x.onGnss(nsToS(m.stampNs), m.latDeg, m.lonDeg, m.fixQuality, m.hdop)),
      bus.subscribe('gnssVelocity', (m) => x.onGnssVelocity(m.speedMps, m.courseRad)),
      bus.subscribe('depth', (m) => x.onDepth(nsToS(m.stampNs), m.depthBelowTransducerM)),
      bus.subscribe('thrustCommand', (m) => x.onThrust(m.leftN, m.rightN)),
      bus.subscribe('navDiagnostics', (m) => x.onNavDiagnostics(nsToS(m.stampNs), m)),
      bus.subscribe('nav', (m) => {
        if (m.valid && !Number.isFinite(this.validSinceS)) this.validSinceS = nsToS(m.stampNs);
        x.onNav(m.northM, m.eastM, m.yawRad, m.uMps, m.vMps, m.valid);
      }),
    );
    ctx.every(1 / WINDOW_RATE_HZ, (nowNs) => {
      const tS = nsToS(nowNs);
      if (!(tS - this.validSinceS >= this.warmupS) || !x.ready()) return;
      x.compute(tS, this.features);
      this.onWindow(tS, this.features);
    });
  }

  stop(): void {
    for (const off of this.off.splice(0)) off();
  }
}
