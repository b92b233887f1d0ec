/**
 * Tokens of the tile language. The lexer sees the rendered template text, in which each
 * `${…}` hole appears as `${N}` (N = the hole's index), so a hole is just one more token.
 *
 * Token order matters: chevrotain takes the first pattern that matches, so longer
 * operators come before their prefixes (`->` before `-`, `+=` before `+`, `<<=` before `<<`
 * before `<=`) and keywords
 * name `Identifier` as their `longer_alt` (so `format` is a name, not `for` + `mat`).
 */
import { createToken, Lexer, type ILexingError, type IToken, type TokenType } from 'chevrotain';

// ---------------------------------------------------------------- skipped and error tokens

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** A `/*` with no closing `*\/`: swallows the rest of the text, reported as TSR1004. */
export const UnterminatedComment = createToken({
  name: 'UnterminatedComment',
  pattern: /\/\*[\s\S]*/,
  group: 'errors',
  line_breaks: true,
});

// ---------------------------------------------------------------- literals and names

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });
/** `${N}` — hole number N of the template. */
export const Hole = createToken({ name: 'Hole', pattern: /\$\{\d+\}/, label: 'a ${…} hole' });
/**
 * `12`, `1_000`, `0xFF`, `0x7fff_ffff`, `1.0`, `1.`, `.5`, `1e-3`, `2.5e3` — but not when
 * glued to a name (`12abc`, `0xFFg`). `_` separates digits (as in TypeScript); a hex literal
 * is an integer. The hex form comes first: otherwise `0` would match and `x…` be left over.
 */
export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /(?:0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?)(?![A-Za-z0-9_.])/,
  label: 'a number',
});
/** What starts like a number but is not one (`12abc`, `0x`, `0xG1`, `1__0`, `1e`, `1.2.3`); TSR1006. */
export const InvalidNumber = createToken({
  name: 'InvalidNumber',
  pattern: /(?:\d|\.\d)(?:[eE][+-]|[A-Za-z0-9_.])*/,
  label: 'a number',
});

function keyword(word: string): TokenType {
  return createToken({
    name: word[0]?.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `'${word}'`,
  });
}

export const Fn = keyword('fn');
export const Let = keyword('let');
export const Var = keyword('var');
export const For = keyword('for');
export const In = keyword('in');
export const If = keyword('if');
export const Else = keyword('else');
export const Return = keyword('return');
export const True = keyword('true');
export const False = keyword('false');
export const KEYWORDS: readonly TokenType[] = [Fn, Let, Var, For, In, If, Else, Return, True, False];

// ---------------------------------------------------------------- operator categories

const category = (name: string, label: string): TokenType => createToken({ name, pattern: Lexer.NA, label });
export const AssignOp = category('AssignOp', 'an assignment operator');
/** Every binary operator: the parser reads `unary { BinaryOp unary }` and cst-to-expr applies precedence. */
export const BinaryOp = category('BinaryOp', 'an operator');
export const UnaryOp = category('UnaryOp', "'-', '!' or '~'");

function punct(name: string, image: string, categories: TokenType[] = []): TokenType {
  const escaped = image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return createToken({ name, pattern: new RegExp(escaped), label: `'${image}'`, categories });
}

export const Arrow = punct('Arrow', '->');
export const PlusAssign = punct('PlusAssign', '+=', [AssignOp]);
export const MinusAssign = punct('MinusAssign', '-=', [AssignOp]);
export const StarAssign = punct('StarAssign', '*=', [AssignOp]);
export const SlashAssign = punct('SlashAssign', '/=', [AssignOp]);
// Compound bitwise assignments before the operators they start (`<<=` before `<<` and `<=`).
export const ShlAssign = punct('ShlAssign', '<<=', [AssignOp]);
export const ShrAssign = punct('ShrAssign', '>>=', [AssignOp]);
export const AmpAssign = punct('AmpAssign', '&=', [AssignOp]);
export const PipeAssign = punct('PipeAssign', '|=', [AssignOp]);
export const CaretAssign = punct('CaretAssign', '^=', [AssignOp]);
export const EqEq = punct('EqEq', '==', [BinaryOp]);
export const NotEq = punct('NotEq', '!=', [BinaryOp]);
// Shifts before the comparisons they start with (`<<` before `<=` and `<`).
export const Shl = punct('Shl', '<<', [BinaryOp]);
export const Shr = punct('Shr', '>>', [BinaryOp]);
export const Le = punct('Le', '<=', [BinaryOp]);
export const Ge = punct('Ge', '>=', [BinaryOp]);
export const AndAnd = punct('AndAnd', '&&', [BinaryOp]);
export const OrOr = punct('OrOr', '||', [BinaryOp]);
// The bitwise operators after the logical ones they start (`&&` before `&`).
export const Amp = punct('Amp', '&', [BinaryOp]);
export const Pipe = punct('Pipe', '|', [BinaryOp]);
export const Caret = punct('Caret', '^', [BinaryOp]);
export const Tilde = punct('Tilde', '~', [UnaryOp]);
export const Assign = punct('Assign', '=', [AssignOp]);
export const Lt = punct('Lt', '<', [BinaryOp]);
export const Gt = punct('Gt', '>', [BinaryOp]);
export const Plus = punct('Plus', '+', [BinaryOp]);
export const Minus = punct('Minus', '-', [BinaryOp, UnaryOp]);
export const Star = punct('Star', '*', [BinaryOp]);
export const Slash = punct('Slash', '/', [BinaryOp]);
export const Percent = punct('Percent', '%', [BinaryOp]);
export const At = punct('At', '@', [BinaryOp]);
export const Bang = punct('Bang', '!', [UnaryOp]);
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');
export const Comma = punct('Comma', ',');
export const Semicolon = punct('Semicolon', ';');
export const Colon = punct('Colon', ':');
export const Dot = punct('Dot', '.');

/** Every token type, in matching order (categories last: they match nothing themselves). */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Hole,
  NumberLit,
  InvalidNumber,
  ...KEYWORDS,
  Identifier,
  Arrow,
  PlusAssign,
  MinusAssign,
  StarAssign,
  SlashAssign,
  ShlAssign,
  ShrAssign,
  AmpAssign,
  PipeAssign,
  CaretAssign,
  EqEq,
  NotEq,
  Shl,
  Shr,
  Le,
  Ge,
  AndAnd,
  OrOr,
  Amp,
  Pipe,
  Caret,
  Tilde,
  Assign,
  Lt,
  Gt,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  At,
  Bang,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Semicolon,
  Colon,
  Dot,
  AssignOp,
  BinaryOp,
  UnaryOp,
];

// Built once: constructing a chevrotain lexer analyses every pattern.
const lexer = new Lexer([...ALL_TOKENS], { positionTracking: 'onlyOffset', ensureOptimizations: true });

export interface LexResult {
  readonly tokens: IToken[];
  readonly errors: readonly ILexingError[];
  /** `/*` comments that never close. */
  readonly unterminatedComments: readonly IToken[];
}

export function lex(text: string): LexResult {
  const r = lexer.tokenize(text);
  return { tokens: r.tokens, errors: r.errors, unterminatedComments: r.groups['errors'] ?? [] };
}
