/**
 * The checks every backend runs before it allocates a tensor or lets a kernel touch one.
 * They live here, once, so the interpreter refuses exactly what WebGPU refuses: a tensor
 * after destroy(), a tensor of another (or a disposed) device, a tensor larger than the
 * device's buffer limits. WebGPU would reject these itself, late and opaquely (a
 * validation error at submit); the interpreter would not reject them at all.
 */
import type { Device } from './device.ts';
import { ArgumentError } from './errors.ts';
import type { Tensor } from './tensor.ts';

/**
 * Buffer sizes are rounded up to 16 bytes (and are never 0): WebGPU needs copy and
 * mapping sizes in multiples of 4, zero-size buffers cannot be bound, and 16 lets the
 * compiler view any buffer as array<vec4<…>> for vector loads. Kernels bound their
 * accesses with the dims in the uniforms, never with arrayLength() of a padded buffer.
 */
export const BUFFER_ALIGNMENT = 16;

/** The padded byte size of a tensor's storage of `byteLength` data bytes. */
export function storageBytes(byteLength: number): number {
  return Math.ceil(Math.max(byteLength, 1) / BUFFER_ALIGNMENT) * BUFFER_ALIGNMENT;
}

/**
 * Refuses storage past the device's limits, with the numbers, before anything is
 * allocated: on WebGPU rather than as a validation error at launch, on the interpreter
 * rather than as a raw RangeError (or a 16 GiB allocation that succeeds). The bound is
 * the buffer size: a tensor over one storage binding (maxStorageBufferBindingSize) is
 * bound as several ranges of its buffer (the compiler's wgsl/ranges.ts).
 */
export function checkStorageSize(device: Device, byteLength: number, label: string): number {
  const size = storageBytes(byteLength);
  const max = device.info.limits.maxBufferSize;
  if (!(size <= max)) {
    const webgpu = device.backend === 'webgpu';
    throw new ArgumentError('shape', `at most ${max} bytes per tensor on ${webgpu ? 'adapter' : 'backend'} '${device.info.name}' (${webgpu ? 'its maxBufferSize' : 'its memory limit'})`,
      `${Number.isFinite(size) ? size : 'more than 2^1024'} bytes (${label})`,
      webgpu ? 'Split the tensor into smaller ones, or run on an adapter with a larger maxBufferSize.' : 'Split the tensor into smaller ones.');
  }
  return size;
}

/**
 * A tensor a kernel on `device` may read or write: alive, made by this device, and the
 * device itself neither disposed nor lost.
 */
export function checkUsableTensor(device: Device, tensor: Tensor, parameter: string, kernel: string): void {
  device.throwIfUnusable(kernel);
  if (tensor.device !== device) {
    throw new ArgumentError(parameter, `a tensor on device '${device.info.name}'`,
      `${tensor.toString()} created on ${tensor.device.isDisposed ? 'a disposed device' : 'another device'}`,
      'Create tensors with the device you run on (device.tensor(...)); a tensor cannot move between devices.', `kernel '${kernel}'`);
  }
  if (tensor.destroyed) {
    throw new ArgumentError(parameter, 'a live tensor', `${tensor.toString()} after destroy()`,
      'Do not pass a tensor after destroy(); create it again, or destroy it only when no kernel needs it.', `kernel '${kernel}'`);
  }
}
