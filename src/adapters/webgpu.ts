// WebGPU through Dawn's Node binding (the `webgpu` npm package): the only file that imports it.
// It puts the WebGPU globals (GPUBufferUsage, GPUMapMode, ...) on globalThis once, as a browser
// has them, and asks for an adapter and a device. No adapter is an answer, not an error: the
// caller falls back to the CPU. Dawn prints "... artificially reduced ..." warnings on stderr
// when it creates an instance; they are harmless.

/** What was found: the device, and the adapter's description for logs and reports. */
export interface GpuHandle {
  device: GPUDevice;
  /** e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" or the GPU's name. */
  description: string;
  /** A software adapter (Mesa lavapipe / SwiftShader): correct, but not a GPU's speed. */
  software: boolean;
  /** The adapter's limits the kernel sizes against. */
  maxStorageBufferBindingSize: number;
}

export interface OpenGpuOptions {
  /** Accept a software (fallback) adapter; 'auto' backends do not, tests and benches do. */
  allowSoftware: boolean;
}

let instance: GPU | undefined;

async function gpu(): Promise<GPU> {
  if (instance) return instance;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  instance = create([]);
  return instance;
}

/** The device of the first adapter, or undefined when there is none (or the binding fails to load). */
export async function openGpu(options: OpenGpuOptions): Promise<GpuHandle | undefined> {
  let g: GPU;
  try {
    g = await gpu();
  } catch {
    return undefined;
  }
  const adapter = await g.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return undefined;
  const info = adapter.info;
  const software = info.isFallbackAdapter === true || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader/i.test(info.description + info.device);
  if (software && !options.allowSoftware) return undefined;
  const maxStorageBufferBindingSize = adapter.limits.maxStorageBufferBindingSize;
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxStorageBuffersPerShaderStage: Math.min(10, adapter.limits.maxStorageBuffersPerShaderStage) } });
  const description = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
  return { device, description, software, maxStorageBufferBindingSize };
}
