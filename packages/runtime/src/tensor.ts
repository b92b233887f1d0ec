/**
 * A tensor: a GPU storage buffer plus its shape and dtype. Tensors are dense and
 * row-major; views and strides are the compiler's business, not the buffer's.
 */
import type { Device } from './device.ts';
import { bytesPerElement, decode, describeData, encode, inferDType, isDType } from './dtype.ts';
import type { DType, HostArray, TensorData } from './dtype.ts';
import { ArgumentError } from './errors.ts';
import { copyToHost } from './readback.ts';
import { hostArray, type HostArray as StorageArray } from './interpreter/host.ts';

export type Shape = readonly number[];

/**
 * Buffer sizes are rounded up to 16 bytes (and are never 0): WebGPU needs copy and
 * mapping sizes in multiples of 4, zero-size buffers cannot be bound, and 16 lets the
 * compiler view any buffer as array<vec4<…>> for vector loads. Kernels bound their
 * accesses with the dims in the uniforms, never with arrayLength() of a padded buffer.
 */
export const BUFFER_ALIGNMENT = 16;

export class Tensor<D extends DType = DType> {
  readonly device: Device;
  /**
   * On the interpreter backend: the elements, laid out as in a GPU buffer (f16 as half
   * bits, bool as u32 0/1). Undefined on WebGPU.
   */
  readonly host: StorageArray | undefined;
  private readonly gpuBuffer: GPUBuffer | undefined;
  readonly shape: Shape;
  readonly dtype: D;
  /** Number of elements. */
  readonly size: number;
  /** Where the elements start in `buffer` (non-zero only for a wrapped buffer). */
  readonly byteOffset: number;
  /**
   * The buffer belongs to someone else (device.wrap()): Tessera never destroys or reuses
   * it, and destroy() only ends this tensor's use of it.
   */
  readonly external: boolean;
  private destroyedFlag = false;

  /** Use device.tensor(), device.empty(), device.zeros() or device.wrap(). */
  constructor(device: Device, storage: GPUBuffer | StorageArray, shape: Shape, dtype: D, wrapped?: { readonly byteOffset: number }) {
    this.device = device;
    this.gpuBuffer = ArrayBuffer.isView(storage) ? undefined : storage;
    this.host = ArrayBuffer.isView(storage) ? storage : undefined;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = elementCount(shape);
    this.byteOffset = wrapped?.byteOffset ?? 0;
    this.external = wrapped !== undefined;
  }

  /** The storage buffer (STORAGE | COPY_SRC | COPY_DST), padded; WebGPU backend only. */
  get buffer(): GPUBuffer {
    if (!this.gpuBuffer) {
      throw new ArgumentError('tensor', 'a WebGPU tensor', `${this.toString()} on the interpreter backend`,
        'Interpreter tensors live in host memory; read them with tensor.read().');
    }
    return this.gpuBuffer;
  }

  /** Bytes of element data (the buffer itself may be larger; see BUFFER_ALIGNMENT). */
  get byteLength(): number {
    return this.size * bytesPerElement(this.dtype);
  }

  get destroyed(): boolean {
    return this.destroyedFlag;
  }

  /** Copies the contents to the host: Float32Array for f32 and f16, Uint8Array 0/1 for bool. */
  async read(): Promise<HostArray<D>> {
    this.assertAlive('read()');
    if (this.host) {
      const copy = this.host.slice();
      return decode(copy.buffer as ArrayBuffer, this.dtype, this.size);
    }
    if (this.external && (this.buffer.usage & GPUBufferUsage.COPY_SRC) === 0) {
      throw new ArgumentError('tensor', 'a buffer with COPY_SRC usage', `${this.toString()} wrapping a buffer without it`,
        'Reading a tensor back copies its buffer: create the wrapped buffer with GPUBufferUsage.COPY_SRC.');
    }
    const bytes = await copyToHost(this.device, this.buffer, alignUp(this.byteLength, 4), this.toString(), undefined, this.byteOffset);
    return decode(bytes, this.dtype, this.size);
  }

  /**
   * Frees the GPU buffer now rather than at garbage collection. Idempotent. A wrapped
   * buffer (`external`) is left alone: only this tensor stops using it.
   */
  destroy(): void {
    if (this.destroyedFlag) return;
    this.destroyedFlag = true;
    if (this.host) this.device.trackHost(this.host.byteLength, -1);
    else if (this.gpuBuffer && !this.external) this.device.release(this.gpuBuffer, true);
  }

  /**
   * Hands the storage buffer to the caller: the tensor becomes unusable (as after
   * destroy()) and Tessera forgets the buffer, which the caller then owns and destroys.
   * The elements start at offset 0; the buffer may be longer (see BUFFER_ALIGNMENT).
   * Work already submitted that writes it stays ordered before anything the caller
   * submits later on the same queue.
   */
  takeBuffer(): GPUBuffer {
    this.assertAlive('takeBuffer()');
    const buffer = this.buffer;
    if (this.external) {
      throw new ArgumentError('tensor', 'a tensor whose buffer Tessera allocated', `${this.toString()} wrapping a buffer it does not own`,
        'The buffer is already yours: use it directly, and destroy() the tensor when Tessera no longer needs it.');
    }
    this.destroyedFlag = true;
    this.device.forget(buffer);
    return buffer;
  }

