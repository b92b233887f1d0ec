/** `${…}` holes: constants, funcs in call position, and a diagnostic at the hole for anything else. */
import { describe, expect, test } from 'vitest';
import { func, kernel, kernelFromSource, parseKernelSource, type FuncDef, type HoleValue, type KernelDef } from '../../packages/dsl/src/index.ts';
import { at, diags, sexpr } from './helpers.ts';

const relu = func`fn relu(x: f32) -> f32 { return max(x, 0.0); }`;

/** The init expression of `let v = …` in a kernel built from the tag. */
function initOf(def: KernelDef | FuncDef): string {
  const s = def.ast?.body.stmts[0];
  if (s?.kind !== 'decl') throw new Error('expected a declaration');
  return sexpr(s.init);
}

describe('constants', () => {
  test('integers, floats, negatives and booleans become literals marked with their hole', () => {
    const k = kernel`fn f() { let v = ${4} * ${0.5} + ${-3} + ${1e-3}; let w = ${true} && ${false}; }`;
    expect(k.diagnostics).toEqual([]);
    expect(k.source.text).toBe('fn f() { let v = ${0} * ${1} + ${2} + ${3}; let w = ${4} && ${5}; }');
    expect(initOf(k)).toBe('(+ (+ (* $0=4 $1=0.5f) $2=-3) $3=0.001f)');
    const w = k.ast?.body.stmts[1];
    expect(w?.kind === 'decl' ? sexpr(w.init) : '').toBe('(&& $4=true $5=false)');
  });

  test('a constant hole spans the ${N} in the kernel text', () => {
    const k = kernel`fn f() { let v = ${4}; }`;
    const s = k.ast?.body.stmts[0];
    expect(s?.kind === 'decl' ? at(s.init.span) : '').toBe('1:18-1:22');
  });

  test('an integral float from JavaScript is an integer (2.0 === 2)', () => {
    const k = kernel`fn f() { let v = ${2.0}; }`;
    expect(initOf(k)).toBe('$0=2');
  });

  test('an integral number beyond 32-bit range can only be a float', () => {
    const k = kernel`fn f() { let v = ${1e10}; let w = ${-3e9}; let u = ${4294967295}; }`;
    expect(k.ast?.body.stmts.map((s) => (s.kind === 'decl' ? sexpr(s.init) : ''))).toEqual(['$0=10000000000f', '$1=-3000000000f', '$2=4294967295']);
  });

  test('a hole that is not a positive integer is not a dimension', () => {
    const k = kernel`fn f(x: f32[${-1}]) {}`;
    expect(diags(k.diagnostics)).toEqual(["TSR1013 1:13 invalid dimension '${0}' (-1) in a type"]);
  });

  test('constants in types and kwargs', () => {
    const k = kernel`fn f(x: f32[${16}]) { for t in tile(N, block=${64}) { } }`;
    expect(k.diagnostics).toEqual([]);
    expect(k.ast?.params[0]?.type.dims).toMatchObject([{ kind: 'constDim', value: 16 }]);
  });
});

describe('funcs', () => {
  test('a func is called through its hole and keeps its name', () => {
    const k = kernel`fn f(x: f32[N]) -> f32[N] { let v = ${relu}(x); return v; }`;
    expect(k.diagnostics).toEqual([]);
    expect(initOf(k)).toBe('(call ${0}:relu x)');
    expect(k.holes[0]).toBe(relu);
  });

  test('funcs may hold holes, including other funcs', () => {
    const leaky = func`fn leaky(x: f32) -> f32 { return where(x > 0.0, x, ${0.01} * x); }`;
    const act = func`fn act(x: f32) -> f32 { return ${leaky}(${relu}(x)); }`;
    expect(leaky.diagnostics).toEqual([]);
    expect(act.diagnostics).toEqual([]);
    const ret = act.ast?.body.stmts[0];
    expect(ret?.kind === 'return' && ret.value ? sexpr(ret.value) : '').toBe('(call ${0}:leaky (call ${1}:relu x))');
    const k = kernel`fn f(x: f32[N]) -> f32[N] { let v = ${act}(x); return v; }`;
    expect(k.diagnostics).toEqual([]);
  });

  test('a func used as a value is an error at the hole', () => {
    const k = kernel`fn f(x: f32) { let v = ${relu} + x; }`;
    expect(diags(k.diagnostics)).toEqual(["TSR1031 1:24 func 'relu' at hole ${0} is used as a value"]);
    expect(k.diagnostics[0]?.hint).toBe('a func can only be called: ${0}(x)');
    expect(k.diagnostics.map((d) => at(d.span))).toEqual(['1:24-1:28']);
    expect(k.ast).toBeUndefined();
  });

  test('a func with errors cannot be called', () => {
    const bad = func`fn bad(x: f32) -> f32 { return x }`;
    expect(diags(bad.diagnostics)).toEqual(["TSR1002 1:34 expected ';' after statement but found '}'"]);
    const k = kernel`fn f(x: f32) { let v = ${bad}(x); }`;
    expect(diags(k.diagnostics)).toEqual([
      "TSR1034 1:24 func 'bad' at hole ${0} has errors: TSR1002 expected ';' after statement but found '}'",
    ]);
  });

  test('calling a constant hole', () => {
    const k = kernel`fn f(x: f32) { let v = ${3}(x); }`;
    expect(diags(k.diagnostics)).toEqual(['TSR1032 1:24 hole ${0} holds the number 3, which cannot be called']);
  });
});

