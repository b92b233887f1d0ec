// The public types name WebGPU's (GPUDevice, GPUBuffer, …): a project type-checking
// against this package gets their declarations from @webgpu/types, a dependency.
/// <reference types="@webgpu/types" preserve="true" />
/**
 * tessera-gpu-runtime: WebGPU devices, tensors, kernel launch and timing.
 * Internals (pipeline cache, uniform pool, bind-group building) stay behind this file.
 */
export { init, hasWebGPU } from './init.ts';
export type { WebGPUAvailability } from './init.ts';
export { listDawnAdapters } from './dawn-adapters.ts';
export type { DawnAdapter, DawnAdapterList } from './dawn-adapters.ts';
export { Device } from './device.ts';
export type { InitOptions, DeviceStats } from './device.ts';
export type { AdapterDescription, DeviceLimits } from './adapter.ts';
export { Tensor } from './tensor.ts';
export type { Shape } from './tensor.ts';
export type { WrapOptions } from './interop/wrap.ts';
export type { DType, HostArray, TensorData } from './dtype.ts';
export { launch } from './launch.ts';
export type { LaunchOptions } from './launch.ts';
export type { Dims, Scalars } from './bind.ts';
export { measure } from './timing.ts';
export type { MeasureOptions, Measurement } from './timing.ts';
export {
  TesseraError,
  NoAdapterError,
  ArgumentError,
  DeviceError,
  UnsupportedFeatureError,
  CacheError,
  AutotuneError,
  OutputCountError,
} from './errors.ts';
export type { ErrorCode, DeviceErrorKind, ErrorBackend } from './errors.ts';
export { f32ToF16Bits, f16BitsToF32, toF16Bits, fromF16Bits, roundToF16 } from './half.ts';
export type { KernelArtifact, LaunchPlan, TensorBinding, UniformLayout } from 'tessera-gpu-compiler';
export { kernel, makeKernel } from './kernel/kernel.ts';
export type { Kernel, KernelArg, CallOptions, OutputSpec, KernelResult, AnyKernel, Tensors, KernelTag, KernelsTag } from './kernel/kernel.ts';
export { KernelError } from './kernel/prepare.ts';
// The autotuner and its cache; autotune/index.ts lists the public pieces.
export * from './autotune/index.ts';
export { traceKernel, type TraceOptions, type TraceResult } from './kernel/trace.ts';
export { compileInterpreter, type InterpretedKernel, type TileTrace, type TileWrite } from './interpreter/index.ts';
export type { Backend } from './device.ts';
export { hash53 } from './hash.ts';
export { setLogLevel } from './settings/log.ts';
export type { LogLevel } from './settings/environment.ts';
