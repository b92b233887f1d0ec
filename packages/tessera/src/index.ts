/**
 * tessera — the package kernel authors import. Re-exports the pieces of the pipeline a
 * user touches: the `kernel` and `func` tags, `init` and tensors, and the error classes.
 *
 *   import { kernel, init } from 'tessera-gpu';
 *   const add = kernel`fn add(x: f32[N], y: f32[N]) -> f32[N] { … }`;
 *   const device = await init();
 *   const out = await add(device.tensor(xs, [n]), device.tensor(ys, [n]));
 */
export { func, formatDiagnostics, KernelSyntaxError, InternalCompilerError, type Diagnostic, type FuncDef } from 'tessera-gpu-dsl';
export { BindingLimitError, ConfigError, UnsupportedError, type ConfigInput, type KernelConfig } from 'tessera-gpu-compiler';
export {
  kernel, init, hasWebGPU, measure, traceKernel, Device, Tensor, KernelError,
  TesseraError, NoAdapterError, ArgumentError, DeviceError, UnsupportedFeatureError, CacheError, AutotuneError,
  type TraceOptions, type TraceResult, type TileTrace, type Backend,
  OutputCountError, setLogLevel,
  type Kernel, type KernelArg, type KernelResult, type AnyKernel, type Tensors, type KernelTag, type KernelsTag, type LogLevel, type CallOptions, type OutputSpec, type WrapOptions, type InitOptions, type AdapterDescription, type HostArray, type DType,
} from 'tessera-gpu-runtime';
export {
  TuningCache, TuningsFileError, defaultTuningCache, setDefaultTuningCache, setDefaultTuning,
  type AutotuneOptions, type AutotuneResult, type AutotuneProgress, type TuningRow, type TuningPolicy, type FirstCallPolicy,
  type Effort, type TuningsFile, type TuningEntry,
} from 'tessera-gpu-runtime';
