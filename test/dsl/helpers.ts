/** Shared by the dsl suites: compact dumps of ASTs and diagnostics for readable expectations. */
import type { Block, Expr, FnDecl, IndexItem, Span, Stmt, TypeExpr } from '../../packages/dsl/src/ast.ts';
import { dimExprText } from '../../packages/dsl/src/ast.ts';
import type { Diagnostic } from '../../packages/dsl/src/index.ts';

export function at(span: Span): string {
  return `${span.start.line}:${span.start.col}-${span.end.line}:${span.end.col}`;
}

/** `TSR1002 5:22 expected ';' …` — code, start line:col, message. */
export function diag(d: Diagnostic): string {
  return `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`;
}

export function diags(list: readonly Diagnostic[]): string[] {
  return list.map(diag);
}

function item(i: IndexItem): string {
  if (i.kind === 'exprIndex') return sexpr(i.expr);
  return `${i.lo === undefined ? '' : sexpr(i.lo)}:${i.hi === undefined ? '' : sexpr(i.hi)}`;
}

/** An expression as an S-expression: `(+ a (* b c))`, `(call exp x axis=1)`, `(index x tm :)`. */
export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return `${e.fromHole === undefined ? '' : `$${e.fromHole}=`}${e.value}${e.isFloat ? 'f' : ''}`;
    case 'bool':
      return `${e.fromHole === undefined ? '' : `$${e.fromHole}=`}${e.value}`;
    case 'ident':
      return e.name;
    case 'binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'unary':
      return `(${e.op}u ${sexpr(e.operand)})`;
    case 'call': {
      const callee = e.callee.kind === 'named' ? e.callee.name : `\${${e.callee.hole}}:${e.callee.name}`;
      const parts = [callee, ...e.args.map(sexpr), ...e.kwargs.map((k) => `${k.name}=${sexpr(k.value)}`)];
      return `(call ${parts.join(' ')})`;
    }
    case 'index':
      return `(index ${[sexpr(e.base), ...e.indices.map(item)].join(' ')})`;
    case 'list':
      return `[${e.items.map(sexpr).join(' ')}]`;
    case 'tuple':
      return `(tuple ${e.items.map(sexpr).join(' ')})`;
    case 'member':
      return `(. ${sexpr(e.object)} ${e.name})`;
  }
}

export function type(t: TypeExpr): string {
  if (t.dims === undefined) return t.dtype;
  return `${t.dtype}[${t.dims.map(dimExprText).join(', ')}]`;
}

export function block(b: Block): string {
  return `{ ${b.stmts.map(stmt).join(' ')} }`;
}

export function stmt(s: Stmt): string {
  switch (s.kind) {
    case 'decl':
      return `(${s.mutable ? 'var' : 'let'} ${s.name} ${sexpr(s.init)})`;
    case 'assign':
      return `(${s.op} ${sexpr(s.target)} ${sexpr(s.value)})`;
    case 'for':
      return `(for (${s.vars.map((v) => v.name).join(' ')}) ${sexpr(s.iter)} ${block(s.body)})`;
    case 'if':
      return `(if ${sexpr(s.cond)} ${block(s.then)}${s.otherwise === undefined ? '' : ` else ${s.otherwise.kind === 'block' ? block(s.otherwise) : stmt(s.otherwise)}`})`;
    case 'return':
      return s.value === undefined ? '(return)' : `(return ${sexpr(s.value)})`;
    case 'exprStmt':
      return `(expr ${sexpr(s.expr)})`;
    case 'block':
      return block(s);
  }
}

export function fnSig(f: FnDecl): string {
  return `fn ${f.name}(${f.params.map((p) => `${p.name}: ${type(p.type)}`).join(', ')}) -> (${f.results.map(type).join(', ')})`;
}

/** Visits every object in a tree (for span invariants). */
export function* walk(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) {
    for (const n of node) yield* walk(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const rec = node as Record<string, unknown>;
  yield rec;
  for (const v of Object.values(rec)) yield* walk(v);
}

/** A deep copy with every span written `line:col-line:col`: compact enough to snapshot. */
export function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compact);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = (k === 'span' || k === 'nameSpan') && typeof v === 'object' && v !== null ? at(v as Span) : compact(v);
  }
  return out;
}
