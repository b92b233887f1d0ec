/**
 * Differential test: random kernels — elementwise expression trees over f32 and i32, and
 * row kernels with a reduction feeding an elementwise epilogue — run on every backend at
 * ragged sizes under the default config and a random valid one, each compared with this
 * file's own f64 evaluator of the same tree (not Tessera's interpreter). Hand-written
 * cases test the constructs someone thought of; this finds the combinations nobody wrote
 * down (an operand order, a mask at a ragged edge, a vector tail, an integer edge value).
 *
 * The generator is seeded, so a failure names a kernel that reproduces. f32 trees keep
 * every intermediate well conditioned (divisors ≥ 1, exp of non-positive values, sqrt of
 * values ≥ 1, comparisons only of exact inputs), so the tolerance can be tight: a few ulp
 * of the largest intermediate magnitude. DIFF_KERNELS=n runs n kernels of each template
 * (8 by default; a wider search before a release: 60).
 */
import { describe, expect, it } from 'vitest';
import { configSpace, DEFAULT_LIMITS, type ConfigInput, type KnobValue } from 'tessera-gpu-compiler';
import { kernelFromSource } from 'tessera-gpu-dsl';
import { makeKernel, type Device } from 'tessera-gpu-runtime';
import { describeOnBackends } from '../support/backends.ts';
import { rng } from '../support/random.ts';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A generated expression: its kernel text and its value per element (f64), with a scale for the tolerance. */
interface Expr {
  readonly text: string;
  /** (a, b, s) → [value, largest |intermediate|]; `s` is the row statistic where there is one. */
  readonly eval: (a: number, b: number, s: number) => readonly [number, number];
}

const leaf = (text: string, f: (a: number, b: number, s: number) => number): Expr => ({
  text, eval: (a, b, s) => { const v = f(a, b, s); return [v, Math.abs(v)]; },
});

function unary(text: (x: string) => string, f: (x: number) => number, e: Expr): Expr {
  return {
    text: text(e.text),
    eval: (a, b, s) => { const [x, m] = e.eval(a, b, s); const v = f(x); return [v, Math.max(m, Math.abs(v))]; },
  };
}

