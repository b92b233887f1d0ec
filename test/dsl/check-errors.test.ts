/**
 * The checker's diagnostics, one mistake per kernel: each case asserts the code, the exact
 * line:col in the kernel source, and the message — and that nothing else is reported, so
 * a mistake never drags follow-up noise along. The last tests make sure every code of the
 * TSR2xxx catalogue is exercised here (or listed as unreachable, with the reason).
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, func, kernelFromSource, type Diagnostic, type FuncDef, type HoleValue } from 'tessera-gpu-dsl';
import { CHECK_CODES, checkKernel, type CheckCode } from 'tessera-gpu-dsl/check';

/** Checks kernel text that parses cleanly; returns the checker's diagnostics. */
function check(text: string, holes: readonly unknown[] = []): readonly Diagnostic[] {
  const def = kernelFromSource(text, holes as HoleValue[]);
  expect(def.diagnostics.map(show)).toEqual([]);
  if (!def.ast) throw new Error('no AST');
  return checkKernel(def.ast, holes).diagnostics;
}

/** `TSR2001 4:19 unknown name 'y'` */
function show(d: Diagnostic): string {
  return `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`;
}

/**
 * A kernel whose tile loop body is `body` (its first line is line 4, column 5), with
 * every kind of parameter at hand. The scaffold itself is correct.
 */
function device(...body: string[]): string {
  return [
    'fn k(x: f32[M, N], v: f32[N], ix: i32[M, N], s: f32, n: i32) -> f32[M, N] {',
    '  let out = empty_like(x);',
    '  for (tm, tn) in tile([M, N]) {',
    ...body.map((l) => `    ${l}`),
    '    out[tm, tn] = x[tm, tn] + v[tn] * s + f32(ix[tm, tn] + n);',
    '  }',
    '  return out;',
    '}',
  ].join('\n');
}

interface Case {
  /** What the mistake is. */
  readonly name: string;
  readonly text: string;
  readonly holes?: readonly unknown[];
  /** Every diagnostic, as `CODE line:col message`. */
  readonly expected: readonly string[];
  /** The hint of the (first) diagnostic, when the case pins it. */
  readonly hint?: string;
}

/** Codes the cases below exercise, collected as they run. */
const exercised = new Set<string>();

function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const got = check(c.text, c.holes);
      for (const d of got) exercised.add(d.code);
      expect(got.map(show)).toEqual(c.expected);
      if (c.hint !== undefined) expect(got[0]?.hint).toBe(c.hint);
      // Every diagnostic has a hint, and none leaks a template placeholder.
      for (const d of got) {
        expect(d.hint, d.code).toBeTruthy();
        expect(`${d.message} ${d.hint ?? ''}`).not.toMatch(/\{\d\}/);
      }
    });
  }
}

// ---------------------------------------------------------------- names and assignment

describe('names and assignment', () => {
  runCases([
    {
      name: 'TSR2001 unknown name',
      text: device('let t = y[tm, tn];', 'out[tm, tn] = t;'),
      expected: ["TSR2001 4:13 unknown name 'y'"],
    },
    {
      name: 'TSR2002 assigning to a let',
      text: device('let t = x[tm, tn];', 't = t * 2.0;', 'out[tm, tn] = t;'),
      expected: ["TSR2002 5:5 cannot assign to 't': it was declared with 'let'"],
    },
    {
      name: 'TSR2003 assigning to a tile variable',
      text: device('tm = 0;'),
      expected: ["TSR2003 4:5 cannot assign to 'tm': it is a tile variable"],
    },
    {
      name: 'TSR2003 assigning to a scalar parameter',
      text: device('s = 2.0;'),
      expected: ["TSR2003 4:5 cannot assign to 's': it is a scalar parameter"],
    },
    {
      name: 'TSR2003 assigning to a range loop variable',
      text: device('for i in range(0, n) {', '  i = 2;', '}'),
      expected: ["TSR2003 5:7 cannot assign to 'i': it is a loop variable"],
    },
    {
      name: 'TSR2003 assigning a whole tensor',
      text: device('out = x;'),
      expected: ["TSR2003 4:5 cannot assign to 'out': it is a tensor; store into a tile of it with out[…] = …"],
    },
    {
      name: 'TSR2029 a var changing dtype',
      text: device('var acc = 0;', 'acc += x[tm, tn];', 'out[tm, tn] = f32(acc);'),
      expected: ["TSR2029 5:5 'acc' would change type from i32 to f32 tile [tm, tn]: a var keeps the dtype and shape of its initial value"],
    },
    {
      name: 'TSR2029 a scalar var becoming a tile',
      text: device('var acc = 0.0;', 'acc += x[tm, tn];', 'out[tm, tn] = acc;'),
      expected: ["TSR2029 5:5 'acc' would change type from f32 to f32 tile [tm, tn]: a var keeps the dtype and shape of its initial value"],
    },
    {
      name: 'TSR2038 binding a tensor to a name',
      text: device('let whole = x;', 'out[tm, tn] = whole[tm, tn];'),
      expected: ["TSR2038 4:17 'x' is a tensor, not a value that can be bound to a name"],
    },
    {
      name: 'TSR2038 binding a dtype to a name',
      text: device('let d = f32;'),
      expected: ["TSR2038 4:13 'f32' is a dtype, not a value that can be bound to a name"],
    },
    {
      name: 'TSR2038 a tuple outside return',
      text: device('let pair = (s, s);'),
      expected: ["TSR2038 4:16 '(…)' is a tuple, not a value that can be bound to a name"],
    },
    {
      name: 'TSR2044 member access',
      text: device('let rows = x.shape;'),
      expected: ["TSR2044 4:16 'x' has no member 'shape': only tile variables have members (index, begin, end, block_size)"],
      hint: 'use the dims by name (M, N): they are i32 scalars in the body',
    },
    {
      name: 'TSR2046 an expression statement that does nothing',
      text: device('x[tm, tn] * 2.0;'),
      expected: ['TSR2046 4:5 this expression does nothing: its value is unused'],
    },
    {
      name: 'TSR2047 storing into an input',
      text: device('x[tm, tn] = x[tm, tn] * 2.0;'),
      expected: ["TSR2047 4:5 'x' is an input tensor, and inputs are read-only"],
    },
  ]);
});

// ---------------------------------------------------------------- operators and types

