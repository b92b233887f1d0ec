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
import { BufferPool } from './buffer-pool.ts';
import { UniformPool } from './uniform-pool.ts';
import { hostArray, type HostArray as StorageArray } from './interpreter/host.ts';
import type { WasmBackend } from './wasm/executor.ts';
import { environmentSettings } from './settings/log.ts';
import { forgetAdopted } from './interop/adopted.ts';
import { wrapBuffer, type WrapOptions } from './interop/wrap.ts';

export interface InitOptions extends ProviderOptions {
  /**
   * Run on WebGPU (any adapter, software ones included) or fail with NoAdapterError: no
   * fallback to a CPU backend, and no preference for one over a software adapter.
   */
  readonly requireWebGPU?: boolean;
  /**
   * Where kernels run. 'auto' (default): a hardware WebGPU adapter when one exists, else
   * the CPU backend `cpuBackend` names (with a one-line notice when there is no adapter
   * at all). 'webgpu': any WebGPU adapter, software ones included, or NoAdapterError.
   * 'wasm': the WebAssembly SIMD backend. 'interpreter': the JavaScript interpreter.
   */
  readonly backend?: 'auto' | 'webgpu' | 'interpreter' | 'wasm';
  /**
   * With backend 'auto' and no hardware GPU: 'wasm' (default) runs kernels on the wasm
   * backend rather than a software WebGPU adapter (lavapipe, SwiftShader) or the
   * interpreter; 'interpreter' keeps WebGPU on any adapter, software ones included, and
   * the interpreter where there is none.
   */
  readonly cpuBackend?: 'wasm' | 'interpreter';
  /** wasm backend: threads in all, the calling one included (default: the hardware threads). */
  readonly threads?: number;
  /** wasm backend: most bytes of its memory (default 2 GiB; 256 MiB without SharedArrayBuffer). */
  readonly wasmMemoryBytes?: number;
  /** Where the fallback notice goes (default: a warning on stderr, see TESSERA_LOG); pass () => {} to silence it. */
  readonly notice?: (message: string) => void;
  /** Await a validation error scope on every launch, not only a pipeline's first. */
  readonly validate?: boolean;
  /** How many compiled pipelines to keep (LRU). */
  readonly pipelineCacheSize?: number;
  /** Print each WGSL shader as it is compiled for this device (default: TESSERA_PRINT_WGSL). */
  readonly printWgsl?: boolean;
  /**
   * Run on this GPUDevice (the application's, e.g. TF.js's) instead of creating one: its
   * limits and features are read from it, nothing is requested again, and dispose()
   * does not destroy it. The same GPUDevice always gives the same Tessera device, so
   * pipelines and pooled buffers are shared per GPUDevice.
   */
  readonly device?: GPUDevice;
}

/** Most bytes of destroyed tensors' buffers a device keeps for reuse (buffer-pool.ts). */
const REUSABLE_BYTES = 256 * 1024 * 1024;

export interface DeviceStats {
  /** Buffers the runtime created and has not destroyed: tensors and in-flight readbacks. */
  readonly liveBuffers: number;
  readonly liveBytes: number;
  /** Long-lived uniform buffers reused across launches (bounded; not a leak). */
  readonly pooledBuffers: number;
  /** Storage buffers of destroyed tensors kept for the next tensor of their size (bounded; not a leak). */
  readonly reusableBuffers: number;
  readonly pipelinesCreated: number;
  readonly pipelinesCached: number;
  readonly launches: number;
}

/**
 * Where kernels run: 'webgpu' (a GPUDevice) or 'interpreter' (Tessera's CPU backend,
 * used when no adapter exists or when asked for). Tensors and kernels work the same on
 * both; only the WebGPU internals (`gpu`, pipelines) are missing on the interpreter.
 */
export type Backend = 'webgpu' | 'interpreter' | 'wasm';

export class Device {
  readonly backend: Backend;
  readonly info: AdapterDescription;
  readonly features: ReadonlySet<string>;
  /** Default for launches: validate every one (true) or only a pipeline's first (false). */
  readonly validate: boolean;
  /** Runs on the application's GPUDevice (init({ device })); dispose() leaves that device alive. */
  readonly adopted: boolean;
  private readonly gpuDevice: GPUDevice | undefined;
  private readonly pipelineCache: PipelineCache | undefined;
  private readonly uniforms: UniformPool | undefined;
  private readonly reusable = new BufferPool(REUSABLE_BYTES);

