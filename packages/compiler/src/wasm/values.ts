/**
 * Elementwise IR values → wasm code pushing the value at one tile element (`coords`,
 * aligned to the value's axes). After hoistMaterializations value trees are elementwise;
 * reductions, scans and `@` are read back through `mat`.
 */
import type { DType, IndexItem, TensorRef, Value } from '../ir/nodes.ts';
import type { Bytes, ValType } from './encoder.ts';
import { I, V } from './instr.ts';
import { importIndex } from './imports.ts';
import { BINARY, UNARY, cast, literal } from './ops.ts';
import { alignCoords, dimExpr, linearIndex, UNROLLED_COPY } from './shape.ts';
import { reused } from './reuse.ts';
import { expF32x4 } from './exp.ts';
import type { Storage, WasmContext } from './context.ts';
import { swapLastTwo } from '../ir/transpose.ts';
import { storeShape } from '../ir/store-shape.ts';

export function emitValue(ctx: WasmContext, v: Value, coords: readonly Bytes[]): number[] {
  const kept = reused(ctx, v);
  if (kept) return readStorage(ctx, kept, coords);
  const at = (child: Value): number[] => emitValue(ctx, child, alignCoords(coords, child.type.axes));
  switch (v.kind) {
    case 'const': return literal(v.type.dtype, v.value);
    case 'dim': return [...ctx.dim(v.name)];
    case 'param': {
      const l = ctx.params.get(v.name);
      return l === undefined ? ctx.unsupported(`the parameter '${v.name}'`, 'this is an internal error') : I.localGet(l);
    }
    // A grid loop's block is 1, so its tile offset is the program's index.
    case 'gridIndex': return I.localGet(ctx.loop(v.loop).offset);
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
    case 'load': return loadTensor(ctx, v.tensor, tensorIndex(ctx, v.tensor, v.index, coords));
    case 'gather': return emitGather(ctx, v, coords);
    case 'unary': {
      if (v.op === 'exp' && v.type.dtype === 'f32') return scalarExp(ctx, at(v.x));
      const code = UNARY[v.op](ctx, at(v.x), v.type.dtype);
      return code ?? ctx.unsupported(`'${v.op}' on ${v.type.dtype}`, 'this is an internal error: the checker should have rejected it');
    }
    case 'binary': {
      const cmp = v.op === 'eq' || v.op === 'ne' || v.op === 'lt' || v.op === 'le' || v.op === 'gt' || v.op === 'ge';
      const d = cmp ? v.a.type.dtype : v.type.dtype;
      const code = BINARY[v.op](ctx, at(v.a), at(v.b), d);
      return code ?? ctx.unsupported(`'${v.op}' on ${d}`, 'this is an internal error: the checker should have rejected it');
    }
    // Both arms are pure and in bounds, so evaluating both is safe.
    case 'select': return [...at(v.a), ...at(v.b), ...at(v.cond), ...I.select];
    case 'cast': return cast(at(v.x), v.x.type.dtype, v.type.dtype);
    case 'transpose': return emitValue(ctx, v.x, swapLastTwo(coords, I.i32Const(0)));
    case 'fill': return at(v.value);
    case 'view': return emitValue(ctx, v.x, v.from.map((f) => (f < 0 ? I.i32Const(0) : coords[f] ?? I.i32Const(0))));
    case 'position': return [...I.localGet(ctx.loop(v.loop).offset), ...(coords[0] ?? I.i32Const(0)), ...I.i32Add];
    case 'tileBound': {
      const l = ctx.loop(v.loop);
      if (v.bound === 'begin') return I.localGet(l.offset);
      if (v.bound === 'end') return [...I.localGet(l.offset), ...I.localGet(l.count), ...I.i32Add];
      return I.i32Const(ctx.block(v.loop));
    }
    case 'call': {
      const f = ctx.funcs.get(v.func.key);
      if (f === undefined) return ctx.unsupported(`the func '${v.func.name}'`, 'this is an internal error');
      return [...v.args.flatMap(at), ...I.call(f)];
    }
    case 'reduce':
    case 'scan':
    case 'dot':
      return ctx.unsupported(`a ${v.kind} inside an expression`, 'this is an internal error: run hoistMaterializations (lowerToIR does) first');
  }
}

