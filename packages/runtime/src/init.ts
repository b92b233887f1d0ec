/**
 * Creating a device: find a WebGPU implementation, pick the best adapter, and request a
 * device with every feature and limit kernels can use (WebGPU's defaults are far below
 * what adapters offer, e.g. 256 MiB maxBufferSize and 16 KiB workgroup storage).
 */
import { describeAdapter, isSoftwareAdapter, pickAdapter, RAISED_LIMITS, USEFUL_FEATURES } from './adapter.ts';
import type { AdapterDescription } from './adapter.ts';
import { Device } from './device.ts';
import type { InitOptions } from './device.ts';
import { ArgumentError, DeviceError, NoAdapterError } from './errors.ts';
import { adoptedDevice, describeDevice, rememberAdopted } from './interop/adopted.ts';
import { findGPU } from './gpu-provider.ts';
import { logLine } from './settings/log.ts';
import type { ProviderOptions } from './gpu-provider.ts';

/**
 * Creates the device kernels run on. With `backend: 'auto'` (the default): a hardware
 * WebGPU adapter when there is one; otherwise the CPU backend `cpuBackend` names ('wasm'
 * by default: it beats a software adapter such as lavapipe or SwiftShader on the same CPU,
 * docs/getting-started.md "Which backend runs your kernels"), falling back to the
 * interpreter where WebAssembly SIMD is missing. With `backend: 'webgpu'`,
 * `requireWebGPU` or a named `adapter`, any WebGPU adapter (software ones included) or a
 * NoAdapterError.
 */
export async function init(options: InitOptions = {}): Promise<Device> {
  if (options.device !== undefined) return adopt(options.device, options);
  const backend = options.backend ?? 'auto';
  if (backend === 'interpreter') return interpreterDevice(options, 'requested with backend: interpreter');
  if (backend === 'wasm') return wasmDevice(options);
  const cpu = backend === 'auto' && !options.requireWebGPU ? options.cpuBackend ?? 'wasm' : 'interpreter';
  let found: { adapter: GPUAdapter; entry: GPU };
  try {
    found = await requireAdapter(options);
  } catch (error) {
    if (!(error instanceof NoAdapterError) || backend === 'webgpu' || options.requireWebGPU) throw error;
    return cpuDevice(options, cpu, `no WebGPU adapter (${error.reason})`);
  }
  // A software adapter runs on the same CPU as the wasm backend, several times slower;
  // where this engine has no WebAssembly SIMD, it still beats the interpreter. One the
  // caller named (`adapter`) is what they asked for.
  if (cpu === 'wasm' && options.adapter === undefined && isSoftwareAdapter(found.adapter)) {
    try {
      return await wasmDevice(options);
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
    }
  }
  return initWebGPU(options, found);
}

/**
 * The CPU backend init() falls back to where there is no adapter at all: wasm (or the
 * interpreter, where this engine has no WebAssembly SIMD), with a one-line notice of why.
 */
async function cpuDevice(options: InitOptions, cpu: 'wasm' | 'interpreter', why: string): Promise<Device> {
  const notice = options.notice ?? ((m: string) => logLine('warn', m));
  if (cpu === 'wasm') {
    try {
      const device = await wasmDevice(options);
      notice(`tessera: ${why}; running kernels on the wasm backend (CPU).`);
      return device;
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
      why = `${why}, and ${error.message}`;
    }
  }
  notice(`tessera: ${why}; running kernels on the interpreter backend (CPU).`);
  return interpreterDevice(options, why);
}

function interpreterDevice(options: InitOptions, why: string): Device {
  const big = Number.MAX_SAFE_INTEGER;
  return new Device(undefined, {
    backend: 'interpreter',
    name: 'interpreter',
    description: `Tessera interpreter (JavaScript on the CPU): ${why}`,
    vendor: 'tessera',
    architecture: 'cpu',
    software: true,
    features: ['shader-f16'],
    limits: {
      maxStorageBufferBindingSize: 2 ** 31 - 1,
      maxBufferSize: 2 ** 31 - 1,
      maxComputeWorkgroupStorageSize: big,
      maxComputeInvocationsPerWorkgroup: 1024,
      maxComputeWorkgroupSizeX: 1024,
      maxComputeWorkgroupsPerDimension: big,
    },
  }, options);
}

/**
 * The Tessera device on an application's GPUDevice: created on first adoption, shared
 * after (one pipeline cache and buffer pool per GPUDevice). Nothing is requested from
 * the adapter; the device's own limits and features are what kernels are compiled for.
 */
