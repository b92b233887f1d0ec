/**
 * Integer literals and compound bitwise assignments in the front end: hex and `_`-separated
 * literals lex to their values, malformed ones are TSR1006, too large TSR1020; `&=` `|=`
 * `^=` `<<=` `>>=` type like their binary operators; a literal that does not fit the dtype
 * it takes is TSR2070 (i32 range) or TSR2071 (negative meeting u32), at the literal, with
 * a hint. Each case pins code, line:col, message (and hint where it matters), and that
 * nothing else is reported.
 */
import { describe, expect, it } from 'vitest';
import { func, kernelFromSource, type Diagnostic } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';
import type { Expr } from 'tessera-gpu-dsl/ast';

const show = (d: Diagnostic): string => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`;

/** Parse diagnostics, then (when the source parses) the checker's. */
function diagnostics(text: string): readonly Diagnostic[] {
  const def = kernelFromSource(text, []);
  if (def.diagnostics.length > 0 || !def.ast) return def.diagnostics;
  return checkKernel(def.ast, []).diagnostics;
}

/** A kernel whose tile loop body is `line` (line 4, column 5), with u32 and i32 at hand. */
function device(line: string): string {
  return [
    'fn k(x: f32[N], ix: i32[N], ux: u32[N], n: i32, u: u32) -> u32[N] {',
    '  let out = empty([N], u32);',
    '  for tn in tile(N) {',
    `    ${line}`,
    '    out[tn] = ux[tn] + u + u32(ix[tn] + n) + u32(x[tn]);',
    '  }',
    '  return out;',
    '}',
  ].join('\n');
}

/** The value of the literal initialising `let a = …;`. */
function literalValue(source: string): { value: number; isFloat: boolean } {
  const def = kernelFromSource(`fn f() { let a = ${source}; }`, []);
  expect(def.diagnostics.map(show)).toEqual([]);
  const stmt = def.ast?.body.stmts[0];
  const init: Expr | undefined = stmt?.kind === 'decl' ? stmt.init : undefined;
  if (init?.kind !== 'number') throw new Error(`not a number literal: ${source}`);
  return { value: init.value, isFloat: init.isFloat };
}

describe('integer literal spellings', () => {
  it.each([
    ['0xFF', 255], ['0X1f', 31], ['0x7fffffff', 2147483647], ['0xFFFFFFFF', 4294967295], ['0x0', 0],
    ['0x1e', 30], ['0x7fff_ffff', 2147483647], ['1_000_000', 1000000], ['4294967295', 4294967295],
  ])('%s is the integer %d', (source, value) => {
    expect(literalValue(source)).toEqual({ value, isFloat: false });
  });

  it.each([['1_000.5', 1000.5], ['1e1_0', 1e10], ['.5', 0.5], ['2.5e3', 2500]])('%s is the float %d', (source, value) => {
    expect(literalValue(source)).toEqual({ value, isFloat: true });
  });

  it.each(['0x', '0xG', '0x1G', '0xFFg', '1__0', '1_', '0x_1', '0x1.5', '1_e3'])('%s is TSR1006 at the literal', (source) => {
    expect(diagnostics(`fn f() { let a = ${source}; }`).map(show)).toEqual([`TSR1006 1:18 invalid number literal '${source}'`]);
  });

  it('a hex literal past 32 bits is TSR1020, with the largest one in the hint', () => {
    const [d, ...rest] = diagnostics('fn f() { let a = 0x1_0000_0000; }');
    expect(rest).toEqual([]);
    expect(d && show(d)).toBe("TSR1020 1:18 integer literal '0x1_0000_0000' is too large");
    expect(d?.hint).toContain('0xFFFFFFFF');
  });
});

describe('compound bitwise assignments', () => {
  it('type like their binary operators on i32 and u32 vars and stores', () => {
    const text = device('var a = ux[tn]; a &= 0xFF; a |= u; a ^= 0x8000_0000; a <<= 3; a >>= n; out[tn] = a; var b = ix[tn]; b <<= u; b >>= 1; b &= -2; b |= 0x7fffffff; b ^= n; out[tn] |= u32(b);');
    expect(diagnostics(text).map(show)).toEqual([]);
  });

  it.each([
    ['var f = x[tn]; f &= 1;', "TSR2004 4:20 operator '&=' cannot combine f32 tile [tn] and i32", 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)'],
    ['var a = ix[tn]; a |= 1.5;', "TSR2004 4:21 operator '|=' cannot combine i32 tile [tn] and f32", 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)'],
    ['var a = ix[tn]; a ^= u;', "TSR2004 4:21 operator '^=' cannot combine i32 tile [tn] and u32", "convert the value with i32(…): ^= keeps the target's dtype"],
    ['var c = ix[tn] > 0; c &= true;', "TSR2004 4:25 operator '&=' cannot combine bool tile [tn] and bool", 'bitwise operators take i32 or u32; for bools write &&'],
    ['var a = ix[tn]; a <<= x[tn];', "TSR2004 4:21 operator '<<=' cannot combine i32 tile [tn] and f32 tile [tn]", 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)'],
  ])('%s', (line, expected, hint) => {
    const got = diagnostics(device(line));
    expect(got.map(show)).toEqual([expected]);
    expect(got[0]?.hint).toBe(hint);
  });

  it('a compound store through an index tile is still refused (a scatter would race)', () => {
    expect(diagnostics(device('out[ix[tn]] |= u;')).map((d) => d.code)).toEqual(['TSR2045']);
  });
});

describe('literal range checks', () => {
  it.each([
    ['let a = ix[tn] + 2147483648;', 'TSR2070 4:22 integer literal 2147483648 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = ix[tn] & 0xFFFF0000;', 'TSR2070 4:22 integer literal 4294901760 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = n == 4294967295;', 'TSR2070 4:18 integer literal 4294967295 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = 3000000000;', 'TSR2070 4:13 integer literal 3000000000 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = 0x80000000 + 1;', 'TSR2070 4:13 integer literal 2147483648 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = i32(4294967295);', 'TSR2070 4:17 integer literal 4294967295 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = ix[tn] - -2147483649;', 'TSR2070 4:22 integer literal -2147483649 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = max(ix[tn], 0x80000000);', 'TSR2070 4:25 integer literal 2147483648 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let _a = 3000000000 << u;', ''],
    ['let a = u - -1;', 'TSR2071 4:17 negative literal -1 cannot be a u32'],
    ['let a = u == -1;', 'TSR2071 4:18 negative literal -1 cannot be a u32'],
    ['let a = ux[tn] & -256;', 'TSR2071 4:22 negative literal -256 cannot be a u32'],
    ['let a = u32(-1);', 'TSR2071 4:17 negative literal -1 cannot be a u32'],
    ['let a = where(ix[tn] > 0, ux[tn], -1);', 'TSR2071 4:39 negative literal -1 cannot be a u32'],
    ['let a = full([tn], -1, u32);', 'TSR2071 4:24 negative literal -1 cannot be a u32'],
    ['var a = u; a += -1;', 'TSR2071 4:21 negative literal -1 cannot be a u32'],
    ['var a = ux[tn]; a &= -1;', 'TSR2071 4:26 negative literal -1 cannot be a u32'],
    ['out[tn] = -1;', 'TSR2071 4:15 negative literal -1 cannot be a u32'],
    ['let a = ux[tn] & ~0xFF; let b = ix[tn] & ~0xFF; var c = ux[tn]; c &= ~0x8000_0000; out[tn] = a | ~0xFFFFFFF0 | c | u32(b);', ''],
    ['let a = ix[tn] & ~0x80000000;', 'TSR2070 4:23 integer literal 2147483648 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
    ['let a = ~0xFFFFFFFF;', 'TSR2070 4:14 integer literal 4294967295 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)'],
  ])('%s', (line, expected) => {
    expect(diagnostics(device(line)).map(show)).toEqual(expected === '' ? [] : [expected]);
  });

  it('the edge values fit: i32 min and max, u32 max, and -8 shifted by a u32 amount stays i32', () => {
    const text = device('let a = ix[tn] + 2147483647 + -2147483648 + 0x7FFFFFFF; let b = ux[tn] + 4294967295 + 0xFFFFFFFF + 0; let c = u32(0xFFFFFFFF) + u32(-2147483648 + n); let d = -8 >> u; let e = i32(-2147483648) + d + a; out[tn] = b + c + u32(e);');
    expect(diagnostics(text).map(show)).toEqual([]);
  });

  it('~literal takes the dtype it meets, like a literal, but never a float', () => {
    const [d, ...rest] = diagnostics(device('let a = x[tn] * ~1;'));
    expect(rest).toEqual([]);
    expect(d && show(d)).toBe("TSR2004 4:13 operator '*' cannot combine f32 tile [tn] and i32");
    expect(d?.hint).toBe('~ gives an integer: write the f32 value itself, or convert with f32(~…)');
  });

  it('hints say how to get the intended value', () => {
    const [tooBig] = diagnostics(device('let a = ix[tn] & 0xFFFF0000;'));
    expect(tooBig?.hint).toBe('for values above 2147483647 compute in u32 (convert the other side with u32(…)); as a bit pattern, the i32 with the same bits is -65536');
    const [negative] = diagnostics(device('let a = ux[tn] & -256;'));
    expect(negative?.hint).toBe('u32 holds 0 to 4294967295 (0xFFFFFFFF) (0xFFFFFF00 = 4294967040 has the same bits); to compute with negative numbers, convert the u32 side with i32(…)');
  });

  it('a func argument and a func result are checked against their declared dtypes', () => {
    const g = func`fn g(a: u32) -> i32 { return 2147483648; }`;
    const withG = kernelFromSource(device('out[tn] = u32(${0}(u));'), [g]);
    if (!withG.ast) throw new Error('no AST');
    expect(checkKernel(withG.ast, [g]).diagnostics.map(show)).toEqual([
      "TSR2070 4:19 in func 'g' (1:30): integer literal 2147483648 does not fit i32, which holds -2147483648 to 2147483647 (0x7FFFFFFF)",
    ]);
    const h = func`fn h(a: u32) -> u32 { return a + 1; }`;
    const text = device('out[tn] = ${0}(-1);');
    const def = kernelFromSource(text, [h]);
    if (!def.ast) throw new Error('no AST');
    expect(checkKernel(def.ast, [h]).diagnostics.map(show)).toEqual(['TSR2071 4:20 negative literal -1 cannot be a u32']);
  });
});
