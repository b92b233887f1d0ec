/** Every construct of the grammar, one at a time, as compact S-expressions. */
import { describe, expect, test } from 'vitest';
import { parseKernelSource, type FnDecl } from '../../packages/dsl/src/index.ts';
import { at, diags, fnSig, sexpr, stmt } from './helpers.ts';

function fn(text: string): FnDecl {
  const r = parseKernelSource(text);
  expect(diags(r.diagnostics)).toEqual([]);
  if (r.ast === undefined) throw new Error('no AST');
  return r.ast;
}

/** The statements of `fn t() { <body> }`. */
function body(src: string): string[] {
  return fn(`fn t() { ${src} }`).body.stmts.map(stmt);
}

/** One expression, from `fn t() { let v = <src>; }`. */
function expr(src: string): string {
  const s = fn(`fn t() { let v = ${src}; }`).body.stmts[0];
  if (s?.kind !== 'decl') throw new Error('expected a declaration');
  return sexpr(s.init);
}

describe('fn signatures', () => {
  test.each([
    ['fn f() {}', 'fn f() -> ()'],
    ['fn f(x: f32) {}', 'fn f(x: f32) -> ()'],
    ['fn f(x: f32,) -> f32 {}', 'fn f(x: f32) -> (f32)'],
    ['fn f(a: f16[M], b: i32[4, N], c: u32, d: bool) -> u32[M] {}', 'fn f(a: f16[M], b: i32[4, N], c: u32, d: bool) -> (u32[M])'],
    ['fn f(x: f32[N]) -> (f32[1], i32[1]) {}', 'fn f(x: f32[N]) -> (f32[1], i32[1])'],
    ['fn f(x: f32[N]) -> (f32[1],) {}', 'fn f(x: f32[N]) -> (f32[1])'],
    ['fn f(x: f32[M, N,]) {}', 'fn f(x: f32[M, N]) -> ()'],
  ])('%s', (src, sig) => {
    expect(fnSig(fn(src))).toBe(sig);
  });

  test('spans of params and types', () => {
    const f = fn('fn f(a: f16[M], c: u32) -> u32[M] {}');
    expect(f.params.map((p) => [at(p.span), at(p.type.span)])).toEqual([
      ['1:6-1:15', '1:9-1:15'],
      ['1:17-1:23', '1:20-1:23'],
    ]);
    const dims = f.params[0]?.type.dims ?? [];
    expect(dims).toEqual([{ kind: 'symDim', name: 'M', span: dims[0]?.span }]);
    expect(at(f.results[0]?.span ?? f.span)).toBe('1:28-1:34');
  });

  test('a number hole is a fixed dimension', () => {
    const r = parseKernelSource('fn f(x: f32[${0}]) {}', [8]);
    expect(r.ast?.params[0]?.type.dims?.[0]).toMatchObject({ kind: 'constDim', value: 8 });
  });
});

describe('statements', () => {
  test.each([
    ['let x = 1;', '(let x 1)'],
    ['var acc = 0.0;', '(var acc 0f)'],
    ['x = 1;', '(= x 1)'],
    ['x += 1;', '(+= x 1)'],
    ['x -= 1;', '(-= x 1)'],
    ['x *= 2;', '(*= x 2)'],
    ['x /= 2;', '(/= x 2)'],
    ['out[tm, :] = y;', '(= (index out tm :) y)'],
    ['f(x);', '(expr (call f x))'],
    ['return;', '(return)'],
    ['return x;', '(return x)'],
    ['return (a, b);', '(return (tuple a b))'],
    ['{ let y = 2; }', '{ (let y 2) }'],
    ['{ }', '{  }'],
    ['for i in range(K) { }', '(for (i) (call range K) {  })'],
    ['for i in range(0, K) { s += i; }', '(for (i) (call range 0 K) { (+= s i) })'],
    ['for tm in tile(M) { }', '(for (tm) (call tile M) {  })'],
    ['for (tm, tn) in tile([M, N], block=64) { }', '(for (tm tn) (call tile [M N] block=64) {  })'],
    ['for (tm, tn,) in tile([M, N]) { }', '(for (tm tn) (call tile [M N]) {  })'],
    ['if x > 0 { y = 1; }', '(if (> x 0) { (= y 1) })'],
    ['if (x > 0) { }', '(if (> x 0) {  })'],
    ['if a { } else { b = 1; }', '(if a {  } else { (= b 1) })'],
    ['if a { } else if b { } else { }', '(if a {  } else (if b {  } else {  }))'],
  ])('%s', (src, expected) => {
    expect(body(src)).toEqual([expected]);
  });

  test('statement spans run from the first token to the ; or }', () => {
    const f = fn('fn t() {\n  let x = 1;\n  x += 2 ;\n  if x { } else { }\n  return;\n}');
    expect(f.body.stmts.map((s) => at(s.span))).toEqual(['2:3-2:13', '3:3-3:11', '4:3-4:20', '5:3-5:10']);
    expect(at(f.body.span)).toBe('1:8-6:2');
    const decl = f.body.stmts[0];
    expect(decl?.kind === 'decl' ? at(decl.nameSpan) : '').toBe('2:7-2:8');
  });
});

