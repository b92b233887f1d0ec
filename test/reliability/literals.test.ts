/**
 * Float constants are f32 values, the same on every backend: a literal is rounded to f32
 * as IEEE rounds (ties to even, subnormals kept, tiny values to 0); a finite literal
 * beyond f32's range is an error at the literal (TSR1036); `inf`, `-inf`, `nan` and the
 * holes `${Infinity}`, `${-Infinity}`, `${NaN}` are the non-finite constants; and an
 * expression over constants that overflows (`-1.0 / 0.0`, `exp(100.0)`) gives the IEEE
 * result instead of a WGSL compile error. Each case runs on both backends and is compared
 * with Math.fround of the exact value.
 */
import { expect, it } from 'vitest';
import { kernel, KernelError } from 'tessera-gpu';
import { kernelFromSource } from '../../packages/dsl/src/parse.ts';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { describeOnBackends } from '../support/backends.ts';
import { randomF32 } from '../support/random.ts';

const f = Math.fround;

/** [expression, f32 value it must give, hole values]. */
const CASES: readonly (readonly [string, number, readonly number[]])[] = [
  ['3.4028235e38', 3.4028234663852886e38, []],
  ['-3.4028235e38', -3.4028234663852886e38, []],
  ['3.4028234663852886e38', 3.4028234663852886e38, []],
  ['5e-324', 0, []],
  ['1e-46', 0, []],
  ['1e-45', f(1e-45), []],
  ['1.5e-45', f(1.5e-45), []],
  ['1e-40', f(1e-40), []],
  ['0.1', f(0.1), []],
  ['16777217.0', 16777216, []],
  ['inf', Infinity, []],
  ['-inf', -Infinity, []],
  ['nan', NaN, []],
  ['-1.0 / 0.0', -Infinity, []],
  ['1.0 / 0.0', Infinity, []],
  ['0.0 / 0.0', NaN, []],
  ['1e38 * 10.0', Infinity, []],
  ['-(1e38 * 10.0) - 1.0', -Infinity, []],
  ['exp(100.0)', Infinity, []],
  ['log(0.0)', -Infinity, []],
  ['sqrt(-1.0)', NaN, []],
  ['max(inf, 1.0) - 1.0', Infinity, []],
  ['where(1.0 > 0.0, -inf, 0.0)', -Infinity, []],
  ['f32(2147483647 + 1)', -2147483648, []],
  ['${0}', -Infinity, [-Infinity]],
  ['${0}', Infinity, [Infinity]],
  ['${0}', NaN, [NaN]],
  ['${0} * 2.0', Infinity, [3e38]],
  ['${0}', f(1e-46), [1e-46]],
];

function build(expr: string, holes: readonly number[]): ReturnType<typeof kernel> {
  const src = `fn lit(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = x[tn] * 0.0 + ${expr};
  }
  return out;
}`;
  const strings = src.split('${0}');
  return kernel(Object.assign(strings, { raw: strings }) as unknown as TemplateStringsArray, ...holes);
}

const same = (a: number, b: number): boolean => (Number.isNaN(a) ? Number.isNaN(b) : a === b);

describeOnBackends('f32 constants', (device) => {
  it(`${CASES.length} constant expressions give the IEEE f32 value`, async () => {
    const d = device();
    // Finite inputs, so x * 0.0 is 0 and the result is the constant itself.
    const n = 37;
    const x = d.tensor(randomF32(n, 7), [n]);
    const wrong: string[] = [];
    for (const [expr, want, holes] of CASES) {
      const [out] = await build(expr, holes).run([x], { config: { blocks: { tn: 16 } } });
      const got = Array.from((await out?.read()) ?? []);
      if (got.length !== n || !got.every((g) => same(g, want))) wrong.push(`${expr} [${holes.join()}]: got ${got[0]}, want ${want}`);
      out?.destroy();
    }
    expect(wrong).toEqual([]);
    x.destroy();
  }, 120_000);
});

function codes(src: string, holes: readonly number[] = []): string[] {
  const def = kernelFromSource(src, holes);
  const all = [...def.diagnostics];
  if (def.ast) all.push(...checkKernel(def.ast, def.holes).diagnostics);
  return all.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.span.start.line}:${x.span.start.col}`);
}

it('a finite float constant beyond f32 is an error at the literal or hole', () => {
  const src = (e: string): string => `fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    out[tn] = x[tn] + ${e};\n  }\n  return out;\n}`;
  expect(codes(src('1e309'))).toEqual(['TSR1036 4:23']);
  expect(codes(src('-3.5e38'))).toEqual(['TSR1036 4:24']);
  expect(codes(src('3.4028236e38'))).toEqual(['TSR1036 4:23']);
  expect(codes(src('${0}'), [1e39])).toEqual(['TSR1036 4:23']);
  expect(codes(src('3.4028235e38'))).toEqual([]);
  expect(() => build('1e309', []).wgsl()).toThrow(KernelError);
});

it('inf and nan are constants, not names', () => {
  const src = 'fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    let inf = x[tn];\n    out[tn] = inf;\n  }\n  return out;\n}';
  expect(codes(src)[0]).toBe('TSR2057 4:9');
});
