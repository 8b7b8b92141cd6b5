// The chaos scenario: faults at random times drawn from the seed, injected where they would
// really happen. Sensor faults the simulator models go into its fault schedule (GNSS loss and
// jumps); the rest act on the byte streams between the simulated sensors and the drivers (IMU
// freeze, sonar garbage, a stream that disappears, a clock jump in a stream's stamps), on the
// bus (a node throwing, the detector model missing, the GPU device lost) and on the operator
// link (malformed commands, heartbeats that stop). A scripted operator sends heartbeats and,
// some seconds after each fault has ended, resumes the survey, so that every fault of a run
// starts from AUTO and its time to a safe mode can be measured.
import type { FaultSpec } from '../../sim/index.ts';
import { Rng } from '../../sim/index.ts';
import type { Mode, StampNs } from '../msg/index.ts';
import { nsToS, sToNs } from '../msg/index.ts';
import type { ByteSource } from '../ports/index.ts';
import type { NodeContext, RuntimeNode } from './node.ts';

export const CHAOS_KINDS = [
  'gnssLoss',
  'gnssJump',
  'imuFreeze',
  'sonarGarbage',
  'streamGap',
  'clockJump',
  'detectorMissing',
  'gpuLost',
  'nodeThrow',
  'badCommands',
  'operatorLinkLoss',
] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

export interface ChaosFault {
  kind: ChaosKind;
  atS: number;
  durationS: number;
  /** streamGap / clockJump: which stream; nodeThrow: which node ('estimator' or 'controller'). */
  target?: string;
  /** gnssJump: metres; clockJump: seconds added to the stream's stamps. */
  severity?: number;
}

export interface ChaosOptions {
  /** The run's default length when no --duration is given. */
  durationS: number;
  /** Nothing happens before this (the vessel gets under way). */
  quietStartS: number;
  /** One fault per slot of this length. */
  slotS: number;
  /** Fault durations are drawn in [minFaultS, maxFaultS]. */
  minFaultS: number;
  maxFaultS: number;
  /** The scripted operator resumes this long after a fault has ended. */
  operatorResumeS: number;
}

export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  durationS: 900,
  quietStartS: 40,
  slotS: 120,
  minFaultS: 5,
  maxFaultS: 30,
  operatorResumeS: 15,
};

