/**
 * Parse errors: each case asserts the catalogue code, the exact line:col of the report
 * and the message. One mistake gives exactly one diagnostic (recovery echoes are dropped).
 */
import { describe, expect, test } from 'vitest';
import { parseKernelSource } from '../../packages/dsl/src/index.ts';
import { diags } from './helpers.ts';

const CASES: readonly (readonly [string, string, string])[] = [
  ['missing ; at end of line', 'fn add(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    let y = x[tn] + 1\n    out[tn] = y;\n  }\n  return out;\n}', 'TSR1002 4:22 expected \';\' after statement but found \'out\''],
  ['missing ; before } on the same line', 'fn f(x: f32) -> f32 { return x }', 'TSR1002 1:32 expected \';\' after statement but found \'}\''],
  ['missing ; at end of input', 'fn f(x: f32) -> f32 {\n  x += 1', 'TSR1002 2:9 expected \';\' after statement but found end of input'],
  ['unclosed { at end of input', 'fn f(x: f32) -> f32 {\n  for i in range(4) {\n    x += 1;\n}', 'TSR1003 2:21 unclosed \'{\': expected \'}\' before end of input'],
  ['unclosed { of an if inside a loop: the innermost block left open, by indentation', 'fn f(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    if N > 2 {\n      out[tn] = x[tn];\n  }\n  return out;\n}', 'TSR1003 4:14 unclosed \'{\': expected \'}\' before end of input'],
  ['unclosed (', 'fn f(x: f32', 'TSR1003 1:5 unclosed \'(\': expected \')\' before end of input'],
  ['unclosed [', 'fn f(x: f32[N]) {\n  let a = x[1', 'TSR1003 2:12 unclosed \'[\': expected \']\' before end of input'],
  ['unterminated block comment', 'fn f() {\n  /* never closed\n}', 'TSR1004 2:3 unterminated block comment'],
  ['invalid character', 'fn f() {\n  let a = 1 # 2;\n}', 'TSR1005 2:13 invalid character \'#\''],
  ['a $ that is not a hole', 'fn f() { let a = $x; }', 'TSR1005 1:18 invalid character \'$\''],
  ['number glued to a name', 'fn f() { let a = 12abc; }', 'TSR1006 1:18 invalid number literal \'12abc\''],
  ['hex number with a bad digit', 'fn f() { let a = 0x1G; }', 'TSR1006 1:18 invalid number literal \'0x1G\''],
  ['statement outside a fn', 'let x = 1;', 'TSR1007 1:1 unexpected \'let\' outside a fn'],
  ['junk after the fn', 'fn f() {\n}\n}', 'TSR1007 3:1 unexpected \'}\' outside a fn'],
  ['empty source', '', 'TSR1008 1:1 no fn found in the kernel source'],
  ['only comments', '// nothing here\n/* at all */', 'TSR1008 1:1 no fn found in the kernel source'],
  ['two fns', 'fn a() {}\nfn b() {}', 'TSR1009 2:4 a template holds one fn, but \'b\' follows \'a\''],
  ['-> without a type', 'fn f(x: f32) -> {\n}', 'TSR1010 1:17 expected a return type after \'->\' but found \'{\''],
  ['-> followed by a number', 'fn f(x: f32) -> 1 {}', 'TSR1010 1:17 expected a return type after \'->\' but found \'1\''],
  ['return type without ->', 'fn f(x: f32) f32 { return x; }', 'TSR1011 1:14 expected \'->\' before the return type \'f32\''],
  ['unknown dtype f64', 'fn f(x: f64[N]) {}', 'TSR1012 1:9 unknown dtype \'f64\''],
  ['unknown return dtype', 'fn f(x: f32) -> float { return x; }', 'TSR1012 1:17 unknown dtype \'float\''],
  ['float dimension', 'fn f(x: f32[2.5]) {}', 'TSR1013 1:13 invalid dimension \'2.5\' in a type'],
  ['expression dimension', 'fn f(x: f32[M + 1]) {}', 'TSR1013 1:13 invalid dimension \'M + 1\' in a type'],
  ['zero dimension', 'fn f(x: f32[0, N]) {}', 'TSR1013 1:13 invalid dimension \'0\' in a type'],
  ['iterator is a name', 'fn f() {\n  for i in M { }\n}', 'TSR1014 2:12 a for loop iterates over a call, but this is \'M\''],
  ['iterator is a list', 'fn f() { for (a, b) in [M, N] { } }', 'TSR1014 1:24 a for loop iterates over a call, but this is \'[M, N]\''],
  ['missing expression', 'fn f() { let x = ; }', 'TSR1015 1:18 expected an expression but found \';\''],
  ['two operators in a row', 'fn f(x: f32) -> f32 { return x +* 2; }', 'TSR1015 1:33 expected an expression but found \'*\''],
  ['empty argument', 'fn f() { g(1, , 2); }', 'TSR1015 1:15 expected an expression but found \',\''],
  ['stray ) in a block', 'fn f() { ) }', 'TSR1016 1:10 expected a statement or \'}\' but found \')\''],
  ['keyword as a name', 'fn f() { let for = 1; }', 'TSR1017 1:14 \'for\' is a keyword and cannot be used as a name'],
  ['declaration without a value', 'fn f() {\n  let y;\n}', 'TSR1018 2:8 variable \'y\' needs an initial value'],
  ['= in an if condition', 'fn f(x: i32) { if x = 1 { } }', 'TSR1019 1:21 expected \'{\' after the if condition but found \'=\''],
  ['integer too large', 'fn f() { let x = 4294967296; }', 'TSR1020 1:18 integer literal \'4294967296\' is too large'],
  ['assignment to an expression', 'fn f() { a + b = 3; }', 'TSR1021 1:10 cannot assign to \'a + b\''],
  ['assignment to a call', 'fn f() { g(x) = 1; }', 'TSR1021 1:10 cannot assign to \'g(x)\''],
  ['calling a member', 'fn f(x: f32[N]) { let s = x.sum(1); }', 'TSR1022 1:27 \'x.sum\' cannot be called'],
  ['positional after keyword', 'fn f() { let s = sum(x, axis=1, 2); }', 'TSR1023 1:33 positional argument after keyword argument \'axis\''],
  ['keyword given twice', 'fn f() { let s = sum(x, axis=1, axis=0); }', 'TSR1024 1:33 keyword argument \'axis\' is given twice'],
  ['missing :', 'fn f(x f32) {}', 'TSR1001 1:8 expected \':\' but found \'f32\''],
  ['missing in', 'fn f() { for i tile(M) { } }', 'TSR1001 1:16 expected \'in\' but found \'tile\''],
  ['missing fn name', 'fn (x: f32) {}', 'TSR1001 1:4 expected a name but found \'(\''],
  ['wrong closing bracket', 'fn f() { let a = x[1, 2); }', 'TSR1001 1:24 expected \']\' but found \')\''],
  ['missing block after if', 'fn f() { if x > 0 return 1; }', 'TSR1001 1:19 expected \'{\' but found \'return\''],
  ['missing ( in fn', 'fn f x: f32) {}', 'TSR1001 1:6 expected \'(\' but found \'x\''],
];

