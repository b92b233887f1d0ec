/**
 * Copying GPU buffer contents to the host. WebGPU cannot map a STORAGE buffer, so every
 * readback goes through a MAP_READ staging buffer: copy, submit, mapAsync, copy out,
 * unmap, destroy. The staging buffer is per call (and counted as live while it exists),
 * so concurrent reads never share a mapping.
 */
import type { Device } from './device.ts';
import { DeviceError, fromGPUError } from './errors.ts';

/** `byteLength` bytes of `source` from `sourceOffset` (both multiples of 4, as copies require). */
export async function copyToHost(
  device: Device,
  source: GPUBuffer,
  byteLength: number,
  label: string,
  kernel?: string,
  sourceOffset = 0,
): Promise<ArrayBuffer> {
  if (byteLength === 0) return new ArrayBuffer(0);
  const gpu = device.gpu;
  const staging = device.allocate({
    label: `${label} (readback)`,
    size: byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    // A readback is already a sync point, so checking its validation costs nothing extra;
    // without the scope a failed copy would return zeros instead of an error.
    gpu.pushErrorScope('validation');
    const encoder = gpu.createCommandEncoder({ label: `${label} (readback)` });
    encoder.copyBufferToBuffer(source, sourceOffset, staging, 0, byteLength);
    gpu.queue.submit([encoder.finish()]);
    const scope = gpu.popErrorScope();
    const mapped = staging.mapAsync(GPUMapMode.READ);
    // Wait for both before deciding: a rejected map after a validation error is a
    // consequence, and the validation message is the one that explains it.
    const [scopeResult, mapResult] = await Promise.allSettled([scope, mapped]);
    if (scopeResult.status === 'fulfilled' && scopeResult.value !== null) {
      throw fromGPUError(scopeResult.value, kernel);
    }
    if (mapResult.status === 'rejected') {
      // A map is rejected when the device went away under it: dispose() while this read
      // was pending, or a loss. Say which, rather than report an internal failure.
      device.throwIfUnusable(kernel);
      throw new DeviceError(
        'internal',
        `reading back ${label} failed: ${String(mapResult.reason)}`,
        'The device may have been lost; create a new one with init().',
        kernel,
        { cause: mapResult.reason },
      );
    }
    // slice() copies out of the mapping: the mapped range is detached by unmap().
    const bytes = staging.getMappedRange(0, byteLength).slice(0);
    staging.unmap();
    // An unvalidated launch that failed earlier would leave garbage in what we just read;
    // surface its error here rather than hand back the garbage.
    await device.settleChecks();
    device.throwPendingErrors(kernel);
    return bytes;
  } finally {
    device.release(staging);
  }
}
