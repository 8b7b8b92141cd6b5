// Simulated single-beam echo sounder: NMEA 0183 DPT and DBT, talker SD, one chunk per ping.
//
// DPT: depth below the transducer (m), offset (m; positive = transducer to waterline, so
// depth + offset is the water depth), maximum range scale (m; NMEA 0183 v3.0). DBT: depth below
// the transducer in feet (1 ft = 0.3048 m), metres and fathoms (1 fathom = 1.8288 m).
// Errors: Gaussian noise of sigma = noiseFraction * depth + noiseFloorM; spurious returns
// (half a second bottom echo at twice the depth, half fish/weed at a random shallower depth);
// dropouts (no sentence, or an empty depth field as when the bottom is lost); the depth field
// is also empty outside [minRangeM, maxRangeM].
import { frameSentence } from '../../src/drivers/nmea/checksum.ts';
import { Rng } from '../random.ts';
import { SimByteSource } from './format.ts';
import type { SensorTruth, SimSensor } from './truth.ts';
import { periodNsOf } from './truth.ts';

export type SounderSentence = 'DPT' | 'DBT';

export interface SounderOptions {
  /** Pings per second. */
  rateHz: number;
  /** NMEA talker. */
  talker: string;
  /** Sentences sent per ping, in this order. */
  sentences: SounderSentence[];
  /** Depth of the transducer below the waterline, m. */
  transducerDepthM: number;
  /** Noise: fraction of depth plus a floor, m (sigma = noiseFraction * depth + noiseFloorM). */
  noiseFraction: number;
  noiseFloorM: number;
  /** Probability that a ping is a spurious return. */
  outlierProb: number;
  /** Probability that a ping is lost. */
  dropoutProb: number;
  /** Of lost pings, the fraction sent with an empty depth field (the rest send nothing). */
  dropoutEmptyFraction: number;
  /** Shallowest and deepest depth the sounder can measure, m. */
  minRangeM: number;
  maxRangeM: number;
}

export const DEFAULT_SOUNDER_OPTIONS: SounderOptions = {
  rateHz: 10,
  talker: 'SD',
  sentences: ['DPT', 'DBT'],
  transducerDepthM: 0.1,
  noiseFraction: 0.005,
  noiseFloorM: 0.02,
  outlierProb: 0.002,
  dropoutProb: 0.002,
  dropoutEmptyFraction: 0.5,
  minRangeM: 0.3,
  maxRangeM: 100,
};

const M_PER_FOOT = 0.3048;
const M_PER_FATHOM = 1.8288;

export class SimSounder implements SimSensor {
  readonly periodNs: number;
  readonly source: SimByteSource;
  /** Depth below the transducer of the last ping (NaN when the field was empty or nothing was sent). */
  lastDepthM = NaN;
  private readonly o: SounderOptions;
  private readonly rng: Rng;

  constructor(options: SounderOptions, seed: number, name = 'sim.sounder') {
    this.o = { ...options, sentences: [...options.sentences] };
    this.periodNs = periodNsOf(options.rateHz, 'sensors.sounder');
    this.rng = new Rng(seed, 'sensor.sounder');
    this.source = new SimByteSource(name);
  }

  sample(t: SensorTruth): void {
    const o = this.o;
    const r = this.rng;
    // A fixed number of draws per ping keeps the stream aligned whatever happens.
    const n = r.normal();
    const uDrop = r.uniform();
    const uDropKind = r.uniform();
    const uOut = r.uniform();
    const uOutKind = r.uniform();
    const uOutVal = r.uniform();

    const f = t.faults;
    const trueM = t.depthM - o.transducerDepthM;
    let silent = f.sonarDropout === 'silent';
    let empty = f.sonarDropout === 'noFix';
    if (uDrop < o.dropoutProb) {
      if (uDropKind < o.dropoutEmptyFraction) empty = true;
      else silent = true;
    }
    if (silent) {
      this.lastDepthM = NaN;
      return;
    }
    let d = trueM + (o.noiseFraction * Math.max(0, trueM) + o.noiseFloorM) * n;
    if (uOut < o.outlierProb + f.sonarSpuriousProb) {
      d = uOutKind < 0.5 ? 2 * trueM : o.minRangeM + uOutVal * Math.max(0, trueM - o.minRangeM);
    }
    if (!(d >= o.minRangeM && d <= o.maxRangeM)) empty = true;
    this.lastDepthM = empty ? NaN : d;

    let text = '';
    for (const s of o.sentences) {
      if (s === 'DPT') {
        text += frameSentence(`${o.talker}DPT,${empty ? '' : d.toFixed(2)},${o.transducerDepthM.toFixed(2)},${o.maxRangeM.toFixed(0)}`);
      } else if (s === 'DBT') {
        text += empty
          ? frameSentence(`${o.talker}DBT,,f,,M,,F`)
          : frameSentence(`${o.talker}DBT,${(d / M_PER_FOOT).toFixed(1)},f,${d.toFixed(2)},M,${(d / M_PER_FATHOM).toFixed(2)},F`);
      }
    }
    this.source.emitText(text, t.stampNs);
  }
}
