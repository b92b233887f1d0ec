/**
 * CST → typed AST, in one step: no chevrotain shape leaves this file (and its helpers
 * cst.ts, cst-to-expr.ts, holes.ts). Checks that need the tree but not types happen here
 * (dtype names, dims, the `for` iterator, assignment targets, hole values), so that one
 * parse reports them all together with the syntax errors.
 *
 * Error recovery may leave nodes incomplete; a statement that cannot be built is dropped
 * (its syntax error is already reported) and conversion goes on with the next one.
 */
import type { CstNode, IToken } from 'chevrotain';
import {
  SCALAR_TYPES,
  type AssignOp,
  type Block,
  type Call,
  type DimExpr,
  type FnDecl,
  type IfStmt,
  type Param,
  type ScalarType,
  type Span,
  type Stmt,
  type TypeExpr,
} from './ast.ts';
import { child, children, has, Incomplete, optTok, tok, toks, type ConvertContext } from './cst.ts';
import { convertExpr } from './cst-to-expr.ts';
import { dimArithNames, dimArithText, evalDimArith, toDimArith } from './dim-arith.ts';
import { joinSpans } from './positions.ts';

export interface ConvertedProgram {
  /** The first fn, when it could be built. */
  readonly fn: FnDecl | undefined;
  /** Name of the first fn, even when its body could not be built. */
  readonly name: string | undefined;
}

export function convertProgram(ctx: ConvertContext, program: CstNode): ConvertedProgram {
  const fns = children(program, 'fn');
  const first = fns[0];
  if (first === undefined) return { fn: undefined, name: undefined };
  const firstName = optTok(first, 'Identifier')?.image;
  const second = fns[1];
  if (second !== undefined) {
    const secondName = optTok(second, 'Identifier');
    const at = secondName ?? optTok(second, 'Fn');
    if (at !== undefined) ctx.report('TSR1009', ctx.span(at), secondName?.image ?? 'fn', firstName ?? 'fn');
  }
  try {
    return { fn: convertFn(ctx, first), name: firstName };
  } catch (e) {
    if (e instanceof Incomplete) return { fn: undefined, name: firstName };
    throw e;
  }
}

function convertFn(ctx: ConvertContext, n: CstNode): FnDecl {
  const fnTok = tok(n, 'Fn');
  const name = tok(n, 'Identifier');
  const params = children(n, 'param').map((p) => convertParam(ctx, p));
  const rt = children(n, 'returnTypes')[0];
  const results = rt === undefined ? [] : children(rt, 'type').map((t) => convertType(ctx, t, 'result'));
  const body = convertBlock(ctx, child(n, 'block'));
  return { kind: 'fn', name: name.image, nameSpan: ctx.span(name), params, results, body, span: joinSpans(ctx.span(fnTok), body.span) };
}

function convertParam(ctx: ConvertContext, n: CstNode): Param {
  const name = tok(n, 'Identifier');
  const type = convertType(ctx, child(n, 'type'), 'param');
  return { kind: 'param', name: name.image, type, span: joinSpans(ctx.span(name), type.span) };
}

function isScalarType(s: string): s is ScalarType {
  return (SCALAR_TYPES as readonly string[]).includes(s);
}

function convertType(ctx: ConvertContext, n: CstNode, role: 'param' | 'result'): TypeExpr {
  const dtypeTok = tok(n, 'Identifier');
  const dtypeSpan = ctx.span(dtypeTok);
  let dtype: ScalarType = 'f32';
  if (isScalarType(dtypeTok.image)) dtype = dtypeTok.image;
  else ctx.report('TSR1012', dtypeSpan, dtypeTok.image);
  if (!has(n, 'LBracket')) return { kind: 'type', dtype, dims: undefined, span: dtypeSpan };
  const dims = children(n, 'dim').map((d) => convertDim(ctx, d, role));
  return { kind: 'type', dtype, dims, span: joinSpans(dtypeSpan, ctx.span(tok(n, 'RBracket'))) };
}

/**
 * A dim of a type: a name, a positive integer, or (in a result type only: a parameter's
 * dims are bound from its argument) arithmetic over names and integers (dim-arith.ts).
 */
function convertDim(ctx: ConvertContext, n: CstNode, role: 'param' | 'result'): DimExpr {
  const e = convertExpr(ctx, n);
  if (e.kind === 'ident') return { kind: 'symDim', name: e.name, span: e.span };
  if (e.kind === 'number' && !e.isFloat && Number.isInteger(e.value) && e.value > 0) {
    return { kind: 'constDim', value: e.value, span: e.span };
  }
  const arith = role === 'result' && e.kind === 'binary' ? toDimArith(e, () => true) : undefined;
  if (arith && dimArithNames(arith).length > 0) return { kind: 'exprDim', arith, text: dimArithText(arith), span: e.span };
  const folded = arith ? evalDimArith(arith, () => undefined) : undefined;
  if (folded && 'value' in folded && folded.value > 0) return { kind: 'constDim', value: folded.value, span: e.span };
  // For a hole, show its value too: the text only says `${0}`.
  const fromHole = (e.kind === 'number' || e.kind === 'bool') && e.fromHole !== undefined ? ` (${e.value})` : '';
  ctx.report('TSR1013', e.span, ctx.quote(e.span) + fromHole);
  return { kind: 'constDim', value: 1, span: e.span };
}