  private live = 0;
  private liveBytesCount = 0;
  private launchCount = 0;
  private disposed = false;
  private lostError: DeviceError | undefined;
  /** Errors no error scope caught, kept until sync() or takeErrors() reports them. */
  private readonly uncaptured: DeviceError[] = [];
  /** Whether kernels print their WGSL when they compile it for this device. */
  readonly printWgsl: boolean;
  private readonly checks = new Set<Promise<void>>();

  /** @internal The wasm executor (memory, worker pool); only on the 'wasm' backend. */
  readonly wasm: WasmBackend | undefined;

  /**
   * `gpu` undefined makes an interpreter device (see init({ backend: 'interpreter' })), or
   * with `wasm` a wasm device (init({ backend: 'wasm' })). `adopted`: the GPUDevice belongs
   * to the application (init({ device })), so Tessera leaves its error handler alone and
   * never destroys it.
   */
  constructor(gpu: GPUDevice | undefined, info: AdapterDescription, options: InitOptions = {}, wasm?: WasmBackend, adopted = false) {
    this.backend = gpu ? 'webgpu' : wasm ? 'wasm' : 'interpreter';
    this.wasm = gpu ? undefined : wasm;
    this.gpuDevice = gpu;
    this.info = info;
    this.adopted = adopted;
    this.features = new Set(gpu?.features ?? info.features);
    this.validate = options.validate ?? false;
    this.printWgsl = options.printWgsl ?? environmentSettings().printWgsl ?? false;
    this.pipelineCache = gpu ? new PipelineCache(gpu, options.pipelineCacheSize) : undefined;
    this.uniforms = gpu ? new UniformPool(gpu) : undefined;
    if (!gpu) return;
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
    // The handler of an adopted device is the application's; errors of Tessera's launches
    // are caught by their scopes instead.
    if (adopted) return;
    gpu.onuncapturederror = (event: GPUUncapturedErrorEvent): void => {
      // We report these ourselves (sync() and reads throw them), so stop Dawn from also
      // printing them to stdout. Bounded: a kernel failing in a loop must not grow memory.
      event.preventDefault();
      if (this.uncaptured.length < 32) this.uncaptured.push(fromGPUError(event.error));
    };
  }

  /** The GPUDevice; only on the 'webgpu' backend. */
  get gpu(): GPUDevice {
    if (!this.gpuDevice) throw this.notOnInterpreter('gpu');
    return this.gpuDevice;
  }

  /** @internal shared by launch.ts and timing.ts */
  get pipelines(): PipelineCache {
    if (!this.pipelineCache) throw this.notOnInterpreter('pipelines');
    return this.pipelineCache;
  }

  /** @internal shared by launch.ts */
  get uniformPool(): UniformPool {
    if (!this.uniforms) throw this.notOnInterpreter('uniform buffers');
    return this.uniforms;
  }

