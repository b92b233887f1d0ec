/**
 * fuseDotAccumulate: `acc += a @ b` arrives from hoistMaterializations as
 *
 *     @m = dot(a, b)
 *     %acc = add(%acc, @m)          (or add(@m, %acc); or add(x, @m), x any elementwise
 *                                    value such as %acc * %alpha)
 *
 * and becomes
 *
 *     @m = dot(a, b, acc=%acc)      (acc=x)
 *     %acc = @m
 *
 * so a backend accumulates the product straight into the accumulator's storage (the
 * WGSL backend gives `@m` the registers of `%acc` and drops the copy) instead of
 * computing the product into a scratch tile and adding it elementwise afterwards.
 *
 * Only fires when `@m` is read by that one assignment and nothing else, and the types
 * agree exactly (an f32 accumulator of the product's shape); otherwise the IR is kept.
 */
import type { Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';

/** How many times each `mat` id is read, anywhere in the body. */
function matReads(stmts: readonly Stmt[], counts: Map<string, number>): void {
  const visit = (v: Value): void => {
    if (v.kind === 'mat') counts.set(v.id, (counts.get(v.id) ?? 0) + 1);
    operands(v).forEach(visit);
  };
  for (const s of stmts) {
    stmtValues(s).forEach(visit);
    if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') matReads(s.body, counts);
    if (s.kind === 'if') {
      matReads(s.then, counts);
      matReads(s.otherwise, counts);
    }
  }
}

const sameAxes = (a: Value, b: Value): boolean =>
  a.type.dtype === b.type.dtype &&
  a.type.axes.length === b.type.axes.length &&
  a.type.axes.every((x, i) => {
    const y = b.type.axes[i];
    if (!y || x.kind !== y.kind) return false;
    if (x.kind === 'block' && y.kind === 'block') return x.loop.id === y.loop.id;
    if (x.kind === 'full' && y.kind === 'full') return JSON.stringify(x.dim) === JSON.stringify(y.dim);
    return true;
  });

/**
 * The accumulator of `add(x, @id)` / `add(@id, x)`: usually the assigned local itself
 * (`acc += a @ b`), or any elementwise value of it (`acc = acc * alpha + p @ v`, the
 * rescaled accumulator of online softmax). The value is evaluated where the product
 * starts, so it may not read other materialized values (they could be computed after
 * the product) nor read elements at other coordinates (transpose, gather; a view only adds
 * or drops unit axes, so it reads the same element): a backend may
 * accumulate in place, each element read once before it is written.
 */
function accumulated(v: Value, localId: string, matId: string): Value | undefined {
  if (v.kind !== 'binary' || v.op !== 'add') return undefined;
  const isMat = (x: Value): boolean => x.kind === 'mat' && x.id === matId;
  const acc = isMat(v.b) ? v.a : isMat(v.a) ? v.b : undefined;
  // A bare local accumulator must be the assigned one: backends accumulate into its
  // storage in place, which must not clobber another local.
  if (acc?.kind === 'local' && acc.id !== localId) return undefined;
  return acc && elementwiseOnly(acc) ? acc : undefined;
}

function elementwiseOnly(v: Value): boolean {
  if (v.kind === 'mat' || v.kind === 'dot' || v.kind === 'reduce' || v.kind === 'scan' || v.kind === 'transpose' || v.kind === 'gather') return false;
  return operands(v).every(elementwiseOnly);
}

export function fuseDotAccumulate(body: readonly Stmt[]): Stmt[] {
  const counts = new Map<string, number>();
  matReads(body, counts);

  const fuseBlock = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      if (!s) continue;
      const next = stmts[i + 1];
      if (s.kind === 'materialize' && s.value.kind === 'dot' && !s.value.acc && next?.kind === 'assign' && counts.get(s.id) === 1) {
        const acc = accumulated(next.value, next.id, s.id);
        if (acc && sameAxes(acc, s.value) && next.value.type.dtype === 'f32') {
          out.push({ ...s, value: { ...s.value, acc } });
          out.push({ ...next, value: { kind: 'mat', id: s.id, type: s.value.type } });
          i++;
          continue;
        }
      }
      switch (s.kind) {
        case 'tileLoop': out.push({ ...s, body: fuseBlock(s.body) }); break;
        case 'rangeLoop': out.push({ ...s, body: fuseBlock(s.body) }); break;
        case 'if': out.push({ ...s, then: fuseBlock(s.then), otherwise: fuseBlock(s.otherwise) }); break;
        default: out.push(s);
      }
    }
    return out;
  };
  return fuseBlock(body);
}
