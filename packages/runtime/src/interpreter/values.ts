/**
 * Elementwise IR values → one inlined JavaScript expression, evaluated at one tile
 * element (`coords`, aligned to the value's axes). After hoistMaterializations value
 * trees are elementwise; reductions, scans and `@` are read back through `mat`.
 */
import type { DType, IndexItem, TensorRef, Value } from 'tessera-gpu-compiler';
import { positionText, storeShape, swapLastTwo } from 'tessera-gpu-compiler';
import { countName, ident, offsetName, paramName, tensorName, type JsContext, type Storage } from './context.ts';
import { roundHalf } from './numeric.ts';
import { BINARY, UNARY, cast, literal } from './ops.ts';
import { alignCoords, dimExpr, linearIndex } from './shape.ts';

export function emitValue(ctx: JsContext, v: Value, coords: readonly string[]): string {
  const at = (child: Value): string => emitValue(ctx, child, alignCoords(coords, child.type.axes));
  switch (v.kind) {
    case 'const': return literal(v.type.dtype, v.value, roundHalf);
    case 'dim': return dimExpr({ kind: 'sym', name: v.name });
    case 'param': return paramName(v.name);
    // A grid loop's block is 1, so its tile offset is the program's index.
    case 'gridIndex': return offsetName(v.loop);
    case 'local': {
      const local = ctx.locals.get(v.id);
      if (!local) return ctx.unsupported(`reading the local ${v.id} before it is declared`, 'this is an internal error');
      return readStorage(ctx, local, coords);
    }
    case 'mat': {
      const m = ctx.mats.get(v.id);
      if (!m) return ctx.unsupported(`reading @${v.id} before it is materialized`, 'this is an internal error');
      return readStorage(ctx, m, coords);
    }
    case 'load': return emitLoad(ctx, v.tensor, v.index, coords);
    case 'gather': return emitGather(ctx, v, coords);
    case 'unary': {
      const text = UNARY[v.op](at(v.x), v.type.dtype);
      return text ?? ctx.unsupported(`'${v.op}' on ${v.type.dtype}`, 'this is an internal error: the checker should have rejected it');
    }
    case 'binary': {
      const cmp = v.op === 'eq' || v.op === 'ne' || v.op === 'lt' || v.op === 'le' || v.op === 'gt' || v.op === 'ge';
      const d = cmp ? v.a.type.dtype : v.type.dtype;
      const text = BINARY[v.op](at(v.a), at(v.b), d);
      return text ?? ctx.unsupported(`'${v.op}' on ${d}`, 'this is an internal error: the checker should have rejected it');
    }
    case 'select': return `(${at(v.cond)} ? ${at(v.a)} : ${at(v.b)})`;
    case 'cast': return cast(at(v.x), v.x.type.dtype, v.type.dtype);
    // Each axis keeps its coordinate; only their order changes.
    case 'transpose': return emitValue(ctx, v.x, swapLastTwo(coords, '0'));
    case 'view': return emitValue(ctx, v.x, v.from.map((f) => (f < 0 ? '0' : coords[f] ?? '0')));
    case 'position': return `(${offsetName(v.loop)} + ${coords[0] ?? '0'})`;
    // The element loops cover the in-bounds part of the block (countName), so the tile ends there.
    case 'tileBound': return v.bound === 'begin' ? offsetName(v.loop) : v.bound === 'end' ? `(${offsetName(v.loop)} + ${countName(v.loop)})` : String(ctx.block(v.loop));
    case 'fill': return at(v.value);
    // A func is scalar; applied to tiles it runs once per element.
    case 'call': return `${funcName(v.func.key)}(${v.args.map(at).join(', ')})`;
    case 'reduce':
    case 'scan':
    case 'dot':
      return ctx.unsupported(`a ${v.kind} inside an expression`, 'this is an internal error: run hoistMaterializations (lowerToIR does) first');
  }
}

export const funcName = (key: string): string => `F_${ident(key)}`;

/** A scalar lives in a JS variable; a tile in a typed array (bool as 0/1). */
export function readStorage(ctx: JsContext, s: Storage, coords: readonly string[]): string {
  if (s.axes.length === 0) return s.name;
  const raw = `${s.name}[${linearIndex(ctx, s.axes, alignCoords(coords, s.axes))}]`;
  return s.dtype === 'bool' ? `(${raw} !== 0)` : raw;
}

/** A value as a buffer element: bool → 0/1, everything else as is. */
export function toStored(d: DType, x: string): string {
  return d === 'bool' ? `(${x} ? 1 : 0)` : x;
}

