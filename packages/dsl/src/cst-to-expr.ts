/**
 * Expressions: CST → typed AST. Operator chains fold left; a parenthesised expression
 * takes the span of its parentheses (so a caret under `(a + b)` covers them).
 */
import type { CstNode, IToken } from 'chevrotain';
import type { BinaryOp, Call, Callee, Expr, IndexItem, KeywordArg, NumberLit, Span, UnaryOp } from './ast.ts';
import { child, children, has, Incomplete, optTok, tok, toks, type ConvertContext } from './cst.ts';
import { holeCallee, holeValue } from './holes.ts';
import { joinSpans } from './positions.ts';
import { memberCallHint } from './foreign-spellings.ts';

/** Largest integer literal: it must fit a u32. */
const MAX_INT_LITERAL = 4294967295;

/**
 * Binary operators and their precedence (higher binds tighter); all are left-associative.
 * The levels are C's and TypeScript's, so `a & m == 0` is `a & (m == 0)` there as here.
 */
const PRECEDENCE: ReadonlyMap<string, { readonly op: BinaryOp; readonly prec: number }> = new Map(
  (
    [
      ['||', 1], ['&&', 2], ['|', 3], ['^', 4], ['&', 5], ['==', 6], ['!=', 6], ['<', 7], ['<=', 7], ['>', 7], ['>=', 7],
      ['<<', 8], ['>>', 8], ['+', 9], ['-', 9], ['*', 10], ['/', 10], ['%', 10], ['@', 10],
    ] as const
  ).map(([op, prec]) => [op, { op, prec }]),
);
const UNARY_OPS: ReadonlyMap<string, UnaryOp> = new Map((['-', '!', '~'] as const).map((op) => [op, op]));

export function convertExpr(ctx: ConvertContext, n: CstNode): Expr {
  if (n.name === 'unaryExpr') return convertUnary(ctx, n);
  if (n.name !== 'expr') throw new Incomplete(`unexpected expression node ${n.name}`);
  const operands = children(n, 'operand');
  const operators = toks(n, 'operator');
  if (operands.length !== operators.length + 1) throw new Incomplete('expr');
  const values = operands.map((o) => convertUnary(ctx, o));
  const ops = operators.map((t) => {
    const p = PRECEDENCE.get(t.image);
    if (p === undefined) throw new Incomplete(`operator ${t.image}`);
    return p;
  });
  return climb({ values, ops, next: 0 }, 0);
}

interface Chain {
  readonly values: readonly Expr[];
  readonly ops: readonly { readonly op: BinaryOp; readonly prec: number }[];
  /** Index of the value the next `climb` starts at. */
  next: number;
}

/** Precedence climbing over the flat chain `v0 op0 v1 op1 v2 …`. */
function climb(c: Chain, minPrec: number): Expr {
  let left = c.values[c.next];
  if (left === undefined) throw new Incomplete('expr');
  for (let op = c.ops[c.next]; op !== undefined && op.prec >= minPrec; op = c.ops[c.next]) {
    c.next++;
    let right = c.values[c.next];
    if (right === undefined) throw new Incomplete('expr');
    const following = c.ops[c.next];
    if (following !== undefined && following.prec > op.prec) right = climb(c, op.prec + 1);
    left = { kind: 'binary', op: op.op, left, right, span: joinSpans(left.span, right.span) };
  }
  return left;
}

function convertUnary(ctx: ConvertContext, n: CstNode): Expr {
  const op = optTok(n, 'UnaryOp');
  if (op === undefined) return convertPostfix(ctx, child(n, 'postfixExpr'));
  const unOp = UNARY_OPS.get(op.image);
  if (unOp === undefined) throw new Incomplete(`operator ${op.image}`);
  const operand = convertUnary(ctx, child(n, 'unaryExpr'));
  return { kind: 'unary', op: unOp, operand, span: joinSpans(ctx.span(op), operand.span) };
}

function convertPostfix(ctx: ConvertContext, n: CstNode): Expr {
  const primaryNode = child(n, 'primary');
  const suffixes = children(n, 'suffix');
  const holeTok = optTok(primaryNode, 'Hole');
  let i = 0;
  let expr: Expr;
  // `${f}(…)`: the hole is a callee, not a value, so it is resolved together with its call.
  const firstSuffix = suffixes[0];
  if (holeTok !== undefined && firstSuffix !== undefined && has(firstSuffix, 'LParen')) {
    expr = convertCall(ctx, holeCallee(ctx, holeTok), ctx.span(holeTok), firstSuffix);
    i = 1;
  } else {
    expr = convertPrimary(ctx, primaryNode);
  }
  for (; i < suffixes.length; i++) {
    const s = suffixes[i];
    if (s === undefined) break;
    expr = applySuffix(ctx, expr, s);
  }
  return expr;
}

function applySuffix(ctx: ConvertContext, base: Expr, s: CstNode): Expr {
  if (has(s, 'LParen')) {
    let callee: Callee;
    if (base.kind === 'ident') callee = { kind: 'named', name: base.name, span: base.span };
    else {
      ctx.reportWithHint('TSR1022', base.span, callHint(ctx, base, s), ctx.quote(base.span));
      callee = { kind: 'named', name: '<invalid>', span: base.span };
    }
    return convertCall(ctx, callee, base.span, s);
  }
  if (has(s, 'LBracket')) {
    const indices = children(s, 'indexItem').map((it) => convertIndexItem(ctx, it));
    return { kind: 'index', base, indices, span: joinSpans(base.span, ctx.span(tok(s, 'RBracket'))) };
  }
  const name = tok(s, 'Identifier');
  return { kind: 'member', object: base, name: name.image, span: joinSpans(base.span, ctx.span(name)) };
}

