// The WGSL kernel of the GPU backend and its descriptor (uniform fields, bindings, entry points).
//
// Three passes per optimisation, one command buffer:
//   rollout  — one invocation per sample k: draws its perturbations from the same counter-based
//              generator as rng.ts, rolls the model of rollout.ts over the whole horizon, scores
//              every critic of critics/* on the fly (no state is stored, only the commands the
//              update averages) and writes its total cost;
//   weigh    — one workgroup: tree reductions (Harris, "Optimizing Parallel Reduction in CUDA",
//              2007) of the minimum cost, then of sum(w), sum(w²) and sum(w S) with
//              w = exp(-(S - min) / lambda) (update.ts, Williams et al. 2018);
//   average  — one workgroup per (thruster, step): the weighted mean command, the new nominal.
// Only the new nominal (2T floats) and four statistics are read back.
//
// The arithmetic mirrors the TypeScript line by line, in the same order, so that the two
// backends agree to f32 rounding (the CPU keeps its running state in f64; see gpu.test.ts).

import { COURSE_SOFT_MPS, TURN_FREE_COS } from '../critics/path.ts';

/** The uniform block, in struct order; every field is 4 bytes (u32 where marked). */
export const PARAM_FIELDS = [
  'samples:u32', 'steps:u32', 'sigma', 'alpha', 'innov', 'invLambda',
  'm11', 'm22', 'm33', 'xu', 'yv', 'nr', 'xuu', 'yvv', 'nrr', 'arm', 'maxFwd', 'maxRev', 'lag', 'dt',
  'wPath', 'wHead', 'wCourse', 'wTurn', 'wGoal', 'wSpeed', 'wAstern', 'wEffort', 'wSmooth', 'wLimits', 'wRate', 'wGeo', 'wShallow', 'wInfo',
  'softFwd', 'softRev', 'maxStep', 'inv2', 'margin', 'crash', 'need', 'kSigma', 'pad0',
] as const;
/** Bytes of the uniform block (a multiple of 16, as uniform buffers require). */
export const PARAM_BYTES = Math.ceil((PARAM_FIELDS.length * 4) / 16) * 16;

/** Binding numbers of group 0; `read` bindings are read-only storage. */
export const BINDINGS = {
  params: { binding: 0, kind: 'uniform' },
  problem: { binding: 1, kind: 'read' },
  nominal: { binding: 2, kind: 'read' },
  fence: { binding: 3, kind: 'read' },
  map: { binding: 4, kind: 'read' },
  controls: { binding: 5, kind: 'readWrite' },
  costs: { binding: 6, kind: 'readWrite' },
  weights: { binding: 7, kind: 'readWrite' },
  stats: { binding: 8, kind: 'readWrite' },
  nominalOut: { binding: 9, kind: 'readWrite' },
} as const;

/** stats[]: what the weigh pass leaves for the host (UpdateResult). */
export const STATS = { minCost: 0, weightSum: 1, meanCost: 2, effectiveSamples: 3 } as const;
export const STATS_FLOATS = 4;

export const ROLLOUT_WORKGROUP = 64;
export const REDUCE_WORKGROUP = 256;
export const ENTRY = { rollout: 'rollout', weigh: 'weigh', average: 'average' } as const;

function paramStruct(): string {
  const fields = PARAM_FIELDS.map((f) => {
    const [name, type] = f.split(':');
    return `  ${name}: ${type ?? 'f32'},`;
  });
  return `struct Params {\n${fields.join('\n')}\n}`;
}

