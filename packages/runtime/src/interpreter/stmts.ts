/**
 * Tile IR statements → JavaScript statements. The kernel body runs once per top-level
 * tile, sequentially; a tile statement becomes loops over the tile's in-bounds elements
 * with the value's expression inlined in the innermost loop.
 */
import { storeShape, type Stmt, type TensorRef, type Value } from 'tessera-gpu-compiler';
import { jsString } from './names.ts';
import { countName, ident, offsetName, tensorName, type JsContext, type Storage } from './context.ts';
import { emitDot } from './dot.ts';
import { emitReduce, emitScan } from './reduce.ts';
import { alignCoords, dimExpr, forEachElement, linearIndex } from './shape.ts';
import { storageFor } from './storage.ts';
import { emitValue, movedInBounds, tensorIndex, toStored } from './values.ts';

export function emitStmts(ctx: JsContext, stmts: readonly Stmt[]): void {
  for (const s of stmts) {
    // A func's statements are positioned in the func's own text: only kernel ones locate errors.
    const outer = ctx.span;
    if (!ctx.inFunc) ctx.span = s.span ?? outer;
    emitStmt(ctx, s);
    ctx.span = outer;
  }
}

/** A scalar that every element of the tile shares, or an error for a tile value. */
function scalarValue(ctx: JsContext, v: Value, what: string): string {
  if (v.type.axes.length > 0) ctx.unsupported(`a tile value as ${what}`, 'reduce it to a scalar first, e.g. with max(…) or sum(…)');
  return emitValue(ctx, v, []);
}

function emitStmt(ctx: JsContext, s: Stmt): void {
  switch (s.kind) {
    case 'store': return emitStore(ctx, s);
    case 'materialize': {
      const v = s.value;
      if (v.kind === 'reduce') return emitReduce(ctx, s.id, v);
      if (v.kind === 'scan') return emitScan(ctx, s.id, v);
      if (v.kind === 'dot') return emitDot(ctx, s.id, v);
      return ctx.unsupported(`materializing a ${v.kind} value`, 'this is an internal error: only reductions, scans and @ are materialized');
    }
    case 'declare': {
      const storage = storageFor(ctx, `L_${ident(s.id)}`, s.init);
      ctx.locals.set(s.id, storage);
      return writeStorage(ctx, storage, s.init);
    }
    case 'assign': {
      const local = ctx.locals.get(s.id);
      if (!local) return ctx.unsupported(`assigning the undeclared local ${s.id}`, 'this is an internal error');
      return writeStorage(ctx, local, s.value);
    }
    case 'tileLoop': {
      if (ctx.inFunc) return ctx.unsupported('a tile loop inside a func', 'funcs work on scalars');
      const b = ctx.block(s.loop);
      const dim = dimExpr(s.loop.dim);
      const p = ctx.fresh('p');
      ctx.open(`for (let ${p} = 0, ${p}n = Math.ceil(${dim} / ${b}); ${p} < ${p}n; ${p}++) {`);
      ctx.line(`const ${offsetName(s.loop)} = ${p} * ${b};`);
      ctx.line(`const ${countName(s.loop)} = Math.min(${b}, ${dim} - ${offsetName(s.loop)});`);
      emitStmts(ctx, s.body);
      ctx.close();
      return;
    }
    case 'rangeLoop': {
      // Bounds are evaluated once, before the first iteration (as WGSL's backend does).
      const lo = scalarValue(ctx, s.lo, 'a range bound');
      const hi = scalarValue(ctx, s.hi, 'a range bound');
      const name = `L_${ident(s.id)}`;
      const next = s.dtype === 'u32' ? `(${name} + 1) >>> 0` : `(${name} + 1) | 0`;
      ctx.locals.set(s.id, { name, axes: [], dtype: s.dtype });
      ctx.open(`for (let ${name} = ${lo}, ${name}hi = ${hi}; ${name} < ${name}hi; ${name} = ${next}) {`);
      emitStmts(ctx, s.body);
      ctx.close();
      return;
    }
    case 'if': {
      ctx.open(`if (${scalarValue(ctx, s.cond, 'an if condition')}) {`);
      emitStmts(ctx, s.then);
      if (s.otherwise.length > 0) {
        ctx.reopen('} else {');
        emitStmts(ctx, s.otherwise);
      }
      ctx.close();
      return;
    }
    case 'return':
      if (!ctx.inFunc) return ctx.unsupported('return inside the tile loop', 'this is an internal error');
      ctx.line(`return ${scalarValue(ctx, s.value, 'a func result')};`);
      return;
  }
}