function binary(text: (x: string, y: string) => string, f: (x: number, y: number) => number, l: Expr, r: Expr): Expr {
  return {
    text: text(l.text, r.text),
    eval: (a, b, s) => {
      const [x, mx] = l.eval(a, b, s);
      const [y, my] = r.eval(a, b, s);
      const v = f(x, y);
      return [v, Math.max(mx, my, Math.abs(v))];
    },
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** A random well-conditioned f32 tree of depth ≤ `depth` over a, b (and s when `withStat`). */
function floatExpr(r: Rand, depth: number, withStat: boolean): Expr {
  if (depth === 0 || r() < 0.2) {
    const leaves: Expr[] = [
      leaf('a', (a) => a), leaf('b', (_, b) => b), leaf('1.5', () => 1.5), leaf('-0.75', () => -0.75),
      // Casts and rounding of exact values only (a × 4 is exact), so no backend rounds differently.
      leaf('f32(i32(a * 4.0))', (a) => Math.trunc(a * 4)), leaf('floor(b * 8.0)', (_, b) => Math.floor(b * 8)),
    ];
    if (withStat) leaves.push(leaf('s', (_, __, s) => s), leaf('s', (_, __, s) => s));
    return pick(r, leaves);
  }
  const sub = (): Expr => floatExpr(r, depth - 1, withStat);
  switch (Math.floor(r() * 13)) {
    case 0: return unary((x) => `-(${x})`, (x) => -x, sub());
    case 1: return unary((x) => `abs(${x})`, Math.abs, sub());
    case 2: return unary((x) => `exp(-abs(${x}))`, (x) => Math.exp(-Math.abs(x)), sub());
    case 3: return unary((x) => `sqrt(abs(${x}) + 1.0)`, (x) => Math.sqrt(Math.abs(x) + 1), sub());
    case 4: return unary((x) => `tanh(${x})`, Math.tanh, sub());
    case 5: return unary((x) => `sigmoid(${x})`, sigmoid, sub());
    case 6: return unary((x) => `clamp(${x}, -1.0, 2.0)`, (x) => Math.min(Math.max(x, -1), 2), sub());
    case 7: return binary((x, y) => `(${x} + ${y})`, (x, y) => x + y, sub(), sub());
    case 8: return binary((x, y) => `(${x} - ${y})`, (x, y) => x - y, sub(), sub());
    case 9: return binary((x, y) => `(${x} * ${y})`, (x, y) => x * y, sub(), sub());
    case 10: return binary((x, y) => `(${x} / (abs(${y}) + 1.0))`, (x, y) => x / (Math.abs(y) + 1), sub(), sub());
    case 11: return r() < 0.5 ? binary((x, y) => `max(${x}, ${y})`, Math.max, sub(), sub()) : binary((x, y) => `min(${x}, ${y})`, Math.min, sub(), sub());
    default: {
      // Comparisons only of exact inputs, so rounding never flips a branch.
      const [t, e] = [sub(), sub()];
      return {
        text: `where(a > b, ${t.text}, ${e.text})`,
        eval: (a, b, s) => { const [x, mx] = t.eval(a, b, s); const [y, my] = e.eval(a, b, s); return [a > b ? x : y, Math.max(mx, my)]; },
      };
    }
  }
}

/** i32 trees with WGSL's integer semantics: wrapping, shifts mod 32, x / 0 = x, x % 0 = 0, MIN / -1 = MIN. */
function intExpr(r: Rand, depth: number): Expr {
  if (depth === 0 || r() < 0.2) return pick(r, [leaf('a', (a) => a), leaf('b', (_, b) => b), leaf('7', () => 7), leaf('-3', () => -3)]);
  const sub = (): Expr => intExpr(r, depth - 1);
  const i = (v: number): number => v | 0;
  const div = (x: number, y: number): number => (y === 0 || (x === -2147483648 && y === -1) ? x : i(Math.trunc(x / y)));
  const rem = (x: number, y: number): number => (y === 0 || (x === -2147483648 && y === -1) ? 0 : i(x % y));
  switch (Math.floor(r() * 12)) {
    case 0: return binary((x, y) => `(${x} + ${y})`, (x, y) => i(x + y), sub(), sub());
    case 1: return binary((x, y) => `(${x} - ${y})`, (x, y) => i(x - y), sub(), sub());
    case 2: return binary((x, y) => `(${x} * ${y})`, Math.imul, sub(), sub());
    case 3: return binary((x, y) => `(${x} & ${y})`, (x, y) => x & y, sub(), sub());
    case 4: return binary((x, y) => `(${x} | ${y})`, (x, y) => x | y, sub(), sub());
    case 5: return binary((x, y) => `(${x} ^ ${y})`, (x, y) => x ^ y, sub(), sub());
    case 6: return binary((x, y) => `(${x} << ${y})`, (x, y) => x << (y & 31), sub(), sub());
    case 7: return binary((x, y) => `(${x} >> ${y})`, (x, y) => x >> (y & 31), sub(), sub());
    case 8: return unary((x) => `(~${x})`, (x) => ~x, sub());
    case 9: return binary((x, y) => `(${x} / ${y})`, div, sub(), sub());
    case 10: return binary((x, y) => `(${x} % ${y})`, rem, sub(), sub());
    default: {
      const [t, e] = [sub(), sub()];
      return {
        text: `where(${t.text} < ${e.text}, ${t.text}, ${e.text})`,
        eval: (a, b, s) => { const [x] = t.eval(a, b, s); const [y] = e.eval(a, b, s); return [x < y ? x : y, 0]; },
      };
    }
  }
}

interface Generated {
  readonly source: string;
  readonly dtype: 'f32' | 'i32';
  /** 1-D kernels take x, y of [n] (m is 1). */
  readonly oneD?: boolean;
  /** Expected output for inputs x, y of [m, n]. */
  readonly reference: (x: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number) => { want: Float64Array; tol: Float64Array };
}

/** ulp-scaled tolerance: a few f32 ulp of the largest magnitude the element's tree went through. */
const F32_TOL = 2 ** -19;

function elementwiseKernel(r: Rand, dtype: 'f32' | 'i32'): Generated {
  const e = dtype === 'f32' ? floatExpr(r, 4, false) : intExpr(r, 3);
  const source = `fn k(x: ${dtype}[M, N], y: ${dtype}[M, N]) -> ${dtype}[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    let a = x[tm, tn];
    let b = y[tm, tn];
    out[tm, tn] = ${e.text};
  }
  return out;
}`;
  return {
    source, dtype,
    reference: pointwiseReference(e, dtype),
  };
}

/** The reference of an elementwise kernel: the tree at each element (exact for i32). */
function pointwiseReference(e: Expr, dtype: 'f32' | 'i32'): Generated['reference'] {
  return (x, y, m, n) => {
    const want = new Float64Array(m * n);
    const tol = new Float64Array(m * n);
    for (let i = 0; i < m * n; i++) {
      const [v, scale] = e.eval(x[i] ?? 0, y[i] ?? 0, 0);
      want[i] = v;
      tol[i] = dtype === 'f32' ? F32_TOL * (1 + scale) : 0;
    }
    return { want, tol };
  };
}

/** 1-D: `out[tn] = EXPR` (the path with vector loads and stores). */
function vectorKernel(r: Rand): Generated {
  const e = floatExpr(r, 4, false);
  const source = `fn k(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    let a = x[tn];
    let b = y[tn];
    out[tn] = ${e.text};
  }
  return out;
}`;
  return {
    source, dtype: 'f32', oneD: true,
    reference: pointwiseReference(e, 'f32'),
  };
}

/** A row reduction written as a loop over column tiles into a running accumulator (Helion's long-row pattern). */
function loopReductionKernel(r: Rand): Generated {
  let pre = floatExpr(r, 3, false);
  while (!/\b[ab]\b/.test(pre.text)) pre = floatExpr(r, 3, false);
  const op = pick(r, ['sum', 'max'] as const);
  const update = op === 'sum' ? `acc = acc + sum(${pre.text}, axis=1);` : `acc = max(acc, max(${pre.text}, axis=1));`;
  const source = `fn k(x: f32[M, N], y: f32[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    var acc = full([tm], ${op === 'sum' ? '0.0' : '-inf'});
    for tn in tile(N) {
      let a = x[tm, tn];
      let b = y[tm, tn];
      ${update}
    }
    out[tm] = acc;
  }
  return out;
}`;
  return {
    source, dtype: 'f32',
    reference: (x, y, m, n) => {
      const want = new Float64Array(m);
      const tol = new Float64Array(m);
      for (let row = 0; row < m; row++) {
        let acc = op === 'max' ? -Infinity : 0;
        let mass = 0;
        for (let c = 0; c < n; c++) {
          const [v, scale] = pre.eval(x[row * n + c] ?? 0, y[row * n + c] ?? 0, 0);
          acc = op === 'max' ? Math.max(acc, v) : acc + v;
          mass += 1 + scale;
        }
        want[row] = acc;
        tol[row] = op === 'sum' ? F32_TOL * mass * 4 : F32_TOL * (1 + Math.abs(acc));
      }
      return { want, tol };
    },
  };
}

const REDUCTIONS = ['sum', 'max', 'min', 'mean'] as const;

/** A row kernel: s = reduce(pre(a, b)) along the row, out = post(a, b, s). */
function rowKernel(r: Rand): Generated {
  // A reduction of a scalar along an axis is an error (TSR2009): reduce a tree over a or b.
  let pre = floatExpr(r, 3, false);
  while (!/\b[ab]\b/.test(pre.text)) pre = floatExpr(r, 3, false);
  const post = floatExpr(r, 3, true);
  const op = pick(r, REDUCTIONS);
  const source = `fn k(x: f32[M, N], y: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let a = x[tm, :];
    let b = y[tm, :];
    let s = ${op}(${pre.text}, axis=1, keepdim=true);
    out[tm, :] = ${post.text};
  }
  return out;
}`;
  return {
    source, dtype: 'f32',
    reference: (x, y, m, n) => {
      const want = new Float64Array(m * n);
      const tol = new Float64Array(m * n);
      for (let row = 0; row < m; row++) {
        let acc = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
        let mass = 0;
        for (let c = 0; c < n; c++) {
          const [v, scale] = pre.eval(x[row * n + c] ?? 0, y[row * n + c] ?? 0, 0);
          acc = op === 'max' ? Math.max(acc, v) : op === 'min' ? Math.min(acc, v) : acc + v;
          mass += 1 + scale;
        }
        const s = op === 'mean' ? acc / n : acc;
        // A sum's rounding grows with its terms (pairwise or serial: at most n ulp of the mass).
        const sErr = op === 'sum' ? F32_TOL * mass * 4 : op === 'mean' ? (F32_TOL * mass * 4) / n : F32_TOL * (1 + Math.abs(s));
        for (let c = 0; c < n; c++) {
          const i = row * n + c;
          const [v, scale] = post.eval(x[i] ?? 0, y[i] ?? 0, s);
          // Propagate s's error: each use of s is at most Lipschitz-8 in this grammar's ops, times the depth.
          const [vHi] = post.eval(x[i] ?? 0, y[i] ?? 0, s + sErr);
          const [vLo] = post.eval(x[i] ?? 0, y[i] ?? 0, s - sErr);
          want[i] = v;
          tol[i] = F32_TOL * (1 + scale) + Math.max(Math.abs(vHi - v), Math.abs(vLo - v)) * 2;
        }
      }
      return { want, tol };
    },
  };
}

function inputs(dtype: 'f32' | 'i32', n: number, r: Rand): Float32Array | Int32Array {
  if (dtype === 'f32') return Float32Array.from({ length: n }, () => Math.fround(-2 + 4 * r()));
  // Small values, with the edges integer semantics must get right mixed in.
  const edges = [0, -1, 1, 31, 32, -2147483648, 2147483647];
  return Int32Array.from({ length: n }, () => (r() < 0.15 ? pick(r, edges) : Math.floor(-40 + 80 * r())));
}

/** A random config from the kernel's WebGPU space that passes its own checks, else undefined. */
function randomConfig(source: string, r: Rand, backend: Device['backend']): ConfigInput | undefined {
  const k = makeKernel(kernelFromSource(source));
  const space = configSpace(k.prepared().ir, DEFAULT_LIMITS);
  for (let attempt = 0; attempt < 20; attempt++) {
    const choice: Record<string, KnobValue> = {};
    for (const knob of space.knobs) {
      if (backend === 'wasm' && !knob.name.startsWith('blocks.')) continue;
      choice[knob.name] = pick<KnobValue>(r, knob.values);
    }
    const config = space.build(choice);
    if (space.problems(config).length > 0) continue;
    return backend === 'wasm' ? { blocks: config.blocks } : config;
  }
  return undefined;
}

const SIZES: readonly (readonly [number, number])[] = [[1, 1], [7, 131], [37, 5], [19, 300], [3, 1029]];

async function check(device: Device, g: Generated, seed: number): Promise<void> {
  const k = makeKernel(kernelFromSource(g.source));
  const r = rng(seed);
  const configs: (ConfigInput | undefined)[] = [undefined, randomConfig(g.source, r, device.backend)];
  for (const config of configs) {
    for (const [m, n] of [pick(r, SIZES), pick(r, SIZES.slice(1))]) {
      const x = inputs(g.dtype, m * n, r);
      const y = inputs(g.dtype, m * n, r);
      const shape = g.oneD === true ? [m * n] : [m, n];
      const tx = device.tensor(x, shape, g.dtype);
      const ty = device.tensor(y, shape, g.dtype);
      const [out] = await k.run([tx, ty], config ? { config } : {});
      const got = await out?.read();
      const { want, tol } = g.reference(x, y, m, n);
      expect(got?.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        const v = got?.[i] ?? NaN;
        const ok = g.dtype === 'i32' ? v === want[i] : Math.abs(v - (want[i] ?? NaN)) <= (tol[i] ?? 0);
        if (!ok) {
          expect.fail(`seed ${seed}, ${JSON.stringify(config ?? 'default')}, [${m}, ${n}], element ${i} (a=${x[i]}, b=${y[i]}): got ${v}, want ${want[i]} ± ${tol[i]}\n${g.source}`);
        }
      }
      for (const t of [tx, ty, out]) t?.destroy();
    }
  }
}

const KERNELS = Number(process.env["DIFF_KERNELS"] ?? 8);

describe('differential generator', () => {
  it('writes kernels the front end accepts, and varies them', () => {
    const texts = new Set<string>();
    for (let seed = 0; seed < KERNELS; seed++) {
      for (const g of [elementwiseKernel(rng(seed), 'f32'), elementwiseKernel(rng(1000 + seed), 'i32'), rowKernel(rng(2000 + seed)), vectorKernel(rng(3000 + seed)), loopReductionKernel(rng(4000 + seed))]) {
        expect(kernelFromSource(g.source).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        texts.add(g.source);
      }
    }
    expect(texts.size).toBeGreaterThan(KERNELS * 5 * 0.8);
  });
});

describeOnBackends('differential: random kernels against an f64 evaluator', (device) => {
  for (let seed = 0; seed < KERNELS; seed++) {
    it(`f32 elementwise #${seed}`, () => check(device(), elementwiseKernel(rng(seed), 'f32'), seed), 60_000);
    it(`i32 elementwise #${seed}`, () => check(device(), elementwiseKernel(rng(1000 + seed), 'i32'), 1000 + seed), 60_000);
    it(`row reduction #${seed}`, () => check(device(), rowKernel(rng(2000 + seed)), 2000 + seed), 60_000);
    it(`1-D vector elementwise #${seed}`, () => check(device(), vectorKernel(rng(3000 + seed)), 3000 + seed), 60_000);
    it(`loop over column tiles #${seed}`, () => check(device(), loopReductionKernel(rng(4000 + seed)), 4000 + seed), 60_000);
  }
});