/** The faults of one chaos run: a permutation of the kinds, one per slot, times drawn from the seed. */
export function planChaos(seed: number, durationS: number, o: ChaosOptions = DEFAULT_CHAOS_OPTIONS): ChaosFault[] {
  const rng = new Rng(seed, 'chaos');
  const kinds = [...CHAOS_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const faults: ChaosFault[] = [];
  const slots = Math.max(0, Math.floor((durationS - o.quietStartS) / o.slotS));
  for (let s = 0; s < slots; s++) {
    const kind = kinds[s % kinds.length];
    const slotStart = o.quietStartS + s * o.slotS;
    const atS = round1(slotStart + rng.range(0, o.slotS / 4));
    const durationFaultS = round1(rng.range(o.minFaultS, o.maxFaultS));
    const f: ChaosFault = { kind, atS, durationS: durationFaultS };
    if (kind === 'streamGap') f.target = ['gnss', 'imu', 'sounder'][rng.int(0, 2)];
    if (kind === 'clockJump') {
      f.target = ['gnss', 'imu', 'sounder'][rng.int(0, 2)];
      f.severity = round1((rng.chance(0.5) ? 1 : -1) * rng.range(3, 60));
    }
    if (kind === 'nodeThrow') f.target = rng.chance(0.5) ? 'estimator' : 'controller';
    if (kind === 'gnssJump') f.severity = round1(rng.range(8, 30));
    faults.push(f);
  }
  return faults;
}

/** The faults the simulator itself injects (its own schedule). */
export function simFaultsOf(faults: readonly ChaosFault[]): FaultSpec[] {
  const out: FaultSpec[] = [];
  for (const f of faults) {
    if (f.kind === 'gnssLoss') out.push({ kind: 'gnssDropout', atS: f.atS, durationS: f.durationS });
    if (f.kind === 'gnssJump') out.push({ kind: 'gnssJump', atS: f.atS, durationS: f.durationS, severity: f.severity });
  }
  return out;
}

const within = (f: ChaosFault, tS: number) => tS >= f.atS && tS < f.atS + f.durationS;

/** A byte source with the stream faults of one sensor applied between sensor and driver. */
export class ChaosSource implements ByteSource {
  readonly name: string;
  private readonly rng: Rng;
  private frozen: Uint8Array | undefined;
  private last: Uint8Array | undefined;

  constructor(
    private readonly inner: ByteSource,
    private readonly stream: string,
    private readonly faults: readonly ChaosFault[],
    seed: number,
  ) {
    this.name = inner.name;
    this.rng = new Rng(seed, `chaos-${stream}`);
  }

  onData(handler: (bytes: Uint8Array, stampNs: StampNs) => void): void {
    this.inner.onData((bytes, stampNs) => {
      const tS = nsToS(stampNs);
      let out: Uint8Array | undefined = bytes;
      let stamp = stampNs;
      let freezing = false;
      for (const f of this.faults) {
        if (!within(f, tS)) continue;
        if (f.kind === 'streamGap' && f.target === this.stream) out = undefined;
        if (f.kind === 'sonarGarbage' && this.stream === 'sounder' && out) out = this.garbage(out.length);
        if (f.kind === 'imuFreeze' && this.stream === 'imu' && out) {
          freezing = true;
          this.frozen ??= this.last ?? bytes;
          out = this.frozen;
        }
        if (f.kind === 'clockJump' && f.target === this.stream) stamp = stampNs + sToNs(f.severity ?? 0);
      }
      if (!freezing) {
        this.frozen = undefined;
        this.last = bytes;
      }
      if (out) handler(out, stamp < 0n ? 0n : stamp);
    });
  }

  onClose(handler: (error?: Error) => void): void {
    this.inner.onClose?.(handler);
  }

  /** Line noise: random bytes with the odd '$' and line end, so the framer has work to do. */
  private garbage(length: number): Uint8Array {
    const b = new Uint8Array(Math.max(1, length));
    for (let i = 0; i < b.length; i++) {
      const u = this.rng.uniform();
      b[i] = u < 0.05 ? 0x24 : u < 0.1 ? 0x0a : this.rng.int(0, 255);
    }
    return b;
  }
}

/** Wraps a node so that it throws once, from inside its own context, at atS. */
export class ThrowingNode implements RuntimeNode {
  readonly name: string;
  private thrown = false;
  constructor(
    private readonly inner: RuntimeNode,
    private readonly atS: number,
  ) {
    this.name = inner.name;
  }
  start(ctx: NodeContext): void {
    this.inner.start(ctx);
    if (this.thrown) return;
    const startS = nsToS(ctx.clock.nowNs());
    ctx.every(Math.max(1e-3, this.atS - startS), () => {
      if (this.thrown) return;
      this.thrown = true;
      throw new Error(`chaos: ${this.name} threw at ${this.atS} s`);
    });
  }
  stop(): void {
    this.inner.stop?.();
  }
}

/**
 * The chaos operator and the bus-level faults: heartbeats every second (silent during an
 * operatorLinkLoss), malformed commands during badCommands, the detector model vanishing, the
 * GPU device lost; and resume / reset+start some seconds after each fault has ended.
 */
export class ChaosOperatorNode implements RuntimeNode {
  readonly name = 'chaos-operator';
  private mode: Mode = 'IDLE';
  private readonly rng: Rng;
  private readonly done = new Set<number>();
  private lastAttemptS = -Infinity;
  private lastChangeS = -Infinity;
  /** Malformed commands sent. */
  badSent = 0;
  /** Each gpuLost fault: whether a GPU device was in use to be lost. */
  readonly gpuLosses: Array<{ atS: number; deviceLost: boolean }> = [];

  constructor(
    private readonly faults: readonly ChaosFault[],
    seed: number,
    private readonly options: ChaosOptions,
    /** What the bus-level faults act on. */
    private readonly targets: {
      /** The detector loses its learned model (it falls back to the classical detectors). */
      loseDetectorModel: (reason: string) => void;
      /** The controller's GPU device is destroyed; false when the controller runs on none. */
      loseGpu: (reason: string) => boolean;
    },
  ) {
    this.rng = new Rng(seed, 'chaos-operator');
  }

  start(ctx: NodeContext): void {
    ctx.bus.subscribe('mode', (m) => {
      this.mode = m.to;
      this.lastChangeS = nsToS(m.stampNs);
    });
    ctx.every(0.1, (nowNs) => this.tick(ctx, nowNs));
  }

  private tick(ctx: NodeContext, nowNs: StampNs): void {
    const tS = nsToS(nowNs);
    const command = (verb: string, args: Record<string, string | number | boolean> = {}) =>
      ctx.bus.publish('operatorCommand', { stampNs: nowNs, verb, args, source: 'chaos' });
    const linkDown = this.faults.some((f) => f.kind === 'operatorLinkLoss' && within(f, tS));
    if (!linkDown && Math.abs(tS - Math.round(tS)) < 0.05) command('heartbeat');
    this.faults.forEach((f, i) => {
      if (within(f, tS) && !this.done.has(i)) {
        this.done.add(i);
        if (f.kind === 'gpuLost') {
          // The real path: the WebGPU device under the controller is destroyed, its next run
          // fails and the CPU backend takes over. A controller on no GPU has nothing to lose.
          const lost = this.targets.loseGpu('chaos: GPU device lost');
          this.gpuLosses.push({ atS: f.atS, deviceLost: lost });
          ctx.log.warn(lost ? 'chaos: GPU device destroyed' : 'chaos: GPU device lost, but the controller runs on no GPU', { atS: f.atS });
        }
        if (f.kind === 'detectorMissing') {
          // The real path: the detector loses its learned model, falls back to the classical
          // detectors and reports the loss as its own fault.
          this.targets.loseDetectorModel('chaos: detector model file missing (ENOENT)');
        }
      }
      if (f.kind === 'badCommands' && within(f, tS) && this.rng.chance(0.5)) this.sendGarbage(ctx, nowNs);
    });
    // Once every fault begun so far has been over for operatorResumeS, the operator gets the
    // vessel back to the survey (trying again every few seconds while a watchdog still objects).
    let lastEndS = -Infinity;
    let active = false;
    for (const f of this.faults) {
      if (f.atS > tS) continue;
      if (within(f, tS)) active = true;
      lastEndS = Math.max(lastEndS, f.atS + f.durationS);
    }
    // Nor while the vessel is still changing its mind: a mode that has not settled for ten
    // seconds tells the operator that something is still wrong.
    if (active || tS < lastEndS + this.options.operatorResumeS || this.mode === 'AUTO' || tS - this.lastAttemptS < 20 || tS - this.lastChangeS < 10) return;
    this.lastAttemptS = tS;
    if (this.mode === 'FAILSAFE') {
      command('reset');
      command('start');
    } else if (this.mode === 'HOLD' || this.mode === 'RETURN') command('resume');
  }

  private sendGarbage(ctx: NodeContext, nowNs: StampNs): void {
    this.badSent++;
    const r = this.rng.int(0, 5);
    // Deliberately ill-typed: what a broken or hostile client could put on the wire.
    const bad: unknown[] = [
      { stampNs: nowNs, verb: 'st\u0000art', args: {}, source: 'chaos' },
      { stampNs: nowNs, verb: 42, args: {}, source: 'chaos' },
      { stampNs: nowNs, verb: 'thrust', args: { leftN: Number.NaN, rightN: 1e9 }, source: 'chaos' },
      { stampNs: nowNs, verb: 'start', args: null, source: 'chaos' },
      { stampNs: nowNs, verb: 'x'.repeat(10_000), args: {}, source: 'chaos' },
      { stampNs: nowNs, verb: 'DROP TABLE', args: { '__proto__': 1 }, source: undefined },
    ];
    ctx.bus.publish('operatorCommand', bad[r] as never);
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
