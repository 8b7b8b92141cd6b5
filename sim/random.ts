// Seeded randomness for the simulator: bit-for-bit repeatable runs from one integer seed.
//
// Generator: xoshiro128** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", 2018; reference constants: rotl(s1 * 5, 7) * 9, shift 9, rotation 11). It works
// on 32-bit words, which JavaScript does exactly with Math.imul and >>> 0, so the sequence is
// identical on every engine. State is seeded through splitmix32-style mixing (MurmurHash3's
// fmix32 finaliser: 0x85ebca6b, 0xc2b2ae35) so that nearby seeds give unrelated streams.
//
// Each consumer (one per sensor, the world, the disturbances, the faults) draws from its own
// named stream: changing one sensor's rate or noise never changes another's samples.

const GOLDEN_32 = 0x9e3779b9;

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a stream name (offset basis 0x811c9dc5, prime 0x01000193). */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second Box-Muller variate, kept for the next normal() call. */
  private spare = 0;
  private hasSpare = false;

  /** `seed` is any finite number (its integer part is used); `stream` names an independent sequence. */
  constructor(seed: number, stream = '') {
    const s = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    const lo = s >>> 0;
    const hi = Math.floor(s / 4294967296) >>> 0;
    let x = fmix32(lo ^ fmix32(hi ^ hashName(stream)));
    const next = (): number => {
      x = (x + GOLDEN_32) >>> 0;
      return fmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // The all-zero state is the one state xoshiro cannot leave.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5; // 27 bits
    const b = this.nextU32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer uniform in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal variate (Box-Muller; both variates are used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // 1 - uniform() is in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const rad = Math.sqrt(-2 * Math.log(u1));
    const th = 2 * Math.PI * u2;
    this.spare = rad * Math.sin(th);
    this.hasSpare = true;
    return rad * Math.cos(th);
  }

  /** Normal variate with the given mean and standard deviation. */
  gaussian(mean: number, sigma: number): number {
    return mean + sigma * this.normal();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * First-order Gauss-Markov process (an Ornstein-Uhlenbeck process sampled exactly): correlation
 * time `tauS`, stationary standard deviation `sigma`. Starts from its stationary distribution.
 */
export class GaussMarkov {
  value: number;
  constructor(
    private readonly rng: Rng,
    private readonly tauS: number,
    private readonly sigma: number,
  ) {
    this.value = sigma > 0 ? sigma * rng.normal() : 0;
  }

  /** Advances by dtS and returns the new value. */
  step(dtS: number): number {
    if (!(this.sigma > 0) || !(dtS > 0)) return this.value;
    const a = this.tauS > 0 ? Math.exp(-dtS / this.tauS) : 0;
    this.value = a * this.value + this.sigma * Math.sqrt(1 - a * a) * this.rng.normal();
    return this.value;
  }
}

/** Random walk: the standard deviation grows as `sigmaPerSqrtS` * sqrt(t). */
export class RandomWalk {
  value: number;
  constructor(
    private readonly rng: Rng,
    private readonly sigmaPerSqrtS: number,
    initial = 0,
  ) {
    this.value = initial;
  }

  step(dtS: number): number {
    if (this.sigmaPerSqrtS > 0 && dtS > 0) {
      this.value += this.sigmaPerSqrtS * Math.sqrt(dtS) * this.rng.normal();
    }
    return this.value;
  }
}
