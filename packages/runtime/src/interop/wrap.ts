/**
 * Wrapping an application's GPUBuffer as a Tessera tensor, without copying. Everything
 * that can be checked from the buffer's own fields is checked at once (usage, size,
 * offset, mapping); what only the device knows — that the buffer belongs to this
 * GPUDevice and is not destroyed — is checked by a probe that uses the buffer in an empty
 * compute pass inside an error scope, so a wrong buffer is a typed error here, not a
 * validation error in the middle of the application's work.
 */
import type { Device } from '../device.ts';
import { bytesPerElement, isDType, type DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { alignUp, elementCount, Tensor, type Shape } from '../tensor.ts';

export interface WrapOptions<D extends DType = DType> {
  /** The tensor's shape; the elements are dense and row-major from `byteOffset`. */
  readonly shape: Shape;
  /** Element type (default 'f32'). bool is 4 bytes per element (u32 0/1), as in TF.js. */
  readonly dtype?: D;
  /** Where the elements start in the buffer (default 0); a multiple of the device's minStorageBufferOffsetAlignment. */
  readonly byteOffset?: number;
}

const WHERE = 'device.wrap';

export async function wrapBuffer<D extends DType = 'f32'>(device: Device, buffer: GPUBuffer, options: WrapOptions<D>): Promise<Tensor<D>> {
  const tensor = makeWrapped(device, buffer, options);
  await probe(device, buffer, tensor.byteOffset);
  return tensor;
}

/**
 * The synchronous part of wrap(): every check except the device probe. For adapters
 * whose buffers come from the framework's own allocator on the adopted device (TF.js's
 * backend), where the probe could only ever pass.
 */
export function makeWrapped<D extends DType = 'f32'>(device: Device, buffer: GPUBuffer, options: WrapOptions<D>): Tensor<D> {
  if (device.backend !== 'webgpu') {
    throw new ArgumentError('device', 'a WebGPU device', 'the interpreter backend',
      'Wrapping a GPUBuffer needs a WebGPU device: init({ device: gpuDevice }) or init({ backend: "webgpu" }).', WHERE);
  }
  device.throwIfUnusable();
  if (!isGPUBuffer(buffer)) {
    throw new ArgumentError('buffer', 'a GPUBuffer', describe(buffer), 'Pass the GPUBuffer itself (e.g. from device.createBuffer()).', WHERE);
  }
  const dtype = (options.dtype ?? 'f32') as D;
  if (!isDType(dtype)) {
    throw new ArgumentError('dtype', "one of 'f32', 'f16', 'i32', 'u32', 'bool'", String(dtype), 'Pass a supported dtype.', WHERE);
  }
  const shape = options.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new ArgumentError('shape', 'an array of non-negative integers', JSON.stringify(shape), 'Pass the shape as e.g. [rows, cols].', WHERE);
  }
  const byteOffset = options.byteOffset ?? 0;
  const alignment = device.gpu.limits.minStorageBufferOffsetAlignment;
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset % alignment !== 0) {
    throw new ArgumentError('byteOffset', `a non-negative multiple of ${alignment} (the device's minStorageBufferOffsetAlignment)`, String(byteOffset),
      'Storage bindings can only start at aligned offsets; place the tensor at an aligned offset, or copy it to its own buffer.', WHERE);
  }
  if ((buffer.usage & GPUBufferUsage.STORAGE) === 0) {
    throw new ArgumentError('buffer', 'a buffer created with GPUBufferUsage.STORAGE', `usage ${usageText(buffer.usage)}`,
      'Kernels read and write tensors as storage buffers: add GPUBufferUsage.STORAGE (and COPY_SRC to read it back) when creating the buffer.', WHERE);
  }
  if (buffer.mapState !== 'unmapped') {
    throw new ArgumentError('buffer', 'an unmapped buffer', `a buffer that is ${buffer.mapState}`,
      'A mapped buffer cannot be used by the GPU: call buffer.unmap() first.', WHERE);
  }
  const byteLength = alignUp(elementCount(shape) * bytesPerElement(dtype), 4);
  if (byteOffset + byteLength > buffer.size) {
    throw new ArgumentError('buffer', `at least ${byteOffset + byteLength} bytes for ${dtype}[${shape.join(', ')}]${byteOffset > 0 ? ` at byte offset ${byteOffset}` : ''}`,
      `a buffer of ${buffer.size} bytes`, 'Pass a shape that fits the buffer, or a larger buffer.', WHERE);
  }
  // No bound beyond the buffer's own size: a tensor over maxStorageBufferBindingSize is
  // bound as several ranges (the compiler's wgsl/ranges.ts), each at an aligned offset.
  return new Tensor(device, buffer, shape, dtype, { byteOffset });
}

