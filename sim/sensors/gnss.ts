// Simulated GNSS receiver: NMEA 0183 GGA, RMC and VTG (NMEA 0183 v2.3 field layout, mode
// indicator 'A' = autonomous), one chunk per epoch.
//
// Horizontal error per axis = Gauss-Markov bias (sigma ~1 m, tau ~60 s: multipath and
// atmosphere change slowly) + white noise (~0.5 m), both times the degradation factor of
// active faults. HDOP and the satellite count wander slowly. Units: speed in knots (1 kn =
// 1852 m / 3600 s exactly) and km/h; course true, degrees.
import { frameSentence } from '../../src/drivers/nmea/checksum.ts';
import { GaussMarkov, Rng } from '../random.ts';
import { nmeaAngle, nmeaDate, nmeaTime, SimByteSource } from './format.ts';
import type { SensorTruth, SimSensor } from './truth.ts';
import { periodNsOf } from './truth.ts';

export type GnssSentence = 'GGA' | 'RMC' | 'VTG';

export interface GnssSensorOptions {
  /** Epochs per second. */
  rateHz: number;
  /** NMEA talker: 'GP' (GPS only) or 'GN' (multi-constellation). */
  talker: 'GP' | 'GN';
  /** Sentences sent each epoch, in this order. */
  sentences: GnssSentence[];
  /** Slowly varying horizontal bias per axis: standard deviation (m) and correlation time (s). */
  biasSigmaM: number;
  biasTimeConstantS: number;
  /** White horizontal noise per axis, m. */
  whiteSigmaM: number;
  /** Noise on each velocity component, m/s. */
  velocitySigmaMps: number;
  /** Course is left empty below this measured speed, as receivers do when nearly still. */
  courseMinSpeedMps: number;
  /** HDOP: mean, spread (Gauss-Markov sigma) and correlation time. */
  hdopMean: number;
  hdopSigma: number;
  hdopTimeConstantS: number;
  /** Satellites used: mean, spread, and the range reported when healthy. */
  satellitesMean: number;
  satellitesSigma: number;
  satellitesMin: number;
  satellitesMax: number;
  /** Antenna altitude above mean sea level and its noise, m. */
  altitudeM: number;
  altitudeSigmaM: number;
  /** Geoid separation reported in GGA, m. */
  geoidSeparationM: number;
  /** Antenna position in the body frame: forward and starboard of the vessel's reference point, m. */
  leverArmXM: number;
  leverArmYM: number;
  /** Decimals of the minutes of latitude and longitude (6: ~2 mm). */
  latLonDecimals: number;
}

export const DEFAULT_GNSS_OPTIONS: GnssSensorOptions = {
  rateHz: 5,
  talker: 'GN',
  sentences: ['GGA', 'RMC', 'VTG'],
  biasSigmaM: 1.0,
  biasTimeConstantS: 60,
  whiteSigmaM: 0.5,
  velocitySigmaMps: 0.05,
  courseMinSpeedMps: 0.1,
  hdopMean: 1.1,
  hdopSigma: 0.15,
  hdopTimeConstantS: 30,
  satellitesMean: 11,
  satellitesSigma: 1.5,
  satellitesMin: 8,
  satellitesMax: 14,
  altitudeM: 100,
  altitudeSigmaM: 1.5,
  geoidSeparationM: 0,
  leverArmXM: 0,
  leverArmYM: 0,
  latLonDecimals: 6,
};

const MPS_TO_KNOTS = 3600 / 1852;
const MPS_TO_KMH = 3.6;

/** What the receiver measured at one epoch (truth plus errors), before formatting. */
export interface GnssEpoch {
  northM: number;
  eastM: number;
  velNorthMps: number;
  velEastMps: number;
  hdop: number;
  satellites: number;
}

export class SimGnss implements SimSensor {
  readonly periodNs: number;
  readonly source: SimByteSource;
  /** The last epoch's measurement in local NED (NaN before the first), for reports. */
  readonly last: GnssEpoch = { northM: NaN, eastM: NaN, velNorthMps: NaN, velEastMps: NaN, hdop: NaN, satellites: 0 };
  private readonly o: GnssSensorOptions;
  private readonly rng: Rng;
  private readonly biasN: GaussMarkov;
  private readonly biasE: GaussMarkov;
  private readonly biasAlt: GaussMarkov;
  private readonly hdopGm: GaussMarkov;
  private readonly satGm: GaussMarkov;
  private lastTS = 0;

