/**
 * Where tile locals and materialized values live: a scalar in a wasm local, a tile in a
 * scratch buffer of the thread's scratch memory, placed once per run (sizes depend only
 * on dims and blocks).
 */
import type { Axis, DType, Value } from '../ir/nodes.ts';
import { I } from './instr.ts';
import { sizeExpr, sizeExprF64 } from './shape.ts';
import { wasmType, type Storage, type WasmContext } from './context.ts';

export function allocate(ctx: WasmContext, axes: readonly Axis[], dtype: DType): Storage & { kind: 'tile' } {
  if (ctx.inFunc) ctx.unsupported('a tile value inside a func', 'funcs work on scalars; call them on tiles elementwise');
  const ptr = ctx.fn.local('i32');
  // 4 bytes per element, rounded up to 16 so every buffer starts vector-aligned.
  ctx.scratch.push({
    ptr,
    bytes: [...sizeExpr(ctx, axes), ...I.i32Const(4), ...I.i32Mul, ...I.i32Const(15), ...I.i32Add, ...I.i32Const(-16), ...I.i32And],
    // At least the rounded size: 4 bytes an element and a vector's worth of rounding.
    bytesF64: [...sizeExprF64(ctx, axes), ...I.f64Const(4), ...I.f64Mul, ...I.f64Const(16), ...I.f64Add],
  });
  return { kind: 'tile', ptr, axes, dtype };
}

export function storageFor(ctx: WasmContext, v: Value): Storage {
  if (v.type.axes.length > 0) return allocate(ctx, v.type.axes, v.type.dtype);
  return { kind: 'scalar', local: ctx.fn.local(wasmType(v.type.dtype)), dtype: v.type.dtype };
}

export function matStorage(ctx: WasmContext, id: string, v: Value): Storage {
  const s = storageFor(ctx, v);
  ctx.mats.set(id, s);
  return s;
}
