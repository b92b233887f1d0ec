/**
 * Deep nesting and pasted garbage: past the front end's limits a kernel gets one typed,
 * located diagnostic (TSR1037), never a stack overflow or an internal error; below them,
 * sources deeper than Tint's own parser limits compile and run on both backends (the
 * WGSL emitter spills deep subtrees into lets). Diagnostics stay small: long lines are
 * shown as a window around the caret, and a flood of them ends in "N more".
 */
import { expect, it } from 'vitest';
import { kernel, KernelError, formatDiagnostics } from 'tessera-gpu';
import { ExpressionDepthError } from 'tessera-gpu-compiler';
import { parseKernelSource } from '../../packages/dsl/src/parse.ts';
import { describeOnBackends } from '../support/backends.ts';
import { randomF32 } from '../support/random.ts';

const K = (body: string, pre = ''): string =>
  `fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n${pre}    out[tn] = ${body};\n  }\n  return out;\n}`;
const tag = (src: string): ReturnType<typeof kernel> => kernel(Object.assign([src], { raw: [src] }) as unknown as TemplateStringsArray);

/** [name, source, reference of x, with the scalar m = 1]. */
const DEEP: readonly (readonly [string, string, (x: number) => number])[] = [
  ['200 chained +', K(Array.from({ length: 200 }, () => 'x[tn]').join(' + ')), (x) => 200 * x],
  ['190 parentheses', K(`${'('.repeat(190)}x[tn]${')'.repeat(190)}`), (x) => x],
  ['61 unary minus', K(`${'- '.repeat(61)}x[tn]`), (x) => -x],
  ['121 chained let', K('a120', `    let a0 = x[tn];\n${Array.from({ length: 120 }, (_, i) => `    let a${i + 1} = a${i} + 1.0;\n`).join('')}`), (x) => x + 120],
  ['128 nested calls', K(`${'abs('.repeat(128)}x[tn]${')'.repeat(128)}`), (x) => Math.abs(x)],
  ['60 nested if', `fn k(x: f32[N], m: i32) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    var v = x[tn];\n${'    if m > 0 {\n'.repeat(60)}      v += 1.0;\n${'    }\n'.repeat(60)}    out[tn] = v;\n  }\n  return out;\n}`, (x) => x + 1],
];

describeOnBackends('deep kernels below the limits', (device) => {
  it.each(DEEP)('%s compiles and matches the reference', async (_name, src, ref) => {
    const d = device();
    const n = 37;
    const xs = randomF32(n, 3);
    const args = src.includes('m: i32') ? [d.tensor(xs, [n]), 1] : [d.tensor(xs, [n])];
    const [out] = await tag(src).run(args as never, { config: { blocks: { tn: 16 } } });
    const got = Array.from((await out?.read()) ?? []);
    const want = Array.from(xs, ref);
    expect(Math.max(...want.map((w, i) => Math.abs((got[i] ?? NaN) - w) / Math.max(1, Math.abs(w))))).toBeLessThan(1e-5);
  }, 60_000);
});

it.each([
  ['2000 chained +', K(Array.from({ length: 2000 }, () => 'x[tn]').join(' + '))],
  ['818 parentheses', K(`${'('.repeat(818)}x[tn]${')'.repeat(818)}`)],
  ['100000 parentheses', K(`${'('.repeat(100000)}x[tn]${')'.repeat(100000)}`)],
  ['5000 unary minus', K(`${'-'.repeat(5000)}x[tn]`)],
  ['5000 bitwise not', K(`f32(${'~'.repeat(5000)}i32(x[tn]))`)],
  ['300 nested if', `fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n${'    if 1 > 0 {\n'.repeat(300)}${'    }\n'.repeat(300)}    out[tn] = x[tn];\n  }\n  return out;\n}`],
])('%s: one typed, located TSR1037', (_name, src) => {
  const r = parseKernelSource(src);
  expect(r.ast).toBeUndefined();
  const deep = r.diagnostics.filter((d) => d.code === 'TSR1037');
  expect(deep.length).toBe(1);
  expect(deep[0]?.span.start.line).toBeGreaterThan(1);
  expect(() => tag(src).wgsl()).toThrow(KernelError);
});

it('a chain of 1000 lets is a typed TSR3003, not a stack overflow', () => {
  const src = K('a1000', `    let a0 = x[tn];\n${Array.from({ length: 1000 }, (_, i) => `    let a${i + 1} = a${i} + 1.0;\n`).join('')}`);
  expect(() => tag(src).wgsl()).toThrow(/TSR3003|1001 operations deep/);
});

it('TSR3003 points at the statement that reads the end of the chain, with the hint', () => {
  const src = K('a1000', `    let a0 = x[tn];\n${Array.from({ length: 1000 }, (_, i) => `    let a${i + 1} = a${i} + 1.0;\n`).join('')}`);
  const line = src.split('\n').findIndex((l) => l.includes('out[tn] = a1000')) + 1;
  const error = (() => { try { tag(src).wgsl(); } catch (e) { return e; } return undefined; })();
  expect(error).toBeInstanceOf(ExpressionDepthError);
  const e = error as ExpressionDepthError;
  expect(e.code).toBe('TSR3003');
  expect(e.message).toBe(`kernel 'k' at kernel:${line}:5: an expression is 1001 operations deep once its lets are inlined (at most 600)`);
  expect(e.span?.start).toMatchObject({ line, col: 5 });
  expect(e.hint).toBe('break the chain with a var (var acc = …; acc = acc + …;), whose value is stored rather than inlined');
});

it('a long line is shown around the caret, and many diagnostics end in "N more"', () => {
  const blob = '@#'.repeat(5000);
  const src = `fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x); ${blob}\n  return out;\n}`;
  const r = parseKernelSource(src);
  expect(r.diagnostics.length).toBeGreaterThan(20);
  const text = formatDiagnostics(r.diagnostics, src);
  expect(text.length).toBeLessThan(20_000);
  expect(text).toMatch(/\.\.\. and \d+ more diagnostics/);
  for (const line of text.split('\n')) expect(line.length).toBeLessThan(260);
  // One megabyte of one-line garbage: a bounded message, quickly.
  const big = `fn k() { ${'x'.repeat(1_000_000)} ${'+ ('.repeat(50_000)} }`;
  const t0 = Date.now();
  const message = formatDiagnostics(parseKernelSource(big).diagnostics, big);
  expect(message.length).toBeLessThan(20_000);
  expect(Date.now() - t0).toBeLessThan(20_000);
});
