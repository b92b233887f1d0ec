/**
 * Kernel text is untrusted (playground share links): whatever names and constants a
 * kernel uses, the interpreter's generated JavaScript is one function of the helper
 * table `rt` and references no global outside a short allow-list. Checked with the
 * TypeScript parser on fuzzed kernels (random names, including every awkward one, random
 * constants and expression trees), on the fast and the traced variant.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { resolveConfig } from 'tessera-gpu-compiler';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { kernelFromSource } from '../../packages/dsl/src/parse.ts';
import { lowerToIR } from 'tessera-gpu-compiler';
import { emitKernelSource } from '../../packages/runtime/src/interpreter/kernel.ts';
import { AWKWARD_NAMES } from './awkward-names.ts';

/** What generated code may name without declaring it. */
const ALLOWED = new Set(['rt', 'Math', 'Float32Array', 'Float64Array', 'Int32Array', 'Uint32Array', 'Uint16Array', 'Uint8Array', 'Infinity', 'NaN', 'undefined']);

/** Identifiers the source reads but never declares (property names and keys excluded). */
function freeNames(source: string): { readonly statements: number; readonly free: Set<string>; readonly syntaxErrors: number } {
  const file = ts.createSourceFile('gen.js', `function module(rt) {\n${source}\n}`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isDecl = (ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isParameter(p)) && p.name === n;
      const isProp = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (isDecl) declared.add(n.text);
      else if (!isProp) used.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  const diagnostics = (file as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? [];
  return { statements: file.statements.length, free: new Set([...used].filter((u) => !declared.has(u) && !ALLOWED.has(u))), syntaxErrors: diagnostics.length };
}

const ident = fc.oneof(fc.constantFrom(...AWKWARD_NAMES), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/));
const constant = fc.oneof(
  fc.constantFrom('inf', '-inf', 'nan', '1e-46', '3.4028235e38', '0.0', '-0.0', '2147483647', '${0}'),
  fc.double({ noNaN: true, min: -1e30, max: 1e30 }).map((v) => `${Math.abs(v)}`.includes('e') ? `${Math.abs(v)}` : `${Math.abs(v).toFixed(3)}`),
);

/** A random f32 expression over `x[t]`, a local and a scalar parameter. */
function expr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(fc.constant('X'), fc.constant('L'), fc.constant('S'), constant);
  if (depth === 0) return leaf;
  const sub = expr(depth - 1);
  return fc.oneof(
    leaf,
    fc.tuple(sub, fc.constantFrom('+', '-', '*', '/'), sub).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('exp', 'abs', 'sqrt', 'sigmoid', 'floor', '-'), sub).map(([f, a]) => (f === '-' ? `(-${a})` : `${f}(${a})`)),
    fc.tuple(sub, sub).map(([a, b]) => `max(${a}, ${b})`),
    fc.tuple(sub, sub, sub).map(([c, a, b]) => `where(${c} > 0.0, ${a}, ${b})`),
  );
}

const kernelText = fc.record({
  names: fc.uniqueArray(ident, { minLength: 7, maxLength: 7 }),
  body: expr(3),
  hole: fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, 1e-46)),
});

it('generated JS is one function of rt and names no global beyond the allow-list', () => {
  let compiled = 0;
  fc.assert(fc.property(kernelText, ({ names, body, hole }) => {
    const [k, x, n, t, l, s, o] = names as [string, string, string, string, string, string, string];
    const e = body.replace(/\bX\b/g, `${x}[${t}]`).replace(/\bL\b/g, l).replace(/\bS\b/g, s);
    const src = `fn ${k}(${x}: f32[${n}], ${s}: f32) -> f32[${n}] {
  let ${o} = empty([${n}], f32);
  for ${t} in tile(${n}) {
    let ${l} = ${x}[${t}] * ${s};
    ${o}[${t}] = ${e};
  }
  return ${o};
}`;
    const def = kernelFromSource(src, [hole]);
    if (!def.ast) return;
    const checked = checkKernel(def.ast, def.holes);
    if (!checked.kernel) return;
    const ir = lowerToIR(checked.kernel);
    for (const trace of [false, true]) {
      const js = emitKernelSource(ir, resolveConfig(ir, undefined), trace);
      const r = freeNames(js);
      expect(r.syntaxErrors, js).toBe(0);
      expect(r.statements, js).toBe(1);
      expect([...r.free], js).toEqual([]);
    }
    compiled++;
  }), { numRuns: 300 });
  // Most inputs are valid kernels: the property is about generated code, not rejections.
  expect(compiled).toBeGreaterThan(150);
}, 120_000);

it('the checker itself catches a global that sneaks in', () => {
  expect([...freeNames("const a = 1; return function run() { process.exit(a); };").free]).toEqual(['process']);
  expect(freeNames('return 1; }\nfunction evil() {').statements).toBe(2);
});
