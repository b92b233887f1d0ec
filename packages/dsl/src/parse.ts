/**
 * The front end's entry: kernel text + hole values → AST + diagnostics. Never throws:
 * every problem, including a bug in Tessera, comes back as a diagnostic.
 */
import type { FnDecl } from './ast.ts';
import { ConvertContext } from './cst.ts';
import { convertProgram } from './cst-to-ast.ts';
import type { HoleValue, KernelDef, KernelSource } from './defs.ts';
import type { Diagnostic, SourceOrigin } from './diagnostics/diagnostic.ts';
import { PARSE_CODES } from './diagnostics/parse-codes.ts';
import { raise } from './diagnostics/raise.ts';
import { holeLabel } from './holes.ts';
import { lex } from './lexer.ts';
import { firstTooDeepNode, firstTooDeepToken, MAX_AST_DEPTH, MAX_TOKEN_NESTING } from './depth.ts';
import { parseTokens } from './parser.ts';
import { LineIndex } from './positions.ts';
import { lexDiagnostics, SyntaxErrorMapper } from './syntax-errors.ts';

export interface ParseResult {
  readonly source: KernelSource;
  /** The fn; `undefined` whenever `diagnostics` holds an error. */
  readonly ast: FnDecl | undefined;
  /** The fn's name when one could be read, even from a source with errors. */
  readonly name: string | undefined;
  /** Errors and warnings, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses kernel source in which hole `i` is written `${i}` (what the tags render), with
 * the hole values by index. For tools that hold kernel text without a tag call (CLI,
 * playground). Extra hole values that the text never references get a warning.
 */
export function parseKernelSource(text: string, holes: readonly HoleValue[] = [], origin?: SourceOrigin): ParseResult {
  const source: KernelSource = { text, origin };
  const lines = new LineIndex(text);
  try {
    const lexed = lex(text);
    const diagnostics = lexDiagnostics(text, lines, lexed.errors, lexed.unterminatedComments);
    const deepToken = firstTooDeepToken(lexed.tokens);
    if (deepToken !== undefined) {
      // Too deep to parse safely: this is the one thing to fix first.
      const t = deepToken.token;
      diagnostics.push(raise(PARSE_CODES, 'TSR1037', lines.span(t.startOffset, (t.endOffset ?? t.startOffset) + 1), `more than ${MAX_TOKEN_NESTING} brackets and prefix operators`));
      return { source, ast: undefined, name: undefined, diagnostics: capDiagnostics(diagnostics) };
    }
    const parsed = parseTokens(lexed.tokens);
    diagnostics.push(...new SyntaxErrorMapper(
      lines,
      lexed.tokens,
      lexed.errors.map((e) => e.offset),
      lexed.unterminatedComments.length > 0,
    ).map(parsed.errors));
    const ctx = new ConvertContext(text, lines, holes);
    const program = convertProgram(ctx, parsed.cst);
    diagnostics.push(...ctx.diagnostics);
    const deepNode = program.fn === undefined ? undefined : firstTooDeepNode(program.fn);
    if (deepNode !== undefined) diagnostics.push(raise(PARSE_CODES, 'TSR1037', deepNode, `more than ${MAX_AST_DEPTH} levels of statements and operators`));
    if (lexed.tokens.length === 0 && diagnostics.length === 0) {
      diagnostics.push(raise(PARSE_CODES, 'TSR1008', lines.span(0, 0)));
    }
    for (let i = 0; i < holes.length; i++) {
      if (ctx.usedHoles.has(i)) continue;
      const at = text.indexOf(holeLabel(i));
      diagnostics.push(raise(PARSE_CODES, 'TSR1035', at < 0 ? lines.span(0, 0) : lines.span(at, at + holeLabel(i).length), holeLabel(i)));
    }
    if (program.fn === undefined && !diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push(raise(PARSE_CODES, 'TSR9000', lines.span(0, 0), 'parsing the kernel', 'no AST and no error'));
    }
    diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
    const hasError = diagnostics.some((d) => d.severity === 'error');
    return { source, ast: hasError ? undefined : program.fn, name: program.name, diagnostics: capDiagnostics(diagnostics) };
  } catch (e) {
    // A bug in Tessera: report it, but keep the stack out of the message.
    const detail = e instanceof Error ? e.message : String(e);
    const d = raise(PARSE_CODES, 'TSR9000', lines.span(0, 0), 'parsing the kernel', detail);
    return { source, ast: undefined, name: undefined, diagnostics: [d] };
  }
}

/** Diagnostics kept per kernel: a pasted blob gives thousands, and the first ones say what is wrong. */
const MAX_DIAGNOSTICS = 1000;

function capDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.length > MAX_DIAGNOSTICS ? list.slice(0, MAX_DIAGNOSTICS) : list;
}

/** A KernelDef from source text (see `parseKernelSource`), as the `kernel` tag makes. */
export function kernelFromSource(text: string, holes: readonly HoleValue[] = [], origin?: SourceOrigin): KernelDef {
  const r = parseKernelSource(text, holes, origin);
  return Object.freeze({
    kind: 'kernel',
    name: r.name ?? '<anonymous>',
    source: r.source,
    ast: r.ast,
    diagnostics: r.diagnostics,
    holes: Object.freeze([...holes]),
  });
}
