/** Generic traversal helpers over IR values and statements. */
import type { GatherIndex, IndexItem, Stmt, Value } from './nodes.ts';

/** The values a load's or store's subscripts hold: scalar indices and the amounts blocks are moved by. */
export function indexValues(items: readonly IndexItem[]): Value[] {
  return items.flatMap((i) => {
    switch (i.kind) {
      case 'scalar': case 'tile': return [i.value];
      case 'shifted': return [i.by];
      case 'slice': return [i.from];
      case 'block': case 'full': return [];
    }
  });
}

/** The subscripts with each value `indexValues` lists replaced by `f(value)`. */
export function mapIndexValues(items: readonly IndexItem[], f: (x: Value) => Value): IndexItem[] {
  return items.map((i): IndexItem => {
    switch (i.kind) {
      case 'scalar': case 'tile': return { ...i, value: f(i.value) };
      case 'shifted': return { ...i, by: f(i.by) };
      case 'slice': return { ...i, from: f(i.from) };
      case 'block': case 'full': return i;
    }
  });
}

/** The values a gather's subscripts hold: scalars, index tiles, the amounts slices start at. */
export function gatherValues(index: readonly GatherIndex[]): Value[] {
  return index.flatMap((i) => (i.kind === 'axis' ? (i.by ? [i.by] : []) : [i.value]));
}

/** A gather's subscripts with each value `gatherValues` lists replaced by `f(value)`. */
export function mapGatherValues(index: readonly GatherIndex[], f: (x: Value) => Value): GatherIndex[] {
  return index.map((i): GatherIndex => (i.kind === 'axis' ? (i.by ? { ...i, by: f(i.by) } : i) : { ...i, value: f(i.value) }));
}

/** Direct operands of a value, in evaluation order. */
export function operands(v: Value): Value[] {
  switch (v.kind) {
    case 'const': case 'dim': case 'param': case 'gridIndex': case 'local': case 'mat': case 'position': case 'tileBound': return [];
    case 'load': return indexValues(v.index);
    case 'gather': return gatherValues(v.index);
    case 'unary': case 'cast': case 'transpose': case 'view': case 'reduce': case 'scan': return [v.x];
    case 'fill': return [v.value];
    case 'binary': return [v.a, v.b];
    case 'dot': return v.acc ? [v.a, v.b, v.acc] : [v.a, v.b];
    case 'select': return [v.cond, v.a, v.b];
    case 'call': return [...v.args];
  }
}

/** Rebuilds `v` with each operand replaced by `f(operand)` (same order as `operands`). */
export function mapOperands(v: Value, f: (x: Value) => Value): Value {
  switch (v.kind) {
    case 'const': case 'dim': case 'param': case 'gridIndex': case 'local': case 'mat': case 'position': case 'tileBound': return v;
    case 'load': return { ...v, index: mapIndexValues(v.index, f) };
    case 'gather': return { ...v, index: mapGatherValues(v.index, f) };
    case 'unary': case 'cast': case 'transpose': case 'view': case 'reduce': case 'scan': return { ...v, x: f(v.x) };
    case 'fill': return { ...v, value: f(v.value) };
    case 'binary': return { ...v, a: f(v.a), b: f(v.b) };
    case 'dot': return v.acc ? { ...v, a: f(v.a), b: f(v.b), acc: f(v.acc) } : { ...v, a: f(v.a), b: f(v.b) };
    case 'select': return { ...v, cond: f(v.cond), a: f(v.a), b: f(v.b) };
    case 'call': return { ...v, args: v.args.map(f) };
  }
}

/** Every value tree directly held by a statement (not those of nested statements). */
export function stmtValues(s: Stmt): Value[] {
  switch (s.kind) {
    case 'declare': return [s.init];
    case 'assign': case 'materialize': case 'return': return [s.value];
    case 'store': return [s.value, ...indexValues(s.index)];
    case 'tileLoop': return [];
    case 'rangeLoop': return [s.lo, s.hi];
    case 'if': return [s.cond];
  }
}

/**
 * Visits every statement of `stmts`, nested ones included (loop bodies, both branches of
 * an `if`), in order, with the list it is in and its index there.
 */
export function walkStmts(stmts: readonly Stmt[], f: (s: Stmt, list: readonly Stmt[], i: number) => void): void {
  stmts.forEach((s, i) => {
    f(s, stmts, i);
    if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') walkStmts(s.body, f);
    if (s.kind === 'if') {
      walkStmts(s.then, f);
      walkStmts(s.otherwise, f);
    }
  });
}

const depths = new WeakMap<Value, number>();

/** The depth of a value tree (1 for a leaf), computed without recursion and remembered. */
export function valueDepth(v: Value): number {
  const stack: Value[] = [v];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (depths.has(top)) {
      stack.pop();
      continue;
    }
    const kids = operands(top);
    const pending = kids.filter((k) => !depths.has(k));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    depths.set(top, 1 + Math.max(0, ...kids.map((k) => depths.get(k) ?? 0)));
  }
  return depths.get(v) ?? 1;
}
