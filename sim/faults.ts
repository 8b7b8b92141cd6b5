// Fault injection: a schedule of faults, evaluated as a pure function of simulated time.
//
// Every fault has an onset `atS`, an optional `durationS` (absent: it lasts to the end) and an
// optional `rampS` (absent or 0: abrupt onset; otherwise its level rises linearly from 0 to 1
// over rampS, a gradual onset). The end is always abrupt. What `severity` means depends on the
// kind; each kind's default is in FAULT_DEFAULT_SEVERITY.
import { Rng } from './random.ts';

export type FaultKind =
  | 'thrusterLoss'
  | 'thrusterDegradation'
  | 'stuckVegetation'
  | 'imuHeadingDrift'
  | 'gnssDegradation'
  | 'gnssDropout'
  | 'gnssJump'
  | 'sonarDropout'
  | 'sonarSpurious';

export const FAULT_KINDS: readonly FaultKind[] = [
  'thrusterLoss',
  'thrusterDegradation',
  'stuckVegetation',
  'imuHeadingDrift',
  'gnssDegradation',
  'gnssDropout',
  'gnssJump',
  'sonarDropout',
  'sonarSpurious',
];

/** One scheduled fault. Plain JSON data, so a scenario file can hold a list of them. */
export interface FaultSpec {
  kind: FaultKind;
  /** Onset, simulated seconds since start. */
  atS: number;
  /** How long it lasts; absent means until the end of the run. */
  durationS?: number;
  /** Gradual onset: seconds for the level to rise from 0 to 1; 0 or absent is abrupt. */
  rampS?: number;
  /**
   * Kind-specific magnitude: thrusterDegradation, the fraction of thrust still delivered (0.5);
   * stuckVegetation, extra surge/sway drag in N s/m (150); imuHeadingDrift, deg/s added to yaw
   * (0.5); gnssDegradation, the noise factor (5); gnssJump, the offset in metres (10);
   * sonarSpurious, the probability that a ping is spurious (0.5). Unused by the other kinds.
   */
  severity?: number;
  /** thrusterLoss / thrusterDegradation: which thruster ('left' by default). */
  side?: 'left' | 'right' | 'both';
  /** gnssDropout: 'silent' sends nothing (default), 'noFix' sends sentences with quality 0 / status V.
   *  sonarDropout: 'silent' sends nothing (default), 'noFix' sends sentences with an empty depth. */
  mode?: 'silent' | 'noFix';
  /** gnssJump: direction of the offset, degrees clockwise from north; drawn from the seed if absent. */
  bearingDeg?: number;
}

export const FAULT_DEFAULT_SEVERITY: Readonly<Record<FaultKind, number>> = Object.freeze({
  thrusterLoss: 1,
  thrusterDegradation: 0.5,
  stuckVegetation: 150,
  imuHeadingDrift: 0.5,
  gnssDegradation: 5,
  gnssDropout: 1,
  gnssJump: 10,
  sonarDropout: 1,
  sonarSpurious: 0.5,
});

/** A fault that is active now, as reported in the simulator's truth. */
export interface ActiveFault {
  kind: FaultKind;
  /** Index in the schedule. */
  index: number;
  onsetS: number;
  /** 0..1: how far the onset ramp has progressed. */
  level: number;
}

/** The combined effect of every active fault at one instant. One object, rewritten in place. */
export interface FaultEffects {
  /** Fraction of the lagged thrust each thruster delivers. */
  leftFactor: number;
  rightFactor: number;
  extraDragNsPerM: number;
  /** Degrees added to the IMU yaw. */
  headingOffsetDeg: number;
  /** Multiplies GNSS horizontal noise and HDOP. */
  gnssNoiseFactor: number;
  /** Satellites lost. */
  gnssSatellitesLost: number;
  gnssDropout: 'none' | 'silent' | 'noFix';
  gnssOffsetNorthM: number;
  gnssOffsetEastM: number;
  sonarDropout: 'none' | 'silent' | 'noFix';
  /** Probability that a ping returns a spurious depth, added to the sounder's own outlier rate. */
  sonarSpuriousProb: number;
}

export function noFaultEffects(): FaultEffects {
  return {
    leftFactor: 1,
    rightFactor: 1,
    extraDragNsPerM: 0,
    headingOffsetDeg: 0,
    gnssNoiseFactor: 1,
    gnssSatellitesLost: 0,
    gnssDropout: 'none',
    gnssOffsetNorthM: 0,
    gnssOffsetEastM: 0,
    sonarDropout: 'none',
    sonarSpuriousProb: 0,
  };
}

/** Level in [0, 1] of a fault at time tS: 0 before onset and after the end, ramps in between. */
export function faultLevel(f: FaultSpec, tS: number): number {
  const tau = tS - f.atS;
  if (!(tau >= 0)) return 0;
  if (f.durationS !== undefined && tau >= f.durationS) return 0;
  const ramp = f.rampS ?? 0;
  return ramp > 0 ? Math.min(1, tau / ramp) : 1;
}

