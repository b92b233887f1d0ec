/**
 * Where tile locals and materialized values live: a scalar in a JS variable (declared at
 * the top of the function being written), a tile in a typed array allocated once per run.
 */
import type { Axis, Value } from 'tessera-gpu-compiler';
import { ident, type JsContext, type Storage } from './context.ts';
import { bufferType, linearIndex, sizeExpr } from './shape.ts';

/** A typed array for a tile, allocated before the grid loop (sizes depend only on dims). */
export function allocate(ctx: JsContext, name: string, axes: readonly Axis[], dtype: Storage['dtype']): Storage {
  if (ctx.inFunc) ctx.unsupported('a tile value inside a func', 'funcs work on scalars; call them on tiles elementwise');
  ctx.allocations.push(`const ${name} = new ${bufferType(dtype)}(${sizeExpr(ctx, axes)});`);
  return { name, axes, dtype };
}

/** A scalar variable or a tile buffer for a value of type `v.type`. */
export function storageFor(ctx: JsContext, name: string, v: Value): Storage {
  if (v.type.axes.length > 0) return allocate(ctx, name, v.type.axes, v.type.dtype);
  ctx.scalarLets.add(name);
  return { name, axes: [], dtype: v.type.dtype };
}

/** Storage for a materialized value, registered for later `mat` reads. */
export function matStorage(ctx: JsContext, id: string, v: Value): Storage {
  const s = storageFor(ctx, `M_${ident(id)}`, v);
  ctx.mats.set(id, s);
  return s;
}

/** Statement writing `x` into storage `s` at `coords` (aligned to s.axes); bool as 0/1. */
export function put(ctx: JsContext, s: Storage, coords: readonly string[], x: string): string {
  if (s.axes.length === 0) return `${s.name} = ${x};`;
  return `${s.name}[${linearIndex(ctx, s.axes, coords)}] = ${s.dtype === 'bool' ? `(${x} ? 1 : 0)` : x};`;
}
