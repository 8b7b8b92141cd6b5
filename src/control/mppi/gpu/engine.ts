// The GPU optimisation, asynchronous: buffers and pipelines for one (K, T), then per call the
// problem and the nominal are written, the three passes of kernel.ts run in one submission and
// only the new nominal and four statistics come back. Any GPU failure (device lost, a pipeline
// that does not build, a rejected mapAsync) surfaces as a rejected run() and sets `failed`;
// the caller (GpuMppi) then falls back to the CPU for good.
import type { GpuHandle } from '../../../adapters/webgpu.ts';
import { M } from '../model.ts';
import { PROBLEM_FLOATS } from '../problem.ts';
import type { MppiSettings } from '../settings.ts';
import type { UpdateResult } from '../update.ts';
import { BINDINGS, ENTRY, KERNEL_WGSL, PARAM_BYTES, PARAM_FIELDS, REDUCE_WORKGROUP, ROLLOUT_WORKGROUP, STATS, STATS_FLOATS } from './kernel.ts';

export interface GpuEngineOptions {
  settings: MppiSettings;
  /** Model coefficients (model.ts modelCoefficients). */
  model: Float64Array;
  /** Signed distance to the shore (grid.ts). */
  fence: Float32Array;
  /** Floats of the depth-map grid (header + mean and std planes), fixed for the run. */
  mapFloats: number;
}

/** The uniform block for these settings and this model, packed in PARAM_FIELDS order. */
export function packParams(s: MppiSettings, c: Float64Array): ArrayBuffer {
  const w = s.weights;
  const values: Record<string, number> = {
    samples: s.samples, steps: s.horizonSteps, sigma: s.noiseSigmaN, alpha: s.noiseSmoothing,
    innov: Math.sqrt(1 - s.noiseSmoothing * s.noiseSmoothing), invLambda: 1 / s.temperature,
    m11: c[M.m11], m22: c[M.m22], m33: c[M.m33], xu: c[M.xu], yv: c[M.yv], nr: c[M.nr],
    xuu: c[M.xuu], yvv: c[M.yvv], nrr: c[M.nrr], arm: c[M.armM], maxFwd: c[M.maxFwdN], maxRev: c[M.maxRevN],
    lag: c[M.lagAlpha], dt: c[M.dtS],
    wPath: w.path, wHead: w.heading, wCourse: w.course, wTurn: w.turn, wGoal: w.goal, wSpeed: w.speed, wAstern: w.astern, wEffort: w.effort, wSmooth: w.smoothness,
    wLimits: w.limits, wRate: w.rateLimit, wGeo: w.geofence, wShallow: w.shallow, wInfo: w.information,
    softFwd: c[M.maxFwdN] * s.thrustSoftLimitFraction, softRev: c[M.maxRevN] * s.thrustSoftLimitFraction,
    maxStep: s.thrustRateLimitNps * c[M.dtS], inv2: 1 / (c[M.maxFwdN] * c[M.maxFwdN]),
    margin: s.shoreMarginM, crash: s.collisionCost, need: s.clearanceMarginM + c[M.draftM], kSigma: s.depthSigmaFactor, pad0: 0,
  };
  const buf = new ArrayBuffer(PARAM_BYTES);
  const f = new Float32Array(buf);
  const u = new Uint32Array(buf);
  PARAM_FIELDS.forEach((field, i) => {
    const [name, type] = field.split(':');
    if (type === 'u32') u[i] = values[name] >>> 0;
    else f[i] = values[name];
  });
  return buf;
}

const KIND_LAYOUT: Record<string, GPUBufferBindingLayout> = {
  uniform: { type: 'uniform' },
  read: { type: 'read-only-storage' },
  readWrite: { type: 'storage' },
};

export class GpuEngine {
  /** Set once the device is lost or a run failed; later runs reject at once. */
  failed?: string;
  private readonly K: number;
  private readonly T: number;
  private readonly buffers: Record<keyof typeof BINDINGS, GPUBuffer>;
  private readonly readback: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private readonly pipelines: Record<keyof typeof ENTRY, GPUComputePipeline>;
  private readonly outFloats: number;
  private destroyed = false;

