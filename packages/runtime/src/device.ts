/**
 * The WebGPU device Tessera runs kernels on (created by init.ts): tensor factories, a
 * count of every buffer the runtime allocates (so leaks show up in tests), and device-level
 * failures (loss, errors no scope caught) kept and rethrown as DeviceErrors.
 */
import { describeLine } from './adapter.ts';
import type { AdapterDescription } from './adapter.ts';
import type { DType, TensorData } from './dtype.ts';
import { DeviceError, fromGPUError } from './errors.ts';
import type { ProviderOptions } from './gpu-provider.ts';
import { PipelineCache } from './pipeline-cache.ts';
import { createTensor, emptyTensor } from './tensor.ts';
import type { Shape, Tensor } from './tensor.ts';
import { UniformPool } from './uniform-pool.ts';

export interface InitOptions extends ProviderOptions {
  /**
   * Fail (NoAdapterError) rather than fall back when there is no WebGPU adapter. There is
   * no fallback backend yet, so today init() throws either way; the interpreter backend
   * will honour `false`.
   */
  readonly requireWebGPU?: boolean;
  /** Await a validation error scope on every launch, not only a pipeline's first. */
  readonly validate?: boolean;
  /** How many compiled pipelines to keep (LRU). */
  readonly pipelineCacheSize?: number;
}

export interface DeviceStats {
  /** Buffers the runtime created and has not destroyed: tensors and in-flight readbacks. */
  readonly liveBuffers: number;
  readonly liveBytes: number;
  /** Long-lived uniform buffers reused across launches (bounded; not a leak). */
  readonly pooledBuffers: number;
  readonly pipelinesCreated: number;
  readonly pipelinesCached: number;
  readonly launches: number;
}

export class Device {
  /** Which backend runs kernels; the interpreter backend will use another tag. */
  readonly backend = 'webgpu' as const;
  readonly gpu: GPUDevice;
  readonly info: AdapterDescription;
  readonly features: ReadonlySet<string>;
  /** Default for launches: validate every one (true) or only a pipeline's first (false). */
  readonly validate: boolean;
  /** @internal shared by launch.ts and timing.ts */
  readonly pipelines: PipelineCache;
  /** @internal shared by launch.ts */
  readonly uniformPool: UniformPool;

  private live = 0;
  private liveBytesCount = 0;
  private launchCount = 0;
  private disposed = false;
  private lostError: DeviceError | undefined;
  /** Errors no error scope caught, kept until sync() or takeErrors() reports them. */
  private readonly uncaptured: DeviceError[] = [];

  constructor(gpu: GPUDevice, info: AdapterDescription, options: InitOptions = {}) {
    this.gpu = gpu;
    this.info = info;
    this.features = new Set(gpu.features);
    this.validate = options.validate ?? false;
    this.pipelines = new PipelineCache(gpu, options.pipelineCacheSize);
    this.uniformPool = new UniformPool(gpu);
    void gpu.lost.then((lost) => {
      // Our own dispose() is not a loss; anything else is — a driver reset, or someone
      // destroying the GPUDevice underneath us (reason 'destroyed' without dispose()).
      if (this.disposed) return;
      this.lostError = new DeviceError(
        'lost',
        `the device was lost (${lost.reason}): ${lost.message}`,
        'Create a new device with init(); tensors from the lost device cannot be used.',
      );
    });
    gpu.onuncapturederror = (event: GPUUncapturedErrorEvent): void => {
      // We report these ourselves (sync() and reads throw them), so stop Dawn from also
      // printing them to stdout. Bounded: a kernel failing in a loop must not grow memory.
      event.preventDefault();
      if (this.uncaptured.length < 32) this.uncaptured.push(fromGPUError(event.error));
    };
  }

  /** One line naming the adapter, whether it is software, and its key features/limits. */
  describe(): string {
    return describeLine(this.info);
  }

  /** A tensor holding `data` (dtype inferred from the typed array unless given). */
  tensor(data: Float32Array | readonly number[], shape: Shape): Tensor<'f32'>;
  tensor(data: Int32Array, shape: Shape): Tensor<'i32'>;
  tensor(data: Uint32Array, shape: Shape): Tensor<'u32'>;
  tensor<D extends DType>(data: TensorData, shape: Shape, dtype: D): Tensor<D>;
  tensor(data: TensorData, shape: Shape, dtype?: DType): Tensor {
    return createTensor(this, data, shape, dtype);
  }

  /** A tensor with unspecified contents (WebGPU zero-fills new buffers, but do not rely on it). */
  empty<D extends DType = 'f32'>(shape: Shape, dtype?: D): Tensor<D> {
    return emptyTensor(this, shape, dtype ?? ('f32' as D));
  }

  /** A zero-filled tensor (WebGPU guarantees new buffers read as zero). */
  zeros<D extends DType = 'f32'>(shape: Shape, dtype?: D): Tensor<D> {
    return emptyTensor(this, shape, dtype ?? ('f32' as D));
  }

  stats(): DeviceStats {
    return {
      liveBuffers: this.live,
      liveBytes: this.liveBytesCount,
      pooledBuffers: this.uniformPool.size,
      pipelinesCreated: this.pipelines.created,
      pipelinesCached: this.pipelines.size,
      launches: this.launchCount,
    };
  }

  /** Waits for all submitted work, then reports the first error no scope caught. */
  async sync(): Promise<void> {
    this.throwIfUnusable();
    await this.gpu.queue.onSubmittedWorkDone();
    this.throwPendingErrors();
  }

  /** @internal Throws device loss, else the first error no scope caught (clearing them). */
  throwPendingErrors(kernel?: string): void {
    this.throwIfLost(kernel);
    const first = this.takeErrors()[0];
    if (first !== undefined) throw first;
  }

  /** Errors that surfaced outside any error scope since the last call; clears them. */
  takeErrors(): DeviceError[] {
    return this.uncaptured.splice(0, this.uncaptured.length);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Destroys the device and everything on it. Call it when done: a live device keeps
   * Dawn's worker threads (and so a Node process) running.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pipelines.clear();
    this.uniformPool.destroy();
    this.gpu.destroy();
  }

  /** @internal Creates a buffer counted in stats().liveBuffers; free it with release(). */
  allocate(descriptor: GPUBufferDescriptor): GPUBuffer {
    this.throwIfUnusable();
    const buffer = this.gpu.createBuffer(descriptor);
    this.live++;
    this.liveBytesCount += descriptor.size;
    return buffer;
  }

  /** @internal */
  release(buffer: GPUBuffer): void {
    buffer.destroy();
    this.live--;
    this.liveBytesCount -= buffer.size;
  }

  /** @internal */
  countLaunch(): void {
    this.launchCount++;
  }

  /** @internal Throws if the device was disposed or lost. */
  throwIfUnusable(kernel?: string): void {
    if (this.disposed) {
      throw new DeviceError('lost', 'the device was disposed', 'Create a new device with init().', kernel);
    }
    this.throwIfLost(kernel);
  }

  /** @internal */
  throwIfLost(kernel?: string): void {
    if (this.lostError === undefined) return;
    if (kernel === undefined) throw this.lostError;
    throw new DeviceError('lost', this.lostError.summary, this.lostError.hint, kernel, { cause: this.lostError });
  }
}
