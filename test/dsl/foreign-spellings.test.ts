/**
 * What a Python, Triton, Helion, NumPy or PyTorch user writes first, and the one
 * diagnostic each gets: its code, where (line:col) and a hint that says how Tessera
 * spells it (packages/dsl/src/foreign-spellings.ts).
 */
import { describe, expect, it } from 'vitest';
import { kernelFromSource, type Diagnostic } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';

/** A row kernel with `expr` as the value stored on line 4, column 18. */
function rowKernel(expr: string): string {
  return `fn f(x: f32[M, N]) -> f32[M, N] {\n  let out = empty_like(x);\n  for tm in tile(M) {\n    out[tm, :] = ${expr};\n  }\n  return out;\n}`;
}

function diagnostics(text: string): readonly Diagnostic[] {
  const def = kernelFromSource(text);
  if (def.diagnostics.length > 0 || def.ast === undefined) return def.diagnostics;
  return checkKernel(def.ast, def.holes).diagnostics;
}

function one(text: string): string {
  const ds = diagnostics(text);
  expect(ds, ds.map((d) => d.message).join('\n')).toHaveLength(1);
  const d = ds[0]!;
  return `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.hint ?? ''}`;
}

// [what is written, the expression stored, the expected `code line:col hint`]
const CASES: readonly (readonly [string, string, string])[] = [
  ['a method reduction', 'x[tm, :].sum(axis=1, keepdim=true)', 'TSR1022 4:18 tiles have no methods: write sum(x[tm, :], …)'],
  ['a method without arguments', 'x[tm, :].exp()', 'TSR1022 4:18 tiles have no methods: write exp(x[tm, :])'],
  ['a cast method', 'x[tm, :].to(f16)', 'TSR1022 4:18 tiles have no methods: cast with f16(x), f32(x), i32(x) …'],
  ['a Triton module prefix', 'tl.exp(x[tm, :])', 'TSR1022 4:18 builtins take no module prefix: write exp(…)'],
  ['a torch function with another spelling', 'torch.maximum(x[tm, :], 0.0)', 'TSR1022 4:18 max(a, b) with two arguments is elementwise; builtins take no module prefix'],
  ['a module function that does not exist', 'tl.frobnicate(x[tm, :])', "TSR1022 4:18 builtins take no module prefix, and 'frobnicate' is not one; see docs/language.md for the builtins"],
  ['math.inf', 'x[tm, :] * math.inf', 'TSR2044 4:29 write inf (or -inf): infinities are literals in a kernel'],
  ['torch.pi', 'x[tm, :] * torch.pi', 'TSR2044 4:29 write the number (3.14159265) or pass Math.PI in a ${…} hole'],
  ["float('-inf')", "max(x[tm, :], float('-inf'))", "TSR1005 4:38 kernels have no strings: float('inf') is written inf, float('-inf') -inf, float('nan') nan"],
  ['float("nan") in double quotes', 'x[tm, :] * float("nan")', "TSR1005 4:35 kernels have no strings: float('inf') is written inf, float('-inf') -inf, float('nan') nan"],
  ['a ** b', 'x[tm, :] ** 2.0', 'TSR1015 4:28 there is no ** operator: write pow(a, b)'],
  ["'and'", 'where(x[tm, :] > 0.0 and x[tm, :] < 1.0, 1.0, 0.0)', "TSR1001 4:39 write && for 'and'"],
  ["'or'", 'where(x[tm, :] > 0.0 or x[tm, :] < -1.0, 1.0, 0.0)', "TSR1001 4:39 write || for 'or'"],
  ["'not'", 'where(not x[tm, :] > 0.0, 1.0, 0.0)', "TSR1001 4:28 write ! for 'not'"],
  ['a conditional expression', 'x[tm, :] if M > 2 else 0.0', 'TSR1002 4:27 a conditional value is written where(condition, a, b)'],
  ['relu', 'relu(x[tm, :])', 'TSR2006 4:18 write max(x, 0.0); see docs/language.md for the builtins; device functions come in through ${…} holes made with func`…`'],
  ['softmax with an axis: unknown, not a bad keyword', 'softmax(x[tm, :], axis=1)', 'TSR2006 4:18 write it out: let e = exp(x - max(x, axis=1, keepdim=true)); e / sum(e, axis=1, keepdim=true); see docs/language.md for the builtins; device functions come in through ${…} holes made with func`…`'],
  ['tl.arange-style positions', 'f32(arange(0, 4))', 'TSR2006 4:22 positions come from the tile variable: tn.index is the i32 tile of positions (Triton: pid * BLOCK + tl.arange(0, BLOCK)); see docs/language.md for the builtins; device functions come in through ${…} holes made with func`…`'],
];

describe('first spellings from Python, Triton and Helion get one diagnostic that says what to write', () => {
  it.each(CASES)('%s', (_what, expr, expected) => {
    expect(one(rowKernel(expr))).toBe(expected);
  });

  it("names that are Object.prototype's members are unknown functions like any other", () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const got = one(rowKernel(`${name}(x[tm, :])`));
      expect(got).toMatch(/^TSR2006 4:18 /);
      expect(got).not.toMatch(/native code|\[object|=>/);
    }
  });

  it('a module name that is a parameter of the kernel is that parameter, not a module', () => {
    const text = 'fn f(x: f32[N], math: f32) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    out[tn] = x[tn] * math.inf;\n  }\n  return out;\n}';
    const ds = diagnostics(text);
    expect(ds.map((d) => d.code)).toEqual(['TSR2044']);
    expect(ds[0]?.hint).not.toMatch(/infinities are literals/);
  });
});
