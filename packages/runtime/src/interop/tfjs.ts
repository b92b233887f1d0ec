/**
 * Tessera kernels on TF.js tensors (`tessera-gpu/tfjs`), on TF.js's own GPUDevice and
 * without copies: an input's GPUBuffer is the one TF.js's WebGPU backend keeps for it,
 * and each result is written straight into a buffer TF.js allocates, then handed out as
 * a tf.Tensor that TF.js owns (tf.dispose frees it as any other).
 *
 * Ordering: TF.js records its kernels into a command encoder and submits it lazily. Before
 * a Tessera launch the adapter ends TF.js's open pass and submits what it recorded, so
 * everything TF.js queued (the ops that produced the inputs, uploads of host data) runs
 * before the kernel; TF.js work recorded afterwards is submitted afterwards, on the same
 * queue, so it sees the kernel's results.
 *
 * Nothing here imports TF.js: the caller passes its `tf` namespace, and only what is
 * used of it is typed (structurally), so this module costs nothing to non-TF.js users.
 */
import type { Device } from '../device.ts';
import type { DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { init } from '../init.ts';
import type { Kernel, OutputSpec } from '../kernel/kernel.ts';
import type { ConfigInput } from 'tessera-gpu-compiler';
import type { Tensor } from '../tensor.ts';
import { makeWrapped } from './wrap.ts';

/** What the adapter reads of a tf.Tensor. */
export interface TfTensorLike {
  readonly dataId: object;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly isDisposed: boolean;
  dispose(): void;
}

interface TfTensorInfo {
  readonly dataId: object;
  readonly shape: readonly number[];
  readonly dtype: string;
}

/** The part of TF.js's WebGPU backend (tfjs-backend-webgpu 4.x) the adapter uses. */
interface WebGPUBackendLike {
  readonly device: GPUDevice;
  readonly tensorMap: { get(dataId: object): { resource?: unknown } | undefined };
  commandEncoder: GPUCommandEncoder | null;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: readonly number[], dtype: string): TfTensorInfo;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/** The part of the `tf` namespace the adapter uses. */
export interface TfLike<T extends TfTensorLike = TfTensorLike> {
  getBackend(): string;
  backend(): unknown;
  engine(): {
    makeTensorFromTensorInfo(info: TfTensorInfo, backend?: unknown): T;
    readonly registry?: Readonly<Record<string, unknown>>;
    readonly state?: { readonly tensorInfo?: { get(dataId: object): { readonly backend?: unknown } | undefined } };
  };
}

/** A Tessera kernel called on tf.Tensors (see tfjsKernel). */
export interface TfKernel<T extends TfTensorLike> {
  /** Runs the kernel; resolves to its result as a tf.Tensor (kernels with several results: use run()). */
  (...args: (T | number)[]): Promise<T>;
  /** Runs the kernel; resolves to every result, in order. */
  run(args: readonly (T | number)[], options?: { readonly config?: ConfigInput }): Promise<T[]>;
  readonly kernel: Kernel;
}

const TF_TO_TESSERA: Readonly<Record<string, DType>> = { float32: 'f32', int32: 'i32', bool: 'bool' };
const TESSERA_TO_TF: Readonly<Partial<Record<DType, string>>> = { f32: 'float32', i32: 'int32', bool: 'bool' };

const NEEDS_WEBGPU_HINT =
  "Tessera kernels run on TF.js's WebGPU backend: import '@tensorflow/tfjs-backend-webgpu', " +
  "await tf.setBackend('webgpu') before creating the tensors, or move one with tf.tensor(await t.data(), t.shape, t.dtype).";

/** The Tessera device on TF.js's GPUDevice (shared by every call; see init({ device })). */
export async function tfjsDevice(tf: TfLike): Promise<Device> {
  return init({ device: webgpuBackend(tf).device });
}

/**
 * `kernel` as a function of tf.Tensors: `const geglu = tfjsKernel(tf, gegluKernel);
 * const y = await geglu(h);`. Inputs must live on TF.js's WebGPU backend; results are
 * tf.Tensors on it. Scalars pass through as numbers.
 */
export function tfjsKernel<T extends TfTensorLike>(tf: TfLike<T>, kernel: Kernel): TfKernel<T> {
  const run = async (args: readonly (T | number)[], options: { readonly config?: ConfigInput } = {}): Promise<T[]> => {
    const backend = webgpuBackend(tf);
    const device = await init({ device: backend.device });
    // An error of an earlier call found after it returned (launch.ts) is reported here at the latest.
    device.throwPendingErrors(kernel.kernelName);
    const made: TfTensorInfo[] = [];
    const wrapped: Tensor[] = [];
    try {
      const tensors = args.map((arg, i) => (typeof arg === 'number' ? arg : track(wrapped, inputTensor(tf, backend, device, arg, i, kernel.kernelName))));
      const allocate = (specs: readonly OutputSpec[]): Tensor[] => specs.map((spec) => {
        const info = backend.makeTensorInfo(spec.shape, tfDType(spec.dtype, kernel.kernelName));
        made.push(info);
        return track(wrapped, makeWrapped(device, gpuBufferOf(backend, info.dataId, 'result', kernel.kernelName), { shape: spec.shape, dtype: spec.dtype }));
      });
      flush(backend);
      await kernel.run(tensors, { device, outputs: allocate, ...(options.config === undefined ? {} : { config: options.config }) });
      const results = made.map((info) => tf.engine().makeTensorFromTensorInfo(info, backend));
      made.length = 0;
      return results;
    } finally {
      // Outputs not handed to TF.js (the launch failed) go back to its buffer pool.
      for (const info of made) tf.engine().makeTensorFromTensorInfo(info, backend).dispose();
      // Only Tessera's views end; the buffers stay TF.js's.
      for (const t of wrapped) t.destroy();
    }
  };
  const call = async (...args: (T | number)[]): Promise<T> => {
    const results = await run(args);
    const [first] = results;
    if (results.length !== 1 || first === undefined) {
      throw new ArgumentError(`${kernel.kernelName}(…)`, 'a kernel with one result', `${results.length} results`,
        'Call .run(args) to get every result as an array.', 'tfjsKernel');
    }
    return first;
  };
  return Object.assign(call, { run, kernel });
}

function track(list: Tensor[], t: Tensor): Tensor {
  list.push(t);
  return t;
}

/** TF.js's active backend, which must be its WebGPU one. */
function webgpuBackend(tf: TfLike): WebGPUBackendLike {
  const name = tf.getBackend();
  const backend = tf.backend();
  if (!isWebGPUBackend(backend)) {
    throw new ArgumentError('tf', "TF.js with the 'webgpu' backend active", `backend '${name}'`, NEEDS_WEBGPU_HINT, 'tfjsKernel');
  }
  return backend;
}

function isWebGPUBackend(b: unknown): b is WebGPUBackendLike {
  if (typeof b !== 'object' || b === null) return false;
  const x = b as Partial<Record<keyof WebGPUBackendLike, unknown>>;
  return typeof x.device === 'object' && x.device !== null && typeof x.uploadToGPU === 'function' &&
    typeof x.makeTensorInfo === 'function' && typeof x.submitQueue === 'function' && typeof x.tensorMap === 'object';
}

/** The Tessera view of one tf.Tensor argument: its backend buffer, after any pending upload. */
function inputTensor(tf: TfLike, backend: WebGPUBackendLike, device: Device, t: TfTensorLike, index: number, kernel: string): Tensor {
  const where = `kernel '${kernel}' (tfjsKernel)`;
  const name = `argument ${index}`;
  if (typeof t !== 'object' || t === null || typeof t.dataId !== 'object') {
    throw new ArgumentError(name, 'a tf.Tensor or a number', typeof t, 'Pass tf.Tensors for tensor parameters.', where);
  }
  if (t.isDisposed) throw new ArgumentError(name, 'a live tf.Tensor', 'a disposed tf.Tensor', 'Do not dispose a tensor before the kernel call that uses it.', where);
  const owner = tf.engine().state?.tensorInfo?.get(t.dataId)?.backend;
  if (owner !== undefined && owner !== backend) {
    throw new ArgumentError(name, "a tensor on TF.js's 'webgpu' backend", `a tensor on backend '${backendName(tf, owner)}'`, NEEDS_WEBGPU_HINT, where);
  }
  const dtype = TF_TO_TESSERA[t.dtype];
  if (dtype === undefined) {
    throw new ArgumentError(name, 'a float32, int32 or bool tensor', `dtype ${t.dtype}`, 'Cast it first, e.g. tf.cast(t, "float32").', where);
  }
  backend.uploadToGPU(t.dataId);
  return makeWrapped(device, gpuBufferOf(backend, t.dataId, name, kernel), { shape: t.shape, dtype });
}

function gpuBufferOf(backend: WebGPUBackendLike, dataId: object, name: string, kernel: string): GPUBuffer {
  if (backend.tensorMap.get(dataId)?.resource === undefined) backend.uploadToGPU(dataId);
  const resource = backend.tensorMap.get(dataId)?.resource;
  if (typeof resource !== 'object' || resource === null || typeof (resource as { getMappedRange?: unknown }).getMappedRange !== 'function') {
    throw new ArgumentError(name, 'a tensor whose data is in a GPUBuffer', 'a tensor held in a texture or nowhere',
      'Tensors made from images may live in textures; copy them with tf.clone(t) first.', `kernel '${kernel}' (tfjsKernel)`);
  }
  return resource as GPUBuffer;
}

function backendName(tf: TfLike, owner: unknown): string {
  const registry = tf.engine().registry ?? {};
  return Object.keys(registry).find((k) => registry[k] === owner) ?? 'another backend';
}

function tfDType(dtype: DType, kernel: string): string {
  const tfType = TESSERA_TO_TF[dtype];
  if (tfType === undefined) {
    throw new ArgumentError('result', 'a f32, i32 or bool result (the dtypes TF.js has)', `a ${dtype} result`,
      'Return f32, i32 or bool from kernels called through tfjsKernel.', `kernel '${kernel}' (tfjsKernel)`);
  }
  return tfType;
}

/** Submits what TF.js has recorded so far, the way its own readbacks do, so it runs before Tessera's launch. */
function flush(backend: WebGPUBackendLike): void {
  if (backend.commandEncoder === null || backend.commandEncoder === undefined) return;
  backend.endComputePassEncoder();
  backend.submitQueue();
}