  private notOnInterpreter(what: string): DeviceError {
    return new DeviceError('internal', `the interpreter backend has no WebGPU ${what}`,
      'This is a Tessera bug: interpreter devices run kernels on the CPU and never reach WebGPU code.', undefined, { backend: 'interpreter' });
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

  /**
   * A tensor with unspecified contents: it may reuse the buffer of a destroyed tensor of
   * the same size, stale data included (use zeros() when the contents matter).
   */
  empty<D extends DType = 'f32'>(shape: Shape, dtype?: D): Tensor<D> {
    return emptyTensor(this, shape, dtype ?? ('f32' as D), false);
  }

  /** A zero-filled tensor. */
  zeros<D extends DType = 'f32'>(shape: Shape, dtype?: D): Tensor<D> {
    return emptyTensor(this, shape, dtype ?? ('f32' as D), true);
  }

  stats(): DeviceStats {
    return {
      liveBuffers: this.live,
      liveBytes: this.liveBytesCount,
      pooledBuffers: this.uniforms?.size ?? 0,
      reusableBuffers: this.reusable.size,
      pipelinesCreated: this.pipelineCache?.created ?? 0,
      pipelinesCached: this.pipelineCache?.size ?? 0,
      launches: this.launchCount,
    };
  }

  /** Waits for all submitted work, then reports the first error no scope caught. */
  async sync(): Promise<void> {
    this.throwIfUnusable();
    // The interpreter runs kernels to completion when they are called.
    if (!this.gpuDevice) return;
    await this.gpuDevice.queue.onSubmittedWorkDone();
    await this.settleChecks();
    this.throwPendingErrors();
  }

  /** @internal Throws device loss, else the first error no scope caught (clearing them). */
  throwPendingErrors(kernel?: string): void {
    this.throwIfLost(kernel);
    const first = this.takeErrors()[0];
    if (first !== undefined) throw first;
  }

  /**
   * @internal An error check still in flight after its launch returned (launch.ts, on
   * adopted devices): what it finds is kept for sync() and reads to throw, and they wait for it.
   */
  trackCheck(check: Promise<DeviceError | undefined>): void {
    const done = check.then((error) => {
      if (error !== undefined && this.uncaptured.length < 32) this.uncaptured.push(error);
    }, () => undefined).finally(() => this.checks.delete(done));
    this.checks.add(done);
  }

  /** @internal Waits for the error checks in flight (trackCheck). */
  async settleChecks(): Promise<void> {
    while (this.checks.size > 0) await Promise.all([...this.checks]);
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
   * Dawn's worker threads (and so a Node process) running. On an adopted device only
   * what Tessera created goes (its pipelines, pooled and reusable buffers); the
   * GPUDevice, wrapped buffers and buffers handed out with takeBuffer() stay alive.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pipelineCache?.clear();
    this.uniforms?.destroy();
    this.reusable.destroy();
    if (this.adopted) forgetAdopted(this);
    else this.gpuDevice?.destroy();
    this.wasm?.dispose();
  }

  /**
   * A tensor over an existing GPUBuffer, without copying (see interop/wrap.ts for the
   * checks). Tessera never destroys a wrapped buffer; destroy() on the tensor only ends
   * Tessera's use of it.
   */
  wrap<D extends DType = 'f32'>(buffer: GPUBuffer, options: WrapOptions<D>): Promise<Tensor<D>> {
    return wrapBuffer(this, buffer, options);
  }

  /** @internal Creates a buffer counted in stats().liveBuffers; free it with release(). */
  allocate(descriptor: GPUBufferDescriptor): GPUBuffer {
    return this.allocateBuffer(descriptor, false).buffer;
  }

  /**
   * @internal allocate(), and with `reuse` a buffer of a destroyed tensor of the same size
   * and usage when there is one (buffer-pool.ts); `reused` says so, since its contents
   * are then stale, not zero.
   */
  allocateBuffer(descriptor: GPUBufferDescriptor, reuse: boolean): { buffer: GPUBuffer; reused: boolean } {
    this.throwIfUnusable();
    const kept = reuse && !descriptor.mappedAtCreation ? this.reusable.take(descriptor.size, descriptor.usage) : undefined;
    const buffer = kept ?? this.gpu.createBuffer(descriptor);
    this.live++;
    this.liveBytesCount += descriptor.size;
    return { buffer, reused: kept !== undefined };
  }

  /** @internal Stops counting a buffer whose ownership passed to the caller (tensor.takeBuffer()). */
  forget(buffer: GPUBuffer): void {
    this.live--;
    this.liveBytesCount -= buffer.size;
  }

  /** @internal Frees a buffer; with `reuse` (tensor storage) it may be kept for the next allocation of its size. */
  release(buffer: GPUBuffer, reuse = false): void {
    this.live--;
    this.liveBytesCount -= buffer.size;
    if (!(reuse && !this.disposed && this.reusable.give(buffer))) buffer.destroy();
  }

  /** @internal Counts host storage of an interpreter tensor like a buffer, for leak checks. */
  trackHost(bytes: number, delta: 1 | -1): void {
    this.live += delta;
    this.liveBytesCount += delta * bytes;
  }

  /** @internal Host storage of a CPU tensor: a plain array (interpreter) or a view into wasm memory. */
  hostStorage(dtype: DType, size: number, zero: boolean): StorageArray {
    return this.wasm ? this.wasm.storage(dtype, size, zero) : hostArray(dtype, size);
  }

  /** @internal Frees host storage made by hostStorage (wasm memory; plain arrays are left to the GC). */
  releaseHost(storage: StorageArray): void {
    this.wasm?.releaseStorage(storage);
  }

  /** @internal */
  countLaunch(): void {
    this.launchCount++;
  }

  /** @internal Throws if the device was disposed or lost. */
  throwIfUnusable(kernel?: string): void {
    if (this.disposed) {
      throw new DeviceError('disposed', 'the device was disposed (device.dispose()) before this use',
        'Create a new device with init() and new tensors on it; a disposed device and its tensors cannot be used.',
        kernel, { backend: this.backend });
    }
    this.throwIfLost(kernel);
  }

  /** @internal */
  throwIfLost(kernel?: string): void {
    if (this.lostError !== undefined) throw this.lostError.forKernel(kernel);
  }
}