/** e^x of an f32 scalar: lane 0 of the vector routine (exp.ts), its constants hoisted out of a vector loop when in one. */
function scalarExp(ctx: WasmContext, x: Bytes): number[] {
  ctx.usedSimd = true;
  const splatted = (c: number): Bytes => hoisted(ctx, 'v128', [...I.f32Const(c), ...V.f32x4Splat]);
  return [...expF32x4(ctx, [...x, ...V.f32x4Splat], splatted), ...V.f32x4ExtractLane(0)];
}

/** Address of element `i` (i32 code) of a buffer at `base` with 4-byte elements. */
export function wordAddress(base: Bytes, i: Bytes): number[] {
  return [...base, ...i, ...I.i32Const(2), ...I.i32Shl, ...I.i32Add];
}

/**
 * Address of lanes vc … vc+3 of a row whose element vc is at `index` words from `base`,
 * where `indexAtZero` is that index with vc = 0 (the row's start: vc is added last in
 * every row-major index). The row's start does not vary along the vector axis, so it is
 * computed once before the vector loop; each step only adds vc.
 */
export function laneAddress(ctx: WasmContext, base: Bytes, indexAtZero: Bytes, vc: Bytes): number[] {
  return [...hoisted(ctx, 'i32', wordAddress(base, indexAtZero)), ...vc, ...I.i32Const(2), ...I.i32Shl, ...I.i32Add];
}

/**
 * As laneAddress, as an address and the constant byte offset for the load or store
 * instruction: an unrolled copy's lanes are addressed from its step's coordinate
 * (shape.ts UNROLLED_COPY), so all copies of a step share one address computation.
 */
export function laneAccess(ctx: WasmContext, base: Bytes, indexAtZero: Bytes, vc: Bytes): { readonly addr: number[]; readonly offset: number } {
  const copy = UNROLLED_COPY.get(vc);
  if (!copy) return { addr: laneAddress(ctx, base, indexAtZero, vc), offset: 0 };
  return { addr: laneAddress(ctx, base, indexAtZero, copy.step), offset: 4 * copy.lanes };
}

/** A v128 load of lanes vc … vc+3 (laneAccess). */
export function laneLoad(ctx: WasmContext, base: Bytes, indexAtZero: Bytes, vc: Bytes): number[] {
  const a = laneAccess(ctx, base, indexAtZero, vc);
  return [...a.addr, ...V.loadAlign4(a.offset)];
}

/** A v128 store of `value` to lanes vc … vc+3 (laneAccess). */
export function laneStore(ctx: WasmContext, base: Bytes, indexAtZero: Bytes, vc: Bytes, value: Bytes): number[] {
  const a = laneAccess(ctx, base, indexAtZero, vc);
  return [...a.addr, ...value, ...V.store(a.offset)];
}

const hoists = new WeakMap<number[], Map<string, number>>();

/**
 * `code` (pure, and not varying along the vector axis) evaluated once before the vector
 * loop into a local, when a vector loop is being generated; the same code hoisted twice
 * (an unrolled copy, a second read of the same row) shares one local, so unrolling adds
 * no live registers for invariants.
 */
export function hoisted(ctx: WasmContext, type: ValType, code: Bytes): Bytes {
  const prelude = ctx.vectorPrelude;
  if (!prelude) return code;
  let memo = hoists.get(prelude);
  if (!memo) {
    memo = new Map();
    hoists.set(prelude, memo);
  }
  const key = `${type}:${code.join(',')}`;
  let l = memo.get(key);
  if (l === undefined) {
    l = ctx.fn.local(type);
    prelude.push(...code, ...I.localSet(l));
    memo.set(key, l);
  }
  return I.localGet(l);
}

/** `coords` with the vector coordinate vc replaced by 0 (for laneAddress). */
export function atLaneZero(coords: readonly Bytes[], vc: Bytes): Bytes[] {
  return coords.map((c) => (c === vc ? I.i32Const(0) : c));
}

/** Reads a tile buffer element (4 bytes: f32, or i32 for integers and bool 0/1). */
export function readStorage(ctx: WasmContext, s: Storage, coords: readonly Bytes[]): number[] {
  if (s.kind === 'scalar') return I.localGet(s.local);
  const addr = wordAddress(I.localGet(s.ptr), linearIndex(ctx, s.axes, alignCoords(coords, s.axes)));
  return [...addr, ...(s.dtype === 'f32' || s.dtype === 'f16' ? I.f32Load() : I.i32Load())];
}

