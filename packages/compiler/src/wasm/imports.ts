/**
 * Functions a wasm kernel module imports from JavaScript (module "m"): the transcendental
 * functions WebAssembly has no instruction for, computed in double and rounded once to
 * f32 by the caller (as the interpreter computes them), and f16 conversions. The runtime
 * provides them under these names (runtime/src/wasm/math-imports.ts).
 */
import type { FuncImport, FuncType } from './encoder.ts';

const F64_F64: FuncType = { params: ['f64'], results: ['f64'] };
const F64X2_F64: FuncType = { params: ['f64', 'f64'], results: ['f64'] };

export const IMPORTS = [
  { module: 'm', name: 'exp', type: F64_F64 },
  { module: 'm', name: 'exp2', type: F64_F64 },
  { module: 'm', name: 'log', type: F64_F64 },
  { module: 'm', name: 'log2', type: F64_F64 },
  { module: 'm', name: 'sin', type: F64_F64 },
  { module: 'm', name: 'cos', type: F64_F64 },
  { module: 'm', name: 'tan', type: F64_F64 },
  { module: 'm', name: 'tanh', type: F64_F64 },
  { module: 'm', name: 'sigmoid', type: F64_F64 },
  { module: 'm', name: 'erf', type: F64_F64 },
  { module: 'm', name: 'rsqrt', type: F64_F64 },
  { module: 'm', name: 'pow', type: F64X2_F64 },
  { module: 'm', name: 'fmod', type: F64X2_F64 },
  /** A double rounded to the nearest f16 value, returned as f32 (exact). */
  { module: 'm', name: 'roundHalf', type: { params: ['f64'], results: ['f32'] } },
  /** The f16 bits of an f32 holding an f16 value. */
  { module: 'm', name: 'halfBits', type: { params: ['f32'], results: ['i32'] } },
  /** The value of f16 bits. */
  { module: 'm', name: 'halfValue', type: { params: ['i32'], results: ['f32'] } },
] as const satisfies readonly FuncImport[];

export type ImportName = (typeof IMPORTS)[number]['name'];

export function importIndex(name: ImportName): number {
  return IMPORTS.findIndex((i) => i.name === name);
}
