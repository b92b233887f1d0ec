/**
 * The typed AST of the tile language. Every node carries the span of the kernel source it
 * came from, so the checker and the compiler can point diagnostics at the user's text.
 *
 * Plain readonly data with a string `kind` on each node: passes switch over `kind`
 * exhaustively (see `assertNever`), and a dump is readable JSON.
 */
import type { DimArith } from './dim-arith.ts';

/** A position in the kernel source (the template text with holes rendered as `${N}`). */
export interface Pos {
  /** 0-based character offset into the rendered template text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
}

export interface Span {
  readonly start: Pos;
  /** Exclusive end. */
  readonly end: Pos;
}

export type ScalarType = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';
export const SCALAR_TYPES: readonly ScalarType[] = ['f32', 'f16', 'i32', 'u32', 'bool'];

// ---------------------------------------------------------------- types in signatures

/**
 * A dimension in a signature: a symbolic name (`M`), a fixed size (`4`), or, in a result
 * type, arithmetic over dims (`A + B`; see dim-arith.ts), named by its canonical `text`.
 */
export type DimExpr =
  | { readonly kind: 'symDim'; readonly name: string; readonly span: Span }
  | { readonly kind: 'constDim'; readonly value: number; readonly span: Span }
  | { readonly kind: 'exprDim'; readonly arith: DimArith; readonly text: string; readonly span: Span };

/** A dim as written in a type, canonically: `M`, `4`, `A + B`. */
export function dimExprText(d: DimExpr): string {
  switch (d.kind) {
    case 'symDim': return d.name;
    case 'constDim': return String(d.value);
    case 'exprDim': return d.text;
  }
}

/** `f32` (scalar) or `f32[M, N]` (tensor). */
export interface TypeExpr {
  readonly kind: 'type';
  readonly dtype: ScalarType;
  /** `undefined` for a scalar; the dims for a tensor. */
  readonly dims: readonly DimExpr[] | undefined;
  readonly span: Span;
}

export interface Param {
  readonly kind: 'param';
  readonly name: string;
  readonly type: TypeExpr;
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '@'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&&' | '||'
  | '&' | '|' | '^' | '<<' | '>>';

export type UnaryOp = '-' | '!' | '~';

export interface NumberLit {
  readonly kind: 'number';
  readonly value: number;
  /** `1.0`, `1e3` and numbers from holes that are not integers are float literals. */
  readonly isFloat: boolean;
  /** Set when the literal came from a `${…}` hole (a compile-time constant). */
  readonly fromHole: number | undefined;
  readonly span: Span;
}

export interface BoolLit {
  readonly kind: 'bool';
  readonly value: boolean;
  readonly fromHole: number | undefined;
  readonly span: Span;
}

export interface Ident {
  readonly kind: 'ident';
  readonly name: string;
  readonly span: Span;
}

export interface Binary {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

export interface Unary {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly span: Span;
}

/** `name=value` in a call, e.g. `axis=1`. */
export interface KeywordArg {
  readonly kind: 'kwarg';
  readonly name: string;
  readonly value: Expr;
  readonly span: Span;
}

/**
 * A call: a builtin (`exp(x)`, `max(x, axis=1)`, `zeros([tm, tn], f32)`, `f32(x)`), a
 * `func` passed through a hole (`${relu}(x)`), or a tile/range iterator in a `for`.
 */
export interface Call {
  readonly kind: 'call';
  readonly callee: Callee;
  readonly args: readonly Expr[];
  readonly kwargs: readonly KeywordArg[];
  readonly span: Span;
}

export type Callee =
  | { readonly kind: 'named'; readonly name: string; readonly span: Span }
  /** A `func` device function given through hole number `hole`. */
  | { readonly kind: 'hole'; readonly hole: number; readonly name: string; readonly span: Span };

/** One index in `x[...]`: an expression (tile variable or scalar), or a slice. */
export type IndexItem =
  | { readonly kind: 'exprIndex'; readonly expr: Expr; readonly span: Span }
  /** `:` (whole dimension) or `a:b` (a range; either side optional). */
  | { readonly kind: 'slice'; readonly lo: Expr | undefined; readonly hi: Expr | undefined; readonly span: Span };

export interface IndexExpr {
  readonly kind: 'index';
  readonly base: Expr;
  readonly indices: readonly IndexItem[];
  readonly span: Span;
}

/** `[M, N]` — a list, used for shapes (`empty([M, N], f32)`) and `tile([M, N])`. */
export interface ListExpr {
  readonly kind: 'list';
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `(a, b)` in a return of several outputs. */
export interface TupleExpr {
  readonly kind: 'tuple';
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `x.shape`, `x.dtype`, `x.T` … — member access (the checker says which are valid). */
export interface Member {
  readonly kind: 'member';
  readonly object: Expr;
  readonly name: string;
  readonly span: Span;
}

export type Expr =
  | NumberLit
  | BoolLit
  | Ident
  | Binary
  | Unary
  | Call
  | IndexExpr
  | ListExpr
  | TupleExpr
  | Member;

// ---------------------------------------------------------------- statements

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '&=' | '|=' | '^=' | '<<=' | '>>=';

/** `let x = e;` (immutable) or `var x = e;` (mutable). */
export interface VarDecl {
  readonly kind: 'decl';
  readonly mutable: boolean;
  readonly name: string;
  readonly nameSpan: Span;
  readonly init: Expr;
  readonly span: Span;
}

/** `x = e;`, `x += e;`, `out[tm, :] = e;` */
export interface Assign {
  readonly kind: 'assign';
  readonly op: AssignOp;
  /** An `Ident` or an `IndexExpr`. */
  readonly target: Expr;
  readonly value: Expr;
  readonly span: Span;
}

/**
 * `for tm in tile(M) { … }`, `for (tm, tn) in tile([M, N]) { … }`,
 * `for i in range(0, K) { … }`. The iterator call is kept as written; the checker
 * decides whether it is a tile loop (top-level = launch grid, nested = sequential) or a
 * scalar range loop.
 */
export interface ForStmt {
  readonly kind: 'for';
  readonly vars: readonly { readonly name: string; readonly span: Span }[];
  readonly iter: Call;
  readonly body: Block;
  readonly span: Span;
}

export interface IfStmt {
  readonly kind: 'if';
  readonly cond: Expr;
  readonly then: Block;
  /** `else { … }` or `else if …` (an IfStmt). */
  readonly otherwise: Block | IfStmt | undefined;
  readonly span: Span;
}

export interface ReturnStmt {
  readonly kind: 'return';
  readonly value: Expr | undefined;
  readonly span: Span;
}

export interface ExprStmt {
  readonly kind: 'exprStmt';
  readonly expr: Expr;
  readonly span: Span;
}

export interface Block {
  readonly kind: 'block';
  readonly stmts: readonly Stmt[];
  readonly span: Span;
}

export type Stmt = VarDecl | Assign | ForStmt | IfStmt | ReturnStmt | ExprStmt | Block;

// ---------------------------------------------------------------- top level

/** `fn name(params) -> ret { body }` — a kernel or a device function. */
export interface FnDecl {
  readonly kind: 'fn';
  readonly name: string;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  /** One type, or several for `-> (f32[M], i32[M])`; empty when no `->`. */
  readonly results: readonly TypeExpr[];
  readonly body: Block;
  readonly span: Span;
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`internal: unexpected ${what}: ${JSON.stringify(x)}`);
}
