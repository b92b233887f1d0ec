/**
 * Tessera kernels on ONNX Runtime Web GPU tensors (`tessera-gpu/onnx`): an input is the
 * GPUBuffer an ort.Tensor holds (`tensor.gpuBuffer`, location 'gpu-buffer': a WebGPU EP
 * session's output with preferredOutputLocation 'gpu-buffer', or Tensor.fromGpuBuffer),
 * wrapped without copying; each result is an ort.Tensor made with Tensor.fromGpuBuffer
 * over the buffer Tessera wrote, which the tensor then owns (tensor.dispose() frees it).
 *
 * The Tessera device must run on the session's GPUDevice (`ort.env.webgpu.device`):
 * `init({ device: await ort.env.webgpu.device })` (the getter gives a promise). ONNX
 * Runtime submits a session's work before run() resolves, so inputs are complete on the
 * queue before the kernel is submitted, and a later session run is queued after it.
 *
 * Nothing here imports ONNX Runtime: the caller passes its `ort` namespace, typed
 * structurally by what is used.
 */
import type { Device } from '../device.ts';
import type { DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { ConfigInput } from 'tessera-gpu-compiler';
import type { Tensor } from '../tensor.ts';
import { wrapBuffer } from './wrap.ts';
import { toF16Bits } from '../half.ts';

/** What the adapter reads of an ort.Tensor. */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly location: string;
  readonly gpuBuffer: GPUBuffer;
}

/** The part of the `ort` namespace the adapter uses: GPU tensors from buffers. */
export interface OrtLike<T extends OrtTensorLike = OrtTensorLike> {
  readonly Tensor: {
    fromGpuBuffer(buffer: GPUBuffer, options: {
      readonly dataType: OrtDataType;
      readonly dims: readonly number[];
      readonly download?: () => Promise<Float32Array | Uint16Array | Int32Array | Uint32Array>;
      readonly dispose?: () => void;
    }): T;
  };
}

export interface OrtKernel<T extends OrtTensorLike> {
  /** Runs the kernel; resolves to its result as a GPU ort.Tensor (several results: use run()). */
  (...args: (T | number)[]): Promise<T>;
  run(args: readonly (T | number)[], options?: { readonly config?: ConfigInput }): Promise<T[]>;
  readonly kernel: Kernel;
}

/** ONNX element types with Tessera's layout (bool is 1 byte in ONNX, 4 in Tessera: not shared). */
const ORT_TO_TESSERA: Readonly<Record<string, DType>> = { float32: 'f32', float16: 'f16', int32: 'i32', uint32: 'u32' };
/** The ONNX element types that share Tessera's storage layout. */
export type OrtDataType = 'float32' | 'float16' | 'int32' | 'uint32';
const TESSERA_TO_ORT: Readonly<Partial<Record<DType, OrtDataType>>> = { f32: 'float32', f16: 'float16', i32: 'int32', u32: 'uint32' };

/** A Tessera tensor over an ort.Tensor's GPUBuffer (checked like device.wrap()). */
export async function fromOrtTensor(device: Device, t: OrtTensorLike, name = 'tensor'): Promise<Tensor> {
  const where = 'fromOrtTensor';
  if (typeof t !== 'object' || t === null || !Array.isArray(t.dims)) {
    throw new ArgumentError(name, 'an ort.Tensor', typeof t, 'Pass ONNX Runtime Web tensors.', where);
  }
  if (t.location !== 'gpu-buffer') {
    throw new ArgumentError(name, "an ort.Tensor on the GPU (location 'gpu-buffer')", `location '${t.location}'`,
      "Run the session with executionProviders: ['webgpu'] and preferredOutputLocation: 'gpu-buffer', or make the tensor with ort.Tensor.fromGpuBuffer().", where);
  }
  const dtype = ORT_TO_TESSERA[t.type];
  if (dtype === undefined) {
    throw new ArgumentError(name, 'a float32, float16, int32 or uint32 tensor', `type ${t.type}`, 'Cast it in the model (a Cast node) first.', where);
  }
  return wrapBuffer(device, t.gpuBuffer, { shape: t.dims, dtype });
}

/**
 * Hands a Tessera result to ONNX Runtime as a GPU ort.Tensor: the buffer passes to the
 * tensor (takeBuffer), getData() reads it back, dispose() destroys it.
 */
export function toOrtTensor<T extends OrtTensorLike>(ort: OrtLike<T>, device: Device, tensor: Tensor): T {
  const dataType = TESSERA_TO_ORT[tensor.dtype];
  if (dataType === undefined) {
    throw new ArgumentError('result', 'a f32, f16, i32 or u32 result', `a ${tensor.dtype} result`, 'Return one of those dtypes from kernels handed to ONNX Runtime.', 'toOrtTensor');
  }
  const [shape, dtype] = [tensor.shape, tensor.dtype];
  const buffer = tensor.takeBuffer();
  return ort.Tensor.fromGpuBuffer(buffer, {
    dataType,
    dims: shape,
    download: async () => {
      const view = await wrapBuffer(device, buffer, { shape, dtype });
      try {
        // f16 reads back as Float32Array; ONNX Runtime's float16 data is the half bits (exact: the values are halves).
        const values = await view.read();
        return dtype === 'f16' ? toF16Bits(values) : values as Float32Array | Int32Array | Uint32Array;
      } finally {
        view.destroy();
      }
    },
    dispose: () => buffer.destroy(),
  });
}

/** `kernel` as a function of GPU ort.Tensors, run on `device` (the session's GPUDevice, adopted). */
export function ortKernel<T extends OrtTensorLike>(ort: OrtLike<T>, device: Device, kernel: Kernel): OrtKernel<T> {
  const run = async (args: readonly (T | number)[], options: { readonly config?: ConfigInput } = {}): Promise<T[]> => {
    const wrapped: Tensor[] = [];
    try {
      const tensors: (Tensor | number)[] = [];
      for (const [i, arg] of args.entries()) {
        if (typeof arg === 'number') tensors.push(arg);
        else {
          const t = await fromOrtTensor(device, arg, `argument ${i}`);
          wrapped.push(t);
          tensors.push(t);
        }
      }
      const outputs = await kernel.run(tensors, { device, ...(options.config === undefined ? {} : { config: options.config }) });
      return outputs.map((o) => toOrtTensor(ort, device, o));
    } finally {
      for (const t of wrapped) t.destroy();
    }
  };
  const call = async (...args: (T | number)[]): Promise<T> => {
    const results = await run(args);
    const [first] = results;
    if (results.length !== 1 || first === undefined) {
      throw new ArgumentError(`${kernel.kernelName}(…)`, 'a kernel with one result', `${results.length} results`, 'Call .run(args) to get every result.', 'ortKernel');
    }
    return first;
  };
  return Object.assign(call, { run, kernel });
}
