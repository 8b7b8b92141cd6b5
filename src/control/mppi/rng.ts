// Counter-based random numbers, written identically here and in the WGSL kernel (gpu/kernel.ts)
// so that both backends draw the same perturbations for the same seed.
//
// PCG hash: Jarzynski & Olano, "Hash Functions for GPU Rendering", JCGT 9(3), 2020 — the
// output permutation of O'Neill's PCG (RXS-M-XS) applied to one LCG step of the input.
// Normals by the Irwin-Hall sum of uniform bytes (see gaussianPair).

/** One PCG hash of a 32-bit word (as an unsigned integer). */
export function pcgHash(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The stream key of one optimisation: the seed and the iteration, mixed. */
export function streamKey(seed: number, iteration: number): number {
  return pcgHash((pcgHash(seed >>> 0) ^ (iteration >>> 0)) >>> 0);
}

const SQRT3_OVER_256 = Math.sqrt(3) / 256;

/** The pair of standard normals of gaussianPair(). */
export interface NormalPair {
  z0: number;
  z1: number;
}

/** Sum of the four bytes of a word less their mean (4 x 127.5), exact in float32 too. */
function centredByteSum(w: number): number {
  return (w & 255) + ((w >>> 8) & 255) + ((w >>> 16) & 255) + (w >>> 24) - 510;
}

/**
 * The pair of independent, approximately standard normals number `index` of the stream `key`.
 * Each is an Irwin-Hall sum of four uniform bytes of one hash, centred and scaled to unit
 * variance: sum of 4 U(0,1) has variance 4/12, so z = (sum - 2) sqrt(3). The tails stop at
 * +-3.46 sigma, which exploration noise does not miss, and it needs no log or trigonometry:
 * Box-Muller cost ~3x more per draw here, and the noise is half of a rollout's work.
 */
export function gaussianPair(key: number, index: number, out: NormalPair): NormalPair {
  const a = pcgHash((key + index) >>> 0);
  const b = pcgHash((a ^ 0x9e3779b9) >>> 0);
  out.z0 = centredByteSum(a) * SQRT3_OVER_256;
  out.z1 = centredByteSum(b) * SQRT3_OVER_256;
  return out;
}
