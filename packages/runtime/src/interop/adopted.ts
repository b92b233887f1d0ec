/**
 * Adopting an application's GPUDevice (init({ device })). One Tessera device per
 * GPUDevice, so every part of an application that adopts the same GPUDevice shares the
 * pipeline cache and buffer pools instead of compiling each kernel again.
 */
import { describeLimits, isSoftwareInfo, type AdapterDescription } from '../adapter.ts';
import type { Device } from '../device.ts';

const adopted = new WeakMap<GPUDevice, Device>();

/** The Tessera device already running on `gpu`, unless it was disposed. */
export function adoptedDevice(gpu: GPUDevice): Device | undefined {
  const device = adopted.get(gpu);
  return device === undefined || device.isDisposed ? undefined : device;
}

export function rememberAdopted(gpu: GPUDevice, device: Device): void {
  adopted.set(gpu, device);
}

/** Called by dispose(): a later init({ device }) on the same GPUDevice starts afresh. */
export function forgetAdopted(device: Device): void {
  if (adopted.get(device.gpu) === device) adopted.delete(device.gpu);
}

/**
 * What the compiler sizes configs against, read from the GPUDevice itself: its limits
 * are what it was created with (which may be below the adapter's), and its features are
 * the ones enabled on it. The adapter's name comes from `device.adapterInfo` where the
 * implementation has it.
 */
export function describeDevice(gpu: GPUDevice): AdapterDescription {
  const info: Partial<GPUAdapterInfo> = (gpu as { adapterInfo?: GPUAdapterInfo }).adapterInfo ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? '';
  return {
    backend: 'webgpu',
    name: description || info.device || vendor || 'adopted GPUDevice',
    description,
    vendor,
    architecture,
    software: isSoftwareInfo({ vendor, architecture, device: info.device ?? '', description, isFallbackAdapter: (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true }),
    features: [...gpu.features].sort(),
    limits: describeLimits(gpu.limits, gpu.features, info),
  };
}
