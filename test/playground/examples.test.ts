/**
 * The playground's logic without a browser: its examples compile and mirror examples/,
 * share links round-trip, shape inputs that are not sizes are refused with a message, the
 * engine tunes through the runtime's autotune and cache, diagnostics map to the right
 * place in the editor.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, concreteShape } from '../../packages/playground/src/analyze.ts';
import { toLintDiagnostic } from '../../packages/playground/src/editor/lint.ts';
import { TuningCache, setDefaultTuningCache } from 'tessera-gpu-runtime';
import { configText, openEngine } from '../../packages/playground/src/engine.ts';
import { EXAMPLES, exampleForSource } from '../../packages/playground/src/examples/index.ts';
import { makeArgs, maxAbsDiff, sizeProblem } from '../../packages/playground/src/inputs.ts';
import { fieldProblem, MAX_DIM } from '../../packages/playground/src/ui/shape-controls.ts';
import { webgpu } from '../support/webgpu.ts';
import { decodeShare, encodeShare, fromBase64Url, toBase64Url } from '../../packages/playground/src/share.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The kernel text a module under examples/ exports (a kernel made by the `kernel` tag). */
async function kernelTextOf(file: string): Promise<string[]> {
  const mod: Record<string, unknown> = await import(`${ROOT}${file}`);
  return Object.values(mod).flatMap((v) => {
    const def: unknown = typeof v === 'function' ? Reflect.get(v, 'def') : undefined;
    const source: unknown = typeof def === 'object' && def !== null ? Reflect.get(def, 'source') : undefined;
    const text: unknown = typeof source === 'object' && source !== null ? Reflect.get(source, 'text') : undefined;
    return typeof text === 'string' ? [text] : [];
  });
}

describe('playground examples', () => {
  for (const e of EXAMPLES) {
    it(`${e.id} parses and checks, and its shape covers every dim and scalar`, () => {
      const a = analyze(e.source);
      expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(a.kernel).toBeDefined();
      expect(Object.keys(e.dims).sort()).toEqual([...(a.signature?.dims ?? [])].sort());
      const scalars = a.signature?.params.filter((p) => p.kind === 'scalar').map((p) => p.name) ?? [];
      expect(Object.keys(e.scalars ?? {}).sort()).toEqual(scalars.sort());
    });

    it(`${e.id}: the reference accepts the playground's inputs`, () => {
      const a = analyze(e.source);
      if (a.signature === undefined) throw new Error('no signature');
      const small = Object.fromEntries(Object.keys(e.dims).map((d) => [d, 5]));
      const args = makeArgs(a.signature, small, e.scalars ?? {});
      const tensors = Object.fromEntries(args.flatMap((x) => (x.kind === 'tensor' && x.data instanceof Float32Array ? [[x.name, x.data]] : [])));
      const out = e.reference({ tensors, scalars: e.scalars ?? {}, dims: small });
      expect(out.length).toBe(a.signature.outputs.length);
      expect(out.every((o) => o.every(Number.isFinite))).toBe(true);
    });

    const mirrors = e.mirrors;
    if (mirrors !== undefined) {
      it.skipIf(!existsSync(`${ROOT}${mirrors}`))(`${e.id} mirrors ${mirrors}`, async () => {
        const texts = await kernelTextOf(mirrors);
        const same = texts.some((t) => exampleForSource(t) === e);
        expect(same, `packages/playground/src/examples/${e.id}.ts differs from ${mirrors}: update the playground's copy`).toBe(true);
      });
    }
  }

  it('an edited kernel has no reference; comments and spacing do not count as edits', () => {
    const add = EXAMPLES[0];
    if (add === undefined) throw new Error('no examples');
    expect(exampleForSource(`// a comment\n${add.source.replace(/\n/g, '\n\n')}`)).toBe(add);
    expect(exampleForSource(add.source.replace('x[tn] + y[tn]', 'x[tn] - y[tn]'))).toBeUndefined();
  });
});