describe('one error per mistake', () => {
  test.each(CASES)('%s', (_name, src, expected) => {
    const r = parseKernelSource(src);
    expect(diags(r.diagnostics)).toEqual([expected]);
    expect(r.ast).toBeUndefined();
    const d = r.diagnostics[0];
    expect(d?.severity).toBe('error');
    expect(d?.hint).toBeTruthy();
    expect(d?.span.end.offset).toBeLessThanOrEqual(src.length);
  });

  test('the cases cover most of the catalogue', () => {
    const codes = new Set(CASES.map(([, , d]) => d.split(' ')[0]));
    expect(codes.size).toBeGreaterThanOrEqual(24);
  });
});

describe('hints are filled from the catalogue', () => {
  test('unknown dtype lists the valid ones', () => {
    const [d] = parseKernelSource('fn f(x: f64[N]) {}').diagnostics;
    expect(d?.hint).toBe('valid dtypes are f32, f16, i32, u32, bool');
    expect(d?.span.end.col).toBe(12);
  });

  test('a missing -> shows the fix', () => {
    const [d] = parseKernelSource('fn f(x: f32) f32[N] { return x; }').diagnostics;
    expect(d?.hint).toBe('write `) -> f32`');
  });

  test('a declaration without a value suggests one', () => {
    const [d] = parseKernelSource('fn f() { var acc; }').diagnostics;
    expect(d?.hint).toBe('write `let acc = …;` (for an accumulator: `var acc = zeros([tm, tn], f32);`)');
  });
});

describe('several errors at once', () => {
  test('two missing semicolons on different lines', () => {
    const r = parseKernelSource('fn f(x: f32) -> f32 {\n  let a = 1\n  let b = 2\n  return a + b;\n}');
    expect(diags(r.diagnostics)).toEqual([
      "TSR1002 2:12 expected ';' after statement but found 'let'",
      "TSR1002 3:12 expected ';' after statement but found 'return'",
    ]);
  });

  test('lexer, parser and tree errors together, in source order', () => {
    const src = [
      'fn f(x: f64[N], y: f32[0]) -> f32[N] {',
      '  let a = 1 # 2;',
      '  let b = 12abc;',
      '  for i in N { }',
      '  let c = x[1',
      '  return c;',
      '}',
    ].join('\n');
    expect(diags(parseKernelSource(src).diagnostics)).toEqual([
      "TSR1012 1:9 unknown dtype 'f64'",
      "TSR1013 1:24 invalid dimension '0' in a type",
      "TSR1005 2:13 invalid character '#'",
      "TSR1006 3:11 invalid number literal '12abc'",
      "TSR1014 4:12 a for loop iterates over a call, but this is 'N'",
      "TSR1001 5:14 expected ']' but found 'return'",
    ]);
  });

  test('errors in separate statements are all reported', () => {
    const src = 'fn f() {\n  let for = 1;\n  let y;\n  if y = 2 { }\n  g(1, , 2);\n}';
    expect(diags(parseKernelSource(src).diagnostics)).toEqual([
      "TSR1017 2:7 'for' is a keyword and cannot be used as a name",
      "TSR1018 3:8 variable 'y' needs an initial value",
      "TSR1019 4:8 expected '{' after the if condition but found '='",
      "TSR1015 5:8 expected an expression but found ','",
    ]);
  });
});

describe('robustness', () => {
  test('the shared parser carries no state from one parse to the next', () => {
    expect(parseKernelSource('fn f( {').diagnostics.length).toBeGreaterThan(0);
    const r = parseKernelSource('fn f() { return; }');
    expect(r.diagnostics).toEqual([]);
    expect(r.ast?.name).toBe('f');
  });

  test('a bug inside the parser becomes TSR9000, without a stack in the message', () => {
    const exploding = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    const r = parseKernelSource('fn f() { let a = ${0}; }', [exploding as unknown as number]);
    expect(r.ast).toBeUndefined();
    expect(diags(r.diagnostics)).toEqual(['TSR9000 1:1 internal compiler error while parsing the kernel: boom']);
    expect(r.diagnostics[0]?.message).not.toMatch(/\bat\b|\.ts:/);
  });

  test('the fn name is known even when the body has errors', () => {
    expect(parseKernelSource('fn broken(x: f32) { let = ; }').name).toBe('broken');
  });
});