/** Writes `x` into storage at `coords` (aligned to its axes). */
export function writeStorage(ctx: WasmContext, s: Storage, coords: readonly Bytes[], x: Bytes): number[] {
  if (s.kind === 'scalar') return [...x, ...I.localSet(s.local)];
  const addr = wordAddress(I.localGet(s.ptr), linearIndex(ctx, s.axes, coords));
  return [...addr, ...x, ...(s.dtype === 'f32' || s.dtype === 'f16' ? I.f32Store() : I.i32Store())];
}

/**
 * Global element index of a tensor access at the store shape's coordinates `coords`
 * (ir/store-shape.ts; for a load, one per non-scalar subscript). Block and ':' positions
 * are in bounds (see shape.ts); moved, sliced and index-tile ones are tested by
 * movedInside.
 */
export function tensorIndex(ctx: WasmContext, t: TensorRef, index: readonly IndexItem[], coords: readonly Bytes[]): number[] {
  const { at } = storeShape(t, index);
  let linear: number[] | undefined;
  for (const [i, item] of index.entries()) {
    const g = position(ctx, item, at[i] ?? [], coords);
    const dim = t.dims[i];
    linear = linear === undefined ? g : [...linear, ...(dim ? dimExpr(ctx, dim) : I.i32Const(1)), ...I.i32Mul, ...g, ...I.i32Add];
  }
  return linear ?? I.i32Const(0);
}

/** The position subscript `item` gives along its dim, its axes at store coordinates `at`. */
function position(ctx: WasmContext, item: IndexItem, at: readonly number[], coords: readonly Bytes[]): number[] {
  const c = coords[at[0] ?? 0] ?? I.i32Const(0);
  switch (item.kind) {
    case 'scalar': return emitValue(ctx, item.value, []);
    case 'block': return [...I.localGet(ctx.loop(item.loop).offset), ...c, ...I.i32Add];
    case 'shifted': return [...emitValue(ctx, item.by, []), ...I.localGet(ctx.loop(item.loop).offset), ...I.i32Add, ...c, ...I.i32Add];
    case 'full': return [...c];
    case 'slice': return [...emitValue(ctx, item.from, []), ...c, ...I.i32Add];
    case 'tile': return emitValue(ctx, item.value, item.value.type.axes.map((ax, j) => (ax.kind === 'unit' ? I.i32Const(0) : coords[at[j] ?? 0] ?? I.i32Const(0))));
  }
}

/**
 * An i32 that is 1 when every moved, sliced or index-tile position of a store is inside
 * the tensor's dim (one unsigned compare each: a negative position reads as a huge one);
 * undefined when there is none.
 */
export function movedInside(ctx: WasmContext, t: TensorRef, index: readonly IndexItem[], coords: readonly Bytes[]): number[] | undefined {
  const { at } = storeShape(t, index);
  let test: number[] | undefined;
  for (const [i, item] of index.entries()) {
    if (item.kind !== 'shifted' && item.kind !== 'slice' && item.kind !== 'tile') continue;
    const inside = [...position(ctx, item, at[i] ?? [], coords), ...dimExpr(ctx, t.dims[i] ?? { kind: 'const', value: 1 }), ...I.i32LtU];
    test = test === undefined ? inside : [...test, ...inside, ...I.i32And];
  }
  return test;
}

export const elementBytes = (d: DType): number => (d === 'f16' ? 2 : 4);

/** Address of element `index` of tensor `t`. */
export function tensorAddress(ctx: WasmContext, t: TensorRef, index: Bytes): number[] {
  if (t.dtype === 'f16') return [...ctx.tensor(t), ...index, ...I.i32Const(1), ...I.i32Shl, ...I.i32Add];
  return wordAddress(ctx.tensor(t), index);
}