/** Integral of the level from onset to tS (seconds at full level), for faults that accumulate. */
function levelIntegralS(f: FaultSpec, tS: number): number {
  const tau = tS - f.atS;
  const ramp = f.rampS ?? 0;
  if (ramp <= 0) return tau;
  return tau < ramp ? (tau * tau) / (2 * ramp) : ramp / 2 + (tau - ramp);
}

export class FaultSchedule {
  readonly faults: readonly FaultSpec[];
  /** Jump bearings fixed at construction, so evaluation is a pure function of time. */
  private readonly jumpBearingRad: Float64Array;

  /** Throws on an unknown kind or a negative time: the schedule is checked once, at start. */
  constructor(faults: readonly FaultSpec[], seed: number) {
    const rng = new Rng(seed, 'faults');
    this.faults = faults.map((f, i) => {
      if (!FAULT_KINDS.includes(f.kind)) throw new Error(`faults[${i}].kind: unknown fault kind '${String(f.kind)}'`);
      if (!(f.atS >= 0)) throw new Error(`faults[${i}].atS: expected a time >= 0, found ${f.atS}`);
      if (f.durationS !== undefined && !(f.durationS > 0)) throw new Error(`faults[${i}].durationS: expected > 0, found ${f.durationS}`);
      if (f.rampS !== undefined && !(f.rampS >= 0)) throw new Error(`faults[${i}].rampS: expected >= 0, found ${f.rampS}`);
      return { ...f };
    });
    this.jumpBearingRad = new Float64Array(this.faults.length);
    for (let i = 0; i < this.faults.length; i++) {
      const b = this.faults[i].bearingDeg;
      // Drawn for every fault so that adding a bearing to one fault changes no other.
      const drawn = rng.range(0, 2 * Math.PI);
      this.jumpBearingRad[i] = b !== undefined ? (b * Math.PI) / 180 : drawn;
    }
  }

  /** Writes the combined effect at tS into `out` (allocates nothing). */
  evaluate(tS: number, out: FaultEffects): FaultEffects {
    out.leftFactor = 1;
    out.rightFactor = 1;
    out.extraDragNsPerM = 0;
    out.headingOffsetDeg = 0;
    out.gnssNoiseFactor = 1;
    out.gnssSatellitesLost = 0;
    out.gnssDropout = 'none';
    out.gnssOffsetNorthM = 0;
    out.gnssOffsetEastM = 0;
    out.sonarDropout = 'none';
    out.sonarSpuriousProb = 0;
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i];
      const level = faultLevel(f, tS);
      if (level <= 0) continue;
      const sev = f.severity ?? FAULT_DEFAULT_SEVERITY[f.kind];
      switch (f.kind) {
        case 'thrusterLoss':
          this.scaleThrust(out, f.side, 1 - level);
          break;
        case 'thrusterDegradation':
          this.scaleThrust(out, f.side, 1 - level * (1 - clamp01(sev)));
          break;
        case 'stuckVegetation':
          out.extraDragNsPerM += level * Math.max(0, sev);
          break;
        case 'imuHeadingDrift':
          out.headingOffsetDeg += sev * levelIntegralS(f, tS);
          break;
        case 'gnssDegradation': {
          const factor = 1 + level * (Math.max(1, sev) - 1);
          out.gnssNoiseFactor *= factor;
          // A receiver that sees fewer satellites reports a worse HDOP: lose ~2 per unit of factor.
          out.gnssSatellitesLost += Math.round(2 * (factor - 1));
          break;
        }
        case 'gnssDropout':
          if (f.mode === 'noFix') {
            if (out.gnssDropout === 'none') out.gnssDropout = 'noFix';
          } else out.gnssDropout = 'silent';
          break;
        case 'gnssJump':
          out.gnssOffsetNorthM += level * sev * Math.cos(this.jumpBearingRad[i]);
          out.gnssOffsetEastM += level * sev * Math.sin(this.jumpBearingRad[i]);
          break;
        case 'sonarDropout':
          if (f.mode === 'noFix') {
            if (out.sonarDropout === 'none') out.sonarDropout = 'noFix';
          } else out.sonarDropout = 'silent';
          break;
        case 'sonarSpurious':
          out.sonarSpuriousProb = Math.min(1, out.sonarSpuriousProb + level * clamp01(sev));
          break;
      }
    }
    return out;
  }

  /** The faults active at tS (allocates: for reports and truth, not for the hot loop). */
  active(tS: number): ActiveFault[] {
    const list: ActiveFault[] = [];
    for (let i = 0; i < this.faults.length; i++) {
      const level = faultLevel(this.faults[i], tS);
      if (level > 0) list.push({ kind: this.faults[i].kind, index: i, onsetS: this.faults[i].atS, level });
    }
    return list;
  }

  private scaleThrust(out: FaultEffects, side: FaultSpec['side'], factor: number): void {
    const s = side ?? 'left';
    if (s === 'left' || s === 'both') out.leftFactor *= factor;
    if (s === 'right' || s === 'both') out.rightFactor *= factor;
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
