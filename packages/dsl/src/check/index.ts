export { checkKernel, type CheckResult } from './kernel.ts';
export type { CheckedKernel, CheckedFunc, CheckedBody, KernelParam, DimBinding, LoopShape } from './checked.ts';
export type { SymbolInfo } from './context.ts';
export type { Axis, Dim, LoopInfo, TensorInfo, Type } from './types.ts';
export { axisText, shapeText, typeText, dimText, isFloat, isInt } from './types.ts';
export { CHECK_CODES, type CheckCode } from './check-codes.ts';
export { ALL_BUILTINS, FLOAT_UNARY, REDUCTIONS, type FloatUnary, type ReduceOp } from './builtins.ts';
export { isFuncLike, type FuncLike } from './func.ts';