/** Reading a tensor element: f16 bits converted to f32, bool as `!= 0`. */
export function loadTensor(ctx: WasmContext, t: TensorRef, index: Bytes): number[] {
  const addr = tensorAddress(ctx, t, index);
  switch (t.dtype) {
    case 'f32': return [...addr, ...I.f32Load()];
    case 'f16': return [...addr, ...I.i32Load16u(), ...I.call(importIndex('halfValue'))];
    case 'bool': return [...addr, ...I.i32Load(), ...I.i32Const(0), ...I.i32Ne];
    case 'i32': case 'u32': return [...addr, ...I.i32Load()];
  }
}

/** Writing a tensor element: f16 as its bits, bool as 0/1 in a u32. */
export function storeTensor(ctx: WasmContext, t: TensorRef, index: Bytes, x: Bytes): number[] {
  const addr = tensorAddress(ctx, t, index);
  switch (t.dtype) {
    case 'f32': return [...addr, ...x, ...I.f32Store()];
    case 'f16': return [...addr, ...x, ...I.call(importIndex('halfBits')), ...I.i32Store16()];
    case 'bool': case 'i32': case 'u32': return [...addr, ...x, ...I.i32Store()];
  }
}

/**
 * A gather at one element: as the other backends, an index tile's value is clamped into
 * the dim, a scalar outside the dim reads 0, and a gather from an empty dim reads 0; no
 * address outside the tensor is read.
 */
function emitGather(ctx: WasmContext, v: Value & { kind: 'gather' }, coords: readonly Bytes[]): number[] {
  const guards: number[][] = [];
  let linear: number[] | undefined;
  for (const [i, item] of v.index.entries()) {
    const dim = v.tensor.dims[i];
    const d = dim ? dimExpr(ctx, dim) : I.i32Const(1);
    let g: number[];
    if (item.kind === 'axis') {
      const a = v.type.axes[item.axis];
      const c = coords[item.axis] ?? I.i32Const(0);
      g = a?.kind === 'block' ? [...I.localGet(ctx.loop(a.loop).offset), ...c, ...I.i32Add] : a?.kind === 'full' ? [...c] : I.i32Const(0);
      if (item.by) {
        // A bounded slice: positions outside the dim read 0 (unsigned: negative is huge).
        g = [...emitValue(ctx, item.by, []), ...g, ...I.i32Add];
        guards.push([...g, ...d, ...I.i32LtU]);
      }
    } else if (item.kind === 'scalar') {
      // A run-time scalar outside the dim reads 0 (build/index-guard.ts); unsigned, as above.
      g = emitValue(ctx, item.value, []);
      guards.push([...g, ...d, ...I.i32LtU]);
    } else {
      const at = item.value.type.axes.map((ax, j) => (ax.kind === 'unit' ? I.i32Const(0) : coords[item.axes[j] ?? 0] ?? I.i32Const(0)));
      const x = emitValue(ctx, item.value, at);
      const hiClamp = (lo: Bytes, unsigned: boolean): number[] => ctx.withTemp('i32', lo, (y) =>
        ctx.withTemp('i32', [...d, ...I.i32Const(1), ...I.i32Sub], (top) => [...y, ...top, ...y, ...top, ...(unsigned ? I.i32LtU : I.i32LtS), ...I.select]));
      // max(x, 0) then min(x, D - 1); u32 values are never negative.
      g = item.value.type.dtype === 'u32'
        ? hiClamp(x, true)
        : hiClamp(ctx.withTemp('i32', x, (y) => [...y, ...I.i32Const(0), ...y, ...I.i32Const(0), ...I.i32GtS, ...I.select]), false);
      if (!dim || dim.kind === 'sym' || dim.value <= 0) guards.push([...d, ...I.i32Const(0), ...I.i32GtS]);
    }
    linear = linear === undefined ? g : [...linear, ...d, ...I.i32Mul, ...g, ...I.i32Add];
  }
  const index = linear ?? I.i32Const(0);
  if (guards.length === 0) return loadTensor(ctx, v.tensor, index);
  const cond = guards.reduce((acc, g) => [...acc, ...g, ...I.i32And]);
  const resultType = v.tensor.dtype === 'f32' || v.tensor.dtype === 'f16' ? 0x7d : 0x7f;
  // Not a select: the read itself must not happen when the dim is empty.
  return [...cond, ...I.if(resultType), ...loadTensor(ctx, v.tensor, index), ...I.else, ...(resultType === 0x7d ? I.f32Const(0) : I.i32Const(0)), ...I.end];
}