/**
 * Global element index of a tensor access at the store shape's coordinates `coords`
 * (ir/store-shape.ts; for a load, one per non-scalar subscript). Block and ':' positions
 * are in bounds (see shape.ts); moved, sliced and index-tile ones are tested by
 * movedInBounds.
 */
export function tensorIndex(ctx: JsContext, t: TensorRef, index: readonly IndexItem[], coords: readonly string[]): string {
  const { at } = storeShape(t, index);
  let linear = '';
  for (const [i, item] of index.entries()) {
    const g = position(ctx, item, at[i] ?? [], coords);
    const dim = t.dims[i];
    linear = linear === '' ? g : `(${linear}) * ${dim ? dimExpr(dim) : '1'} + ${g}`;
  }
  return linear === '' ? '0' : linear;
}

/** The position subscript `item` gives along its dim (ir/store-shape.ts positionText). */
function position(ctx: JsContext, item: IndexItem, at: readonly number[], coords: readonly string[]): string {
  return positionText(item, at, coords, { value: (v, c) => emitValue(ctx, v, c), offset: offsetName });
}

/**
 * The condition that every moved, sliced or index-tile position of a store is inside its
 * dim ('' when there is none): the others are skipped.
 */
export function movedInBounds(ctx: JsContext, t: TensorRef, index: readonly IndexItem[], coords: readonly string[]): string {
  const { at } = storeShape(t, index);
  const tests: string[] = [];
  for (const [i, item] of index.entries()) {
    if (item.kind !== 'shifted' && item.kind !== 'slice' && item.kind !== 'tile') continue;
    const p = position(ctx, item, at[i] ?? [], coords);
    tests.push(`${p} >= 0 && ${p} < ${dimExpr(t.dims[i] ?? { kind: 'const', value: 1 })}`);
  }
  return tests.join(' && ');
}

/** Reading a tensor element: f16 bits through the half table, bool as `!== 0`. */
function emitLoad(ctx: JsContext, t: TensorRef, index: readonly IndexItem[], coords: readonly string[]): string {
  const raw = `${tensorName(t)}[${tensorIndex(ctx, t, index, coords)}]`;
  if (t.dtype === 'f16') return `HT[${raw}]`;
  if (t.dtype === 'bool') return `(${raw} !== 0)`;
  return raw;
}

/**
 * A gather at one element: as WGSL's (wgsl/values.ts emitGather), an index tile's value
 * is clamped into the dim, a scalar outside the dim reads 0, and a gather from an empty dim reads 0. Coordinates from tile
 * variables and ':' are in bounds (see shape.ts).
 */
function emitGather(ctx: JsContext, v: Value & { kind: 'gather' }, coords: readonly string[]): string {
  const guards = new Set<string>();
  let linear = '';
  for (const [i, item] of v.index.entries()) {
    const dim = v.tensor.dims[i];
    const d = dim ? dimExpr(dim) : '1';
    let g: string;
    if (item.kind === 'axis') {
      const a = v.type.axes[item.axis];
      const c = coords[item.axis] ?? '0';
      g = a?.kind === 'block' ? `(${offsetName(a.loop)} + ${c})` : a?.kind === 'full' ? c : '0';
      if (item.by) {
        // A bounded slice: positions outside the dim read 0 (the guard keeps the index valid).
        g = `(${emitValue(ctx, item.by, [])} + ${g})`;
        guards.add(`${g} >= 0 && ${g} < ${d}`);
      }
    } else if (item.kind === 'scalar') {
      // A run-time scalar outside the dim reads 0 (compiler build/index-guard.ts).
      g = emitValue(ctx, item.value, []);
      guards.add(`${g} >= 0 && ${g} < ${d}`);
    } else {
      const at = item.value.type.axes.map((ax, j) => (ax.kind === 'unit' ? '0' : coords[item.axes[j] ?? 0] ?? '0'));
      const x = emitValue(ctx, item.value, at);
      // u32 values are never negative here (Uint32Array elements, or wrapped with >>> 0).
      g = item.value.type.dtype === 'u32' ? `Math.min(${x}, ${d} - 1)` : `Math.min(Math.max(${x}, 0), ${d} - 1)`;
      if (!dim || dim.kind === 'sym' || dim.value <= 0) guards.add(`${d} > 0`);
    }
    linear = linear === '' ? g : `(${linear}) * ${d} + ${g}`;
  }
  const raw = `${tensorName(v.tensor)}[${linear === '' ? '0' : linear}]`;
  const read = v.tensor.dtype === 'f16' ? `HT[${raw}]` : v.tensor.dtype === 'bool' ? `(${raw} !== 0)` : raw;
  if (guards.size === 0) return read;
  return `(${[...guards].join(' && ')} ? ${read} : ${v.tensor.dtype === 'bool' ? 'false' : '0'})`;
}