  private constructor(
    readonly device: GPUDevice,
    readonly description: string,
    o: GpuEngineOptions,
    pipelines: Record<keyof typeof ENTRY, GPUComputePipeline>,
    layout: GPUBindGroupLayout,
  ) {
    this.K = o.settings.samples;
    this.T = o.settings.horizonSteps;
    this.pipelines = pipelines;
    const K = this.K, T = this.T;
    const S = GPUBufferUsage.STORAGE;
    const make = (bytes: number, usage: number) => device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
    this.buffers = {
      params: make(PARAM_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST),
      problem: make(PROBLEM_FLOATS * 4, S | GPUBufferUsage.COPY_DST),
      nominal: make(2 * T * 4, S | GPUBufferUsage.COPY_DST),
      fence: make(o.fence.length * 4, S | GPUBufferUsage.COPY_DST),
      map: make(o.mapFloats * 4, S | GPUBufferUsage.COPY_DST),
      controls: make(2 * K * T * 4, S),
      costs: make(K * 4, S),
      weights: make(K * 4, S),
      stats: make(STATS_FLOATS * 4, S | GPUBufferUsage.COPY_SRC),
      nominalOut: make(2 * T * 4, S | GPUBufferUsage.COPY_SRC),
    };
    this.outFloats = 2 * T + STATS_FLOATS;
    this.readback = make(this.outFloats * 4, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(this.buffers.params, 0, packParams(o.settings, o.model));
    device.queue.writeBuffer(this.buffers.fence, 0, o.fence);
    // No map until one arrives: header valid = 0 (zeros everywhere).
    this.bindGroup = device.createBindGroup({
      layout,
      entries: (Object.keys(BINDINGS) as (keyof typeof BINDINGS)[]).map((name) => ({ binding: BINDINGS[name].binding, resource: { buffer: this.buffers[name] } })),
    });
    void device.lost.then((info) => {
      if (!this.destroyed) this.failed ??= `device lost: ${info.reason} ${info.message}`;
    });
  }

  /** Builds the pipelines (rejects on a shader or pipeline failure) and the buffers. */
  static async create(handle: GpuHandle, o: GpuEngineOptions): Promise<GpuEngine> {
    const device = handle.device;
    const K = o.settings.samples, T = o.settings.horizonSteps;
    if (2 * K * T * 4 > handle.maxStorageBufferBindingSize) throw new Error(`K=${K}, T=${T} exceeds the adapter's storage buffer limit`);
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: KERNEL_WGSL });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) throw new Error(`WGSL: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
    const layout = device.createBindGroupLayout({
      entries: Object.values(BINDINGS).map((b) => ({ binding: b.binding, visibility: GPUShaderStage.COMPUTE, buffer: KIND_LAYOUT[b.kind] })),
    });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const build = (entryPoint: string) => device.createComputePipelineAsync({ layout: pipelineLayout, compute: { module, entryPoint } });
    const [rollout, weigh, average] = await Promise.all([build(ENTRY.rollout), build(ENTRY.weigh), build(ENTRY.average)]);
    const engine = new GpuEngine(device, handle.description, o, { rollout, weigh, average }, layout);
    const error = await device.popErrorScope();
    if (error) {
      engine.destroy();
      throw new Error(`GPU validation: ${error.message}`);
    }
    return engine;
  }

  /** Copies a depth-map grid (grid.ts layout, at most mapFloats long). */
  setMap(grid: Float32Array): void {
    if (this.failed || this.destroyed) return;
    this.device.queue.writeBuffer(this.buffers.map, 0, grid);
  }

  /**
   * One optimisation: `problem` (PROBLEM_FLOATS) and `nominal` (2T) in; the new nominal is
   * written into `nominal` and the statistics into `out`. One run at a time.
   */
  async run(problem: Float32Array, nominal: Float32Array, out: UpdateResult): Promise<UpdateResult> {
    if (this.failed) throw new Error(this.failed);
    const { device, buffers, pipelines } = this;
    device.queue.writeBuffer(buffers.problem, 0, problem.buffer, problem.byteOffset, PROBLEM_FLOATS * 4);
    device.queue.writeBuffer(buffers.nominal, 0, nominal.buffer, nominal.byteOffset, 2 * this.T * 4);
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setBindGroup(0, this.bindGroup);
    pass.setPipeline(pipelines.rollout);
    pass.dispatchWorkgroups(Math.ceil(this.K / ROLLOUT_WORKGROUP));
    pass.setPipeline(pipelines.weigh);
    pass.dispatchWorkgroups(1);
    pass.setPipeline(pipelines.average);
    pass.dispatchWorkgroups(2 * this.T);
    pass.end();
    enc.copyBufferToBuffer(buffers.nominalOut, 0, this.readback, 0, 2 * this.T * 4);
    enc.copyBufferToBuffer(buffers.stats, 0, this.readback, 2 * this.T * 4, STATS_FLOATS * 4);
    device.queue.submit([enc.finish()]);
    try {
      await this.readback.mapAsync(GPUMapMode.READ);
    } catch (error) {
      this.failed ??= `mapAsync rejected: ${String(error)}`;
      throw error;
    }
    const data = new Float32Array(this.readback.getMappedRange(0, this.outFloats * 4));
    const T2 = 2 * this.T;
    for (let i = 0; i < T2; i++) nominal[i] = data[i];
    const min = data[T2 + STATS.minCost];
    const valid = data[T2 + STATS.weightSum] > 0 && min < 3e38;
    out.minCost = valid ? min : NaN;
    out.meanCost = valid ? data[T2 + STATS.meanCost] : NaN;
    out.effectiveSamples = valid ? data[T2 + STATS.effectiveSamples] : 0;
    this.readback.unmap();
    return out;
  }

  /** Frees the buffers and the device. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of Object.values(this.buffers)) b.destroy();
    this.readback.destroy();
    this.device.destroy();
  }
}