  constructor(options: GnssSensorOptions, seed: number, name = 'sim.gnss') {
    this.o = { ...options, sentences: [...options.sentences] };
    this.periodNs = periodNsOf(options.rateHz, 'sensors.gnss');
    this.rng = new Rng(seed, 'sensor.gnss');
    this.biasN = new GaussMarkov(this.rng, options.biasTimeConstantS, options.biasSigmaM);
    this.biasE = new GaussMarkov(this.rng, options.biasTimeConstantS, options.biasSigmaM);
    this.biasAlt = new GaussMarkov(this.rng, options.biasTimeConstantS, options.altitudeSigmaM);
    this.hdopGm = new GaussMarkov(this.rng, options.hdopTimeConstantS, options.hdopSigma);
    this.satGm = new GaussMarkov(this.rng, options.hdopTimeConstantS, options.satellitesSigma);
    this.source = new SimByteSource(name);
  }

  sample(t: SensorTruth): void {
    const o = this.o;
    const f = t.faults;
    const dt = t.tS - this.lastTS;
    this.lastTS = t.tS;
    // Every random draw happens every epoch, fault or not, so a fault never shifts later noise.
    const bN = this.biasN.step(dt);
    const bE = this.biasE.step(dt);
    const bA = this.biasAlt.step(dt);
    const hdopNoise = this.hdopGm.step(dt);
    const satNoise = this.satGm.step(dt);
    const wN = this.rng.normal();
    const wE = this.rng.normal();
    const vN = this.rng.normal();
    const vE = this.rng.normal();

    const s = t.state;
    const c = Math.cos(s.yawRad);
    const sn = Math.sin(s.yawRad);
    const ax = o.leverArmXM;
    const ay = o.leverArmYM;
    const k = f.gnssNoiseFactor;
    const north = s.northM + c * ax - sn * ay + k * (bN + o.whiteSigmaM * wN) + f.gnssOffsetNorthM;
    const east = s.eastM + sn * ax + c * ay + k * (bE + o.whiteSigmaM * wE) + f.gnssOffsetEastM;
    // Antenna velocity: body velocity plus r x lever arm, rotated to NED.
    const ub = s.uMps - s.rRadps * ay;
    const vb = s.vMps + s.rRadps * ax;
    const velN = ub * c - vb * sn + k * o.velocitySigmaMps * vN;
    const velE = ub * sn + vb * c + k * o.velocitySigmaMps * vE;
    const hdop = Math.min(99.99, Math.max(0.5, (o.hdopMean + hdopNoise) * k));
    const sats = Math.max(
      4,
      Math.min(o.satellitesMax, Math.max(o.satellitesMin, Math.round(o.satellitesMean + satNoise))) - f.gnssSatellitesLost,
    );
    const last = this.last;
    last.northM = north;
    last.eastM = east;
    last.velNorthMps = velN;
    last.velEastMps = velE;
    last.hdop = hdop;
    last.satellites = sats;

    if (f.gnssDropout === 'silent') return;
    const valid = f.gnssDropout === 'none';
    const time = nmeaTime(t.utcMs);
    const geo = t.frame.toGeo({ northM: north, eastM: east });
    const [lat, ns] = nmeaAngle(geo.latDeg, true, o.latLonDecimals);
    const [lon, ew] = nmeaAngle(geo.lonDeg, false, o.latLonDecimals);
    const speed = Math.hypot(velN, velE);
    let courseDeg = (Math.atan2(velE, velN) * 180) / Math.PI;
    if (courseDeg < 0) courseDeg += 360;
    const course = speed >= o.courseMinSpeedMps ? courseDeg.toFixed(2) : '';
    const kn = (speed * MPS_TO_KNOTS).toFixed(3);
    const kmh = (speed * MPS_TO_KMH).toFixed(3);
    const alt = (o.altitudeM + k * bA).toFixed(1);

    let text = '';
    for (const sentence of o.sentences) {
      if (sentence === 'GGA') {
        text += valid
          ? frameSentence(`${o.talker}GGA,${time},${lat},${ns},${lon},${ew},1,${pad2(sats)},${hdop.toFixed(2)},${alt},M,${o.geoidSeparationM.toFixed(1)},M,,`)
          : frameSentence(`${o.talker}GGA,${time},,,,,0,00,99.99,,,,,,`);
      } else if (sentence === 'RMC') {
        const date = nmeaDate(t.utcMs);
        text += valid
          ? frameSentence(`${o.talker}RMC,${time},A,${lat},${ns},${lon},${ew},${kn},${course},${date},,,A`)
          : frameSentence(`${o.talker}RMC,${time},V,,,,,,,${date},,,N`);
      } else if (sentence === 'VTG') {
        text += valid
          ? frameSentence(`${o.talker}VTG,${course},T,,M,${kn},N,${kmh},K,A`)
          : frameSentence(`${o.talker}VTG,,T,,M,,N,,K,N`);
      }
    }
    this.source.emitText(text, t.stampNs);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
