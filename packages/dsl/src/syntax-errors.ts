/**
 * Lexer and parser errors → catalogue diagnostics. Chevrotain says what it expected and
 * what it found (see `SyntaxErrorInfo` in parser.ts); the wording and the location are
 * decided here:
 * - a token missing at the end of a line (typically `;`) is reported just after the
 *   previous token, where the user must type it, not at the start of the next line;
 * - a `}`/`)`/`]` missing at the end of input points at the bracket that is never closed.
 */
import { tokenName, type ILexingError, type IToken, type TokenType } from 'chevrotain';
import type { Span } from './ast.ts';
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { PARSE_CODES, type ParseCode } from './diagnostics/parse-codes.ts';
import { raise, type DiagnosticArg } from './diagnostics/raise.ts';
import { ALL_TOKENS, KEYWORDS } from './lexer.ts';
import { decodeSyntaxError, EOF, type SyntaxErrorInfo } from './parser.ts';
import { foreignCharacterHint, foreignTokenHint, isForeignSpellingHint } from './foreign-spellings.ts';
import type { LineIndex } from './positions.ts';

const LABELS: ReadonlyMap<string, string> = new Map(
  [...ALL_TOKENS, EOF].map((t: TokenType) => [tokenName(t), typeof t.LABEL === 'string' ? t.LABEL : tokenName(t)]),
);
const KEYWORD_NAMES: ReadonlySet<string> = new Set(KEYWORDS.map((k) => tokenName(k)));
/** Rules (parser.ts) in which "no alternative fits" means "an expression was expected". */
const EXPRESSION_RULES: ReadonlySet<string> = new Set(['expr', 'unaryExpr', 'postfixExpr', 'primary', 'arg', 'indexItem']);
const CLOSERS: ReadonlyMap<string, string> = new Map([
  ['RBrace', '{'],
  ['RParen', '('],
  ['RBracket', '['],
]);
const PAIRS: ReadonlyMap<string, string> = new Map([
  ['{', '}'],
  ['(', ')'],
  ['[', ']'],
]);

