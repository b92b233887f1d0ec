/**
 * Creating a device: find a WebGPU implementation, pick the best adapter, and request a
 * device with every feature and limit kernels can use (WebGPU's defaults are far below
 * what adapters offer, e.g. 256 MiB maxBufferSize and 16 KiB workgroup storage).
 */
import { describeAdapter, pickAdapter, RAISED_LIMITS, USEFUL_FEATURES } from './adapter.ts';
import type { AdapterDescription } from './adapter.ts';
import { Device } from './device.ts';
import type { InitOptions } from './device.ts';
import { DeviceError, NoAdapterError } from './errors.ts';
import { findGPU } from './gpu-provider.ts';
import type { ProviderOptions } from './gpu-provider.ts';

/** Finds the best WebGPU adapter and creates a device on it. Throws NoAdapterError when there is none. */
export async function init(options: InitOptions = {}): Promise<Device> {
  const adapter = await requireAdapter(options);
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
  return new Device(gpu, describeAdapter(adapter, gpu.features, gpu.limits), options);
}

async function requireAdapter(options: InitOptions): Promise<GPUAdapter> {
  const provider = await findGPU(options);
  if (!provider.ok) throw new NoAdapterError(provider.reason);
  const adapter = await pickAdapter(provider.gpu);
  if (adapter === null) {
    throw new NoAdapterError(
      `${SOURCE_NAMES[provider.source]} ` +
        'offers no adapter (no usable Vulkan, Metal or D3D12 driver)',
    );
  }
  return adapter;
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
    return { ok: true, info: describeAdapter(await requireAdapter(options)) };
  } catch (error) {
    const reason = error instanceof NoAdapterError ? error.reason : String(error);
    return { ok: false, reason };
  }
}