function adopt(gpu: GPUDevice, options: InitOptions): Device {
  if (options.backend === 'interpreter' || options.backend === 'wasm') {
    throw new ArgumentError('backend', "'webgpu' or 'auto' with a GPUDevice", `'${options.backend}'`,
      `Pass either a GPUDevice to run on, or backend: '${options.backend}', not both.`, 'init');
  }
  if (!isGPUDevice(gpu)) {
    throw new ArgumentError('device', 'a GPUDevice', typeof gpu === 'object' && gpu !== null ? 'an object without a GPUDevice\'s queue/limits/features' : typeof gpu,
      'Pass the GPUDevice your application created (for TF.js: tf.backend().device).', 'init');
  }
  const existing = adoptedDevice(gpu);
  if (existing !== undefined) return existing;
  const device = new Device(gpu, describeDevice(gpu), options, undefined, true);
  rememberAdopted(gpu, device);
  return device;
}

function isGPUDevice(v: unknown): v is GPUDevice {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<Record<'queue' | 'limits' | 'features' | 'createBuffer', unknown>>;
  return typeof d.queue === 'object' && typeof d.limits === 'object' && typeof d.features === 'object' && typeof d.createBuffer === 'function';
}

/** Tessera's WebAssembly SIMD backend: a worker pool over one shared memory (wasm/). */
async function wasmDevice(options: InitOptions): Promise<Device> {
  const { WasmBackend } = await import('./wasm/executor.ts');
  const wasm = await WasmBackend.create({
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.wasmMemoryBytes === undefined ? {} : { memoryBytes: options.wasmMemoryBytes }),
  });
  const simd = wasm.features.relaxedSimd ? 'SIMD128 + relaxed SIMD' : 'SIMD128';
  return new Device(undefined, {
    backend: 'wasm',
    name: 'wasm',
    description: `Tessera WebAssembly backend (${simd}, ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}${wasm.memory.shared ? ', shared memory' : ', no SharedArrayBuffer'})`,
    vendor: 'tessera',
    architecture: 'cpu',
    software: true,
    features: ['shader-f16'],
    limits: cpuLimits(),
  }, options, wasm);
}

function cpuLimits(): AdapterDescription['limits'] {
  const big = Number.MAX_SAFE_INTEGER;
  return {
    maxStorageBufferBindingSize: 2 ** 31 - 1,
    maxBufferSize: 2 ** 31 - 1,
    maxComputeWorkgroupStorageSize: big,
    maxComputeInvocationsPerWorkgroup: 1024,
    maxComputeWorkgroupSizeX: 1024,
    maxComputeWorkgroupsPerDimension: big,
  };
}

/**
 * The GPU entry point each Tessera-made device came from. dawn.node frees a Dawn instance
 * when its JS `GPU` object is collected, even while adapters and devices made from it are
 * still in use (its event loop then touches freed memory and the process dies), so every
 * device keeps its entry point reachable for as long as the device itself is.
 */
const entryOfDevice = new WeakMap<GPUDevice, GPU>();

async function initWebGPU(options: InitOptions, found: { adapter: GPUAdapter; entry: GPU }): Promise<Device> {
  const { adapter, entry } = found;
  const requiredFeatures = USEFUL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  let gpu: GPUDevice;
  try {
    gpu = await adapter.requestDevice({ label: 'tessera', requiredFeatures, requiredLimits });
  } catch (error) {
    throw new DeviceError(
      'internal',
      `requestDevice failed on adapter '${adapter.info.description || adapter.info.vendor}': ${String(error)}`,
      'The driver refused a device; update the driver, or set VK_ICD_FILENAMES to another Vulkan driver.',
      undefined,
      { cause: error },
    );
  }
  entryOfDevice.set(gpu, entry);
  return new Device(gpu, describeAdapter(adapter, gpu.features, gpu.limits), options);
}

async function requireAdapter(options: InitOptions): Promise<{ adapter: GPUAdapter; entry: GPU }> {
  const provider = await findGPU(options);
  if (!provider.ok) throw new NoAdapterError(provider.reason);
  const adapter = await pickAdapter(provider.gpu);
  if (adapter === null) {
    throw new NoAdapterError(
      `${SOURCE_NAMES[provider.source]} ` +
        'offers no adapter (no usable Vulkan, Metal or D3D12 driver)',
    );
  }
  return { adapter, entry: provider.gpu };
}

const SOURCE_NAMES = {
  'dawn.node': "dawn.node (the 'webgpu' package)",
  navigator: 'navigator.gpu',
  injected: 'the GPU object passed to init()',
} as const;

export type WebGPUAvailability =
  | { readonly ok: true; readonly info: AdapterDescription }
  | { readonly ok: false; readonly reason: string };

/** Whether init() would find an adapter, and which; never throws. For tests deciding skip-vs-run. */
export async function hasWebGPU(options: ProviderOptions = {}): Promise<WebGPUAvailability> {
  try {
    return { ok: true, info: describeAdapter((await requireAdapter(options)).adapter) };
  } catch (error) {
    const reason = error instanceof NoAdapterError ? error.reason : String(error);
    return { ok: false, reason };
  }
}