describe('share links', () => {
  it('round-trip source (any UTF-8) and shape through the hash', () => {
    const source = 'fn f(x: f32[N]) -> f32[N] { // naïve — ∑ 🙂\n}';
    const hash = encodeShare({ source, shape: { N: 1000, M: 7 } });
    expect(hash).toMatch(/^k=[A-Za-z0-9_-]+&shape=N=1000,M=7$/);
    expect(decodeShare(`#${hash}`)).toEqual({ source, shape: { N: 1000, M: 7 } });
    expect(fromBase64Url(toBase64Url(source))).toBe(source);
  });

  it('ignores a missing or damaged hash', () => {
    expect(decodeShare('')).toBeUndefined();
    expect(decodeShare('#k=%%%')).toBeUndefined();
    expect(decodeShare(`#k=${toBase64Url('x')}&shape=N=abc`)).toEqual({ source: 'x', shape: {} });
  });
});

describe('shape inputs', () => {
  it.each([
    ['', /M is empty: give a size from 1 to 16777216/],
    ['0', /M must be at least 1 \(got 0\)/],
    ['-4', /M must be at least 1 \(got -4\)/],
    ['2.5', /M must be a whole number \(got '2.5'\)/],
    ['99999999', /M must be at most 16777216/],
  ])('%j is refused with a message', (text, message) => {
    expect(fieldProblem('M', 'dim', text)).toMatch(message);
  });

  it('sizes and scalars that are fine pass', () => {
    expect(fieldProblem('M', 'dim', '1')).toBeUndefined();
    expect(fieldProblem('M', 'dim', String(MAX_DIM))).toBeUndefined();
    expect(fieldProblem('alpha', 'scalar', '-0.5')).toBeUndefined();
    expect(fieldProblem('alpha', 'scalar', '')).toMatch(/alpha is empty/);
  });

  it('a tensor larger than the adapter holds is named with its size', () => {
    const a = analyze(EXAMPLES.find((x) => x.id === 'matmul')?.source ?? '');
    if (a.signature === undefined) throw new Error('no signature');
    expect(sizeProblem(a.signature, { M: 64, K: 64, N: 64 }, 2 ** 27)).toBeUndefined();
    expect(sizeProblem(a.signature, { M: 16384, K: 16384, N: 8 }, 2 ** 27)).toMatch(/^Shape: a: f32\[16384, 16384\] needs 1\.0 GiB, more than this adapter's largest buffer \(128\.0 MiB\)/);
  });

  it('output dims written as expressions get their sizes from the others', () => {
    const a = analyze(`fn cat(a: f32[M, A], b: f32[M, B]) -> f32[M, A + B] {
  let out = empty([M, A + B], f32);
  for tm in tile(M) { for tn in tile(A) { out[tm, tn] = a[tm, tn]; } for tn in tile(B) { out[tm, A + tn] = b[tm, tn]; } }
  return out;
}`);
    if (a.signature === undefined) throw new Error(a.diagnostics.map((d) => d.message).join('; '));
    const out = a.signature.outputs[0];
    if (out === undefined) throw new Error('no output');
    expect(concreteShape(out.dims, { M: 3, A: 5, B: 7 }, a.signature.derived)).toEqual([3, 12]);
    expect(sizeProblem(a.signature, { M: 4096, A: 4096, B: 4097 }, 2 ** 27)).toMatch(/f32\[4096, 8193\] needs 128\.0 MiB/);
  });
});

describe('config text', () => {
  it('lists blocks first, pairs as AxB, and against a base only what differs', () => {
    const base = { blocks: { tm: 64, tn: 64 }, workgroupSize: 64, microTile: [8, 8] as [number, number], unroll: 1 };
    expect(configText(base)).toBe('tm=64 tn=64 workgroupSize=64 microTile=8x8 unroll=1');
    expect(configText({ ...base, blocks: { tm: 32, tn: 64 }, unroll: 4 }, base)).toBe('tm=32 unroll=4');
    expect(configText(base, base)).toBe('default');
  });
});

describe.skipIf(!webgpu.ok)('the engine tunes with the runtime and its cache', () => {
  it('autotune records in the tuning cache, and tuned() finds it for the same shape only', async () => {
    setDefaultTuningCache(TuningCache.memory());
    const status = await openEngine();
    if (!status.ok) throw new Error(status.reason);
    const { engine } = status;
    const a = analyze(EXAMPLES.find((x) => x.id === 'add')?.source ?? '');
    if (a.kernel === undefined || a.signature === undefined) throw new Error('does not compile');
    const args = makeArgs(a.signature, { N: 3000 }, {});
    expect(await engine.tuned(a.kernel, args)).toBeUndefined();
    const progress: number[] = [];
    const r = await engine.autotune(a.kernel, args, { effort: 'few', signal: new AbortController().signal, onProgress: (p) => progress.push(p.tried) });
    expect(r.configsTried).toBeGreaterThan(1);
    expect(r.configsTried).toBeLessThanOrEqual(6);
    expect(progress.length).toBeGreaterThan(1);
    expect(r.bestMs).toBeGreaterThan(0);
    // Every timed candidate passed the runtime's output check against the default config.
    expect(r.results.filter((x) => Number.isFinite(x.ms)).every((x) => x.status === 'ok')).toBe(true);
    const entry = await engine.tuned(a.kernel, args);
    expect(entry?.config).toEqual(r.best);
    expect(await engine.tuned(a.kernel, makeArgs(a.signature, { N: 300 }, {}))).toBeUndefined();
    // The tuned config computes x + y on the engine.
    const out = await engine.run(a.kernel, args, r.best);
    const [x, y] = args.map((v) => (v.kind === 'tensor' ? v.data : new Float32Array()));
    const expected = Float32Array.from(x ?? [], (v, i) => Math.fround(v + (y?.[i] ?? 0)));
    expect(maxAbsDiff(out[0] ?? [], expected)).toBe(0);
  }, 120_000);
});

describe('diagnostics in the editor', () => {
  it('a syntax error is reported at its line and maps to a visible range', () => {
    const source = 'fn f(x: f32[N]) -> f32[N] {\n  let out = empty([N], f32);\n  for tn in tile(N) {\n    let = 1;\n    out[tn] = x[tn];\n  }\n  return out;\n}';
    const a = analyze(source);
    const first = a.diagnostics.find((d) => d.severity === 'error');
    expect(first?.span.start.line).toBe(4);
    if (first === undefined) throw new Error('no error');
    const lint = toLintDiagnostic(first, source);
    expect(lint.to).toBeGreaterThan(lint.from);
    expect(source.slice(0, lint.from).split('\n').length).toBe(4);
  });

  it('an empty span at a line end marks the character before it, on the same line', () => {
    const source = 'fn f(x: f32[N]) -> f32[N] {\n  let out = empty([N], f32)\n  for tn in tile(N) {\n    out[tn] = x[tn];\n  }\n  return out;\n}';
    const err = analyze(source).diagnostics.find((d) => d.severity === 'error');
    if (err === undefined) throw new Error('no error');
    const lint = toLintDiagnostic(err, source);
    expect(source.slice(lint.from, lint.to)).toBe(')');
    expect(source.slice(0, lint.from).split('\n').length).toBe(2);
  });

  it('a type error comes from the checker with its span', () => {
    const a = analyze('fn f(x: f32[N]) -> f32[N] {\n  let out = empty([N], f32);\n  for tn in tile(N) {\n    out[tn] = x[tn] + y[tn];\n  }\n  return out;\n}');
    const err = a.diagnostics.find((d) => d.severity === 'error');
    expect(err?.span.start.line).toBe(4);
    expect(a.kernel).toBeUndefined();
  });

  it('maxAbsDiff treats NaN and length mismatch as infinitely wrong', () => {
    expect(maxAbsDiff([1, 2], [1, 2.5])).toBe(0.5);
    expect(maxAbsDiff([1, NaN], [1, 2])).toBe(Infinity);
    expect(maxAbsDiff([1], [1, 2])).toBe(Infinity);
  });
});
