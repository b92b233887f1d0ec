/**
 * Reading chevrotain's CST, for cst-to-ast only. A node that error recovery left
 * incomplete is missing children; asking for one throws `Incomplete`, which the
 * converter catches at the statement (or fn) that contains it and drops that part.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { PARSE_CODES, type ParseCode } from './diagnostics/parse-codes.ts';
import { raise, type DiagnosticArg } from './diagnostics/raise.ts';
import type { Span } from './ast.ts';
import type { HoleValue } from './defs.ts';
import type { LineIndex } from './positions.ts';

/** Thrown when a CST node lacks a child the grammar requires (parse error recovery). */
export class Incomplete extends Error {
  constructor(what: string) {
    super(`incomplete CST: ${what}`);
  }
}

export function isToken(e: CstElement): e is IToken {
  return 'image' in e;
}

/** A real token: one error recovery inserted has no position and does not count. */
function isRealToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && isToken(e) && e.isInsertedInRecovery !== true && Number.isFinite(e.startOffset);
}

export function child(n: CstNode, key: string, i = 0): CstNode {
  const e = n.children[key]?.[i];
  if (e === undefined || isToken(e)) throw new Incomplete(`${n.name}.${key}`);
  return e;
}

export function children(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

export function tok(n: CstNode, key: string, i = 0): IToken {
  const e = n.children[key]?.[i];
  if (!isRealToken(e)) throw new Incomplete(`${n.name}.${key}`);
  return e;
}

export function optTok(n: CstNode, key: string, i = 0): IToken | undefined {
  const e = n.children[key]?.[i];
  return isRealToken(e) ? e : undefined;
}

export function toks(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? []).filter(isRealToken);
}

export function has(n: CstNode, key: string): boolean {
  return (n.children[key]?.length ?? 0) > 0;
}

/** What every conversion step shares: the text, positions, hole values, diagnostics. */
export class ConvertContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Holes referenced by the text (holes inside comments are not). */
  readonly usedHoles = new Set<number>();

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
    readonly holes: readonly HoleValue[],
  ) {}

  span(t: IToken): Span {
    return this.lines.span(t.startOffset, t.startOffset + t.image.length);
  }

  /** The source text under a span, quoted and shortened for a message. */
  quote(span: Span): string {
    const s = this.text.slice(span.start.offset, span.end.offset).replace(/\s+/g, ' ');
    return `'${s.length > 40 ? `${s.slice(0, 37)}...` : s}'`;
  }

  report(code: ParseCode, span: Span, ...args: DiagnosticArg[]): void {
    this.diagnostics.push(raise(PARSE_CODES, code, span, ...args));
  }

  /** `report` with a hint of its own instead of the catalogue's (not shortened like an argument). */
  reportWithHint(code: ParseCode, span: Span, hint: string, ...args: DiagnosticArg[]): void {
    this.diagnostics.push({ ...raise(PARSE_CODES, code, span, ...args), hint });
  }
}
