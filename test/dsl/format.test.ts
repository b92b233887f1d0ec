/** Formatting diagnostics, file locations of templates, and the error later stages throw. */
import { describe, expect, test } from 'vitest';
import {
  assertNoErrors,
  captureOrigin,
  formatDiagnostic,
  formatDiagnostics,
  func,
  kernel,
  kernelFromSource,
  KernelSyntaxError,
  locateInFile,
  parseKernelSource,
  raise,
  createRaiser,
  TesseraError,
  type CatalogueEntry,
} from '../../packages/dsl/src/index.ts';

const ADD = `fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    let y = x[tn] + 1
    out[tn] = y;
  }
  return out;
}`;

describe('formatDiagnostic', () => {
  test('rustc-style: message, location, line, caret, hint', () => {
    const r = parseKernelSource(ADD);
    const [d] = r.diagnostics;
    if (d === undefined) throw new Error('expected a diagnostic');
    expect(formatDiagnostic(d, r.source)).toBe(
      [
        "error[TSR1002]: expected ';' after statement but found 'out'",
        '  --> kernel:4:22',
        '   |',
        ' 4 |     let y = x[tn] + 1',
        '   |                      ^',
        "   = hint: end each statement with ';'",
      ].join('\n'),
    );
  });

  test('with the template position in the user file', () => {
    const r = parseKernelSource(ADD, [], { file: 'examples/add.ts', line: 6, col: 30 });
    const [d] = r.diagnostics;
    if (d === undefined) throw new Error('expected a diagnostic');
    expect(formatDiagnostic(d, r.source)).toMatchInlineSnapshot(`
      "error[TSR1002]: expected ';' after statement but found 'out'
        --> kernel:4:22 (at examples/add.ts:9:22)
         |
       4 |     let y = x[tn] + 1
         |                      ^
         = hint: end each statement with ';'"
    `);
  });

  test('multi-character spans are underlined in full; two-digit line numbers widen the gutter', () => {
    const src = `${'\n'.repeat(11)}fn f(x: f64[N]) {}`;
    const r = parseKernelSource(src);
    expect(formatDiagnostics(r.diagnostics, r.source, { label: 'func' })).toMatchInlineSnapshot(`
      "error[TSR1012]: unknown dtype 'f64'
         --> func:12:9
          |
       12 | fn f(x: f64[N]) {}
          |         ^^^
          = hint: valid dtypes are f32, f16, i32, u32, bool"
    `);
  });

  test('tabs in the source line keep the caret aligned', () => {
    const r = parseKernelSource('fn f() {\n\tlet a = 12abc;\n}');
    const [d] = r.diagnostics;
    if (d === undefined) throw new Error('expected a diagnostic');
    expect(formatDiagnostic(d, r.source).split('\n').slice(3, 5)).toEqual([' 2 | \tlet a = 12abc;', '   | \t        ^^^^^']);
  });

  test('at end of input the caret follows the last token', () => {
    const r = parseKernelSource('fn f() {\n  let a = 1');
    expect(formatDiagnostics(r.diagnostics, r.source)).toMatchInlineSnapshot(`
      "error[TSR1002]: expected ';' after statement but found end of input
        --> kernel:2:12
         |
       2 |   let a = 1
         |            ^
         = hint: end each statement with ';'"
    `);
  });

  test('several diagnostics are separated by a blank line', () => {
    const r = parseKernelSource('fn f(x: f64) {\n  let a = 1\n  let b = 2;\n}');
    const text = formatDiagnostics(r.diagnostics, r.source);
    expect(text.split('\n\n')).toHaveLength(2);
    expect(text).toContain('error[TSR1012]');
    expect(text).toContain('error[TSR1002]');
  });

  test('a plain string works as the source', () => {
    const span = { start: { offset: 3, line: 1, col: 4 }, end: { offset: 4, line: 1, col: 5 } };
    const d = raise({ X1: { severity: 'warning', message: 'look at {0}', hint: 'or not' } }, 'X1', span, 'f');
    expect(formatDiagnostic(d, 'fn f() {}')).toBe(
      ['warning[X1]: look at f', '  --> kernel:1:4', '   |', ' 1 | fn f() {}', '   |    ^', '   = hint: or not'].join('\n'),
    );
  });
});

