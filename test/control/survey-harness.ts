// Closed-loop harness shared by the control tests: the GuidanceNode on a real Runtime with
// virtual time, driving the Otter model through a first-order thruster lag in a current.
import { Runtime } from '../../src/runtime/node.ts';
import type { NodeContext, RuntimeNode } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { OTTER, stepVesselRk4 } from '../../src/model/vessel.ts';
import type { VesselEnv, VesselState } from '../../src/model/vessel.ts';
import type { GuidanceTarget, ThrustCommand } from '../../src/msg/index.ts';
import { nsToS, sToNs } from '../../src/msg/index.ts';
import type { SurveyPlan } from '../../src/planning/plan.ts';
import type { GuidanceNodeOptions } from '../../src/control/guidance-node.ts';
import { DEFAULT_GUIDANCE_OPTIONS, GuidanceNode } from '../../src/control/guidance-node.ts';
import { legErrors } from '../../src/control/los.ts';

const SIM_DT_S = 0.01;
const NAV_PERIOD_S = 0.1;

/** Small seeded PRNG (mulberry32) and a Box-Muller normal, so runs repeat exactly. */
function normalRng(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** The simulated vessel: truth, thruster lag, and a navigation solution with optional error. */
class SimVessel implements RuntimeNode {
  readonly name = 'sim';
  readonly truth: VesselState;
  private cmd: ThrustCommand = { stampNs: 0n, leftN: 0, rightN: 0 };
  private leftN = 0;
  private rightN = 0;
  private errN = 0;
  private errE = 0;
  private readonly randn: () => number;

  constructor(start: VesselState, private readonly env: VesselEnv, private readonly navSigmaM: number, seed: number) {
    this.truth = { ...start };
    this.randn = normalRng(seed);
  }

  start(ctx: NodeContext): void {
    ctx.bus.subscribe('thrustCommand', (c) => {
      this.cmd = c;
    });
    const lag = 1 - Math.exp(-SIM_DT_S / OTTER.thrusterTimeConstantS);
    ctx.every(SIM_DT_S, () => {
      this.leftN += lag * (this.cmd.leftN - this.leftN);
      this.rightN += lag * (this.cmd.rightN - this.rightN);
      stepVesselRk4(OTTER, this.truth, this.leftN, this.rightN, this.env, SIM_DT_S);
    });
    // Navigation error as a first-order Gauss-Markov process per axis (correlation 5 s), like an
    // EKF's slowly wandering GNSS-driven error, with a stationary sigma of navSigmaM.
    const phi = Math.exp(-NAV_PERIOD_S / 5);
    const drive = this.navSigmaM * Math.sqrt(1 - phi * phi);
    this.errN = this.navSigmaM * this.randn();
    this.errE = this.navSigmaM * this.randn();
    ctx.every(NAV_PERIOD_S, (nowNs) => {
      this.errN = phi * this.errN + drive * this.randn();
      this.errE = phi * this.errE + drive * this.randn();
      const s = this.truth;
      ctx.bus.publish('nav', {
        stampNs: nowNs,
        northM: s.northM + this.errN,
        eastM: s.eastM + this.errE,
        yawRad: s.yawRad,
        uMps: s.uMps,
        vMps: s.vMps,
        rRadps: s.rRadps,
        positionSigmaM: this.navSigmaM,
        yawSigmaRad: 0,
        valid: true,
      });
    });
  }
}

export interface SurveyResult {
  crossTrackRmsM: number;
  crossTrackMaxM: number;
  laneSamples: number;
  simTimeS: number;
  done: boolean;
}

export function runSurvey(
  plan: SurveyPlan,
  currentDirDeg: number,
  navSigmaM: number,
  seed = 1,
  options: GuidanceNodeOptions = DEFAULT_GUIDANCE_OPTIONS,
  excludeAfterLaneStartS = 10,
): SurveyResult {
  const clock = new VirtualClock();
  const rt = new Runtime({ clock, log: silentLogger });
  const first = plan.legs[0];
  const start: VesselState = {
    northM: first.fromNorthM,
    eastM: first.fromEastM,
    yawRad: Math.atan2(first.toEastM - first.fromEastM, first.toNorthM - first.fromNorthM),
    uMps: 0,
    vMps: 0,
    rRadps: 0,
  };
  const dir = (currentDirDeg * Math.PI) / 180;
  const env: VesselEnv = {
    currentNorthMps: 0.2 * Math.cos(dir),
    currentEastMps: 0.2 * Math.sin(dir),
    forceNorthN: 0,
    forceEastN: 0,
    momentNm: 0,
    extraDragNsPerM: 0,
  };
  const sim = new SimVessel(start, env, navSigmaM, seed);
  // The simulator is added first so, at equal instants, fresh nav is on the bus before guidance runs.
  rt.add(sim).add(new GuidanceNode('guidance', plan, options));

  let sumSq = 0;
  let n = 0;
  let maxAbs = 0;
  let done = false;
  let laneIndex = -1;
  let laneStartS = 0;
  rt.bus.subscriberFor('test').subscribe('guidance', (g: GuidanceTarget) => {
    if (g.done) {
      done = true;
      return;
    }
    const leg = plan.legs[g.legIndex];
    if (leg.kind !== 'lane') return;
    const tS = nsToS(g.stampNs);
    if (g.legIndex !== laneIndex) {
      laneIndex = g.legIndex;
      laneStartS = tS;
    }
    if (tS - laneStartS < excludeAfterLaneStartS) return;
    // Against truth, not the navigation solution: this is where the sounder actually went.
    const e = legErrors(leg, sim.truth.northM, sim.truth.eastM).crossTrackM;
    sumSq += e * e;
    n++;
    maxAbs = Math.max(maxAbs, Math.abs(e));
  });

  rt.start();
  const endNs = sToNs(5000);
  for (;;) {
    const t = rt.nextDueNs();
    if (t === undefined || t > endNs || done) break;
    clock.advanceTo(t);
    rt.runTimersUntil(t);
  }
  rt.stop();
  return {
    crossTrackRmsM: Math.sqrt(sumSq / Math.max(1, n)),
    crossTrackMaxM: maxAbs,
    laneSamples: n,
    simTimeS: nsToS(clock.nowNs()),
    done,
  };
}
