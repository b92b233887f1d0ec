/**
 * Scalar subscripts that may fall outside their dim while the kernel runs (`x[i, :]` with
 * `i` a parameter, a value read from a tensor, arithmetic on loop variables). Tessera
 * gives them one meaning on every backend: a read outside reads 0, as a masked ragged
 * edge does, and a write outside is skipped. So no backend ever addresses memory outside
 * the tensor: a guarded read is built as a gather (whose scalar subscripts every backend
 * tests against the dim), a guarded write as the store under an `if`.
 *
 * A subscript needs no guard when it is in range by construction, which keeps the test
 * off the common paths: literals and dim arithmetic (checked at compile time, TSR2060, or
 * when the kernel is called: KernelIR.indexBounds), a grid loop's index into the dim it runs over, and a range-loop
 * variable of `for k in range(c, D)` (c ≥ 0) into dim D.
 */
import type { Expr, IndexExpr } from 'tessera-gpu-dsl/ast';
import { dimEquals } from 'tessera-gpu-dsl/check';
import type { Dim, IndexItem, Stmt, TensorRef, VType, Value } from '../ir/nodes.ts';
import type { BuildEnv } from './env.ts';

const BOOL: VType = { dtype: 'bool', axes: [] };
const I32: VType = { dtype: 'i32', axes: [] };

/** The subscripts of `e` that take a dim of the tensor, aligned with buildIndex's items (Nones dropped). */
function dimSubscripts(env: BuildEnv, e: IndexExpr): (Expr | undefined)[] {
  return e.indices
    .filter((ix) => !(ix.kind === 'exprIndex' && env.body.types.get(ix.expr)?.kind === 'void'))
    .map((ix) => (ix.kind === 'exprIndex' ? ix.expr : undefined));
}

const stripCast = (v: Value): Value => (v.kind === 'cast' && (v.x.type.dtype === 'i32' || v.x.type.dtype === 'u32') ? stripCast(v.x) : v);

/** Whether `hi` is at most `dim` whatever the sizes are. */
function atMost(hi: Value, dim: Dim): boolean {
  const h = stripCast(hi);
  if (h.kind === 'dim') return dim.kind === 'sym' && dim.name === h.name;
  return h.kind === 'const' && typeof h.value === 'number' && (dim.kind === 'const' ? h.value <= dim.value : h.value <= 0);
}

function inRangeByConstruction(env: BuildEnv, expr: Expr | undefined, value: Value, dim: Dim): boolean {
  if (expr && env.body.indexBounds.has(expr)) return true;
  const v = stripCast(value);
  // A literal into a literal dim: the checker has already refused one outside (TSR2060).
  if (v.kind === 'const') return dim.kind === 'const' && typeof v.value === 'number' && v.value >= 0 && v.value < dim.value;
  if (v.kind === 'gridIndex') return dimEquals(v.loop.dim, dim);
  if (v.kind !== 'local') return false;
  const range = env.ranges.get(v.id);
  if (!range) return false;
  const lo = stripCast(range.lo);
  return lo.kind === 'const' && typeof lo.value === 'number' && lo.value >= 0 && atMost(range.hi, dim);
}

/** Positions (into `index`) of the scalar subscripts of `e` that need a run-time test. */
export function guardedSubscripts(env: BuildEnv, e: IndexExpr, tensor: TensorRef, index: readonly IndexItem[]): number[] {
  const exprs = dimSubscripts(env, e);
  return index.flatMap((item, i) => {
    const dim = tensor.dims[i] ?? { kind: 'const', value: 1 };
    return item.kind === 'scalar' && !inRangeByConstruction(env, exprs[i], item.value, dim) ? [i] : [];
  });
}

/** `0 <= v && v < dim` for each guarded scalar subscript, joined with `and`. */
function insideTest(tensor: TensorRef, index: readonly IndexItem[], at: readonly number[]): Value {
  const tests = at.map((i): Value => {
    const item = index[i];
    const v: Value = item?.kind === 'scalar' ? item.value : { kind: 'const', type: I32, value: 0 };
    const d = tensor.dims[i] ?? { kind: 'const', value: 1 };
    const dim: Value = d.kind === 'sym' ? { kind: 'dim', name: d.name, type: I32 } : { kind: 'const', type: I32, value: d.value };
    return {
      kind: 'binary', op: 'and', type: BOOL,
      a: { kind: 'binary', op: 'ge', a: v, b: { kind: 'const', type: I32, value: 0 }, type: BOOL },
      b: { kind: 'binary', op: 'lt', a: v, b: dim, type: BOOL },
    };
  });
  return tests.reduce((a, b) => ({ kind: 'binary', op: 'and', a, b, type: BOOL }));
}

/** `store`, skipped where a guarded subscript is outside its dim. */
export function guardStore(store: Stmt & { kind: 'store' }, at: readonly number[]): Stmt {
  if (at.length === 0) return store;
  return { kind: 'if', cond: insideTest(store.tensor, store.index, at), then: [store], otherwise: [] };
}
