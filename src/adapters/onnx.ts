// ONNX Runtime adapter: the only module that imports onnxruntime-node.
//
// Detection runs inside synchronous bus handlers on the runtime's clock (virtual time in
// simulation), so a window must be scored before the next message is handled. The public
// InferenceSession.run() defers to setImmediate; the package's native binding underneath it is
// synchronous, and this adapter calls that binding directly (same session, same kernels). If the
// binding cannot be reached the load fails with a clear error and the caller falls back.
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';

interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, null>, options: object): Record<string, ort.Tensor>;
  readonly inputMetadata: Array<{ name: string }>;
  readonly outputMetadata: Array<{ name: string }>;
  dispose(): void;
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

export class OnnxLoadError extends Error {
  override readonly name = 'OnnxLoadError';
}

export interface OnnxSessionOptions {
  /** Execution providers in priority order; 'cpu' is always appended last. */
  executionProviders: string[];
  /** Threads for one inference: 1 keeps a window's latency flat on a 2-core machine. */
  intraOpNumThreads: number;
}

export const DEFAULT_ONNX_SESSION_OPTIONS: OnnxSessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1 };

function loadBinding(): NativeBinding {
  const require = createRequire(import.meta.url);
  try {
    return require('onnxruntime-node/dist/binding.js') as NativeBinding;
  } catch (error) {
    throw new OnnxLoadError(`onnxruntime-node's native binding could not be loaded: ${(error as Error).message}`);
  }
}

/** A loaded model with one float32 input [batch, inputWidth] and one float32 output. */
export class OnnxModel {
  private readonly session: NativeSession;
  private readonly input: Float32Array;
  private readonly tensor: ort.Tensor;
  private readonly fetches: Record<string, null>;
  readonly providers: string[];

  /** Loads a serialised model synchronously; throws OnnxLoadError naming what failed. */
  constructor(
    bytes: Uint8Array,
    readonly inputName: string,
    readonly outputName: string,
    readonly inputWidth: number,
    options: OnnxSessionOptions = DEFAULT_ONNX_SESSION_OPTIONS,
  ) {
    const native = loadBinding();
    this.providers = [...new Set([...options.executionProviders, 'cpu'])];
    try {
      native.initOrt();
      this.session = new native.binding.InferenceSession();
      this.session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
        executionProviders: this.providers,
        intraOpNumThreads: options.intraOpNumThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new OnnxLoadError(`ONNX model could not be loaded (providers ${this.providers.join(', ')}): ${(error as Error).message}`);
    }
    const inputs = this.session.inputMetadata.map((m) => m.name);
    const outputs = this.session.outputMetadata.map((m) => m.name);
    if (!inputs.includes(inputName)) throw new OnnxLoadError(`ONNX model has no input '${inputName}' (it has ${inputs.join(', ')})`);
    if (!outputs.includes(outputName)) throw new OnnxLoadError(`ONNX model has no output '${outputName}' (it has ${outputs.join(', ')})`);
    this.input = new Float32Array(inputWidth);
    this.tensor = new ort.Tensor('float32', this.input, [1, inputWidth]);
    this.fetches = { [outputName]: null };
  }

  /** Runs one window (batch 1) and writes the output into `out`. */
  run(x: ArrayLike<number>, out: Float64Array): void {
    for (let k = 0; k < this.inputWidth; k++) this.input[k] = x[k];
    const result = this.session.run({ [this.inputName]: this.tensor }, this.fetches, {});
    const data = result[this.outputName].data as Float32Array;
    for (let k = 0; k < out.length; k++) out[k] = data[k];
  }

  /** Runs a batch of windows (row-major) with the asynchronous public API, for offline evaluation. */
  static async runBatch(bytes: Uint8Array, inputName: string, outputName: string, rows: Float32Array, width: number): Promise<Float32Array> {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
    try {
      const result = await session.run({ [inputName]: new ort.Tensor('float32', rows, [rows.length / width, width]) });
      return Float32Array.from(result[outputName].data as Float32Array);
    } finally {
      await session.release();
    }
  }

  dispose(): void {
    this.session.dispose();
  }
}
