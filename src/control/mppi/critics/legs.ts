// The two legs the path and speed critics score against (the active leg a and the next leg b,
// problem.ts), with unit directions, read once per score() into a caller-owned scratch object.
// A predicted point past a's end belongs to b (when there is one); the critics test that inline,
// hasB && (n - aN)·adN + (e - aE)·adE > aLen, in their hot loops.
import { P } from '../problem.ts';

export interface LegPair {
  aN: number; aE: number; adN: number; adE: number; aLen: number;
  bN: number; bE: number; bdN: number; bdE: number;
  hasB: boolean;
}

export function createLegPair(): LegPair {
  return { aN: 0, aE: 0, adN: 1, adE: 0, aLen: 0, bN: 0, bE: 0, bdN: 1, bdE: 0, hasB: false };
}

/** Fills `out` from the problem block; a degenerate leg points north (a) or along a (b). */
export function readLegs(p: Float32Array, out: LegPair): LegPair {
  out.aN = p[P.aFromN]; out.aE = p[P.aFromE];
  let adN = p[P.aToN] - out.aN, adE = p[P.aToE] - out.aE;
  const aLen = Math.hypot(adN, adE);
  if (aLen > 1e-6) { adN /= aLen; adE /= aLen; } else { adN = 1; adE = 0; }
  out.adN = adN; out.adE = adE; out.aLen = aLen;
  out.bN = p[P.bFromN]; out.bE = p[P.bFromE];
  let bdN = p[P.bToN] - out.bN, bdE = p[P.bToE] - out.bE;
  const bLen = Math.hypot(bdN, bdE);
  if (bLen > 1e-6) { bdN /= bLen; bdE /= bLen; } else { bdN = adN; bdE = adE; }
  out.bdN = bdN; out.bdE = bdE;
  out.hasB = p[P.hasB] > 0.5;
  return out;
}
