/**
 * tessera-gpu-dsl — the front end: tagged templates → AST with spans → diagnostics.
 */
export { kernel, func, renderTemplate, captureOrigin } from './template.ts';
export { parseKernelSource, kernelFromSource, type ParseResult } from './parse.ts';
export { isFuncDef, isKernelDef, type FuncDef, type KernelDef, type KernelSource, type HoleValue } from './defs.ts';
export { assertNoErrors, KernelSyntaxError } from './syntax-error.ts';
export { TesseraError, InternalCompilerError } from './errors.ts';
export { nullRecord, ownValue } from './own.ts';
export * from './diagnostics/index.ts';
export type * from './ast.ts';
export { SCALAR_TYPES, assertNever } from './ast.ts';
/** The builtin function names (the checker's table), for tools such as editor highlighting. */
export { ALL_BUILTINS } from './check/builtins.ts';
