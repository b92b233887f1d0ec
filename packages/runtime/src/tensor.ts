/**
 * A tensor: a GPU storage buffer plus its shape and dtype. Tensors are dense and
 * row-major; views and strides are the compiler's business, not the buffer's.
 */
import type { Device } from './device.ts';
import { bytesPerElement, decode, describeData, encode, inferDType, isDType } from './dtype.ts';
import { describeValue } from './host-data.ts';
import type { DType, HostArray, TensorData } from './dtype.ts';
import { ArgumentError } from './errors.ts';
import { copyToHost } from './readback.ts';
import type { HostArray as StorageArray } from './interpreter/host.ts';
import { checkStorageSize, storageBytes } from './validate.ts';
import { forgetTensor, freeWhenCollected, keepAlive } from './collect.ts';

export { BUFFER_ALIGNMENT } from './validate.ts';

export type Shape = readonly number[];

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
    // Storage of a tensor dropped without destroy() is freed when it is collected; a
    // wrapped buffer is the application's, so nothing is freed for it.
    if (!this.external) freeWhenCollected(this, device, storage);
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
    this.device.throwIfUnusable();
    if (this.host) {
      const copy = this.host.slice();
      return decode(copy.buffer as ArrayBuffer, this.dtype, this.size);
    }
    if (this.external && (this.buffer.usage & GPUBufferUsage.COPY_SRC) === 0) {
      throw new ArgumentError('tensor', 'a buffer with COPY_SRC usage', `${this.toString()} wrapping a buffer without it`,
        'Reading a tensor back copies its buffer: create the wrapped buffer with GPUBufferUsage.COPY_SRC.');
    }
    try {
      const bytes = await copyToHost(this.device, this.buffer, alignUp(this.byteLength, 4), this.toString(), undefined, this.byteOffset);
      return decode(bytes, this.dtype, this.size);
    } finally {
      // A tensor only referenced by its pending read must not be collected (and its
      // buffer freed or reused) while the copy is in flight.
      keepAlive(this);
    }
  }

  /**
   * Frees the GPU buffer now rather than at garbage collection. Idempotent. A wrapped
   * buffer (`external`) is left alone: only this tensor stops using it.
   */
  destroy(): void {
    if (this.destroyedFlag) return;
    this.destroyedFlag = true;
    forgetTensor(this);
    if (this.host) {
      this.device.trackHost(this.host.byteLength, -1);
      this.device.releaseHost(this.host);
    }
    else if (this.gpuBuffer && !this.external) this.device.release(this.gpuBuffer, true);
  }

  /**
   * Hands the storage buffer to the caller: the tensor becomes unusable (as after
   * destroy()) and Tessera forgets the buffer, which the caller then owns and destroys.
   * The elements start at offset 0; the buffer may be longer (padded, see validate.ts).
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
    forgetTensor(this);
    this.device.forget(buffer);
    return buffer;
  }

  /** @internal The bytes a binding of this tensor covers: the elements, padded to 16 where the buffer allows. */
  bindingRange(): { readonly buffer: GPUBuffer; readonly offset: number; readonly size: number } {
    const buffer = this.buffer;
    const padded = storageBytes(this.byteLength);
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
  const label = `tensor ${type}[${shape.join(', ')}]`;
  checkStorageSize(device, size * bytesPerElement(type), label);
  const bytes = encode(data, type);
  if (device.backend !== 'webgpu') return hostTensor(device, storageFromBytes(device, bytes, type, size), shape, type);
  const { buffer } = allocateStorage(device, bytes.byteLength, label, true);
  // mappedAtCreation writes the data without a staging copy through the queue.
  new Uint8Array(buffer.getMappedRange()).set(bytes);
  buffer.unmap();
  return new Tensor(device, buffer, shape, type);
}

/** A tensor of unspecified contents, or zero-filled with `zero` (a reused buffer is cleared then; a new one reads as zero). */
export function emptyTensor<D extends DType>(device: Device, shape: Shape, dtype: D, zero: boolean): Tensor<D> {
  checkDType(dtype);
  const size = checkShape(shape);
  const label = `tensor ${dtype}[${shape.join(', ')}]`;
  checkStorageSize(device, size * bytesPerElement(dtype), label);
  if (device.backend !== 'webgpu') {
    device.throwIfUnusable();
    return hostTensor(device, device.hostStorage(dtype, size, zero), shape, dtype);
  }
  const { buffer, reused } = allocateStorage(device, size * bytesPerElement(dtype), label, false);
  if (reused && zero) {
    const encoder = device.gpu.createCommandEncoder();
    encoder.clearBuffer(buffer);
    device.gpu.queue.submit([encoder.finish()]);
  }
  return new Tensor(device, buffer, shape, dtype);
}

function hostTensor<D extends DType>(device: Device, storage: StorageArray, shape: Shape, dtype: D): Tensor<D> {
  device.trackHost(storage.byteLength, 1);
  return new Tensor(device, storage, shape, dtype);
}

/** The interpreter's storage array for encoded (GPU-layout) bytes: a copy, correctly typed. */
function storageFromBytes(device: Device, bytes: Uint8Array, dtype: DType, size: number): StorageArray {
  device.throwIfUnusable();
  const out = device.hostStorage(dtype, size, false);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(0, out.byteLength));
  return out;
}

/** A storage buffer (size checked by the caller); unless it is created mapped, possibly a destroyed tensor's (`reused`). */
function allocateStorage(device: Device, byteLength: number, label: string, mapped: boolean): { buffer: GPUBuffer; reused: boolean } {
  return device.allocateBuffer({
    label,
    size: checkStorageSize(device, byteLength, label),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    mappedAtCreation: mapped,
  }, true);
}

export function elementCount(shape: Shape): number {
  return shape.reduce((n, d) => n * d, 1);
}

function checkShape(shape: Shape): number {
  const bad = Array.isArray(shape) ? shape.findIndex((d) => !Number.isSafeInteger(d) || d < 0) : -1;
  if (!Array.isArray(shape) || bad >= 0) {
    const actual = Array.isArray(shape) ? `${describeValue(shape[bad])} at index ${bad}` : describeValue(shape);
    throw new ArgumentError('shape', 'an array of non-negative integers', actual,
      'Pass the shape as e.g. [rows, cols].', 'device.tensor');
  }
  return elementCount(shape);
}

function checkDType(dtype: unknown): void {
  if (!isDType(dtype)) {
    throw new ArgumentError('dtype', "one of 'f32', 'f16', 'i32', 'u32', 'bool'", describeValue(dtype),
      'Pass a supported dtype.', 'device.tensor');
  }
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