// Problem word indices (problem.ts P) and grid header (grid.ts G), repeated as WGSL constants.
const PROBLEM_CONSTANTS = `
const P_N = 0u; const P_E = 1u; const P_PSI = 2u; const P_U = 3u; const P_V = 4u; const P_R = 5u;
const P_TL = 6u; const P_TR = 7u; const P_CUR_N = 8u; const P_CUR_E = 9u;
const P_A_FROM_N = 10u; const P_A_FROM_E = 11u; const P_A_TO_N = 12u; const P_A_TO_E = 13u;
const P_B_FROM_N = 14u; const P_B_FROM_E = 15u; const P_B_TO_N = 16u; const P_B_TO_E = 17u;
const P_HAS_B = 18u; const P_GOAL_N = 19u; const P_GOAL_E = 20u; const P_U_REF = 21u;
const P_LAST_L = 22u; const P_LAST_R = 23u; const P_THRUST_GAIN = 24u; const P_YAW_BIAS = 25u; const P_SEED = 30u; const P_ITERATION = 31u;
const G_MIN_N = 0u; const G_MIN_E = 1u; const G_CELL = 2u; const G_ROWS = 3u; const G_COLS = 4u; const G_VALID = 5u;
const GRID_HEADER = 8u;
`;

/** The whole WGSL module. */
export const KERNEL_WGSL = `${paramStruct()}
${PROBLEM_CONSTANTS}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> problem: array<f32, 32>;
@group(0) @binding(2) var<storage, read> nominal: array<f32>;
@group(0) @binding(3) var<storage, read> fence: array<f32>;
@group(0) @binding(4) var<storage, read> depthMap: array<f32>;
@group(0) @binding(5) var<storage, read_write> controls: array<f32>;
@group(0) @binding(6) var<storage, read_write> costs: array<f32>;
@group(0) @binding(7) var<storage, read_write> weights: array<f32>;
@group(0) @binding(8) var<storage, read_write> stats: array<f32, 4>;
@group(0) @binding(9) var<storage, read_write> nominalOut: array<f32>;

// rng.ts pcgHash: Jarzynski & Olano (JCGT 2020), u32 arithmetic wraps as Math.imul does.
fn pcg_hash(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// rng.ts centredByteSum: an integer, exact in f32.
fn centred_byte_sum(w: u32) -> f32 {
  let s = (w & 255u) + ((w >> 8u) & 255u) + ((w >> 16u) & 255u) + (w >> 24u);
  return f32(i32(s) - 510);
}

const SQRT3_OVER_256: f32 = 0.006765823467065926;
// critics/path.ts COURSE_SOFT_MPS squared.
const COURSE_SOFT2: f32 = ${COURSE_SOFT_MPS * COURSE_SOFT_MPS};
const TURN_FREE_COS: f32 = ${TURN_FREE_COS};
const BIG: f32 = 3.0e38;

// Neither NaN nor infinite, from the bits: comparisons with NaN may be folded by the compiler.
fn finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// grid.ts sampleBilinear on the fence grid.
fn fence_at(n: f32, e: f32) -> f32 {
  let rows = fence[G_ROWS];
  let cols = fence[G_COLS];
  let cell = fence[G_CELL];
  var fy = (n - fence[G_MIN_N]) / cell - 0.5;
  var fx = (e - fence[G_MIN_E]) / cell - 0.5;
  var outside = 0.0;
  if (fy < 0.0) { outside += -fy; fy = 0.0; }
  if (fy > rows - 1.0) { outside += fy - (rows - 1.0); fy = rows - 1.0; }
  if (fx < 0.0) { outside += -fx; fx = 0.0; }
  if (fx > cols - 1.0) { outside += fx - (cols - 1.0); fx = cols - 1.0; }
  let y0 = min(rows - 2.0, floor(fy));
  let x0 = min(cols - 2.0, floor(fx));
  let ty = fy - y0;
  let tx = fx - x0;
  let c = u32(cols);
  let i = GRID_HEADER + u32(y0) * c + u32(x0);
  let a = fence[i] + (fence[i + 1u] - fence[i]) * tx;
  let b = fence[i + c] + (fence[i + c + 1u] - fence[i + c]) * tx;
  return a + (b - a) * ty - outside * cell;
}

// grid.ts cellIndex on the depth map, -1 outside (and for NaN positions).
fn map_cell(n: f32, e: f32) -> i32 {
  let row = floor((n - depthMap[G_MIN_N]) / depthMap[G_CELL]);
  let col = floor((e - depthMap[G_MIN_E]) / depthMap[G_CELL]);
  if (!(row >= 0.0 && col >= 0.0 && row < depthMap[G_ROWS] && col < depthMap[G_COLS])) { return -1; }
  return i32(row * depthMap[G_COLS] + col);
}

@compute @workgroup_size(${ROLLOUT_WORKGROUP})
fn ${ENTRY.rollout}(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  let K = prm.samples;
  let T = prm.steps;
  if (k >= K) { return; }
  let key = pcg_hash(pcg_hash(bitcast<u32>(problem[P_SEED])) ^ bitcast<u32>(problem[P_ITERATION]));
  let curN = problem[P_CUR_N];
  let curE = problem[P_CUR_E];
  let gain = problem[P_THRUST_GAIN];
  let yawBias = problem[P_YAW_BIAS];
  var n = problem[P_N]; var e = problem[P_E]; var psi = problem[P_PSI];
  var u = problem[P_U]; var v = problem[P_V]; var r = problem[P_R];
  var tl = problem[P_TL]; var tr = problem[P_TR];
  var epsL = 0.0; var epsR = 0.0;
  var cy = cos(psi);
  var sy = sin(psi);
  let perturbed = k > 0u;

  // path.ts: the active leg a and the next leg b, unit directions.
  let aN = problem[P_A_FROM_N]; let aE = problem[P_A_FROM_E];
  var adN = problem[P_A_TO_N] - aN; var adE = problem[P_A_TO_E] - aE;
  let aLen = sqrt(adN * adN + adE * adE);
  if (aLen > 1e-6) { adN /= aLen; adE /= aLen; } else { adN = 1.0; adE = 0.0; }
  let bN = problem[P_B_FROM_N]; let bE = problem[P_B_FROM_E];
  var bdN = problem[P_B_TO_N] - bN; var bdE = problem[P_B_TO_E] - bE;
  let bLen = sqrt(bdN * bdN + bdE * bdE);
  if (bLen > 1e-6) { bdN /= bLen; bdE /= bLen; } else { bdN = adN; bdE = adE; }
  let hasB = problem[P_HAS_B] > 0.5;
  let uRef = problem[P_U_REF];
  let mapValid = depthMap[G_VALID] >= 0.5;
  let plane = u32(depthMap[G_ROWS] * depthMap[G_COLS]);

  var pathAcc = 0.0; var speedAcc = 0.0; var asternAcc = 0.0; var effortAcc = 0.0; var changeAcc = 0.0;
  var overAcc = 0.0; var fastAcc = 0.0; var geoAcc = 0.0; var shallowAcc = 0.0; var infoAcc = 0.0;
  var prevL = problem[P_LAST_L];
  var prevR = problem[P_LAST_R];
  let base = k * T;
  let right = K * T;

  for (var t = 0u; t < T; t++) {
    // rollout.ts: coloured perturbations (AR(1)), clamped commands.
    if (perturbed) {
      let ha = pcg_hash(key + base + t);
      let hb = pcg_hash(ha ^ 0x9e3779b9u);
      let z0 = centred_byte_sum(ha) * SQRT3_OVER_256;
      let z1 = centred_byte_sum(hb) * SQRT3_OVER_256;
      if (t == 0u) { epsL = prm.sigma * z0; epsR = prm.sigma * z1; }
      else { epsL = prm.alpha * epsL + prm.innov * prm.sigma * z0; epsR = prm.alpha * epsR + prm.innov * prm.sigma * z1; }
    }
    let cl = clamp(nominal[t] + epsL, -prm.maxRev, prm.maxFwd);
    let cr = clamp(nominal[T + t] + epsR, -prm.maxRev, prm.maxFwd);
    controls[base + t] = cl;
    controls[right + base + t] = cr;

    // model.ts stepModel as rollout.ts inlines it: thrust lag, then Euler with the current.
    tl += prm.lag * (gain * cl - tl);
    tr += prm.lag * (gain * cr - tr);
    let uc = curN * cy + curE * sy;
    let vc = -curN * sy + curE * cy;
    let ur = u - uc;
    let vr = v - vc;
    let dX = -(prm.xu + prm.xuu * abs(ur)) * ur;
    let dY = -(prm.yv + prm.yvv * abs(vr)) * vr;
    let dN = -(prm.nr + prm.nrr * abs(r)) * r;
    let urDot = (tl + tr + prm.m22 * vr * r - dX) / prm.m11;
    let vrDot = (-prm.m11 * ur * r - dY) / prm.m22;
    let rDot = (prm.arm * (tl - tr) - (prm.m22 - prm.m11) * ur * vr - dN) / prm.m33 + yawBias;
    n += (u * cy - v * sy) * prm.dt;
    e += (u * sy + v * cy) * prm.dt;
    let ang = r * prm.dt;
    let a2 = ang * ang;
    let ca = 1.0 - a2 * (0.5 - a2 / 24.0);
    let sa = ang * (1.0 - a2 / 6.0);
    let cy1 = cy * ca - sy * sa;
    sy = sy * ca + cy * sa;
    cy = cy1;
    psi += ang;
    u += (urDot + r * vc) * prm.dt;
    v += (vrDot - r * uc) * prm.dt;
    r += rDot * prm.dt;

    // critics/path.ts (and legs.ts)
    let rn = n - aN;
    let re = e - aE;
    var xt = -rn * adE + re * adN;
    var cN = adN; var cE = adE;
    if (hasB && rn * adN + re * adE > aLen) {
      xt = -(n - bN) * bdE + (e - bE) * bdN;
      cN = bdN; cE = bdE;
    }
    let along = u * (cy * cN + sy * cE) + v * (cy * cE - sy * cN);
    let course = 1.0 - along / sqrt(u * u + v * v + COURSE_SOFT2);
    let cosErr = cy * cN + sy * cE;
    var turn = 0.0;
    if (cosErr < TURN_FREE_COS) { turn = TURN_FREE_COS - cosErr; }
    pathAcc += prm.wPath * xt * xt + prm.wHead * (1.0 - cosErr) + prm.wCourse * course + prm.wTurn * turn;
    // critics/speed.ts: the speed over ground along the same leg.
    let du = along - uRef;
    speedAcc += du * du;
    let urw = u - (curN * cy + curE * sy);
    if (urw < 0.0) { asternAcc += urw * urw; }
    // critics/effort.ts
    effortAcc += cl * cl + cr * cr;
    changeAcc += (cl - prevL) * (cl - prevL) + (cr - prevR) * (cr - prevR);
    // critics/limits.ts
    var ol = 0.0;
    if (cl > prm.softFwd) { ol = cl - prm.softFwd; } else if (cl < -prm.softRev) { ol = -prm.softRev - cl; }
    var orr = 0.0;
    if (cr > prm.softFwd) { orr = cr - prm.softFwd; } else if (cr < -prm.softRev) { orr = -prm.softRev - cr; }
    overAcc += ol * ol + orr * orr;
    let dl = abs(cl - prevL) - prm.maxStep;
    let dr = abs(cr - prevR) - prm.maxStep;
    if (dl > 0.0) { fastAcc += dl * dl; }
    if (dr > 0.0) { fastAcc += dr * dr; }
    prevL = cl;
    prevR = cr;
    // critics/geofence.ts
    if (prm.wGeo != 0.0) {
      let d = fence_at(n, e);
      if (d < prm.margin) {
        geoAcc += prm.wGeo * (prm.margin - d) * (prm.margin - d);
        if (d < 0.0) { geoAcc += prm.crash; }
      }
    }
    // critics/shallow.ts and critics/information.ts; unknown (NaN) cells count nothing.
    if (mapValid && (prm.wShallow != 0.0 || prm.wInfo != 0.0)) {
      let c = map_cell(n, e);
      if (c >= 0) {
        let mean = depthMap[GRID_HEADER + u32(c)];
        let sd = depthMap[GRID_HEADER + plane + u32(c)];
        let depth = mean - prm.kSigma * sd;
        if (finite(depth) && depth < prm.need) { shallowAcc += (prm.need - depth) * (prm.need - depth); }
        if (finite(sd) && sd > 0.0) { infoAcc += sd; }
      }
    }
  }
  // The critics add in critics/index.ts order.
  var cost = pathAcc;
  let gn = n - problem[P_GOAL_N];
  let ge = e - problem[P_GOAL_E];
  cost += prm.wGoal * (gn * gn + ge * ge);
  cost += prm.wSpeed * speedAcc + prm.wAstern * asternAcc;
  cost += (prm.wEffort * effortAcc + prm.wSmooth * changeAcc) * prm.inv2;
  cost += (prm.wLimits * overAcc + prm.wRate * fastAcc) * prm.inv2;
  cost += geoAcc;
  if (mapValid) { cost += prm.wShallow * shallowAcc; cost -= prm.wInfo * infoAcc; }
  costs[k] = cost;
}

var<workgroup> red0: array<f32, ${REDUCE_WORKGROUP}>;
var<workgroup> red1: array<f32, ${REDUCE_WORKGROUP}>;
var<workgroup> red2: array<f32, ${REDUCE_WORKGROUP}>;

@compute @workgroup_size(${REDUCE_WORKGROUP})
fn ${ENTRY.weigh}(@builtin(local_invocation_index) li: u32) {
  let K = prm.samples;
  var m = BIG;
  for (var k = li; k < K; k += ${REDUCE_WORKGROUP}u) {
    let s = costs[k];
    if (finite(s) && s < m) { m = s; }
  }
  red0[li] = m;
  workgroupBarrier();
  for (var w = ${REDUCE_WORKGROUP / 2}u; w > 0u; w >>= 1u) {
    if (li < w) { red0[li] = min(red0[li], red0[li + w]); }
    workgroupBarrier();
  }
  let mn = workgroupUniformLoad(&red0[0]);
  var s1 = 0.0; var s2 = 0.0; var s3 = 0.0;
  for (var k = li; k < K; k += ${REDUCE_WORKGROUP}u) {
    let s = costs[k];
    var w = 0.0;
    if (finite(s) && mn < BIG) { w = exp(-(s - mn) * prm.invLambda); }
    weights[k] = w;
    s1 += w; s2 += w * w; s3 += w * s;
  }
  red0[li] = s1; red1[li] = s2; red2[li] = s3;
  workgroupBarrier();
  for (var w = ${REDUCE_WORKGROUP / 2}u; w > 0u; w >>= 1u) {
    if (li < w) { red0[li] += red0[li + w]; red1[li] += red1[li + w]; red2[li] += red2[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let sum = red0[0];
    stats[${STATS.minCost}] = mn;
    stats[${STATS.weightSum}] = sum;
    stats[${STATS.meanCost}] = select(0.0, red2[0] / sum, sum > 0.0);
    stats[${STATS.effectiveSamples}] = select(0.0, sum * sum / red1[0], red1[0] > 0.0);
  }
}

@compute @workgroup_size(${REDUCE_WORKGROUP})
fn ${ENTRY.average}(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3u) {
  let K = prm.samples;
  let T = prm.steps;
  let j = wg.x;
  let ch = j / T;
  let t = j - ch * T;
  let sum = stats[${STATS.weightSum}];
  var acc = 0.0;
  if (sum > 0.0) {
    for (var k = li; k < K; k += ${REDUCE_WORKGROUP}u) {
      let w = weights[k] / sum;
      // update.ts skips the negligible weights the same way.
      if (w >= 1e-12) { acc += w * controls[ch * K * T + k * T + t]; }
    }
  }
  red0[li] = acc;
  workgroupBarrier();
  for (var w = ${REDUCE_WORKGROUP / 2}u; w > 0u; w >>= 1u) {
    if (li < w) { red0[li] += red0[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) { nominalOut[j] = select(nominal[j], red0[0], sum > 0.0); }
}
`;
