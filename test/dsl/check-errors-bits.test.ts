/**
 * The checker on bitwise operators and the random builtins: integers only (floats and
 * bools get a diagnostic at the operator with a hint), C's precedence (`a & 1 == 0` is
 * `a & (1 == 0)`), and rand/randn/randint's seed and offsets. Each case pins code,
 * line:col, message and hint, and that nothing else is reported.
 */
import { describe, expect, it } from 'vitest';
import { kernelFromSource, type Diagnostic } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';

function check(text: string): readonly Diagnostic[] {
  const def = kernelFromSource(text, []);
  expect(def.diagnostics.map(show)).toEqual([]);
  if (!def.ast) throw new Error('no AST');
  return checkKernel(def.ast, []).diagnostics;
}

const show = (d: Diagnostic): string => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`;

/** A kernel whose tile loop body is `line` (line 4, column 5). */
function device(line: string): string {
  return [
    'fn k(x: f32[M, N], ix: i32[M, N], s: f32, n: i32, u: u32) -> f32[M, N] {',
    '  let out = empty_like(x);',
    '  for (tm, tn) in tile([M, N]) {',
    `    ${line}`,
    '    out[tm, tn] = x[tm, tn] + s + f32(ix[tm, tn] + n) + f32(u);',
    '  }',
    '  return out;',
    '}',
  ].join('\n');
}

interface Case {
  readonly name: string;
  readonly line: string;
  readonly expected: string;
  readonly hint: string;
}

const CASES: readonly Case[] = [
  {
    name: "'&' on a float tile",
    line: 'let t = x[tm, tn] & 1;',
    expected: "TSR2004 4:13 operator '&' cannot combine f32 tile [tm, tn] and i32",
    hint: 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)',
  },
  {
    name: "'<<' by a float amount",
    line: 'let t = ix[tm, tn] << 1.5;',
    expected: "TSR2004 4:13 operator '<<' cannot combine i32 tile [tm, tn] and f32",
    hint: 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)',
  },
  {
    name: "'|' on bools suggests '||'",
    line: 'let t = (s > 0.0) | (n > 0);',
    expected: "TSR2004 4:13 operator '|' cannot combine bool and bool",
    hint: 'bitwise operators take i32 or u32; for bools write ||',
  },
  {
    name: "'^' on bools suggests '!='",
    line: 'let t = (s > 0.0) ^ (n > 0);',
    expected: "TSR2004 4:13 operator '^' cannot combine bool and bool",
    hint: 'bitwise operators take i32 or u32; for an exclusive or of bools write a != b',
  },
  {
    name: "'&' mixing i32 and u32",
    line: 'let t = ix[tm, tn] & u;',
    expected: "TSR2004 4:13 operator '&' cannot combine i32 tile [tm, tn] and u32",
    hint: 'convert one side explicitly, e.g. u32(…)',
  },
  {
    name: "C's precedence: 'a & 1 == 0' compares first",
    line: 'let t = ix[tm, tn] & 1 == 0;',
    expected: "TSR2004 4:13 operator '&' cannot combine i32 tile [tm, tn] and bool",
    hint: 'bitwise operators take i32 or u32; for bools write &&',
  },
  {
    name: "'~' on a float",
    line: 'let t = ~s;',
    expected: "TSR2048 4:13 operator '~' cannot be applied to f32",
    hint: 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)',
  },
  {
    name: "'~' on a bool suggests '!'",
    line: 'let t = ~(n > 0);',
    expected: "TSR2048 4:13 operator '~' cannot be applied to bool",
    hint: 'bitwise operators take i32 or u32; for a bool write !',
  },
  {
    name: 'rand with a float seed',
    line: 'let t = rand(s, tn.index);',
    expected: "TSR2007 4:18 'rand' expects an i32 or u32 scalar seed but got f32",
    hint: 'convert the seed with u32(…), or pass it as an i32/u32 parameter: rand(seed, tn.index): an i32 or u32 scalar seed (a kernel parameter) and integer offsets, one per element',
  },
  {
    name: 'randn with a tile of seeds',
    line: 'let t = randn(ix[tm, tn], tn.index);',
    expected: "TSR2007 4:19 'randn' expects an i32 or u32 scalar seed but got i32 tile [tm, tn]",
    hint: 'the seed is one number for the whole stream; vary the offsets per element instead',
  },
  {
    name: 'randint with float offsets',
    line: 'let t = randint(n, x[tm, tn]);',
    expected: "TSR2007 4:24 'randint' expects i32 or u32 offsets but got f32 tile [tm, tn]",
    hint: 'offsets are integer positions (tn.index, or tm.index[:, None] * N + tn.index for a 2-D tile); convert with i32(…)',
  },
  {
    name: 'rand with one argument',
    line: 'let t = rand(tn.index);',
    expected: "TSR2007 4:13 'rand' expects a seed and offsets but got i32 tile [tn]",
    hint: 'rand(seed, tn.index): an i32 or u32 scalar seed (a kernel parameter) and integer offsets, one per element',
  },
];

describe('bitwise operators and random builtins: diagnostics', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const got = check(device(c.line));
      expect(got.map(show)).toEqual([c.expected]);
      expect(got[0]?.hint).toBe(c.hint);
    });
  }

  it('rand takes no keyword arguments', () => {
    expect(check(device('let t = rand(n, tn.index, axis=1);')).map(show)).toEqual(["TSR2008 4:31 'rand' has no keyword argument 'axis'"]);
  });

  it('correct uses type cleanly: results take the dtype of the value, rand the offsets\' shape', () => {
    const text = device('out[tm, tn] = f32((ix[tm, tn] & 255 | n << 2) ^ ~n >> 1) + f32(u >> ix[tm, tn] & u) + rand(u, tm.index[:, None] * N + tn.index) + randn(n, 7) + f32(randint(n, tn.index));');
    expect(check(text).map(show)).toEqual([]);
  });
});
