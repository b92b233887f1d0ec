/**
 * Nesting limits of the front end. The parser, the AST conversion and the checker recurse
 * over the kernel's structure; a pasted blob of 10,000 parentheses or a sum of 2,000 terms
 * would overflow the JavaScript stack. Past these limits the kernel gets one typed
 * diagnostic at the first too-deep place (TSR1037) instead. Real kernels are far below
 * them; the WGSL emitter keeps its own output under Tint's limits (wgsl/values.ts).
 */
import type { IToken } from 'chevrotain';
import type { FnDecl, Span } from './ast.ts';

/** Open brackets plus a run of prefix operators, counted on tokens before parsing. */
export const MAX_TOKEN_NESTING = 200;
/** Depth of the AST (statements and expressions), counted after conversion. */
export const MAX_AST_DEPTH = 256;

const OPEN = new Set(['LParen', 'LBracket', 'LBrace']);
const CLOSE = new Set(['RParen', 'RBracket', 'RBrace']);
const PREFIX = new Set(['Minus', 'Bang', 'Tilde']);

/** The first token nested deeper than MAX_TOKEN_NESTING, with its depth. */
export function firstTooDeepToken(tokens: readonly IToken[]): { readonly token: IToken; readonly depth: number } | undefined {
  let brackets = 0;
  let prefixRun = 0;
  let previous: IToken | undefined;
  for (const t of tokens) {
    const name = t.tokenType.name;
    // A '-' right after an operator or an opening bracket is a prefix minus.
    const prevName = previous?.tokenType.name ?? 'LParen';
    const afterOperand = prevName === 'Identifier' || prevName === 'NumberLit' || prevName === 'Hole' || CLOSE.has(prevName) || prevName === 'True' || prevName === 'False';
    if (PREFIX.has(name) && !afterOperand) prefixRun++;
    else if (name !== 'LParen') prefixRun = 0;
    if (OPEN.has(name)) brackets++;
    if (CLOSE.has(name)) brackets = Math.max(0, brackets - 1);
    if (brackets + prefixRun > MAX_TOKEN_NESTING) return { token: t, depth: brackets + prefixRun };
    previous = t;
  }
  return undefined;
}

/** The span of the first AST node (in source order) deeper than MAX_AST_DEPTH. */
export function firstTooDeepNode(fn: FnDecl): Span | undefined {
  // Iterative: the point is to survive trees too deep for recursion.
  const stack: { node: unknown; depth: number }[] = [{ node: fn, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const { node, depth } = top;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], depth });
      continue;
    }
    const isNode = 'kind' in node && 'span' in node;
    if (isNode && depth > MAX_AST_DEPTH) return (node as { span: Span }).span;
    const children = Object.entries(node).filter(([k]) => k !== 'span' && k !== 'nameSpan').map(([, v]) => v).reverse();
    for (const c of children) stack.push({ node: c, depth: isNode ? depth + 1 : depth });
  }
  return undefined;
}