describe('operators and dtypes', () => {
  runCases([
    {
      name: 'TSR2004 f32 + i32 needs a cast',
      text: device('let t = x[tm, tn] + ix[tm, tn];'),
      expected: ["TSR2004 4:13 operator '+' cannot combine f32 tile [tm, tn] and i32 tile [tm, tn]"],
    },
    {
      name: 'TSR2004 a float literal does not become an integer',
      text: device('let t = ix[tm, tn] * 0.5;'),
      expected: ["TSR2004 4:13 operator '*' cannot combine i32 tile [tm, tn] and f32"],
    },
    {
      name: 'TSR2004 arithmetic on bools',
      text: device('let t = (x[tm, tn] > 0.0) + (s > 0.0);'),
      expected: ["TSR2004 4:13 operator '+' cannot combine bool tile [tm, tn] and bool"],
    },
    {
      name: "TSR2004 '&&' on numbers",
      text: device('let t = x[tm, tn] && s;'),
      expected: ["TSR2004 4:13 operator '&&' cannot combine f32 tile [tm, tn] and f32"],
    },
    {
      name: "TSR2048 '!' on a number",
      text: device('let t = !s;'),
      expected: ["TSR2048 4:13 operator '!' cannot be applied to f32"],
    },
    {
      name: "TSR2048 '-' on a u32",
      text: [
        'fn k(x: u32[N]) -> u32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N) {',
        '    out[tn] = -x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2048 4:15 operator '-' cannot be applied to u32 tile [tn]"],
    },
    {
      name: 'TSR2004 a tile variable used as a number',
      text: device('let t = x[tm, tn] * tn;'),
      expected: ["TSR2004 4:13 operator '*' cannot combine f32 tile [tm, tn] and tile index 'tn'"],
    },
    {
      name: 'TSR2005 a whole row and a tile do not broadcast',
      text: device('let t = x[tm, :] + v[tn];'),
      expected: ["TSR2005 4:13 shapes [tm, :N] and [tn] do not broadcast: axis 1 is ':N' in one and 'tn' in the other"],
    },
    {
      name: 'TSR2005 [tm, tn] and [tm] align on the right',
      text: [
        'fn k(x: f32[M, N], c: f32[M]) -> f32[M, N] {',
        '  let out = empty_like(x);',
        '  for (tm, tn) in tile([M, N]) {',
        '    out[tm, tn] = x[tm, tn] * c[tm];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2005 4:19 shapes [tm, tn] and [tm] do not broadcast: axis 1 is 'tn' in one and 'tm' in the other"],
    },
    {
      name: 'TSR2005 in a builtin call names both shapes',
      hint: 'axes must match or be 1; use keepdim=true on reductions to keep a size-1 axis, or add a unit axis with m[:, None]',
      text: device('let t = where(x[tm, tn] > 0.0, x[tm, :], 0.0);'),
      expected: ["TSR2005 4:13 shapes [tm, tn] and [tm, :N] do not broadcast: axis 1 is 'tn' in one and ':N' in the other"],
    },
    {
      name: 'TSR2020 storing f32 into an i32 output',
      text: [
        'fn k(x: f32[N]) -> i32[N] {',
        '  let out = empty([N], i32);',
        '  for tn in tile(N) {',
        '    out[tn] = x[tn] * 2.0;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2020 4:15 cannot store f32 tile [tn] into i32 tile [tn]'],
    },
    {
      name: 'TSR2020 storing a whole row into a tile',
      text: device('out[tm, tn] = x[tm, :];'),
      expected: ['TSR2020 4:19 cannot store f32 tile [tm, :N] into f32 tile [tm, tn]'],
    },
    {
      name: 'TSR2035 exp of an integer',
      text: device('let t = exp(ix[tm, tn]);'),
      expected: ["TSR2035 4:13 'exp' needs a float value, got i32 tile [tm, tn]"],
    },
    {
      name: 'TSR2035 the mean of integers',
      text: device('let t = mean(ix[tm, tn], axis=1);'),
      expected: ["TSR2035 4:13 'mean' needs a float value, got i32"],
    },
  ]);
});

// ---------------------------------------------------------------- calls

describe('builtin calls', () => {
  runCases([
    {
      name: 'TSR2006 unknown function',
      text: device('let t = softplus(x[tm, tn]);'),
      expected: ["TSR2006 4:13 unknown function 'softplus'"],
    },
    {
      name: 'TSR2007 clamp with two arguments',
      text: device('let t = clamp(x[tm, tn], 0.0);'),
      expected: ["TSR2007 4:13 'clamp' expects 3 scalars or tiles but got f32 tile [tm, tn], f32"],
    },
    {
      name: 'TSR2007 where with a float condition',
      text: device('let t = where(x[tm, tn], 1.0, 0.0);'),
      expected: ["TSR2007 4:13 'where' expects a bool condition first but got f32"],
    },
    {
      name: 'TSR2007 keepdim must be true or false',
      text: device('let t = sum(x[tm, tn], axis=1, keepdim=1);'),
      expected: ["TSR2007 4:44 'keepdim' expects true or false but got i32"],
    },
    {
      name: 'TSR2007 range over a float',
      text: device('for i in range(0, s) {', '}'),
      expected: ["TSR2007 4:23 'range' expects integer scalars but got f32"],
    },
    {
      name: 'TSR2008 an unknown keyword argument',
      text: device('let t = sum(x[tm, tn], dim=1);'),
      expected: ["TSR2008 4:28 'sum' has no keyword argument 'dim'"],
    },
    {
      name: 'TSR2009 axis out of range',
      text: device('let t = max(x[tm, tn], axis=2);'),
      expected: ['TSR2009 4:33 axis 2 is out of range for a value with 2 axes'],
    },
    {
      // A scalar has no axis to reduce along: it must not read as a row reduction.
      name: 'TSR2009 a reduction of a scalar along an axis',
      text: device('let t = sum(1.5, axis=1, keepdim=true);'),
      expected: ['TSR2009 4:27 axis 1 is out of range for a value with 0 axes'],
    },
    {
      name: 'TSR2024 a non-constant axis',
      text: device('let t = max(x[tm, tn], axis=n);'),
      expected: ["TSR2024 4:33 'axis' must be a compile-time integer, got i32"],
    },
    {
      name: 'TSR2043 argmax of a 2-D tile without an axis',
      text: device('let t = argmax(x[tm, tn]);'),
      expected: ["TSR2043 4:13 cannot reduce a 2-D tile with 'argmax': which axis the index counts along is ambiguous"],
    },
    {
      name: 'TSR2043 summing bools',
      text: device('let t = sum(x[tm, tn] > 0.0, axis=1);'),
      expected: ["TSR2043 4:13 cannot reduce a bool value with 'sum': booleans are not numbers"],
    },
    {
      name: 'TSR2027 zeros without a shape list',
      text: device('var acc = zeros(n, f32);'),
      expected: ["TSR2027 4:15 'zeros' expects a shape list like [tm, tn] or [M, N]; got i32"],
    },
    {
      name: 'TSR2051 transpose of a 1-D tile',
      text: device('let t = transpose(v[tn]);', 'out[tm, tn] = t;'),
      expected: ["TSR2051 4:13 'transpose' takes one 2-D or 3-D tile; got f32 tile [tn]"],
    },
    {
      name: 'TSR2051 transpose of a scalar',
      text: device('out[tm, tn] = transpose(s);'),
      expected: ["TSR2051 4:19 'transpose' takes one 2-D or 3-D tile; got f32"],
    },
    {
      name: 'TSR2051 transpose with two arguments',
      text: device('out[tm, tn] = transpose(x[tm, tn], x[tm, tn]);'),
      expected: ["TSR2051 4:19 'transpose' takes one 2-D or 3-D tile; got 2 arguments"],
    },
    {
      name: 'TSR2020 a transposed tile keeps its axes, in the other order',
      text: device('out[tm, tn] = transpose(x[tm, tn]);'),
      expected: ['TSR2020 4:19 cannot store f32 tile [tn, tm] into f32 tile [tm, tn]'],
    },
    {
      name: 'TSR2028 @ with a 1-D operand',
      text: [
        'fn k(a: f32[M, K], b: f32[K]) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for tm in tile(M) {',
        '    out[tm] = sum(a[tm, :] @ b[:], axis=1);',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 4:19 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got [tm, :K] @ [:K]"],
    },
    {
      name: 'TSR2028 @ on integer tiles',
      text: [
        'fn k(a: i32[M, K], b: i32[K, N]) -> f32[M, N] {',
        '  let out = empty([M, N], f32);',
        '  for (tm, tn) in tile([M, N]) {',
        '    out[tm, tn] = a[tm, :] @ b[:, tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 4:19 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got i32 [tm, :K] @ i32 [:K, tn]"],
    },
    {
      name: 'TSR2039 atomic_add into an f16 output',
      text: [
        'fn k(x: f16[N]) -> f16[1] {',
        '  let out = zeros([1], f16);',
        '  for tn in tile(N) {',
        '    atomic_add(out[0], sum(x[tn]));',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2039 4:16 shader type f16 is not supported in atomic_add'],
    },
    {
      name: 'TSR2040 atomic_add into a whole tensor',
      text: [
        'fn k(x: f32[N]) -> f32[1] {',
        '  let out = zeros([1], f32);',
        '  for tn in tile(N) {',
        '    atomic_add(out, sum(x[tn]));',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2040 4:5 atomic_add needs an output tensor element or tile as its first argument'],
    },
    {
      name: 'TSR2047 atomic_add into an input',
      text: device('atomic_add(x[tm, tn], 1.0);'),
      expected: ["TSR2047 4:16 'x' is an input tensor, and inputs are read-only"],
    },
  ]);
});

// ---------------------------------------------------------------- indexing

describe('indexing', () => {
  runCases([
    {
      name: 'TSR2010 too few indices',
      text: device('let t = x[tm];'),
      expected: ["TSR2010 4:13 tensor 'x' has 2 dimensions but is indexed with 1"],
    },
    {
      name: 'TSR2011 a tile variable on the wrong dimension',
      text: device('let t = x[tn, tm];'),
      expected: ["TSR2011 4:15 tile variable 'tn' tiles dimension N but indexes dimension M of 'x'"],
    },
    {
      name: 'TSR2052 a float index tile',
      text: device('let t = v[x[tm, tn]];', 'out[tm, tn] = t;'),
      expected: ['TSR2052 4:15 an index tile must hold integers (i32 or u32), not f32 tile [tm, tn]'],
    },
    {
      name: 'TSR2052 a bool index tile',
      text: device('let t = v[x[tm, tn] > 0.0];', 'out[tm, tn] = t;'),
      expected: ['TSR2052 4:15 an index tile must hold integers (i32 or u32), not bool tile [tm, tn]'],
    },
    {
      name: 'TSR2070 an integer literal past i32 meeting an i32 tile',
      text: device('let t = ix[tm, tn] & 0x80000000;', 'out[tm, tn] = f32(t);'),
      expected: ['TSR2070 4:26 integer literal 2147483648 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
      hint: 'for values above 2147483647 compute in u32 (convert the other side with u32(…)); as a bit pattern, the i32 with the same bits is -2147483648',
    },
    {
      name: 'TSR2071 a negative literal meeting a u32',
      text: device('let t = u32(n) == -1;', 'out[tm, tn] = f32(t);'),
      expected: ['TSR2071 4:23 negative literal -1 cannot be a u32'],
      hint: 'u32 holds 0 to 4294967295 (0xFFFFFFFF) (0xFFFFFFFF = 4294967295 has the same bits); to compute with negative numbers, convert the u32 side with i32(…)',
    },
    {
      name: "TSR2045 '+=' through an index tile (a scatter would race)",
      text: device('out[ix[tm, tn], tn] += x[tm, tn];'),
      expected: ["TSR2045 4:9 '+=' through an index tile is not supported yet"],
      hint: 'with repeated indices the updates would race: write atomic_add(…) on the same target, which adds every one (out[i] = v stores one of the values written to i)',
    },
    {
      name: 'TSR2020 a scatter has the union of its indices\' axes',
      text: device('out[ix[tm, tn], :] = x[tm, tn];'),
      expected: ['TSR2020 4:26 cannot store f32 tile [tm, tn] into f32 tile [tm, tn, :N]'],
    },
    {
      name: 'TSR2047 scattering into an input',
      text: device('x[ix[tm, tn], tn] = v[tn];'),
      expected: ["TSR2047 4:5 'x' is an input tensor, and inputs are read-only"],
    },
    {
      name: 'TSR2052 a float index tile in a scatter',
      text: device('out[x[tm, tn], tn] = v[tn];'),
      expected: ['TSR2052 4:9 an index tile must hold integers (i32 or u32), not f32 tile [tm, tn]'],
    },
    {
      name: 'TSR2020 a gathered tile has the union of its indices\' axes',
      text: device('let g = x[ix[tm, tn], :];', 'out[tm, tn] = g;'),
      expected: ['TSR2020 5:19 cannot store f32 tile [tm, tn, :N] into f32 tile [tm, tn]'],
    },
    {
      name: 'TSR2012 a float index',
      text: device('let t = v[s];'),
      expected: ['TSR2012 4:15 an index must be a tile variable, an integer scalar or tile, or a slice, not f32'],
    },
    {
      name: 'TSR2013 indexing a scalar',
      text: device('let t = s[tn];'),
      expected: ["TSR2013 4:13 's' (f32) cannot be indexed"],
    },
    {
      name: 'TSR2058 a slice bound that is not dim arithmetic',
      text: device('let t = v[n:n + 4];', 'out[tm, 0:4] = t;'),
      expected: ["TSR2058 4:15 the slice of 'v' has a bound that is not dim arithmetic"],
      hint: 'a slice bound is an integer literal, a dim or dim arithmetic (0:D, A:A + B, 1:N - 1); to start at a run-time i32, move a tile index instead: x[tm, tn + k]',
    },
    {
      name: 'TSR2058 a negative slice bound does not count from the end',
      text: device('let t = v[:-1];', 'out[tm, 0:N - 1] = t;'),
      expected: ["TSR2058 4:16 the slice of 'v' has a negative bound"],
      hint: "bounds do not count back from the end (as Python's do): write the position, x[0:N - 1] for x[:-1]",
    },
    {
      name: 'TSR2058 an empty slice',
      text: device('let t = v[4:4];'),
      expected: ["TSR2058 4:15 the slice of 'v' (4:4) is empty"],
    },
    {
      name: 'TSR2058 a reversed symbolic slice',
      text: device('let t = v[N:N - 2];'),
      expected: ["TSR2058 4:15 the slice of 'v' (N:N - 2) is empty"],
    },
    {
      name: 'TSR2058 a slice past a fixed dim',
      text: [
        'fn k(x: f32[M, 8]) -> f32[M, 4] {',
        '  let out = empty([M, 4], f32);',
        '  for tm in tile(M) {',
        '    out[tm, :] = x[tm, 6:10];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2058 4:26 the slice of 'x' (6:10) ends past the dim's 8 elements"],
      hint: 'slice within the dim: 0:8 at most',
    },
    {
      name: "TSR2020 a slice's extent must match what it is stored into",
      text: device('out[tm, 0:4] = v[0:5];'),
      expected: ['TSR2020 4:20 cannot store f32 tile [:5] into f32 tile [tm, :4]'],
    },
    {
      name: "TSR2005 slices of different extents do not broadcast",
      text: device('let t = v[0:N - 1] - v[0:N];'),
      expected: ["TSR2005 4:13 shapes [:N - 1] and [:N] do not broadcast: axis 0 is ':N - 1' in one and ':N' in the other"],
    },
    {
      name: 'TSR2060 a negative index does not count from the end',
      text: device('let t = v[-1];', 'out[tm, tn] = x[tm, tn] + t;'),
      expected: ["TSR2060 4:15 index -1 is outside dimension 0 of 'v' (size N)"],
      hint: 'Tessera does not count from the end (as Python does): write N - 1 for the element 1 from the end',
    },
    {
      name: 'TSR2060 a literal index past a fixed dim',
      text: [
        'fn k(x: f32[M, 4]) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for tm in tile(M) {',
        '    out[tm] = x[tm, 4] + x[tm, 3];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2060 4:21 index 4 is outside dimension 1 of 'x' (size 4)"],
      hint: 'valid indices are 0 to 3',
    },
    {
      name: 'TSR2060 a negative index into a fixed dim',
      text: [
        'fn k(x: f32[M, 4]) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for tm in tile(M) {',
        '    out[tm] = x[tm, -2];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2060 4:21 index -2 is outside dimension 1 of 'x' (size 4)"],
      hint: 'Tessera does not count from the end (as Python does): write 2 for the element 2 from the end',
    },
    {
      name: 'TSR2060 a store at a literal index past a fixed dim',
      text: [
        'fn k(x: f32[M]) -> f32[2] {',
        '  let out = zeros([2], f32);',
        '  for tm in tile(M) {',
        '    out[2] = sum(x[tm], axis=0);',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2060 4:9 index 2 is outside dimension 0 of 'out' (size 2)"],
    },
    {
      name: 'TSR2056 a slice of a tile in registers',
      text: device('let t = x[tm, :];', 'let u = t[:, 0:4];'),
      expected: ["TSR2056 5:18 cannot index f32 tile [tm, :N] with this index"],
    },
  ]);
});

// ---------------------------------------------------------------- loops and if

describe('loops and if', () => {
  runCases([
    {
      name: 'TSR2021 if on a float',
      text: device('if s {', '}'),
      expected: ["TSR2021 4:8 the condition of 'if' must be a bool scalar, not f32"],
    },
    {
      name: 'TSR2021 if on a tile (per-element choices use where)',
      text: device('if x[tm, tn] > 0.0 {', '}'),
      expected: ["TSR2021 4:8 the condition of 'if' must be a bool scalar, not bool tile [tm, tn]"],
    },
    {
      name: 'TSR2022 a misspelt iterator in a nested loop',
      text: device('for k in ranges(0, n) {', '}'),
      expected: ["TSR2022 4:14 'ranges' is not an iterator: use tile(D), tile([D1, D2]), grid(D), grid([D1, D2]) or range(a, b)"],
    },
    {
      name: 'TSR2022 a misspelt iterator in the top-level loop',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tiles(N) {',
        '    out[tn] = x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2022 3:13 'tiles' is not an iterator: use tile(D), tile([D1, D2]), grid(D), grid([D1, D2]) or range(a, b)"],
    },
    {
      name: 'TSR2023 two variables for one tiled dimension',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for (tn, tk) in tile(N) {',
        '    out[tn] = x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2023 3:3 the loop declares 2 variable(s) but tile(…) yields 1 tile variable(s)'],
    },
    {
      name: 'TSR2023 two variables for a range',
      text: device('for (i, j) in range(0, n) {', '}'),
      expected: ['TSR2023 4:5 the loop declares 2 variable(s) but range(…) yields 1 variable'],
    },
    {
      name: 'TSR2024 a block size from a parameter',
      text: [
        'fn k(x: f32[N], b: i32) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N, block=b) {',
        '    out[tn] = x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2024 3:27 'block' must be a compile-time integer, got an expression"],
    },
    {
      name: 'TSR2025 a block size that is not a power of two',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N, block=48) {',
        '    out[tn] = x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2025 3:27 block size 48 must be a positive power of two'],
    },
    {
      name: 'TSR2008 tile() takes only block=',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N, size=64) {',
        '    out[tn] = x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2008 3:21 'tile' has no keyword argument 'size'"],
    },
    {
      name: 'TSR2007 tile() over a scalar parameter',
      text: [
        'fn k(x: f32[N], n: i32) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(n) {',
        '    out[tn] = x[tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2007 3:18 'tile' expects a dimension name from the parameter types (M, N, …) but got 'n'"],
    },
    {
      name: 'TSR2041 tiling the same dimension twice in one nest',
      text: [
        'fn k(x: f32[N, N]) -> f32[N] {',
        '  let out = empty([N], f32);',
        '  for tn in tile(N) {',
        '    var acc = zeros([tn], f32);',
        '    for tk in tile(N) {',
        '      acc += sum(x[tn, tk], axis=1);',
        '    }',
        '    out[tn] = acc;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2041 5:9 tile loop over 'N' reuses a dimension already tiled by 'tn'"],
    },
    {
      name: 'TSR2016 tile() outside a for header',
      text: device('let t = tile(M);'),
      expected: ['TSR2016 4:13 tile(…) outside a for header is not allowed inside the tile loop'],
    },
    {
      name: 'TSR2015 tile() outside a for header, in host code',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  let t = tile(N);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2015 3:11 tile(…) outside a for header is not allowed in host code (outside the top-level tile loop)'],
    },
    {
      name: 'TSR2016 return inside the tile loop',
      text: device('return out;'),
      expected: ["TSR2016 4:5 'return' is not allowed inside the tile loop"],
    },
    {
      name: 'TSR2016 allocating an output inside the tile loop',
      text: device('let tmp = empty([M, N], f32);'),
      expected: ["TSR2016 4:15 'empty' is not allowed inside the tile loop"],
    },
  ]);
});

// ---------------------------------------------------------------- grid loops

/** A kernel over x: f32[B, M, N] whose top-level grid loop body is `body` (first line 4, column 5). */
function gridded(...body: string[]): string {
  return [
    'fn k(x: f32[B, M, N], n: i32) -> f32[B, M, N] {',
    '  let out = empty_like(x);',
    '  for b in grid(B) {',
    ...body.map((l) => `    ${l}`),
    '  }',
    '  return out;',
    '}',
  ].join('\n');
}

describe('grid loops', () => {
  runCases([
    {
      name: 'TSR2050 a grid loop inside a tile loop',
      text: device('for g in grid(N) {', '  out[tm, tn] = x[tm, tn];', '}'),
      expected: ['TSR2050 4:14 a grid loop cannot be nested inside a tile loop'],
    },
    {
      name: 'TSR2050 a grid loop inside a range loop',
      text: gridded('for i in range(0, n) {', '  for c in grid(M) {', '    out[b, c, :] = x[b, c, :];', '  }', '}'),
      expected: ['TSR2050 5:16 a grid loop cannot be nested inside a range loop'],
    },
    {
      name: 'TSR2050 a grid loop inside an if',
      text: gridded('if b > 0 {', '  for c in grid(M) {', '    out[b, c, :] = x[b, c, :];', '  }', '}'),
      expected: ['TSR2050 5:16 a grid loop cannot be nested inside an if'],
    },
    {
      name: 'TSR2050 a grid loop next to other statements in a grid loop',
      text: gridded('out[b, 0, 0] = 1.0;', 'for c in grid(M) {', '  out[b, c, :] = x[b, c, :];', '}'),
      expected: ['TSR2050 5:14 a grid loop cannot be nested inside a grid loop'],
    },
    {
      name: 'TSR2008 grid loops have no block',
      text: [
        'fn k(x: f32[B]) -> f32[B] {',
        '  let out = empty_like(x);',
        '  for b in grid(B, block=4) {',
        '    out[b] = x[b];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2008 3:20 'grid' has no keyword argument 'block'"],
    },
    {
      name: 'TSR2023 one variable for a 2-D grid',
      text: [
        'fn k(x: f32[B, H]) -> f32[B, H] {',
        '  let out = empty_like(x);',
        '  for b in grid([B, H]) {',
        '    out[b, 0] = x[b, 0];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2023 3:3 the loop declares 1 variable(s) but grid(…) yields 2 grid variable(s)'],
    },
    {
      name: 'TSR2003 assigning to a grid variable',
      text: gridded('b = 1;', 'out[b, :, :] = x[b, :, :];'),
      expected: ["TSR2003 4:5 cannot assign to 'b': it is a grid loop variable"],
    },
    {
      name: 'TSR2004 a grid variable is an i32 scalar: f32 arithmetic needs a cast',
      text: gridded('out[b, :, :] = x[b, :, :] * b;'),
      expected: ["TSR2004 4:20 operator '*' cannot combine f32 tile [:M, :N] and i32"],
    },
    {
      name: 'TSR2026 a grid over a name that is not a dim',
      text: [
        'fn k(x: f32[B]) -> f32[B] {',
        '  let out = empty_like(x);',
        '  for b in grid(Q) {',
        '    out[b] = x[b];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2026 3:17 dimension 'Q' is not bound by any tensor parameter"],
    },
  ]);

  it('a grid loop in a func is not allowed (TSR2016)', () => {
    const grid = func`fn g(v: f32) -> f32 {
  for b in grid(4) {
  }
  return v;
}`;
    const got = check(['fn k(x: f32[N]) -> f32[N] {', '  let out = empty_like(x);', '  for tn in tile(N) { out[tn] = ${0}(x[tn]); }', '  return out;', '}'].join('\n'), [grid]);
    expect(got.map(show)).toEqual(["TSR2016 3:33 in func 'g' (2:12): a grid loop is not allowed inside a device function"]);
  });

  it('the launch grid: a grid loop, then the loops its body consists of (after lets)', () => {
    const def = kernelFromSource(gridded('let s = f32(b);', 'for (tm, tn) in tile([M, N]) {', '  for _ in range(0, n) {', '    out[b, tm, tn] = x[b, tm, tn] * s;', '  }', '}'));
    if (!def.ast) throw new Error('no AST');
    const r = checkKernel(def.ast, []);
    expect(r.diagnostics.map(show)).toEqual([]);
    expect(r.kernel?.grid.map((l) => `${l.name}:${l.iter}:${l.level}:${String(l.fixedBlock)}`)).toEqual(['b:grid:grid:1', 'tm:tile:grid:undefined', 'tn:tile:grid:undefined']);
    // The program: the let, then the tile loop's body.
    expect(r.kernel?.body.map((st) => st.kind)).toEqual(['decl', 'for']);
  });

  it('a tile loop that is not a grid body\'s only loop runs sequentially inside the program', () => {
    const def = kernelFromSource(gridded('var acc = 0.0;', 'for tm in tile(M) {', '  acc += sum(x[b, tm, 0]) + f32(n);', '}', 'out[b, 0, 0] = acc;'));
    if (!def.ast) throw new Error('no AST');
    const r = checkKernel(def.ast, []);
    expect(r.diagnostics.map(show)).toEqual([]);
    expect(r.kernel?.grid.map((l) => l.name)).toEqual(['b']);
    const nested = [...(r.kernel?.loops.values() ?? [])].flatMap((l) => (l.kind === 'tile' ? l.loops : []));
    expect(nested.map((l) => `${l.name}:${l.level}`)).toEqual(['tm:nested']);
  });
});

// ---------------------------------------------------------------- declared block sizes

describe('declared block sizes (block_size)', () => {
  /** `bd` declared on line 2; the tile loop's body starts on line 5, column 5. */
  const rows = (decl: string, ...body: string[]): string => [
    'fn k(x: f32[M, D], w: f32[E]) -> f32[M] {',
    `  ${decl}`,
    '  let out = empty([M], f32);',
    '  for tm in tile(M) {',
    ...body.map((l) => `    ${l}`),
    '    out[tm] = sum(x[tm, :], axis=1) + w[0];',
    '  }',
    '  return out;',
    '}',
  ].join('\n');
  const fill = ['var acc = zeros([tm, bd], f32);', 'for td in tile(D, block=bd) {', '  acc += x[tm, td];', '}'];

  it('the Helion idiom checks clean: one knob, a nested loop over it and an accumulator as wide', () => {
    expect(check(rows('let bd = block_size(D);', ...fill)).map(show)).toEqual([]);
  });

  runCases([
    {
      name: 'TSR2007 block_size of a tensor',
      text: rows('let bd = block_size(x);', ...fill),
      expected: ["TSR2007 2:23 'block_size' expects one dimension name from the parameter types but got 'x'"],
      hint: 'block_size(D) where D appears in a parameter type, as in tile(D)',
    },
    {
      name: 'TSR2007 block_size of two dims',
      text: rows('let bd = block_size(M, D);', ...fill),
      expected: ["TSR2007 2:12 'block_size' expects one dimension name from the parameter types but got 2 arguments"],
    },
    {
      name: 'TSR2008 block_size with a keyword argument',
      text: rows('let bd = block_size(D, block=32);', ...fill),
      expected: ["TSR2008 2:26 'block_size' has no keyword argument 'block'"],
      hint: 'valid keyword arguments: none (the config chooses the block: blocks: { name: 32 })',
    },
    {
      name: 'TSR2059 a block size declared with var',
      text: rows('var bd = block_size(D);', ...fill),
      expected: ["TSR2059 2:3 'bd' is declared with var"],
      hint: 'a block size is fixed for a run (the config picks it): let bd = block_size(…);',
    },
    {
      name: 'TSR2059 block_size(…) inside an expression',
      text: rows('let bd = block_size(D);', ...fill, 'let y = block_size(D) * 2;', 'out[tm] = f32(y);'),
      expected: ['TSR2059 9:13 block_size(…) is only the whole value of a let'],
      hint: 'declare it once before the loops that use it: let bd = block_size(D); then for td in tile(D, block=bd) { … } and zeros([tm, bd], f32)',
    },
    {
      name: 'TSR2059 a block size of D as the block of a loop over E',
      text: rows('let bd = block_size(D);', ...fill, 'for te in tile(E, block=bd) {', '  out[tm] = sum(x[tm, :], axis=1) + sum(w[te]);', '}'),
      expected: ["TSR2059 9:29 'bd' is a block of D, not of E"],
      hint: 'tile D with it (tile(D, block=bd)), or declare one for E: let b = block_size(E);',
    },
    {
      name: 'TSR2059 a block size for a loop over two dims',
      text: rows('let bd = block_size(D);', ...fill, 'for (td, te) in tile([D, E], block=bd) {', '  out[tm] = sum(x[tm, td], axis=1) + sum(w[te]);', '}'),
      expected: ["TSR2059 9:40 'bd' is the block of one dimension (D), not of 2"],
    },
    {
      name: 'TSR2059 a block size as a tensor index',
      text: rows('let bd = block_size(D);', ...fill, 'out[tm] = sum(x[tm, bd], axis=1);'),
      expected: ["TSR2059 9:25 'bd' is a block size, not a tile variable"],
      hint: 'index with the loop that uses it: for td in tile(D, block=bd) { … x[…, td] … }',
    },
    {
      name: 'TSR2003 assigning to a block size',
      text: rows('let bd = block_size(D);', ...fill, 'bd = 64;'),
      expected: ["TSR2003 9:5 cannot assign to 'bd': it is a block size, chosen by the config"],
    },
    {
      name: 'TSR2059 a block size on the launch loop',
      text: [
        'fn k(x: f32[M, D]) -> f32[M] {',
        '  let bm = block_size(M);',
        '  let out = empty([M], f32);',
        '  for tm in tile(M, block=bm) {',
        '    out[tm] = sum(x[tm, :], axis=1);',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2059 4:27 'bm' sets the block of a loop in the launch grid"],
      hint: "a launch loop's block is already a config knob named by its variable (blocks: { tm: 64 }), and zeros([tm], f32) inside it is one block long; use block sizes for nested loops",
    },
  ]);

  it('TSR2016 block_size in a device function', () => {
    const f = func`fn f(x: f32) -> f32 { let b = block_size(4); return x; }`;
    const got = check(rows('let bd = block_size(D);', ...fill, 'out[tm] = ${f}(1.0);'.replace('${f}', '${0}')), [f]);
    expect(got.map(show)).toEqual(["TSR2016 9:15 in func 'f' (1:31): block_size(…) is not allowed inside a device function"]);
    for (const d of got) exercised.add(d.code);
  });
});

// ---------------------------------------------------------------- the kernel's shape

describe('host code, signature and results', () => {
  runCases([
    {
      name: 'TSR2014 no tile loop',
      text: ['fn k(x: f32[N]) -> f32[N] {', '  let out = empty_like(x);', '  return out;', '}'].join('\n'),
      expected: ["TSR2014 1:4 a kernel needs exactly one top-level loop 'for … in tile(…)' or 'for … in grid(…)'; found 0"],
    },
    {
      name: 'TSR2014 two tile loops',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  for tn in tile(N) { out[tn] = x[tn] * 2.0; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2014 1:27 a kernel needs exactly one top-level loop 'for … in tile(…)' or 'for … in grid(…)'; found 2"],
    },
    {
      name: 'TSR2015 an assignment in host code',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  out[0] = 1.0;',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2015 3:3 an assignment is not allowed in host code (outside the top-level tile loop)'],
    },
    {
      name: 'TSR2015 computing in host code',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  let y = exp(x);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2015 3:11 calling 'exp' is not allowed in host code (outside the top-level tile loop)"],
    },
    {
      name: 'TSR2015 a range loop in host code',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for i in range(0, 4) { }',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2015 3:3 a loop other than the top-level tile or grid loop is not allowed in host code (outside the top-level tile loop)'],
    },
    {
      name: 'TSR2027 empty() with a tensor instead of a shape',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty(x, f32);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2027 2:13 'empty' expects a shape list like [tm, tn] or [M, N]; got f32[N] tensor"],
    },
    {
      name: 'TSR2017 returning one output of two',
      text: [
        'fn k(x: f32[N]) -> (f32[N], f32[N]) {',
        '  let a = empty_like(x);',
        '  let b = empty_like(x);',
        '  for tn in tile(N) { a[tn] = x[tn]; b[tn] = x[tn]; }',
        '  return a;',
        '}',
      ].join('\n'),
      expected: ['TSR2017 5:3 the kernel declares 2 result(s) but returns 1'],
    },
    {
      name: 'TSR2017 no return at all',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '}',
      ].join('\n'),
      expected: ['TSR2017 4:1 the kernel declares 1 result(s) but returns 0'],
    },
    {
      name: 'TSR2018 returning an input',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return x;',
        '}',
      ].join('\n'),
      expected: ["TSR2018 4:10 returned value 'x' is not an output allocated with empty/empty_like"],
    },
    {
      name: 'TSR2019 the allocation does not match the declared result',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty([N], i32);',
        '  for tn in tile(N) { out[tn] = i32(x[tn]); }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ['TSR2019 4:10 result 0 is declared as f32[N] but the returned tensor is i32[N]'],
    },
    {
      name: 'TSR2026 a result dimension no parameter binds',
      text: [
        'fn k(x: f32[N]) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for tm in tile(M) { out[tm] = 0.0; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2026 1:24 dimension 'M' is not bound by any tensor parameter"],
    },
    {
      name: 'TSR2026 tiling an unknown dimension',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tk in tile(K) { out[tk] = x[tk]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2026 3:18 dimension 'K' is not bound by any tensor parameter"],
    },
    {
      name: 'TSR2036 a duplicate parameter',
      text: [
        'fn k(x: f32[N], x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N) { out[tn] = x[tn]; }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2036 1:17 duplicate parameter 'x'"],
    },
    {
      name: 'TSR2049 a parameter named like a dtype (and nothing else follows from it)',
      text: [
        'fn k(f32: f32[M, N]) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for tm in tile(M) { out[tm] = sum(f32[tm, :], axis=1); }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2049 1:6 'f32' is a dtype and cannot be used as a name"],
    },
    {
      name: 'TSR2049 a local named like a dtype',
      text: device('let i32 = 1;'),
      expected: ["TSR2049 4:9 'i32' is a dtype and cannot be used as a name"],
    },
    {
      name: 'TSR2057 a local named like a float constant',
      text: device('let nan = 1.0;'),
      expected: ["TSR2057 4:9 'nan' is a float constant and cannot be used as a name"],
    },
    {
      name: 'TSR2042 an output never written',
      text: [
        'fn k(x: f32[N]) -> (f32[N], f32[N]) {',
        '  let a = empty_like(x);',
        '  let b = empty_like(x);',
        '  for tn in tile(N) { a[tn] = x[tn]; }',
        '  return (a, b);',
        '}',
      ].join('\n'),
      expected: ["TSR2042 1:4 output 'b' is never written"],
    },
  ]);
});

// ---------------------------------------------------------------- device functions

const relu = func`fn relu(x: f32) -> f32 { return max(x, 0.0); }`;
const add2 = func`fn add2(a: f32, b: f32) -> f32 { return a + b; }`;
const rowSum = func`fn row_sum(x: f32[N]) -> f32 { return 1.0; }`;
const asTile = func`fn as_tile(x: f32) -> f32[N] { return x; }`;
const noReturn = func`fn no_return(x: f32) -> f32 {
  if x > 0.0 {
    return x;
  }
}`;
const typo = func`fn typo(x: f32) -> f32 { return y; }`;
const boolResult = func`fn bool_result(x: f32) -> f32 { return x > 0.0; }`;
const tiles = func`fn tiles(x: f32) -> f32 {
  for t in tile(4) {
  }
  return x;
}`;
const unusedLocal = func`fn unused_local(x: f32) -> f32 {
  let doubled = x * 2.0;
  return x;
}`;
const wrapsTypo = func`fn wraps(x: f32) -> f32 { return ${typo}(x) * 2.0; }`;

/** A kernel that applies hole 0 to `args` (written as kernel text). */
function applies(args: string): string {
  return [
    'fn k(x: f32[N], ix: i32[N]) -> f32[N] {',
    '  let out = empty_like(x);',
    '  for tn in tile(N) {',
    `    out[tn] = \${0}(${args}) + f32(ix[tn]);`,
    '  }',
    '  return out;',
    '}',
  ].join('\n');
}

/**
 * A func that calls itself. `func` templates take their holes' values when they are
 * written, so no func made with the tag can reach itself: this is built by hand, as a
 * bundler or another copy of the package could produce it.
 */
function selfCalling(): unknown {
  const body = func`fn again(x: f32) -> f32 { return ${relu}(x) + 1.0; }`;
  const holes: unknown[] = [];
  const again = { kind: 'func', name: 'again', source: body.source, ast: body.ast, diagnostics: [], holes };
  holes.push(again);
  return again;
}

describe('device functions', () => {
  runCases([
    {
      name: 'TSR2031 wrong number of arguments',
      text: applies('x[tn]'),
      holes: [add2],
      expected: ["TSR2031 4:15 device function 'add2' takes 2 argument(s) but got 1"],
    },
    {
      name: 'TSR2007 an argument of the wrong dtype',
      text: applies('ix[tn]'),
      holes: [relu],
      expected: ["TSR2007 4:20 'relu' expects f32 for 'x' but got i32 tile [tn]"],
    },
    {
      name: 'TSR2007 a whole tensor as an argument',
      text: applies('x'),
      holes: [relu],
      expected: ["TSR2007 4:20 'relu' expects a scalar or tile for 'x' but got f32[N] tensor"],
    },
    {
      name: 'TSR2033 a tensor parameter',
      text: applies('x[tn]'),
      holes: [rowSum],
      expected: ["TSR2033 4:15 device functions take and return scalars; parameter 'x' of 'row_sum' is a tensor (f32[N])"],
    },
    {
      name: 'TSR2033 a tensor result',
      text: applies('x[tn]'),
      holes: [asTile],
      expected: ["TSR2033 4:15 device functions take and return scalars; the result of 'as_tile' is a tensor (f32[N])"],
    },
    {
      name: 'TSR2034 a path without return (reported at the call, located in the func)',
      text: applies('x[tn]'),
      holes: [noReturn],
      expected: ["TSR2034 4:15 in func 'no_return' (1:4): 'no_return' must return a value on every path"],
    },
    {
      name: "TSR2001 inside a func is reported at the call with the func's own position",
      text: applies('x[tn]'),
      holes: [typo],
      expected: ["TSR2001 4:15 in func 'typo' (1:33): unknown name 'y'"],
    },
    {
      name: 'TSR2020 a func returning the wrong dtype',
      text: applies('x[tn]'),
      holes: [boolResult],
      expected: ["TSR2020 4:15 in func 'bool_result' (1:40): cannot store bool into the f32 result"],
    },
    {
      name: 'TSR2016 a tile loop in a func',
      text: applies('x[tn]'),
      holes: [tiles],
      expected: ["TSR2016 4:15 in func 'tiles' (2:12): a tile loop is not allowed inside a device function"],
    },
    {
      name: 'errors in a func called by a func name both',
      text: applies('x[tn]'),
      holes: [wrapsTypo],
      expected: ["TSR2001 4:15 in func 'wraps' (1:34): in func 'typo' (1:33): unknown name 'y'"],
    },
    {
      name: 'TSR2030 recursion (only reachable with a hand-made func value)',
      text: applies('x[tn]'),
      holes: [selfCalling()],
      expected: ["TSR2030 4:15 in func 'again' (1:34): 'again' is called recursively (again → again)"],
    },
  ]);

  it('TSR2032 a func with errors of its own (the parser reports TSR1034 first; checkKernel alone reports TSR2032)', () => {
    const broken = func`fn broken(x: f32) -> f32 { return x + ; }`;
    expect(broken.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    // Through the tag, the kernel does not parse: TSR1034 names the func's first error.
    const def = kernelFromSource(applies('x[tn]'), [broken]);
    expect(def.diagnostics.map((d) => d.code)).toEqual(['TSR1034']);
    // Checking an AST made with a good func against the broken one (as a tool holding an
    // AST might) reports TSR2032 at the call.
    const ok = kernelFromSource(applies('x[tn]'), [relu]);
    if (!ok.ast) throw new Error('no AST');
    const got = checkKernel(ok.ast, [broken]).diagnostics;
    for (const d of got) exercised.add(d.code);
    expect(got.map(show)).toEqual(["TSR2032 4:15 device function 'broken' has errors"]);
  });

  it('a func named like the func it wraps is not recursion', () => {
    const inner = func`fn act(x: f32) -> f32 { return max(x, 0.0); }`;
    const outer = func`fn act(x: f32) -> f32 { return ${inner}(x) * 2.0; }`;
    expect(check(applies('x[tn]'), [outer]).map(show)).toEqual([]);
  });
});

// ---------------------------------------------------------------- warnings

describe('dim arithmetic and moved tile indices', () => {
  const twoParts = (result: string, alloc: string, ...body: string[]): string => [
    `fn k(a: f32[A], b: f32[B]) -> f32[${result}] {`,
    `  let out = empty([${alloc}], f32);`,
    '  for tn in tile(B) {',
    ...body.map((l) => `    ${l}`),
    '  }',
    '  return out;',
    '}',
  ].join('\n');
  runCases([
    {
      name: 'TSR2056 a moved tile index whose offset is a float',
      text: device('let t = x[tm, tn + s];', 'out[tm, tn] = t;'),
      expected: ["TSR2056 4:24 cannot index tile variable 'tn' with an offset that is f32"],
    },
    {
      name: 'TSR2056 a moved tile index whose offset is a tile',
      text: device('let t = v[tn + ix[tm, tn]];', 'out[tm, tn] = t;'),
      expected: ["TSR2056 4:20 cannot index tile variable 'tn' with an offset that is i32 tile [tm, tn]"],
    },
    {
      name: 'TSR2056 a moved tile index into a tile',
      text: device('let t = x[tm, tn];', 'let u = t[tm, tn + 1];', 'out[tm, tn] = u;'),
      expected: ['TSR2056 5:19 cannot index f32 tile [tm, tn] with a moved tile index'],
    },
    {
      name: 'TSR2045 a moved tile index beside an index tile',
      text: device('let t = x[ix[tm, tn], tn + 1];', 'out[tm, tn] = t;'),
      expected: ['TSR2045 4:27 a moved tile index (tn + k) together with an index tile is not supported yet'],
    },
    {
      name: 'TSR2004 a reversed tile (k - tn) is not a moved index',
      text: device('let t = v[n - tn];', 'out[tm, tn] = t;'),
      expected: ["TSR2004 4:15 operator '-' cannot combine i32 and tile index 'tn'"],
    },
    {
      name: 'TSR2026 a result dim expression over a dim no parameter binds, reported once',
      text: 'fn k(x: f32[N]) -> f32[N + K] {\n  let out = empty([N + K], f32);\n  for tn in tile(N) {\n    out[tn] = x[tn];\n  }\n  return out;\n}',
      expected: ["TSR2026 1:24 dimension 'K' is not bound by any tensor parameter"],
    },
    {
      name: 'TSR2019 the result type and the allocation spell different dims',
      text: twoParts('A + B', 'B + A', 'out[A + tn] = b[tn];'),
      expected: ['TSR2019 6:10 result 0 is declared as f32[A + B] but the returned tensor is f32[B + A]'],
    },
    {
      name: 'TSR2011 a loop over B indexes a dim A - B it is no part of',
      text: twoParts('A - B', 'A - B', 'out[tn] = b[tn];'),
      expected: ["TSR2011 4:9 tile variable 'tn' tiles dimension B but indexes dimension A - B of 'out'"],
    },
    {
      name: 'spacing and parentheses do not change a dim: A+B is (A + B); a loop over B indexes A + B; a moved store',
      text: twoParts('A+B', '(A + B)', 'out[tn] = b[tn];', 'out[A + tn] = b[tn] + a[tn - B];'),
      expected: [],
    },
  ]);
});

describe('warnings', () => {
  runCases([
    {
      name: 'TSR2901 an unused let, parameter and tile variable (a leading _ silences it)',
      text: [
        'fn k(x: f32[M, N], unused: f32[N], _quiet: f32) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for (tm, tn) in tile([M, N]) {',
        '    let row = x[tm, :];',
        '    let _scratch = row * 2.0;',
        '    out[tm] = sum(row, axis=1);',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2901 1:20 'unused' is never used", "TSR2901 3:12 'tn' is never used"],
    },
    {
      name: 'TSR2902 shadowing in an inner block',
      text: [
        'fn k(x: f32[N]) -> f32[N] {',
        '  let out = empty_like(x);',
        '  for tn in tile(N) {',
        '    let y = x[tn];',
        '    if true {',
        '      let y = 2.0;',
        '      out[tn] = x[tn] * y;',
        '    }',
        '    out[tn] = y;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2902 6:11 'y' shadows an earlier declaration at 4:9"],
    },
  ]);

  runCases([
    {
      name: 'TSR2901 inside a func is reported at the call',
      text: applies('x[tn]'),
      holes: [unusedLocal],
      expected: ["TSR2901 4:15 in func 'unused_local' (2:7): 'doubled' is never used"],
    },
  ]);

  it('warnings do not stop a kernel: the checked kernel comes back', () => {
    const def = kernelFromSource(['fn k(x: f32[N], unused: f32) -> f32[N] {', '  let out = empty_like(x);', '  for tn in tile(N) { out[tn] = x[tn]; }', '  return out;', '}'].join('\n'));
    if (!def.ast) throw new Error('no AST');
    const r = checkKernel(def.ast, []);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(r.kernel).toBeDefined();
  });

  it('after an error, unused-variable warnings and "never written" are held back', () => {
    const got = check([
      'fn k(x: f32[N], extra: f32) -> f32[N] {',
      '  let out = empty_like(x);',
      '  for tn in tile(N, block=3) { out[tn] = x[tn]; }',
      '  return out;',
      '}',
    ].join('\n'));
    expect(got.map(show)).toEqual(['TSR2025 3:27 block size 3 must be a positive power of two']);
  });
});

// ---------------------------------------------------------------- formatting and coverage

describe('positions, views and suggestions', () => {
  runCases([
    {
      name: 'TSR2004 tn + 1 says to write tn.index or tn.begin',
      text: device('let t = tn + 1;'),
      expected: ["TSR2004 4:13 operator '+' cannot combine tile index 'tn' and i32"],
      hint: 'a tile variable is not a number: for the positions of its elements write tn.index (an i32 tile), for where the tile starts tn.begin (an i32 scalar); to read a tensor write x[tn], at an offset x[tn + k] (inside an index only)',
    },
    {
      name: 'TSR2053 a misspelt tile member suggests the right one',
      text: device('let t = tn.idx;'),
      expected: ["TSR2053 4:13 tile variable 'tn' has no member 'idx'"],
      hint: "did you mean 'tn.index'? its members are tn.index (an i32 tile of positions), tn.begin, tn.end and tn.block_size (i32 scalars)",
    },
    {
      name: 'TSR2044 .index on a grid variable says it already is the index',
      text: [
        'fn k(x: f32[B, N]) -> f32[B, N] {',
        '  let out = empty_like(x);',
        '  for b in grid(B) {',
        '    for tn in tile(N) {',
        '      out[b, tn] = x[b, tn] + f32(b.index);',
        '    }',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2044 5:35 'b' has no member 'index': only tile variables have members (index, begin, end, block_size)"],
      hint: "'b' is a grid loop variable: it already is the program's i32 index; members such as .index belong to tile variables (for tm in tile(M))",
    },
    {
      name: 'TSR2054 a tile variable used after its loop',
      text: [
        'fn k(x: f32[M, N]) -> f32[M] {',
        '  let out = empty([M], f32);',
        '  for tm in tile(M) {',
        '    var acc = zeros([tm], f32);',
        '    for tn in tile(N) {',
        '      acc += sum(x[tm, tn], axis=1);',
        '    }',
        '    out[tm] = acc + f32(tn.begin);',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2054 8:25 tile variable 'tn' is used outside its loop"],
      hint: "'tn' exists only inside the body of the loop at 5:9; use it there, or keep what you need in a var declared before the loop",
    },
    {
      name: 'TSR2055 None outside an index',
      text: device('let t = None;'),
      expected: ["TSR2055 4:13 'None' only appears as an index of a tile, to add a unit axis"],
    },
    {
      name: 'TSR2056 a tile indexed with something other than : and None',
      text: device('let t = x[tm, tn][0, :];'),
      expected: ['TSR2056 4:23 cannot index f32 tile [tm, tn] with this index'],
    },
    {
      name: 'TSR2056 a tile indexed with too few items',
      text: device('let t = x[tm, tn][:, None];'),
      expected: ["TSR2056 4:13 cannot index f32 tile [tm, tn] with 1 ':'"],
    },
    {
      name: 'TSR2007 reshape that would move elements',
      text: device('let t = reshape(x[tm, tn], [tn, tm]);'),
      expected: ["TSR2007 4:13 'reshape' expects a shape that adds or removes unit axes of [tm, tn] but got f32 tile [tm, tn], shape [tn, tm]"],
    },
    {
      name: 'TSR2005 a per-row [tm] against [tm, tn] suggests m[:, None]',
      text: device('let m = max(x[tm, tn], axis=1);', 'let t = x[tm, tn] - m;'),
      expected: ["TSR2005 5:13 shapes [tm, tn] and [tm] do not broadcast: axis 1 is 'tn' in one and 'tm' in the other"],
      hint: "shapes align at their last axis, so [tm] lines up with 'tn': make it a column with m[:, None] (or keepdim=true on the reduction that made it)",
    },
    {
      name: 'TSR2001 a misspelt name suggests the declared one',
      text: device('let total = x[tm, tn];', 'let t = totl * 2.0;'),
      expected: ["TSR2001 5:13 unknown name 'totl'"],
      hint: "did you mean 'total'? declare it with let/var, take it as a parameter, or check the spelling",
    },
    {
      name: 'TSR2006 a misspelt builtin suggests the builtin',
      text: device('let t = sqrtt(x[tm, tn]);'),
      expected: ["TSR2006 4:13 unknown function 'sqrtt'"],
      hint: "did you mean 'sqrt'? see docs/language.md for the builtins; device functions come in through ${…} holes made with func`…`",
    },
    {
      name: "TSR2006 Triton's arange says to use tn.index",
      text: device('let t = arange(0, 16);'),
      expected: ["TSR2006 4:13 unknown function 'arange'"],
      hint: 'positions come from the tile variable: tn.index is the i32 tile of positions (Triton: pid * BLOCK + tl.arange(0, BLOCK)); see docs/language.md for the builtins; device functions come in through ${…} holes made with func`…`',
    },
    {
      name: 'TSR2028 mismatched inner axes suggest transpose(...)',
      text: [
        'fn k(a: f32[M, K], b: f32[N, K]) -> f32[M, N] {',
        '  let out = empty([M, N], f32);',
        '  for (tm, tn) in tile([M, N]) {',
        '    var acc = zeros([tm, tn], f32);',
        '    for tk in tile(K) {',
        '      acc += a[tm, tk] @ b[tn, tk];',
        '    }',
        '    out[tm, tn] = acc;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 6:14 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got [tm, tk] @ [tn, tk]"],
      hint: 'the inner axes of [tm, tk] @ [tn, tk] must be the same tile variable or dimension; the right operand is stored the other way round: write a[tm, tk] @ transpose(b[tn, tk]), which is [tm, tk] @ [tk, tn]',
    },
    {
      name: 'TSR2028 batched @ with mismatched inner axes suggests transpose(...) of the last two',
      text: [
        'fn k(a: f32[B, M, K], b: f32[B, N, K]) -> f32[B, M, N] {',
        '  let out = empty([B, M, N], f32);',
        '  for (tb, tm, tn) in tile([B, M, N]) {',
        '    var acc = zeros([tb, tm, tn], f32);',
        '    for tk in tile(K) {',
        '      acc += a[tb, tm, tk] @ b[tb, tn, tk];',
        '    }',
        '    out[tb, tm, tn] = acc;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 6:14 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got [tb, tm, tk] @ [tb, tn, tk]"],
      hint: 'the inner axes of [tb, tm, tk] @ [tb, tn, tk] must be the same tile variable or dimension; the right operand is stored the other way round: write a[tb, tm, tk] @ transpose(b[tb, tn, tk]), which is [tb, tm, tk] @ [tb, tk, tn]',
    },
    {
      name: 'TSR2028 batched @ with mismatched batch axes shows both shapes',
      text: [
        'fn k(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {',
        '  let out = empty([B, M, N], f32);',
        '  for (tb, tm, tn) in tile([B, M, N]) {',
        '    var acc = zeros([tb, tm, tn], f32);',
        '    for tk in tile(K) {',
        '      acc += a[tb, tm, tk] @ b[0, tk, tn][None, :, :];',
        '    }',
        '    out[tb, tm, tn] = acc;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 6:14 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got [tb, tm, tk] @ [1, tk, tn]"],
      hint: 'the batch (first) axes of [tb, tm, tk] @ [1, tk, tn] must be the same tile variable: index both operands with the same one, a[tb, …] @ b[tb, …]',
    },
    {
      name: 'TSR2028 batched @ of a 3-D tile by a 2-D one',
      text: [
        'fn k(a: f32[B, M, K], b: f32[K, N]) -> f32[B, M, N] {',
        '  let out = empty([B, M, N], f32);',
        '  for (tb, tm, tn) in tile([B, M, N]) {',
        '    var acc = zeros([tb, tm, tn], f32);',
        '    for tk in tile(K) {',
        '      acc += a[tb, tm, tk] @ b[tk, tn];',
        '    }',
        '    out[tb, tm, tn] = acc;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 6:14 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got [tb, tm, tk] @ [tk, tn]"],
      hint: 'a batched product takes two 3-D tiles [b, m, k] @ [b, k, n]: index both operands with three tile variables or slices',
    },
    {
      name: "TSR2028 a batched @ whose batch axis is a whole dimension says to tile it",
      text: [
        'fn k(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {',
        '  let out = empty([B, M, N], f32);',
        '  for (tm, tn) in tile([M, N]) {',
        '    out[:, tm, tn] = a[:, tm, :] @ b[:, :, tn];',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2028 4:22 '@' needs 2-D tiles [m, k] @ [k, n] or 3-D tiles [b, m, k] @ [b, k, n]; got [:B, tm, :K] @ [:B, :K, tn]"],
      hint: 'the batch axis of [:B, tm, :K] @ [:B, :K, tn] must be a tile variable: loop over it with tile(…), as in for (tb, tm, tn) in tile([B, M, N]), or give each matrix its own program with grid(B) and 2-D operands a[b, tm, tk]',
    },
    {
      name: 'TSR2029 a batched product is 3-D: it does not fit a 2-D accumulator',
      text: [
        'fn k(a: f32[B, M, K], b: f32[B, K, N]) -> f32[M, N] {',
        '  let out = empty([M, N], f32);',
        '  for (tb, tm, tn) in tile([B, M, N]) {',
        '    var acc = zeros([tm, tn], f32);',
        '    acc += a[tb, tm, :] @ b[tb, :, tn];',
        '    out[tm, tn] = acc;',
        '  }',
        '  return out;',
        '}',
      ].join('\n'),
      expected: ["TSR2029 5:5 'acc' would change type from f32 tile [tm, tn] to f32 tile [tb, tm, tn]: a var keeps the dtype and shape of its initial value"],
    },
  ]);
});

describe('the catalogue', () => {
  it('a checker diagnostic formats with code, kernel:line:col, the source line, a caret and the hint', () => {
    const text = device('let t = x[tm, tn] + ix[tm, tn];');
    const [d] = check(text);
    if (!d) throw new Error('no diagnostic');
    expect(formatDiagnostic(d, text)).toBe([
      "error[TSR2004]: operator '+' cannot combine f32 tile [tm, tn] and i32 tile [tm, tn]",
      '  --> kernel:4:13',
      '   |',
      ' 4 |     let t = x[tm, tn] + ix[tm, tn];',
      '   |             ^^^^^^^^^^^^^^^^^^^^^^',
      '   = hint: convert one side explicitly, e.g. f32(…)',
    ].join('\n'));
  });

  /**
   * Codes no kernel can trigger, with the reason. Keep this list short: a code here is
   * either dead (remove it) or a missing check (write it).
   */
  const UNREACHABLE: Partial<Record<CheckCode, string>> = {
    TSR2037: 'constant dims never conflict during checking: differing constants are different dims, so the mismatch surfaces where they meet (TSR2005, TSR2011, TSR2019), and the runtime checks argument sizes against constant dims',
  };

  it('every TSR2xxx code is exercised above or listed as unreachable with a reason', () => {
    const missing = (Object.keys(CHECK_CODES) as CheckCode[]).filter((c) => !exercised.has(c) && UNREACHABLE[c] === undefined);
    expect(missing).toEqual([]);
    for (const c of Object.keys(UNREACHABLE)) expect(exercised.has(c), `${c} is listed as unreachable but fires`).toBe(false);
  });
});