describe('locations in the user file', () => {
  const origin = { file: 'k.ts', line: 10, col: 20 };

  test('the first template line starts after the backtick; later lines at column 1', () => {
    const text = 'fn f() {\n  let a = 1;\n}';
    const r = kernelFromSource(text);
    expect(r.ast).toBeDefined();
    expect(locateInFile(text, origin, { offset: 3, line: 1, col: 4 })).toEqual({ file: 'k.ts', line: 10, col: 23 });
    expect(locateInFile(text, origin, { offset: 13, line: 2, col: 5 })).toEqual({ file: 'k.ts', line: 11, col: 5 });
  });

  test('after a hole on the same line the column is unknown, and the output says "near"', () => {
    const text = 'fn f() {\n  let a = ${0} + 12abc;\n}';
    expect(locateInFile(text, origin, { offset: 24, line: 2, col: 16 })).toEqual({ file: 'k.ts', line: 11, col: undefined });
    const r = parseKernelSource(text, [1], origin);
    expect(formatDiagnostics(r.diagnostics, r.source).split('\n')[1]).toBe('  --> kernel:2:18 (near k.ts:11)');
  });

  test('the tags find their call site', () => {
    // The kernel text starts right after the backtick on the next line of this file.
    const k = kernel`fn f() { let a = 12abc; }`; const line = new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1];
    expect(k.source.origin?.file).toBe('test/dsl/format.test.ts');
    expect(k.source.origin?.line).toBe(Number(line));
    expect(k.source.origin?.col).toBe(22);
    expect(formatDiagnostics(k.diagnostics, k.source)).toContain(`(at test/dsl/format.test.ts:${line}:39)`);
    const f = func`fn g() {}`;
    expect(f.source.origin?.file).toBe('test/dsl/format.test.ts');
  });

  test('captureOrigin reads V8, Firefox and Safari stacks and never throws', () => {
    expect(captureOrigin('Error\n    at kernel (/x/y.ts:1:2)\n    at run (file:///home/u/a%20b/m.ts:14:7)')).toEqual({
      file: '/x/y.ts',
      line: 1,
      col: 3,
    });
    expect(captureOrigin('kernel@http://localhost:5173/src/k.ts?t=1:3:9')).toEqual({ file: 'http://localhost:5173/src/k.ts', line: 3, col: 10 });
    expect(captureOrigin('Error\n    at file:///home/u/a%20b/m.ts:14:7')).toEqual({ file: '/home/u/a b/m.ts', line: 14, col: 8 });
    expect(captureOrigin('Error\n    at node:internal/x:1:1\n    at new Promise (<anonymous>)')).toBeUndefined();
    expect(captureOrigin('garbage')).toBeUndefined();
  });
});

describe('KernelSyntaxError and assertNoErrors', () => {
  test('the error carries every error diagnostic, formatted, and the first code', () => {
    const def = kernelFromSource('fn f(x: f64) {\n  let a = 1\n  let b = 2;\n}', [], { file: 'examples/f.ts', line: 3, col: 20 });
    let caught: unknown;
    try {
      assertNoErrors(def);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(KernelSyntaxError);
    expect(caught).toBeInstanceOf(TesseraError);
    const err = caught as KernelSyntaxError;
    expect(err.code).toBe('TSR1012');
    expect(err.hint).toBe('valid dtypes are f32, f16, i32, u32, bool');
    expect(err.diagnostics.map((d) => d.code)).toEqual(['TSR1012', 'TSR1002']);
    expect(err.message).toBe(formatDiagnostics(def.diagnostics, def.source));
    expect(err.message).toContain('--> kernel:1:9 (at examples/f.ts:3:28)');
    // Compiler internals never leak into the message.
    expect(err.message).not.toMatch(/packages\/dsl|node_modules|\bat \w+ \(/);
  });

  test('warnings do not throw, and the AST is narrowed afterwards', () => {
    const def = kernelFromSource('fn f() { }', [1]);
    expect(def.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    assertNoErrors(def);
    expect(def.ast.name).toBe('f');
  });

  test('funcs too', () => {
    const bad = func`fn g( {`;
    expect(() => assertNoErrors(bad)).toThrowError(/error\[TSR1001\]: expected [^\n]+\n\s+--> func:1:/);
  });
});

describe('raise from any catalogue', () => {
  const TABLE = {
    TSR2999: { severity: 'error', message: "'{0}' has {1} dims", hint: 'reshape {0}' },
    TSR2998: { severity: 'warning', message: 'plain' },
  } as const satisfies Record<string, CatalogueEntry>;
  const span = { start: { offset: 0, line: 1, col: 1 }, end: { offset: 1, line: 1, col: 2 } };

  test('fills the templates', () => {
    expect(raise(TABLE, 'TSR2999', span, 'x', 2)).toEqual({ code: 'TSR2999', severity: 'error', message: "'x' has 2 dims", hint: 'reshape x', span });
    const raiseCheck = createRaiser(TABLE);
    expect(raiseCheck('TSR2998', span)).toEqual({ code: 'TSR2998', severity: 'warning', message: 'plain', hint: undefined, span });
  });
});
