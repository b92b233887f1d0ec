/**
 * tessera — the package kernel authors import. Re-exports the pieces of the pipeline a
 * user touches: the `kernel` and `func` tags, `init` and tensors, and the error classes.
 *
 *   import { kernel, init } from 'tessera';
 *   const add = kernel`fn add(x: f32[N], y: f32[N]) -> f32[N] { … }`;
 *   const device = await init();
 *   const out = await add(device.tensor(xs, [n]), device.tensor(ys, [n]));
 */
export { func, formatDiagnostics, KernelSyntaxError, InternalCompilerError, type Diagnostic, type FuncDef } from '@tessera/dsl';
export { ConfigError, UnsupportedError, type ConfigInput, type KernelConfig } from '@tessera/compiler';
export {
  kernel, init, hasWebGPU, measure, Device, Tensor, KernelError,
  TesseraError, NoAdapterError, ArgumentError, DeviceError, UnsupportedFeatureError,
  type Kernel, type KernelArg, type CallOptions, type InitOptions, type AdapterDescription, type HostArray, type DType,
} from '@tessera/runtime';
