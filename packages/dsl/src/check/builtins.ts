/**
 * The builtin functions of the tile language, grouped by how they are typed. The
 * compiler's lowering tables are keyed by these same names, so adding a builtin here
 * without lowering it is a type error there.
 */

/** Elementwise math on floats: one argument, same shape and dtype out. */
export const FLOAT_UNARY = [
  'exp', 'exp2', 'log', 'log2', 'sqrt', 'rsqrt', 'sin', 'cos', 'tan', 'tanh',
  'sigmoid', 'erf', 'floor', 'ceil', 'round',
] as const;
export type FloatUnary = (typeof FLOAT_UNARY)[number];

/** Elementwise on any number type. */
export const NUMERIC_UNARY = ['abs'] as const;
export type NumericUnary = (typeof NUMERIC_UNARY)[number];

/** Elementwise, two arguments (min/max with two positional arguments land here too). */
export const BINARY_FNS = ['pow', 'min', 'max'] as const;
export type BinaryFn = (typeof BINARY_FNS)[number];

/** Reductions along an axis: `sum(x, axis=1, keepdim=true)`; no axis = every axis. */
export const REDUCTIONS = ['sum', 'mean', 'max', 'min', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCTIONS)[number];

export const SCANS = ['cumsum'] as const;
export type ScanOp = (typeof SCANS)[number];

export const CAST_NAMES = ['f32', 'f16', 'i32', 'u32', 'bool'] as const;

/** Counter-based random numbers: `rand(seed, offsets)` and friends (random.ts). */
export const RANDOM_FNS = ['rand', 'randn', 'randint'] as const;

/** Output allocation in host code. */
export const HOST_ALLOCATORS = ['empty', 'empty_like', 'zeros', 'zeros_like'] as const;

export const ALL_BUILTINS: ReadonlySet<string> = new Set<string>([
  ...FLOAT_UNARY, ...NUMERIC_UNARY, ...BINARY_FNS, ...REDUCTIONS, ...SCANS, ...CAST_NAMES, ...RANDOM_FNS,
  ...HOST_ALLOCATORS, 'full', 'where', 'clamp', 'transpose', 'unsqueeze', 'squeeze', 'reshape', 'atomic_add', 'tile', 'grid', 'range',
]);

export function isOneOf<T extends string>(list: readonly T[], name: string): name is T {
  return (list as readonly string[]).includes(name);
}