/** A character run the lexer could not read, quoted (control characters as U+XXXX). */
function quoteChars(s: string): string {
  const shown = s.length > 12 ? `${s.slice(0, 12)}…` : s;
  if (/^[\x21-\x7e\u00a0-\uffff]+$/u.test(shown)) return `'${shown}'`;
  return [...shown].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

export function lexDiagnostics(text: string, lines: LineIndex, errors: readonly ILexingError[], unterminated: readonly IToken[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let openQuote: { char: string; line: number } | undefined;
  for (const e of errors) {
    const chars = text.slice(e.offset, e.offset + e.length);
    const span = lines.span(e.offset, e.offset + e.length);
    // A quoted string ('-inf') is one mistake: its closing quote is not reported again.
    const quote = chars[0] === "'" || chars[0] === '"' ? chars[0] : undefined;
    if (quote !== undefined && openQuote?.char === quote && openQuote.line === span.start.line) {
      openQuote = undefined;
      continue;
    }
    openQuote = quote === undefined ? undefined : { char: quote, line: span.start.line };
    const d = raise(PARSE_CODES, 'TSR1005', span, quoteChars(chars));
    const hint = foreignCharacterHint(chars);
    out.push(hint === undefined ? d : { ...d, hint });
  }
  for (const t of unterminated) out.push(raise(PARSE_CODES, 'TSR1004', lines.span(t.startOffset, t.startOffset + 2)));
  return out;
}

interface ParserError {
  readonly message: string;
  readonly token: IToken;
  readonly context?: { readonly ruleStack: readonly string[] };
}

const isEof = (t: IToken): boolean => t.tokenType === EOF || !Number.isFinite(t.startOffset);

const BOUNDARIES: ReadonlySet<string> = new Set([';', '{', '}']);

export class SyntaxErrorMapper {
  /**
   * @param lexErrorOffsets where the lexer dropped characters: a parse error right after
   *   one is its consequence, not a second mistake.
   * @param unterminatedComment a `/*` swallowed the rest of the text, so whatever the
   *   parser misses at the end of input is that comment's fault.
   */
  constructor(
    private readonly lines: LineIndex,
    private readonly tokens: readonly IToken[],
    private readonly lexErrorOffsets: readonly number[] = [],
    private readonly unterminatedComment = false,
  ) {}

  /**
   * One diagnostic per real mistake. Chevrotain's recovery (inserting or skipping a token,
   * or re-syncing at the next statement) can report echoes of an error it has just
   * repaired; those are dropped:
   * - a second error at the same or the very next token;
   * - a second error before any `;`, `{` or `}` since the first (recovery had not yet
   *   found its footing), unless the first was a missing `;` (then the statement did end);
   * - an error at end of input after another error, when every bracket is closed;
   * - an error right after characters the lexer could not read.
   */
  map(errors: readonly ParserError[]): Diagnostic[] {
    const out: Diagnostic[] = [];
    let lastIndex = -2;
    let lastCode = '';
    let lastForeign = false;
    for (const e of errors) {
      const index = this.indexOf(e.token);
      if (out.length > 0) {
        if (index <= lastIndex + 1) continue;
        // After a Python spelling (`a if c else b`) the rest of the statement is the same mistake.
        if ((lastCode !== 'TSR1002' || lastForeign) && !this.boundaryBetween(lastIndex, index)) continue;
        if (isEof(e.token) && this.unclosed() === undefined) continue;
      }
      if (isEof(e.token) && this.unterminatedComment) continue;
      if (this.afterLexError(index)) continue;
      const d = this.withForeignHint(e.token, this.mapOne(e));
      out.push(d);
      lastIndex = index;
      lastCode = d.code;
      lastForeign = d.hint !== undefined && isForeignSpellingHint(d.hint);
    }
    return out;
  }

  /** A Python/Triton spelling at the error (`**`, `and`, `x if c else y`) gets a hint saying how to write it. */
  private withForeignHint(found: IToken, d: Diagnostic): Diagnostic {
    if (isEof(found)) return d;
    const prev = this.previous(found);
    const adjacent = prev !== undefined && prev.startOffset + prev.image.length === found.startOffset;
    const hint = foreignTokenHint(found.image, prev?.image, adjacent);
    return hint === undefined ? d : { ...d, hint };
  }

  private boundaryBetween(from: number, to: number): boolean {
    for (let i = Math.max(0, from); i < to && i < this.tokens.length; i++) {
      if (BOUNDARIES.has(this.tokens[i]?.image ?? '')) return true;
    }
    return false;
  }

  /** Whether the lexer dropped characters between token `index - 1` and token `index`. */
  private afterLexError(index: number): boolean {
    const prev = this.tokens[index - 1];
    const next = this.tokens[index];
    const from = prev === undefined ? 0 : prev.startOffset + prev.image.length;
    const to = next === undefined ? Infinity : next.startOffset;
    return this.lexErrorOffsets.some((o) => o >= from && o < to);
  }

  /** Index of `t` in the token stream; end of input is one past the last token. */
  private indexOf(t: IToken): number {
    if (isEof(t)) return this.tokens.length;
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.tokens[mid]?.startOffset ?? Infinity) < t.startOffset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private spanOf(t: IToken): Span {
    if (isEof(t)) return this.lines.span(this.lines.length, this.lines.length);
    return this.lines.span(t.startOffset, t.startOffset + t.image.length);
  }

  /** The last real token before `t` (or the last token when `t` is end of input). */
  private previous(t: IToken): IToken | undefined {
    return this.tokens[this.indexOf(t) - 1];
  }

  /** Where a missing token belongs: after the previous token if `found` is on a later line. */
  private missingAt(found: IToken): Span {
    const prev = this.previous(found);
    if (prev === undefined) return this.spanOf(found);
    const prevEnd = this.lines.pos(prev.startOffset + prev.image.length);
    if (isEof(found) || this.lines.pos(found.startOffset).line > prevEnd.line) return { start: prevEnd, end: prevEnd };
    return this.spanOf(found);
  }

  private describe(t: IToken): string {
    return isEof(t) ? 'end of input' : `'${t.image.length > 30 ? `${t.image.slice(0, 27)}...` : t.image}'`;
  }

  /**
   * The bracket left open at the end of input, if any. Brackets pair up innermost first,
   * so a missing `}` deep inside is "closed" by the next one out and the stack ends with
   * the function's `{`. Indentation says better where the block was left open: the first
   * `{` whose partner `}` starts a line less indented than the `{`'s own line is the one
   * whose `}` is missing.
   */
  private unclosed(): IToken | undefined {
    const stack: IToken[] = [];
    const indent = this.lineIndents();
    let suspect: IToken | undefined;
    for (const t of this.tokens) {
      if (PAIRS.has(t.image)) stack.push(t);
      else {
        const top = stack[stack.length - 1];
        if (top !== undefined && PAIRS.get(top.image) === t.image) {
          stack.pop();
          const closer = this.lines.pos(t.startOffset);
          const openerIndent = indent.get(this.lines.pos(top.startOffset).line) ?? 0;
          const startsLine = indent.get(closer.line) === closer.col;
          if (suspect === undefined && t.image === '}' && startsLine && closer.col < openerIndent) suspect = top;
        }
      }
    }
    const last = stack[stack.length - 1];
    return last === undefined ? undefined : suspect ?? last;
  }

  /** The column of the first token of each line. */
  private lineIndents(): Map<number, number> {
    const out = new Map<number, number>();
    for (const t of this.tokens) {
      const p = this.lines.pos(t.startOffset);
      if (!out.has(p.line)) out.set(p.line, p.col);
    }
    return out;
  }

  private diag(code: ParseCode, span: Span, ...args: DiagnosticArg[]): Diagnostic {
    return raise(PARSE_CODES, code, span, ...args);
  }

  private expectedList(info: SyntaxErrorInfo): string {
    const labels = [...new Set(info.expected.map((n) => LABELS.get(n) ?? n))];
    if (labels.length <= 1) return labels[0] ?? 'something else';
    return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1] ?? ''}`;
  }

  private mapOne(e: ParserError): Diagnostic {
    const found = e.token;
    const info = decodeSyntaxError(e.message);
    const foundText = this.describe(found);
    if (info === undefined) return this.diag('TSR1001', this.spanOf(found), 'something else', foundText);
    const prev = this.previous(found);
    const expected = info.expected[0];
    const ruleStack = e.context?.ruleStack ?? [];

    if (info.kind === 'redundant' || expected === 'EOF') return this.diag('TSR1007', this.spanOf(found), foundText);
    if (info.kind === 'noAlt') {
      if (info.rule === 'returnTypes') return this.diag('TSR1010', this.missingAt(found), foundText);
      if (info.rule === 'stmt') return this.diag('TSR1016', this.spanOf(found), foundText);
      if (EXPRESSION_RULES.has(info.rule)) {
        if (KEYWORD_NAMES.has(tokenName(found.tokenType)) && found.image !== 'true' && found.image !== 'false') {
          return this.diag('TSR1015', this.spanOf(found), `the keyword ${foundText}`);
        }
        return this.diag('TSR1015', this.missingAt(found), foundText);
      }
      return this.diag('TSR1001', this.missingAt(found), this.expectedList(info), foundText);
    }

    // A single expected token.
    if ((expected === 'RParen' || expected === 'RBracket') && found.image === ',' && prev?.image === ',') {
      return this.diag('TSR1015', this.spanOf(found), foundText);
    }
    if (expected === 'Semicolon') return this.diag('TSR1002', this.missingAt(found), foundText);
    if (expected === 'Identifier' && KEYWORD_NAMES.has(tokenName(found.tokenType))) {
      return this.diag('TSR1017', this.spanOf(found), found.image);
    }
    if (expected === 'Identifier' && info.rule === 'type' && prev?.image === '->') {
      return this.diag('TSR1010', this.missingAt(found), foundText);
    }
    if (expected === 'Assign' && info.rule === 'declStmt' && prev !== undefined && tokenName(prev.tokenType) === 'Identifier') {
      return this.diag('TSR1018', this.missingAt(found), prev.image);
    }
    if (expected === 'LBrace' && found.image === '=' && ruleStack.includes('ifStmt')) {
      return this.diag('TSR1019', this.spanOf(found));
    }
    if (
      expected === 'LBrace' &&
      info.rule === 'block' &&
      ruleStack[ruleStack.length - 2] === 'fn' &&
      prev?.image === ')' &&
      tokenName(found.tokenType) === 'Identifier'
    ) {
      return this.diag('TSR1011', this.spanOf(found), found.image);
    }
    const opener = expected === undefined ? undefined : CLOSERS.get(expected);
    if (opener !== undefined && isEof(found)) {
      const open = this.unclosed();
      if (open !== undefined) return this.diag('TSR1003', this.spanOf(open), open.image, PAIRS.get(open.image) ?? '', 'end of input');
    }
    if (expected === 'RBrace' && info.rule === 'block') {
      return this.diag('TSR1016', this.spanOf(found), foundText);
    }
    return this.diag('TSR1001', this.missingAt(found), this.expectedList(info), foundText);
  }
}
