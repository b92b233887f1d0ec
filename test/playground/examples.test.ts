/**
 * The playground's logic without a browser: its examples compile and mirror examples/,
 * share links round-trip, the autotune candidates are sane, diagnostics map to the right
 * place in the editor.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../packages/playground/src/analyze.ts';
import { toLintDiagnostic } from '../../packages/playground/src/editor/lint.ts';
import { candidateConfigs, TUNE_BUDGETS } from '../../packages/playground/src/engine.ts';
import { EXAMPLES, exampleForSource } from '../../packages/playground/src/examples/index.ts';
import { makeArgs, maxAbsDiff } from '../../packages/playground/src/inputs.ts';
import { decodeShare, encodeShare, fromBase64Url, toBase64Url } from '../../packages/playground/src/share.ts';
import { tunedKey } from '../../packages/playground/src/tuned-store.ts';

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

describe('autotune candidates and the tuned-config key', () => {
  for (const id of ['add', 'softmax', 'matmul']) {
    it(`${id}: unique configs, enough for a quick run, the default first`, () => {
      const e = EXAMPLES.find((x) => x.id === id);
      const a = analyze(e?.source ?? '');
      if (a.kernel === undefined || a.signature === undefined) throw new Error('does not compile');
      const configs = candidateConfigs(a.signature, a.kernel);
      expect(configs.length).toBeGreaterThanOrEqual(TUNE_BUDGETS.quick);
      expect(new Set(configs.map((c) => JSON.stringify(c))).size).toBe(configs.length);
      expect(a.kernel.resolveConfig(configs[0])).toEqual(a.kernel.resolveConfig());
    });
  }

  it('keys on source, adapter and shape', () => {
    const k = tunedKey('fn a() {}', 'llvmpipe', { N: 4, M: 2 });
    expect(tunedKey('fn a() {}\n', 'llvmpipe', { M: 2, N: 4 })).toBe(k);
    expect(tunedKey('fn b() {}', 'llvmpipe', { N: 4, M: 2 })).not.toBe(k);
    expect(tunedKey('fn a() {}', 'swiftshader', { N: 4, M: 2 })).not.toBe(k);
    expect(tunedKey('fn a() {}', 'llvmpipe', { N: 8, M: 2 })).not.toBe(k);
  });
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