/** Writes `value` into a local: a scalar variable, or every in-bounds element of its tile. */
function writeStorage(ctx: JsContext, s: Storage, value: Value): void {
  // `%acc = @m` where the dot already accumulated into %acc's buffer (dot.ts).
  if (value.kind === 'mat' && ctx.mats.get(value.id) === s) return;
  if (s.axes.length === 0) {
    ctx.line(`${s.name} = ${scalarValue(ctx, value, `the scalar local ${s.name}`)};`);
    return;
  }
  // In place is safe: an element's new value reads the old one only at that element.
  forEachElement(ctx, s.axes, (coords) => {
    const v = emitValue(ctx, value, alignCoords(coords, value.type.axes));
    ctx.line(`${s.name}[${linearIndex(ctx, s.axes, coords)}] = ${toStored(s.dtype, v)};`);
  });
}


/** f16 tensors hold bits, bool tensors 0/1; the rest store the value itself. */
function tensorStored(t: TensorRef, x: string): string {
  if (t.dtype === 'f16') return `halfBits(${x})`;
  return toStored(t.dtype, x);
}

function emitStore(ctx: JsContext, s: Stmt & { kind: 'store' }): void {
  if (ctx.inFunc) return ctx.unsupported('a store inside a func', 'funcs return a value; store it in the kernel');
  const t = s.tensor;
  if (s.atomic && t.dtype !== 'f32' && t.dtype !== 'i32' && t.dtype !== 'u32') {
    return ctx.unsupported(`atomic_add on a ${t.dtype} output`, 'atomics work on f32, i32 and u32 outputs');
  }
  forEachElement(ctx, storeShape(t, s.index).axes, (coords) => {
    // A moved block (out[tm, A + tn]), a slice or a scatter skips the positions outside the tensor's dim.
    const guard = movedInBounds(ctx, t, s.index, coords);
    if (guard) ctx.open(`if (${guard}) {`);
    emitStoreElement(ctx, s, coords);
    if (guard) ctx.close();
  });
}

/** One element of a store at tile coordinates `coords`. */
function emitStoreElement(ctx: JsContext, s: Stmt & { kind: 'store' }, coords: readonly string[]): void {
  const t = s.tensor;
  const arr = tensorName(t);
  const index = tensorIndex(ctx, t, s.index, coords);
  const value = emitValue(ctx, s.value, alignCoords(coords, s.value.type.axes));
  if (!ctx.trace) {
    // Typed-array stores do the final conversion: Float32Array rounds the atomic sum to
    // f32, Int32Array/Uint32Array wrap it, exactly as the GPU's atomicAdd/f32 add would.
    ctx.line(s.atomic ? `${arr}[${index}] += ${value};` : `${arr}[${index}] = ${tensorStored(t, value)};`);
    return;
  }
  const i = ctx.fresh('i');
  const v = ctx.fresh('v');
  ctx.line(`const ${i} = ${index};`);
  ctx.line(`const ${v} = ${value};`);
  ctx.line(s.atomic ? `${arr}[${i}] += ${v};` : `${arr}[${i}] = ${tensorStored(t, v)};`);
  const recorded = s.atomic ? `${arr}[${i}]` : t.dtype === 'bool' ? `(${v} ? 1 : 0)` : v;
  ctx.line(`tr.write(${jsString(t.name)}, ${i}, ${recorded});`);
}
