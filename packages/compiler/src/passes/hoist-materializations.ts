/**
 * hoistMaterializations: every reduction, scan and `@` inside a value tree is pulled out
 * into a `materialize` statement placed just before the statement that uses it, and
 * replaced by a `mat` read. After this pass, value trees are purely elementwise: a
 * backend can evaluate them at any element, in any order, as often as it likes.
 *
 * The same node object (a `let` used twice) is materialized once, so
 * `let m = max(x, axis=1); … m … m …` reduces once. Inner reductions come first.
 */
import type { Stmt, Value } from '../ir/nodes.ts';
import { mapIndexValues, mapOperands } from '../ir/walk.ts';

export function hoistMaterializations(body: readonly Stmt[]): Stmt[] {
  let next = 0;
  const done = new Map<Value, Value>();

  const hoistBlock = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    // The statement being hoisted from: its materializations take its source span.
    let from: Stmt | undefined;
    const hoist = (v: Value): Value => {
      const seen = done.get(v);
      if (seen) return seen;
      const inner = mapOperands(v, hoist);
      if (inner.kind !== 'reduce' && inner.kind !== 'scan' && inner.kind !== 'dot') return inner;
      const id = `m${next++}`;
      out.push(from?.span ? { kind: 'materialize', id, value: inner, span: from.span } : { kind: 'materialize', id, value: inner });
      const read: Value = { kind: 'mat', id, type: inner.type };
      done.set(v, read);
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
    return out;
  };
  return hoistBlock(body);
}
