/**
 * Every kernel and func in docs/language.md, type-checked and compiled to WGSL, so the
 * reference cannot drift from the language. The doc's ```ts blocks define them as
 * `const name = func\`…\`` / `const name = kernel\`…\`` (or an arrow returning a kernel);
 * a `${name}` hole refers to a func defined earlier in the doc, to a parameter of the
 * arrow (given a sample value below), or is a literal number or boolean.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARSE_CODES, kernelFromSource, parseKernelSource, type Diagnostic, type FuncDef, type HoleValue } from 'tessera-gpu-dsl';
import { CHECK_CODES, checkKernel } from 'tessera-gpu-dsl/check';
import { UnsupportedError } from 'tessera-gpu-compiler';
import { makeKernel } from 'tessera-gpu-runtime';

const DOC = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');

/** Values for holes that name an arrow's parameters in the doc. */
const SAMPLE_VALUES: Readonly<Record<string, HoleValue>> = { s: 2.5, negate: true };

/**
 * Kernels whose WGSL cannot be generated yet, and why (each has a Status note in the doc).
 * When the backend learns the construct, the kernel simply compiles and the entry can go.
 */
const NOT_IN_WGSL_YET: Readonly<Record<string, string>> = {};

interface Template {
  readonly kind: 'kernel' | 'func';
  readonly name: string;
  /** The template text with holes rendered as `${0}`, `${1}`, … */
  readonly text: string;
  readonly holeNames: readonly string[];
}

/** The `const name = kernel\`…\`` and `func\`…\`` definitions of every ```ts block, in order. */
function templates(doc: string): Template[] {
  const out: Template[] = [];
  for (const block of doc.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const code = block[1] ?? '';
    for (const m of code.matchAll(/const (\w+) = (?:\([^)]*\) => )?(kernel|func)`([\s\S]*?)`;/g)) {
      const [, name = '', kind = 'kernel', body = ''] = m;
      const holeNames: string[] = [];
      const text = body.replace(/\$\{([^}]*)\}/g, (_, h: string) => `\${${holeNames.push(h.trim()) - 1}}`);
      out.push({ kind: kind === 'func' ? 'func' : 'kernel', name, text, holeNames });
    }
  }
  return out;
}

function holeValue(name: string, funcs: ReadonlyMap<string, FuncDef>): HoleValue {
  const f = funcs.get(name);
  if (f) return f;
  if (name === 'true' || name === 'false') return name === 'true';
  if (/^-?\d+(\.\d+)?$/.test(name)) return Number(name);
  const v = SAMPLE_VALUES[name];
  if (v === undefined) throw new Error(`the doc uses a hole \${${name}} this test has no value for`);
  return v;
}

const show = (d: Diagnostic): string => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`;

const all = templates(DOC);
const funcs = new Map<string, FuncDef>();

describe('docs/language.md', () => {
  it('has the examples the brief promises', () => {
    const names = all.map((t) => t.name);
    for (const n of ['add', 'softmax', 'layernorm', 'matmulBiasRelu', 'relu', 'squash', 'rowSums', 'colMax', 'bcast']) expect(names).toContain(n);
    expect(all.length).toBeGreaterThan(15);
  });

  for (const t of all) {
    it(`${t.kind} ${t.name} checks${t.kind === 'kernel' ? ' and compiles to WGSL' : ''}`, () => {
      const holes = t.holeNames.map((h) => holeValue(h, funcs));
      if (t.kind === 'func') {
        const r = parseKernelSource(t.text, holes);
        expect(r.diagnostics.map(show)).toEqual([]);
        if (!r.ast) throw new Error('no AST');
        // What the func tag makes, so later kernels in the doc can call it.
        funcs.set(t.name, Object.freeze({ kind: 'func', name: r.name ?? t.name, source: r.source, ast: r.ast, diagnostics: r.diagnostics, holes }));
        return;
      }
      const def = kernelFromSource(t.text, holes);
      expect(def.diagnostics.map(show)).toEqual([]);
      if (!def.ast) throw new Error('no AST');
      // No errors and no warnings: the doc's kernels are clean.
      expect(checkKernel(def.ast, holes).diagnostics.map(show)).toEqual([]);
      const k = makeKernel(def);
      const pending = NOT_IN_WGSL_YET[def.name];
      if (pending === undefined) {
        expect(k.wgsl()).toContain('@compute');
        return;
      }
      try {
        k.wgsl();
      } catch (e) {
        expect(e).toBeInstanceOf(UnsupportedError);
        expect((e as Error).message).toContain(pending);
      }
    });
  }
});

describe('docs/language.md lists every parser and checker diagnostic', () => {
  it('each TSR2xxx code appears in the doc (the error table, the warnings, or as reserved)', () => {
    const missing = Object.keys(CHECK_CODES).filter((code) => !new RegExp(`\\b${code}\\b`).test(DOC));
    expect(missing).toEqual([]);
  });

  it('each TSR1xxx code of the front end appears in the parser table', () => {
    const parserTable = DOC.slice(DOC.indexOf("The parser's errors"), DOC.indexOf("The checker's errors"));
    const missing = Object.keys(PARSE_CODES).filter((code) => code.startsWith('TSR1') && !new RegExp(`\\| ${code} \\|`).test(parserTable));
    expect(missing).toEqual([]);
  });
});