/** Probe layouts per GPUDevice: a single read-only storage binding. */
const probeLayouts = new WeakMap<GPUDevice, GPUBindGroupLayout>();

/**
 * Uses the buffer in a compute pass with no dispatch: createBindGroup rejects a buffer of
 * another device, and submit rejects a destroyed one. Inside error scopes, so neither
 * reaches the application's uncaptured-error handler.
 */
async function probe(device: Device, buffer: GPUBuffer, byteOffset: number): Promise<void> {
  const gpu = device.gpu;
  const available = Math.floor((buffer.size - byteOffset) / 4) * 4;
  if (available === 0) return;
  let layout = probeLayouts.get(gpu);
  if (layout === undefined) {
    layout = gpu.createBindGroupLayout({
      label: 'tessera wrap check',
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } }],
    });
    probeLayouts.set(gpu, layout);
  }
  gpu.pushErrorScope('validation');
  let thrown: unknown;
  try {
    const size = Math.min(available, device.info.limits.maxStorageBufferBindingSize);
    const group = gpu.createBindGroup({ label: 'tessera wrap check', layout, entries: [{ binding: 0, resource: { buffer, offset: byteOffset, size } }] });
    const encoder = gpu.createCommandEncoder({ label: 'tessera wrap check' });
    const pass = encoder.beginComputePass();
    pass.setBindGroup(0, group);
    pass.end();
    gpu.queue.submit([encoder.finish()]);
  } catch (error) {
    thrown = error;
  }
  const error = await gpu.popErrorScope();
  if (error === null && thrown === undefined) return;
  const text = error?.message ?? String(thrown);
  if (/destroyed/i.test(text)) {
    throw new ArgumentError('buffer', 'a live GPUBuffer', 'a destroyed buffer', 'Wrap the buffer before destroying it, and keep it alive while Tessera uses it.', WHERE);
  }
  if (/associated with|different device|another device/i.test(text)) {
    throw new ArgumentError('buffer', `a buffer of the GPUDevice this Tessera device runs on ('${device.info.name}')`, 'a buffer created on another GPUDevice',
      'Adopt the GPUDevice that owns the buffer (init({ device })), or copy the data to this device.', WHERE);
  }
  throw new ArgumentError('buffer', 'a buffer WebGPU accepts as a storage binding', `a buffer WebGPU rejected: ${text.split('\n')[0] ?? text}`,
    'Check the buffer\'s usage flags, size and device.', WHERE);
}

function isGPUBuffer(v: unknown): v is GPUBuffer {
  return typeof v === 'object' && v !== null && typeof (v as { size?: unknown }).size === 'number' &&
    typeof (v as { usage?: unknown }).usage === 'number' && typeof (v as { getMappedRange?: unknown }).getMappedRange === 'function';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} (host memory; use device.tensor(data, shape) for that)`;
  return typeof v === 'object' ? `an object without a GPUBuffer's size/usage` : typeof v;
}

const USAGE_NAMES: readonly (readonly [string, number])[] = [
  ['MAP_READ', 0x1], ['MAP_WRITE', 0x2], ['COPY_SRC', 0x4], ['COPY_DST', 0x8], ['INDEX', 0x10], ['VERTEX', 0x20],
  ['UNIFORM', 0x40], ['STORAGE', 0x80], ['INDIRECT', 0x100], ['QUERY_RESOLVE', 0x200],
];

function usageText(usage: number): string {
  const names = USAGE_NAMES.filter(([, bit]) => (usage & bit) !== 0).map(([name]) => name);
  return names.length > 0 ? names.join(' | ') : 'none';
}