describe('expressions', () => {
  test.each([
    ['12', '12'],
    ['1.0', '1f'],
    ['1.', '1f'],
    ['.5', '0.5f'],
    ['1e-3', '0.001f'],
    ['2.5e3', '2500f'],
    ['1E2', '100f'],
    ['true', 'true'],
    ['false', 'false'],
    ['x', 'x'],
    ['f32', 'f32'],
    ['a + b * c', '(+ a (* b c))'],
    ['a * b + c', '(+ (* a b) c)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c', '(% (/ a b) c)'],
    ['a @ b + c', '(+ (@ a b) c)'],
    ['a + b < c * d', '(< (+ a b) (* c d))'],
    ['a < b == c >= d', '(== (< a b) (>= c d))'],
    ['a <= b != c > d', '(!= (<= a b) (> c d))'],
    ['a || b && c', '(|| a (&& b c))'],
    ['a && b || c && d', '(|| (&& a b) (&& c d))'],
    ['a == b && c != d || e', '(|| (&& (== a b) (!= c d)) e)'],
    // Bitwise operators at C's and TypeScript's levels: | < ^ < & < == < < < << >> < +.
    ['a | b ^ c & d', '(| a (^ b (& c d)))'],
    ['a & b == c', '(& a (== b c))'],
    ['a || b | c && d', '(|| a (&& (| b c) d))'],
    ['a << b + c', '(<< a (+ b c))'],
    ['a < b << c', '(< a (<< b c))'],
    ['a >> b >> c', '(>> (>> a b) c)'],
    ['a >> 1 << 2 | ~b & c', '(| (<< (>> a 1) 2) (& (~u b) c))'],
    ['~-a', '(~u (-u a))'],
    ['a<<b>>c', '(>> (<< a b) c)'],
    ['a>=b', '(>= a b)'],
    ['a<=b', '(<= a b)'],
    ['-a', '(-u a)'],
    ['!a && b', '(&& (!u a) b)'],
    ['- -a', '(-u (-u a))'],
    ['-a * b', '(* (-u a) b)'],
    ['a - -b', '(- a (-u b))'],
    ['(a + b) * c', '(* (+ a b) c)'],
    ['(a, b)', '(tuple a b)'],
    ['(a,)', '(tuple a)'],
    ['[]', '[]'],
    ['[M, N]', '[M N]'],
    ['[M, N,]', '[M N]'],
    ['f()', '(call f)'],
    ['f(x, y,)', '(call f x y)'],
    ['f32(x)', '(call f32 x)'],
    ['max(x, axis=1, keepdim=true)', '(call max x axis=1 keepdim=true)'],
    ['zeros([tm, tn], f32)', '(call zeros [tm tn] f32)'],
    ['where(x > 0, x, 0.0)', '(call where (> x 0) x 0f)'],
    ['x[i]', '(index x i)'],
    ['x[i, :]', '(index x i :)'],
    ['x[:, j]', '(index x : j)'],
    ['x[a:b]', '(index x a:b)'],
    ['x[a:]', '(index x a:)'],
    ['x[:b]', '(index x :b)'],
    ['x[i + 1, 0:K,]', '(index x (+ i 1) 0:K)'],
    ['x.shape', '(. x shape)'],
    ['x.shape[0]', '(index (. x shape) 0)'],
    ['x[tm].T', '(. (index x tm) T)'],
    ['f(x)[0]', '(index (call f x) 0)'],
    ['exp(row - max(row, axis=1))', '(call exp (- row (call max row axis=1)))'],
  ])('%s', (src, expected) => {
    expect(expr(src)).toBe(expected);
  });

  test('a parenthesised expression spans its parentheses', () => {
    const f = fn('fn t() { let v = (a + b) * c; }');
    const d = f.body.stmts[0];
    if (d?.kind !== 'decl' || d.init.kind !== 'binary') throw new Error('expected a binary');
    expect(at(d.init.span)).toBe('1:18-1:29');
    expect(at(d.init.left.span)).toBe('1:18-1:25');
  });

  test('slice and call spans', () => {
    const f = fn('fn t() { let v = x[1:n, :]; let w = exp(a, axis=1); }');
    const [v, w] = f.body.stmts;
    if (v?.kind !== 'decl' || v.init.kind !== 'index') throw new Error('expected an index');
    expect(v.init.indices.map((i) => `${i.kind}@${at(i.span)}`)).toEqual(['slice@1:20-1:23', 'slice@1:25-1:26']);
    expect(at(v.init.span)).toBe('1:18-1:27');
    if (w?.kind !== 'decl' || w.init.kind !== 'call') throw new Error('expected a call');
    expect(at(w.init.span)).toBe('1:37-1:51');
    expect(at(w.init.callee.span)).toBe('1:37-1:40');
  });

  test('keywords need a word boundary', () => {
    expect(body('let format = iffy + fnord + returned + letter + variable + inside + elsewhere + trueish;')).toEqual([
      '(let format (+ (+ (+ (+ (+ (+ (+ iffy fnord) returned) letter) variable) inside) elsewhere) trueish))',
    ]);
  });

  test('comments are skipped anywhere', () => {
    expect(body('let /* a */ x /* b\n c */ = // d\n 1 /**/; // e\n')).toEqual(['(let x 1)']);
  });

  test('CRLF line endings', () => {
    const f = fn('fn t() {\r\n  let x = 1;\r\n}');
    expect(at(f.body.stmts[0]?.span ?? f.span)).toBe('2:3-2:13');
  });
});
