export type { KernelArtifact, LaunchPlan, TensorBinding, UniformLayout, DType } from './artifact.ts';
export { lowerToIR, compileWgsl, validateConfig } from './compile.ts';
export { defaultConfig, resolveConfig, blockOf, type KernelConfig, type ConfigInput } from './config/config.ts';
export { ConfigError, DEFAULT_LIMITS, configProblems, type DeviceLimits } from './config/validate.ts';
export { UnsupportedError } from './wgsl/context.ts';
export type * from './ir/nodes.ts';
export { printKernel, printValue } from './ir/print.ts';
export { verifyKernel } from './ir/verify.ts';
export { operands, mapOperands, stmtValues } from './ir/walk.ts';
