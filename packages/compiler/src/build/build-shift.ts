/**
 * Moved tile indices (`out[tm, A + tn]`, `x[tm, tn - 1]`; check/shift.ts) and bounded
 * slices (`x[tm, A:A + B]`; check/slice.ts). A store keeps the move as a `shifted` (or
 * `slice`) subscript, which each backend adds to the address and masks against the dim.
 * A read becomes a gather at the moved positions (a gather clamps them into the dim, so
 * every address is valid) under a select that gives 0 where a moved position is outside
 * the dim: Triton's `tl.load(p + off, mask=…, other=0)`; a slice's axis is a gather axis
 * moved by its start, which the gather itself masks the same way.
 */
import type { Expr, IndexExpr } from 'tessera-gpu-dsl/ast';
import { shiftOf } from 'tessera-gpu-dsl/check';
import type { Axis, Dim, GatherIndex, IndexItem, VType, Value } from '../ir/nodes.ts';
import type { BuildEnv } from './env.ts';

type BuildValue = (env: BuildEnv, e: Expr) => Value;
type Coerce = (v: Value, dtype: 'i32') => Value;

const I32: VType = { dtype: 'i32', axes: [] };

/** The i32 amount a moved index adds to its block's positions; undefined for a plain index. */
export function shiftAmount(env: BuildEnv, e: Expr, build: BuildValue, coerce: Coerce): Value | undefined {
  if (e.kind === 'ident') return undefined;
  const shift = shiftOf(e, (id) => env.body.resolved.get(id)?.kind === 'loop');
  if (!shift) return undefined;
  let by: Value = { kind: 'const', type: I32, value: 0 };
  for (const term of shift.terms) {
    const t = coerce(build(env, term.expr), 'i32');
    by = by.kind === 'const' && by.value === 0 && !term.negate ? t : { kind: 'binary', op: term.negate ? 'sub' : 'add', a: by, b: t, type: I32 };
  }
  return by;
}

const dimValue = (d: Dim): Value => (d.kind === 'sym' ? { kind: 'dim', name: d.name, type: I32 } : { kind: 'const', type: I32, value: d.value });

/**
 * A read through subscripts of which some are moved or sliced: `type` is the read's (without the
 * unit axes Nones add), `index` the subscripts as a store would take them.
 */
export function buildMovedRead(env: BuildEnv, e: IndexExpr, index: readonly IndexItem[], type: VType): Value {
  const tensor = env.tensorOf(e.base);
  const gather: GatherIndex[] = [];
  const inside: Value[] = [];
  let axis = 0;
  for (const [i, item] of index.entries()) {
    if (item.kind === 'scalar') {
      gather.push({ kind: 'scalar', value: item.value });
      continue;
    }
    const at = axis++;
    // A bounded slice: its axis from where it starts; the gather reads 0 outside the dim.
    if (item.kind === 'slice') {
      gather.push({ kind: 'axis', axis: at, by: item.from });
      continue;
    }
    if (item.kind !== 'shifted') {
      gather.push({ kind: 'axis', axis: at });
      continue;
    }
    const blockAxis: Axis = { kind: 'block', loop: item.loop };
    const along: VType = { dtype: 'i32', axes: [blockAxis] };
    const position: Value = { kind: 'binary', op: 'add', a: { kind: 'position', loop: item.loop, type: along }, b: item.by, type: along };
    gather.push({ kind: 'tile', value: position, axes: [at] });
    const bools: VType = { dtype: 'bool', axes: [blockAxis] };
    const dim = tensor.dims[i] ?? { kind: 'const', value: 1 };
    const ok: Value = {
      kind: 'binary', op: 'and', type: bools,
      a: { kind: 'binary', op: 'ge', a: position, b: { kind: 'const', type: I32, value: 0 }, type: bools },
      b: { kind: 'binary', op: 'lt', a: position, b: dimValue(dim), type: bools },
    };
    // On the read's own axis `at`, unit axes elsewhere: it broadcasts against the read.
    const placed: VType = { dtype: 'bool', axes: type.axes.map((a, k) => (k === at ? a : { kind: 'unit' })) };
    inside.push(type.axes.length === 1 ? ok : { kind: 'view', x: ok, from: [at], type: placed });
  }
  const read: Value = { kind: 'gather', tensor, index: gather, type };
  if (inside.length === 0) return read;
  const cond = inside.reduce((a, b) => ({ kind: 'binary', op: 'and', a, b, type: { dtype: 'bool', axes: type.axes } }));
  const zero: Value = { kind: 'const', type: { dtype: type.dtype, axes: [] }, value: type.dtype === 'bool' ? false : 0 };
  return { kind: 'select', cond, a: read, b: zero, type };
}