function convertBlock(ctx: ConvertContext, n: CstNode): Block {
  const stmts: Stmt[] = [];
  for (const s of children(n, 'stmt')) {
    try {
      stmts.push(convertStmt(ctx, s));
    } catch (e) {
      if (!(e instanceof Incomplete)) throw e;
    }
  }
  const open = ctx.span(tok(n, 'LBrace'));
  const close = optTok(n, 'RBrace');
  const last = stmts[stmts.length - 1];
  const end = close !== undefined ? ctx.span(close) : last !== undefined ? last.span : open;
  return { kind: 'block', stmts, span: joinSpans(open, end) };
}

/** From `first` to the statement's `;`, or to `last` when recovery left the `;` out. */
function stmtSpan(ctx: ConvertContext, first: IToken, n: CstNode, last: Span): Span {
  const semi = optTok(n, 'Semicolon');
  return joinSpans(ctx.span(first), semi === undefined ? last : ctx.span(semi));
}

function convertStmt(ctx: ConvertContext, wrapper: CstNode): Stmt {
  const n = wrapper.children;
  const node = Object.values(n)[0]?.[0];
  if (node === undefined || 'image' in node) throw new Incomplete('stmt');
  switch (node.name) {
    case 'declStmt': {
      const kw = optTok(node, 'Let') ?? tok(node, 'Var');
      const name = tok(node, 'Identifier');
      const init = convertExpr(ctx, child(node, 'expr'));
      const span = stmtSpan(ctx, kw, node, init.span);
      return { kind: 'decl', mutable: kw.image === 'var', name: name.image, nameSpan: ctx.span(name), init, span };
    }
    case 'forStmt':
      return convertFor(ctx, node);
    case 'ifStmt':
      return convertIf(ctx, node);
    case 'returnStmt': {
      const kw = tok(node, 'Return');
      const valueNode = children(node, 'expr')[0];
      const value = valueNode === undefined ? undefined : convertExpr(ctx, valueNode);
      return { kind: 'return', value, span: stmtSpan(ctx, kw, node, value?.span ?? ctx.span(kw)) };
    }
    case 'block':
      return convertBlock(ctx, node);
    case 'exprStmt':
      return convertExprStmt(ctx, node);
    default:
      throw new Incomplete(`statement ${node.name}`);
  }
}

const ASSIGN_OPS: ReadonlyMap<string, AssignOp> = new Map((['=', '+=', '-=', '*=', '/=', '&=', '|=', '^=', '<<=', '>>='] as const).map((op) => [op, op]));

function convertExprStmt(ctx: ConvertContext, n: CstNode): Stmt {
  const target = convertExpr(ctx, child(n, 'target'));
  const op = optTok(n, 'AssignOp');
  const semi = optTok(n, 'Semicolon');
  if (op === undefined) {
    const span = semi === undefined ? target.span : joinSpans(target.span, ctx.span(semi));
    return { kind: 'exprStmt', expr: target, span };
  }
  const value = convertExpr(ctx, child(n, 'value'));
  if (target.kind !== 'ident' && target.kind !== 'index') ctx.report('TSR1021', target.span, ctx.quote(target.span));
  const assignOp = ASSIGN_OPS.get(op.image);
  if (assignOp === undefined) throw new Incomplete(`assignment operator ${op.image}`);
  const span = joinSpans(target.span, semi === undefined ? value.span : ctx.span(semi));
  return { kind: 'assign', op: assignOp, target, value, span };
}

function convertFor(ctx: ConvertContext, n: CstNode): Stmt {
  const kw = tok(n, 'For');
  const vars = toks(n, 'Identifier').map((t) => ({ name: t.image, span: ctx.span(t) }));
  if (vars.length === 0) throw new Incomplete('for variables');
  const iterExpr = convertExpr(ctx, child(n, 'expr'));
  const body = convertBlock(ctx, child(n, 'block'));
  let iter: Call;
  if (iterExpr.kind === 'call') iter = iterExpr;
  else {
    ctx.report('TSR1014', iterExpr.span, ctx.quote(iterExpr.span));
    const span = iterExpr.span;
    iter = { kind: 'call', callee: { kind: 'named', name: '<invalid>', span }, args: [iterExpr], kwargs: [], span };
  }
  return { kind: 'for', vars, iter, body, span: joinSpans(ctx.span(kw), body.span) };
}

function convertIf(ctx: ConvertContext, n: CstNode): IfStmt {
  const kw = tok(n, 'If');
  const cond = convertExpr(ctx, child(n, 'expr'));
  const then = convertBlock(ctx, child(n, 'block'));
  const elseBlock = children(n, 'elseBlock')[0];
  const elseIf = children(n, 'elseIf')[0];
  const otherwise = elseBlock !== undefined ? convertBlock(ctx, elseBlock) : elseIf !== undefined ? convertIf(ctx, elseIf) : undefined;
  return { kind: 'if', cond, then, otherwise, span: joinSpans(ctx.span(kw), (otherwise ?? then).span) };
}