/** What to write instead of calling `base(…)`, an expression that is not a name (`tl.exp`, `x.sum`). */
function callHint(ctx: ConvertContext, base: Expr, call: CstNode): string {
  const hasArgs = children(call, 'arg').length > 0;
  if (base.kind !== 'member') return memberCallHint(ctx.quote(base.span).slice(1, -1), false, '', hasArgs);
  const object = ctx.quote(base.object.span).slice(1, -1);
  return memberCallHint(object, base.object.kind === 'ident', base.name, hasArgs);
}

function convertCall(ctx: ConvertContext, callee: Callee, start: Span, s: CstNode): Call {
  const args: Expr[] = [];
  const kwargs: KeywordArg[] = [];
  for (const a of children(s, 'arg')) {
    const keyword = optTok(a, 'keyword');
    if (keyword === undefined) {
      const value = convertExpr(ctx, child(a, 'expr'));
      const lastKw = kwargs[kwargs.length - 1];
      if (lastKw !== undefined) ctx.report('TSR1023', value.span, lastKw.name);
      args.push(value);
      continue;
    }
    const value = convertExpr(ctx, child(a, 'expr'));
    const span = joinSpans(ctx.span(keyword), value.span);
    if (kwargs.some((k) => k.name === keyword.image)) ctx.report('TSR1024', ctx.span(keyword), keyword.image);
    kwargs.push({ kind: 'kwarg', name: keyword.image, value, span });
  }
  return { kind: 'call', callee, args, kwargs, span: joinSpans(start, ctx.span(tok(s, 'RParen'))) };
}

function convertIndexItem(ctx: ConvertContext, n: CstNode): IndexItem {
  const colon = optTok(n, 'Colon');
  const loNode = children(n, 'lo')[0];
  const hiNode = children(n, 'hi')[0];
  const lo = loNode === undefined ? undefined : convertExpr(ctx, loNode);
  if (colon === undefined && lo !== undefined) return { kind: 'exprIndex', expr: lo, span: lo.span };
  const hi = hiNode === undefined ? undefined : convertExpr(ctx, hiNode);
  const colonSpan = colon === undefined ? undefined : ctx.span(colon);
  const parts = [lo?.span, colonSpan, hi?.span].filter((x): x is Span => x !== undefined);
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined) throw new Incomplete('indexItem');
  return { kind: 'slice', lo, hi, span: joinSpans(first, last) };
}

function convertNumber(ctx: ConvertContext, t: IToken): NumberLit {
  const span = ctx.span(t);
  const digits = t.image.replace(/_/g, '');
  // `0x1e` is the integer 30: only a decimal literal is a float by its `.` or exponent.
  const isHex = /^0[xX]/.test(digits);
  const isFloat = !isHex && /[.eE]/.test(digits);
  const value = Number(digits);
  if (!isFloat && value > MAX_INT_LITERAL) ctx.report('TSR1020', span, t.image);
  // Written digits never mean infinity (`inf` does): 1e309 is as wrong as 3.5e38.
  if (isFloat && !Number.isFinite(Math.fround(value))) ctx.report('TSR1036', span, t.image);
  return { kind: 'number', value, isFloat, fromHole: undefined, span };
}

/** `inf` and `nan`: the float constants that have no digits. */
const NAMED_FLOATS: ReadonlyMap<string, number> = new Map([['inf', Infinity], ['nan', NaN]]);

function convertPrimary(ctx: ConvertContext, n: CstNode): Expr {
  const num = optTok(n, 'NumberLit');
  if (num !== undefined) return convertNumber(ctx, num);
  const bad = optTok(n, 'InvalidNumber');
  if (bad !== undefined) {
    ctx.report('TSR1006', ctx.span(bad), bad.image);
    return { kind: 'number', value: 0, isFloat: false, fromHole: undefined, span: ctx.span(bad) };
  }
  const bool = optTok(n, 'True') ?? optTok(n, 'False');
  if (bool !== undefined) return { kind: 'bool', value: bool.image === 'true', fromHole: undefined, span: ctx.span(bool) };
  const id = optTok(n, 'Identifier');
  const named = id === undefined ? undefined : NAMED_FLOATS.get(id.image);
  if (id !== undefined && named !== undefined) return { kind: 'number', value: named, isFloat: true, fromHole: undefined, span: ctx.span(id) };
  if (id !== undefined) return { kind: 'ident', name: id.image, span: ctx.span(id) };
  const hole = optTok(n, 'Hole');
  if (hole !== undefined) return holeValue(ctx, hole);
  if (has(n, 'LParen')) {
    const span = joinSpans(ctx.span(tok(n, 'LParen')), ctx.span(tok(n, 'RParen')));
    const items = children(n, 'item').map((e) => convertExpr(ctx, e));
    const only = items[0];
    // `(a)` is a parenthesised expression; `(a, b)` and `(a,)` are tuples.
    if (items.length === 1 && only !== undefined && toks(n, 'Comma').length === 0) return { ...only, span };
    return { kind: 'tuple', items, span };
  }
  if (has(n, 'LBracket')) {
    const span = joinSpans(ctx.span(tok(n, 'LBracket')), ctx.span(tok(n, 'RBracket')));
    return { kind: 'list', items: children(n, 'listItem').map((e) => convertExpr(ctx, e)), span };
  }
  throw new Incomplete('primary');
}
