/**
 * Computing a costly tile once where a kernel uses it twice. Softmax reduces
 * `sum(exp(x - m))` and then stores `exp(x - m) / s`: after hoistMaterializations both
 * hold their own copy of `exp(x - m)`, so a plain lowering computes every exponential
 * twice. When a reduction's operand is costly (a transcendental function, a call, a
 * division) and a later statement of the same straight run of materializations and
 * stores holds a structurally equal value, the reduction also writes each operand element
 * into a scratch tile as it folds it, and the later statement reads the tile back (it is
 * a few KiB per row block, so it stays in cache) instead of computing the value again.
 *
 * The tile is valid while nothing it depends on changes: the run ends at any statement
 * that is not a reduction/scan materialization or a store (a local may change; a dot may
 * write into a local's buffer), and a store to a tensor the value reads drops it.
 */
import type { Stmt, TensorRef, Value } from '../ir/nodes.ts';
import { printValue } from '../ir/print.ts';
import { operands, stmtValues } from '../ir/walk.ts';
import { allocate } from './storage.ts';
import type { Storage, WasmContext } from './context.ts';

type Tile = Storage & { kind: 'tile' };

interface ReuseState {
  /** Keys of reduction operands that a later statement of the run uses again. */
  readonly wanted: Set<string>;
  /** Operand tiles written by reductions of the run, by key, with the value they hold. */
  readonly saved: Map<string, { readonly value: Value; readonly tile: Tile }>;
}

const states = new WeakMap<WasmContext, ReuseState>();

function state(ctx: WasmContext): ReuseState {
  let s = states.get(ctx);
  if (!s) {
    s = { wanted: new Set(), saved: new Map() };
    states.set(ctx, s);
  }
  return s;
}

/** The value's text and its axes: equal keys compute equal tiles over the same coordinates. */
function valueKey(v: Value): string {
  const axes = v.type.axes.map((a) => (a.kind === 'block' ? `b${a.loop.id}` : a.kind === 'full' ? `f${a.dim.kind === 'sym' ? a.dim.name : a.dim.value}` : 'u'));
  return `${printValue(v)}:${v.type.dtype}[${axes.join(',')}]`;
}

const CHEAP_UNARY = new Set(['neg', 'not', 'bitnot', 'abs', 'floor', 'ceil', 'round']);

/** Worth a store and a load per element instead of recomputing (one cache-resident round trip). */
function costly(v: Value): boolean {
  if (v.kind === 'unary' && !CHEAP_UNARY.has(v.op)) return true;
  if (v.kind === 'call' || v.kind === 'gather') return true;
  if (v.kind === 'binary' && (v.op === 'div' || v.op === 'mod' || v.op === 'pow')) return true;
  return operands(v).some(costly);
}

function contains(v: Value, key: string): boolean {
  return valueKey(v) === key || operands(v).some((x) => contains(x, key));
}

function reads(v: Value, t: TensorRef): boolean {
  if ((v.kind === 'load' || v.kind === 'gather') && v.tensor.role === t.role && v.tensor.index === t.index) return true;
  return operands(v).some((x) => reads(x, t));
}

const inRun = (s: Stmt): boolean => s.kind === 'store' || (s.kind === 'materialize' && (s.value.kind === 'reduce' || s.value.kind === 'scan'));

/** Before statement `i` of `stmts`: whether its reduction operand is used again later in the run. */
export function planReuse(ctx: WasmContext, stmts: readonly Stmt[], i: number): void {
  const s = stmts[i];
  if (s?.kind !== 'materialize' || s.value.kind !== 'reduce' || !costly(s.value.x)) return;
  const x = s.value.x;
  const key = valueKey(x);
  for (const later of stmts.slice(i + 1)) {
    if (!inRun(later)) return;
    if (stmtValues(later).some((v) => contains(v, key))) {
      state(ctx).wanted.add(key);
      return;
    }
    if (later.kind === 'store' && reads(x, later.tensor)) return;
  }
}

/** After statement `s`: what it ends or invalidates. */
export function afterStmt(ctx: WasmContext, s: Stmt): void {
  const st = states.get(ctx);
  if (!st) return;
  if (!inRun(s)) {
    forgetReuse(ctx);
    return;
  }
  if (s.kind === 'store') for (const [k, e] of st.saved) if (reads(e.value, s.tensor)) st.saved.delete(k);
}

/** Ends the run (entering or leaving nested statements). */
export function forgetReuse(ctx: WasmContext): void {
  const st = states.get(ctx);
  st?.wanted.clear();
  st?.saved.clear();
}

/** For a reduction about to fold `x`: the tile to write each element into, when a later statement wants it. */
export function reuseTarget(ctx: WasmContext, x: Value): Tile | undefined {
  const st = states.get(ctx);
  if (!st || st.wanted.size === 0 || ctx.inFunc) return undefined;
  const key = valueKey(x);
  if (!st.wanted.has(key)) return undefined;
  st.wanted.delete(key);
  return allocate(ctx, x.type.axes, x.type.dtype);
}

/** Once the reduction that writes `tile` is emitted: later reads of `x` read it (not before, or the reduction would read its own output). */
export function commitReuse(ctx: WasmContext, x: Value, tile: Tile): void {
  state(ctx).saved.set(valueKey(x), { value: x, tile });
}

/** The tile holding `v`, when a reduction of the run wrote it. */
export function reused(ctx: WasmContext, v: Value): Tile | undefined {
  const st = states.get(ctx);
  if (!st || st.saved.size === 0 || v.type.axes.length === 0) return undefined;
  return st.saved.get(valueKey(v))?.tile;
}
