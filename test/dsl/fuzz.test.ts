/**
 * Property: whatever the text, parseKernelSource never throws and returns either an AST
 * (and no errors) or at least one error, every diagnostic pointing inside the text with
 * consistent line/column. Inputs: random strings, and valid kernels mutated by deleting,
 * inserting or replacing characters or whole tokens. About 1 s on an idle 2-core machine;
 * the generous timeouts are for a loaded one.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseKernelSource, type Diagnostic, type HoleValue, type Pos } from '../../packages/dsl/src/index.ts';
import { MATMUL, RELU, SOFTMAX, STATS } from './kernels.ts';

const relu = parseKernelSource(RELU);
const HOLES: HoleValue[] = [
  { kind: 'func', name: 'relu', source: relu.source, ast: relu.ast, diagnostics: relu.diagnostics, holes: [] },
  2.5,
  true,
];

/** Line and column recomputed from the offset, independently of the parser. */
function expectedPos(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function checkPos(text: string, p: Pos): void {
  expect(p.offset).toBeGreaterThanOrEqual(0);
  expect(p.offset).toBeLessThanOrEqual(text.length);
  expect({ line: p.line, col: p.col }).toEqual(expectedPos(text, p.offset));
}

function checkResult(text: string): void {
  const r = parseKernelSource(text, HOLES);
  const errors = r.diagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (r.ast === undefined) expect(errors.length).toBeGreaterThan(0);
  else expect(errors).toEqual([]);
  for (const d of r.diagnostics) {
    checkPos(text, d.span.start);
    checkPos(text, d.span.end);
    expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
    expect(d.code).toMatch(/^TSR1\d{3}$/); // never TSR9000: no internal errors on any input
    expect(d.message).not.toMatch(/\n|(?<!\$)\{\d+\}/); // one line, every placeholder filled
  }
}

const VALID = [MATMUL, SOFTMAX, STATS, RELU];
const SNIPPETS = ['fn', 'let', 'var', 'for', 'in', 'if', 'else', 'return', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '->',
  '=', '+=', '==', '<', '@', '-', '!', '*', '/', '%', '&&', '||', 'x', 'f32', 'tile', '1', '1.5', '.5', '1e3', '${0}', '${1}',
  '${2}', '${9}', '$', '#', '/*', '*/', '//', '\n', ' ', '"', '\\', '`', 'é', '\u0000'];

/** A valid kernel's text, split into tokens and the space between them. */
function pieces(text: string): string[] {
  return text.match(/\s+|\$\{\d+\}|[A-Za-z_]\w*|\d+(?:\.\d*)?(?:e[+-]?\d+)?|->|[+\-*/=!<>]=|&&|\|\||\/\/[^\n]*|\/\*[\s\S]*?\*\/|./g) ?? [];
}

const charEdit = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 3 })),
});

const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.array(charEdit, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([base, edits, byToken]) => {
    let parts = byToken ? pieces(base) : [...base];
    for (const e of edits) {
      const i = parts.length === 0 ? 0 : e.at % parts.length;
      if (e.kind === 'delete') parts = [...parts.slice(0, i), ...parts.slice(i + 1)];
      else if (e.kind === 'insert') parts = [...parts.slice(0, i), e.text, ...parts.slice(i)];
      else parts = [...parts.slice(0, i), e.text, ...parts.slice(i + 1)];
    }
    return parts.join('');
  });

describe('parseKernelSource on any input', () => {
  test('random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), checkResult), { numRuns: 200 });
  }, 20_000);

  test('random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SNIPPETS), { maxLength: 40 }), (toks) => checkResult(toks.join(' '))),
      { numRuns: 200 },
    );
  }, 20_000);

  test('mutated valid kernels', () => {
    fc.assert(fc.property(mutated, checkResult), { numRuns: 400 });
  }, 20_000);

  test('the unmutated kernels parse cleanly', () => {
    for (const text of VALID) {
      const r = parseKernelSource(text, HOLES.slice(0, 1));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
});
