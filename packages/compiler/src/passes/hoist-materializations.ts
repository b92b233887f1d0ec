/**
 * hoistMaterializations: every reduction, scan and `@` inside a value tree is pulled out
 * into a `materialize` statement placed just before the statement that uses it, and
 * replaced by a `mat` read. After this pass, value trees are purely elementwise: a
 * backend can evaluate them at any element, in any order, as often as it likes.
 *
 * The same node object (a `let` used twice) is materialized once, so
 * `let m = max(x, axis=1); … m … m …` reduces once. So is the same reduction of the same
 * `let` written twice — `max(row, axis=1, keepdim=true)` and later `max(row, axis=1)`: the
 * second reads the first's result, through a view where only `keepdim` differs. A `let`
 * is one immutable value (the builder snapshots it where later writes could change what
 * it reads; every read of a `var` is a node of its own), so the operand's node identity
 * says both reductions see the same elements. Inner reductions come first.
 */
import { viewMapping } from 'tessera-gpu-dsl/check';
import type { ReduceOp, Stmt, Value } from '../ir/nodes.ts';
import { mapIndexValues, mapOperands } from '../ir/walk.ts';

/** A reduction already materialized, found again by its operand's node. */
interface Reduced {
  readonly op: ReduceOp;
  readonly axis: number | 'all';
  readonly read: Value;
  /** The block it was materialized in: only statements inside that block can read it. */
  readonly block: object;
}

export function hoistMaterializations(body: readonly Stmt[]): Stmt[] {
  let next = 0;
  const done = new Map<Value, Value>();
  const reducedByOperand = new Map<Value, Reduced[]>();
  // The blocks enclosing the statement being hoisted from, innermost last.
  const openBlocks: object[] = [];

  /** The result of an equal reduction the current block can see, shaped as `v` wants. */
  const reuse = (v: Value & { kind: 'reduce' }): Value | undefined => {
    for (const r of reducedByOperand.get(v.x) ?? []) {
      if (r.op !== v.op || r.axis !== v.axis || !openBlocks.includes(r.block)) continue;
      const from = viewMapping(r.read.type.axes, v.type.axes);
      if (!from) continue;
      if (from.length === v.type.axes.length && from.every((f, i) => f === i)) return r.read;
      return { kind: 'view', x: r.read, from, type: v.type };
    }
    return undefined;
  };

  const hoistBlock = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    const block = {};
    openBlocks.push(block);
    // The statement being hoisted from: its materializations take its source span.
    let from: Stmt | undefined;
    const hoist = (v: Value): Value => {
      const seen = done.get(v) ?? (v.kind === 'reduce' ? reuse(v) : undefined);
      if (seen) return seen;
      const inner = mapOperands(v, hoist);
      if (inner.kind !== 'reduce' && inner.kind !== 'scan' && inner.kind !== 'dot') return inner;
      const id = `m${next++}`;
      out.push(from?.span ? { kind: 'materialize', id, value: inner, span: from.span } : { kind: 'materialize', id, value: inner });
      const read: Value = { kind: 'mat', id, type: inner.type };
      done.set(v, read);
      if (v.kind === 'reduce') {
        const list = reducedByOperand.get(v.x) ?? [];
        list.push({ op: v.op, axis: v.axis, read, block });
        reducedByOperand.set(v.x, list);
      }
      return read;
    };
    for (const s of stmts) {
      from = s;
      switch (s.kind) {
        case 'declare': out.push({ ...s, init: hoist(s.init) }); break;
        case 'assign': out.push({ ...s, value: hoist(s.value) }); break;
        case 'return': out.push({ ...s, value: hoist(s.value) }); break;
        case 'materialize': out.push(s); break;
        case 'store': {
          const index = mapIndexValues(s.index, hoist);
          out.push({ ...s, index, value: hoist(s.value) });
          break;
        }
        case 'tileLoop': out.push({ ...s, body: hoistBlock(s.body) }); break;
        case 'rangeLoop': {
          const lo = hoist(s.lo);
          const hi = hoist(s.hi);
          out.push({ ...s, lo, hi, body: hoistBlock(s.body) });
          break;
        }
        case 'if': {
          const cond = hoist(s.cond);
          out.push({ ...s, cond, then: hoistBlock(s.then), otherwise: hoistBlock(s.otherwise) });
          break;
        }
      }
    }
    openBlocks.pop();
    return out;
  };
  return hoistBlock(body);
}