describe('values a hole cannot hold', () => {
  const bad = (v: unknown): HoleValue => v as HoleValue;
  test.each([
    ['a string', 'abc', 'the string "abc"'],
    ['a long string', 'x'.repeat(40), 'the string "xxxxxxxxxxxxxxxxxxxxx..."'],
    ['a bigint', 5n, 'the bigint 5n'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an object', { a: 1 }, 'an object'],
    ['an array', [1, 2], 'an array'],
    ['a typed array', new Float32Array(2), 'a Float32Array'],
    ['a symbol', Symbol('s'), 'a symbol'],
    ['a JavaScript function', function gelu() {}, "the JavaScript function 'gelu' (device code is written with func`…`)"],
  ])('%s', (_name, value, described) => {
    const k = kernel`fn f(x: f32) {
  let v = x * ${bad(value)};
}`;
    expect(diags(k.diagnostics)).toEqual([`TSR1030 2:15 hole \${0} holds ${described}, which cannot be used in a kernel`]);
    expect(k.diagnostics[0]?.hint).toBe('a ${…} hole takes a finite number, a boolean, or a func`…` called like ${relu}(x)');
    expect(k.ast).toBeUndefined();
  });

  test('a kernel is not a func', () => {
    const inner = kernel`fn inner(x: f32) -> f32 { return x; }`;
    const k = kernel`fn f(x: f32) { let v = ${bad(inner)}(x); }`;
    expect(diags(k.diagnostics)).toEqual([
      "TSR1032 1:24 hole ${0} holds the kernel 'inner' (a kernel cannot be called from a kernel; make it a func), which cannot be called",
    ]);
  });

  test('every bad hole is reported', () => {
    const k = kernel`fn f(x: f32) { let v = ${bad('a')} + ${1} + ${bad(null)}; }`;
    expect(k.diagnostics.map((d) => `${d.code}@${at(d.span)}`)).toEqual(['TSR1030@1:24-1:28', 'TSR1030@1:38-1:42']);
  });
});

describe('holes given to parseKernelSource', () => {
  test('a hole without a value', () => {
    const r = parseKernelSource('fn f() { let v = ${0} + ${2}; }', [1]);
    expect(diags(r.diagnostics)).toEqual(['TSR1033 1:25 hole ${2} has no value (1 given)']);
  });

  test('a value whose hole is commented out is a warning, and the AST is still built', () => {
    const def = kernelFromSource('fn f() {\n  // let v = ${0};\n  let w = ${1};\n}', [1, 2]);
    expect(diags(def.diagnostics)).toEqual(['TSR1035 2:14 hole value ${0} is never used']);
    expect(def.diagnostics[0]?.severity).toBe('warning');
    expect(def.ast?.name).toBe('f');
    expect(def.kind).toBe('kernel');
    expect(def.holes).toEqual([1, 2]);
  });

  test('a value the text never mentions', () => {
    const r = parseKernelSource('fn f() { }', [7]);
    expect(diags(r.diagnostics)).toEqual(['TSR1035 1:1 hole value ${0} is never used']);
    expect(r.ast).toBeDefined();
  });
});
