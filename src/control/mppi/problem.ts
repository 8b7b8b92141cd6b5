// What one optimisation is asked: the start state, the current, the legs to follow, the goal,
// the speed reference and the corrections the estimator has learned for the model, as a flat float block (shared with workers and copied to the GPU
// as is). The seed and the iteration sit in its last two words as 32-bit unsigned integers.

export const P = {
  n: 0,
  e: 1,
  psi: 2,
  u: 3,
  v: 4,
  r: 5,
  tl: 6,
  tr: 7,
  curN: 8,
  curE: 9,
  aFromN: 10,
  aFromE: 11,
  aToN: 12,
  aToE: 13,
  bFromN: 14,
  bFromE: 15,
  bToN: 16,
  bToE: 17,
  hasB: 18,
  goalN: 19,
  goalE: 20,
  uRefMps: 21,
  lastCmdL: 22,
  lastCmdR: 23,
  /** Thrust delivered per unit commanded (1 = the model; the estimator's thrust effectiveness). */
  thrustGain: 24,
  /** Yaw acceleration the model does not explain, rad/s² (the estimator's estimate), added to r'. */
  yawAccelBias: 25,
  /** u32: the settings' seed. */
  seed: 30,
  /** u32: the optimisation's counter, so each draws fresh numbers. */
  iteration: 31,
} as const;
export const PROBLEM_FLOATS = 32;

/** The float view and a u32 view of the same problem block. */
export interface ProblemBlock {
  f: Float32Array;
  u: Uint32Array;
}

/** A problem block over `buffer`, zero but for a thrust gain of 1 (the model as it is). */
export function createProblem(buffer: ArrayBufferLike = new ArrayBuffer(PROBLEM_FLOATS * 4)): ProblemBlock {
  const block = { f: new Float32Array(buffer, 0, PROBLEM_FLOATS), u: new Uint32Array(buffer, 0, PROBLEM_FLOATS) };
  block.f[P.thrustGain] = 1;
  return block;
}