  /** @internal The bytes a binding of this tensor covers: the elements, padded to 16 where the buffer allows. */
  bindingRange(): { readonly buffer: GPUBuffer; readonly offset: number; readonly size: number } {
    const buffer = this.buffer;
    const padded = alignUp(Math.max(this.byteLength, 1), BUFFER_ALIGNMENT);
    // Storage bindings are sized in multiples of 4; wrap() checked the elements fit in that.
    return { buffer, offset: this.byteOffset, size: Math.min(padded, Math.floor((buffer.size - this.byteOffset) / 4) * 4) };
  }

  toString(): string {
    return `Tensor(${this.dtype}[${this.shape.join(', ')}])`;
  }

  /** @internal */
  assertAlive(use: string): void {
    if (this.destroyedFlag) {
      throw new ArgumentError('tensor', 'a live tensor', `${this.toString()} after destroy()`,
        `Do not use a tensor after destroy(); ${use} needs its buffer.`);
    }
  }
}

export function createTensor(device: Device, data: TensorData, shape: Shape, dtype?: DType): Tensor {
  const type = dtype ?? inferDType(data);
  checkDType(type);
  const size = checkShape(shape);
  if (data.length !== size) {
    throw new ArgumentError('data', `${size} elements for shape [${shape.join(', ')}]`, describeData(data),
      'Pass as many values as the shape has elements (data is dense, row-major).', 'device.tensor');
  }
  const bytes = encode(data, type);
  if (device.backend === 'interpreter') return hostTensor(device, storageFromBytes(bytes, type, size), shape, type);
  const { buffer } = allocateStorage(device, bytes.byteLength, `tensor ${type}[${shape.join(', ')}]`, true);
  // mappedAtCreation writes the data without a staging copy through the queue.
  new Uint8Array(buffer.getMappedRange()).set(bytes);
  buffer.unmap();
  return new Tensor(device, buffer, shape, type);
}

/** A tensor of unspecified contents, or zero-filled with `zero` (a reused buffer is cleared then; a new one reads as zero). */
export function emptyTensor<D extends DType>(device: Device, shape: Shape, dtype: D, zero: boolean): Tensor<D> {
  checkDType(dtype);
  const size = checkShape(shape);
  if (device.backend === 'interpreter') return hostTensor(device, hostArray(dtype, size), shape, dtype);
  const { buffer, reused } = allocateStorage(device, size * bytesPerElement(dtype), `tensor ${dtype}[${shape.join(', ')}]`, false);
  if (reused && zero) {
    const encoder = device.gpu.createCommandEncoder();
    encoder.clearBuffer(buffer);
    device.gpu.queue.submit([encoder.finish()]);
  }
  return new Tensor(device, buffer, shape, dtype);
}

function hostTensor<D extends DType>(device: Device, storage: StorageArray, shape: Shape, dtype: D): Tensor<D> {
  device.throwIfUnusable();
  device.trackHost(storage.byteLength, 1);
  return new Tensor(device, storage, shape, dtype);
}

/** The interpreter's storage array for encoded (GPU-layout) bytes: a copy, correctly typed. */
function storageFromBytes(bytes: Uint8Array, dtype: DType, size: number): StorageArray {
  const out = hostArray(dtype, size);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(0, out.byteLength));
  return out;
}

/** A storage buffer; unless it is created mapped, possibly a destroyed tensor's (`reused`). */
function allocateStorage(device: Device, byteLength: number, label: string, mapped: boolean): { buffer: GPUBuffer; reused: boolean } {
  const size = alignUp(Math.max(byteLength, 1), BUFFER_ALIGNMENT);
  // Checked here, with the numbers, rather than as an opaque validation error at launch.
  const max = Math.min(device.info.limits.maxBufferSize, device.info.limits.maxStorageBufferBindingSize);
  if (size > max) {
    throw new ArgumentError('shape', `at most ${max} bytes per tensor on adapter '${device.info.name}'`,
      `${size} bytes (${label})`, 'Split the tensor, or run on an adapter with larger storage buffer limits.');
  }
  return device.allocateBuffer({
    label,
    size,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    mappedAtCreation: mapped,
  }, true);
}

export function elementCount(shape: Shape): number {
  return shape.reduce((n, d) => n * d, 1);
}

function checkShape(shape: Shape): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new ArgumentError('shape', 'an array of non-negative integers', JSON.stringify(shape),
      'Pass the shape as e.g. [rows, cols].', 'device.tensor');
  }
  return elementCount(shape);
}

function checkDType(dtype: unknown): void {
  if (!isDType(dtype)) {
    throw new ArgumentError('dtype', "one of 'f32', 'f16', 'i32', 'u32', 'bool'", String(dtype),
      'Pass a supported dtype.', 'device.tensor');
  }
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
