/**
 * The front-end fuzz, extended to depth, width and names: kernels nested to random depths
 * (parentheses, prefix minus, chained +, nested calls, chained lets, nested ifs), with
 * very long lines and awkward identifiers (WGSL keywords, Object.prototype members). Each
 * gives either typed diagnostics (never TSR9000, never a thrown RangeError) or a kernel
 * that compiles and computes the reference on every backend; a generated shader that
 * Dawn rejects fails the test.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { kernel, TesseraError, type Tensor } from 'tessera-gpu';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { parseKernelSource } from '../../packages/dsl/src/index.ts';
import { describeOnBackends } from '../support/backends.ts';
import { randomF32 } from '../support/random.ts';
import { AWKWARD_NAMES } from '../reliability/awkward-names.ts';

type Shape = 'parens' | 'minus' | 'plus' | 'calls' | 'lets' | 'ifs';

interface Case { readonly src: string; readonly ref: (x: number) => number }

function build(shape: Shape, depth: number, name: string, pad: number): Case {
  const v = `x[tn]`;
  const spaces = ' '.repeat(pad);
  let pre = '';
  let e: string;
  let ref: (x: number) => number;
  switch (shape) {
    case 'parens': e = `${'('.repeat(depth)}${v}${')'.repeat(depth)}`; ref = (x) => x; break;
    case 'minus': e = `${'- '.repeat(depth)}${v}`; ref = (x) => (depth % 2 === 0 ? x : -x); break;
    case 'plus': e = Array.from({ length: depth }, () => v).join(` +${spaces}`); ref = (x) => depth * x; break;
    case 'calls': e = `${'abs('.repeat(depth)}${v}${')'.repeat(depth)}`; ref = (x) => Math.abs(x); break;
    case 'lets':
      pre = `    let a0 = ${v};\n${Array.from({ length: depth }, (_, i) => `    let a${i + 1} = a${i} + 1.0;${spaces}\n`).join('')}`;
      e = `a${depth}`; ref = (x) => x + depth; break;
    case 'ifs':
      pre = `    var w = ${v};\n${'    if 1 > 0 {\n'.repeat(depth)}      w += 1.0;\n${'    }\n'.repeat(depth)}`;
      e = 'w'; ref = (x) => x + 1; break;
  }
  const src = `fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n${pre}    let ${name} = ${e};${spaces}// ${'c'.repeat(pad)}\n    out[tn] = ${name};\n  }\n  return out;\n}`;
  return { src, ref };
}

const cases = fc.record({
  shape: fc.constantFrom<Shape>('parens', 'minus', 'plus', 'calls', 'lets', 'ifs'),
  depth: fc.oneof(fc.integer({ min: 1, max: 160 }), fc.integer({ min: 160, max: 3000 })),
  name: fc.constantFrom(...AWKWARD_NAMES),
  pad: fc.oneof(fc.constant(0), fc.integer({ min: 1000, max: 20_000 })),
}).map(({ shape, depth, name, pad }) => ({ ...build(shape, depth, name, pad), shape, depth }));

/** The front end's answer: the errors (all typed), or none. */
function frontEnd(src: string): string[] {
  const parsed = parseKernelSource(src);
  const diags = [...parsed.diagnostics];
  if (parsed.ast) diags.push(...checkKernel(parsed.ast, []).diagnostics);
  for (const d of diags) {
    expect(d.code).toMatch(/^TSR[12]\d{3}$/);
    expect(d.message.length).toBeLessThan(400);
  }
  return diags.filter((d) => d.severity === 'error').map((d) => d.code);
}

it('every deep, wide or awkwardly named kernel gets typed diagnostics or an AST', () => {
  fc.assert(fc.property(cases, (c) => {
    frontEnd(c.src);
  }), { numRuns: 150 });
}, 60_000);

describeOnBackends('deep, wide, awkwardly named kernels', (device) => {
  it('those the front end accepts compile and match the reference', async () => {
    const d = device();
    const n = 19;
    const xs = randomF32(n, 11);
    const x = d.tensor(xs, [n]);
    let ran = 0;
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      if (frontEnd(c.src).length > 0) return;
      const k = kernel(Object.assign([c.src], { raw: [c.src] }) as unknown as TemplateStringsArray);
      // The one limit past the front end: too deep once lets are inlined, a typed TSR3003.
      const result = await k.run([x], { config: { blocks: { tn: 8 } } }).catch((e: unknown) => e);
      if (result instanceof TesseraError && result.code === 'TSR3003' && c.shape === 'lets') return;
      if (!Array.isArray(result)) throw result;
      const [out] = result as Tensor[];
      const got = Array.from((await out?.read()) ?? []);
      out?.destroy();
      const want = Array.from(xs, c.ref);
      expect(Math.max(...want.map((w, i) => Math.abs((got[i] ?? NaN) - w) / Math.max(1, Math.abs(w)))), `${c.shape} ${c.depth}`).toBeLessThan(1e-4);
      ran++;
    }), { numRuns: 12, seed: 1414 });
    expect(ran).toBeGreaterThan(3);
    x.destroy();
  }, 240_000);
});
