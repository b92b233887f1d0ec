/**
 * Output dims written as arithmetic (`f32[N - K]`): the canonical text that names such a
 * dim, and the typed error a call gets when its size comes out negative or divides by
 * zero. (What the kernels compute is in test/conformance/cases-shapes.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, kernel } from 'tessera-gpu';
import { init, type Device } from 'tessera-gpu-runtime';
import { kernelFromSource } from 'tessera-gpu-dsl';
import { dimArithText, toDimArith } from 'tessera-gpu-dsl/check';

/** The canonical text of a dim expression written in a result type. */
function canonical(dim: string): string {
  const def = kernelFromSource(`fn k(x: f32[A, B, C]) -> f32[${dim}] { }`);
  const d = def.ast?.results[0]?.dims?.[0];
  if (d?.kind !== 'exprDim') throw new Error(`${dim} did not parse as a dim expression`);
  return d.text;
}

describe('dim arithmetic', () => {
  it('spacing and redundant parentheses do not change the text; needed ones stay', () => {
    expect(canonical('A+B')).toBe('A + B');
    expect(canonical('(A + B)')).toBe('A + B');
    expect(canonical('(A + B) + C')).toBe('A + B + C');
    expect(canonical('A - (B + C)')).toBe('A - (B + C)');
    expect(canonical('(A + B) / 2')).toBe('(A + B) / 2');
    expect(canonical('2 * A * B')).toBe('2 * A * B');
    expect(canonical('A / (B * C)')).toBe('A / (B * C)');
  });

  it('only names, non-negative integers and + - * / are dim arithmetic', () => {
    const e = kernelFromSource('fn k(x: f32[N]) -> f32[N] { let y = N % 2; }').ast?.body.stmts[0];
    if (e?.kind !== 'decl') throw new Error('no declaration');
    expect(toDimArith(e.init, () => true)).toBeUndefined();
  });

  it('literal arithmetic folds to a fixed dim', () => {
    const d = kernelFromSource('fn k(x: f32[N]) -> f32[2 * 3] { }').ast?.results[0]?.dims?.[0];
    expect(d).toMatchObject({ kind: 'constDim', value: 6 });
    expect(dimArithText({ kind: 'binary', op: '*', a: { kind: 'const', value: 2 }, b: { kind: 'name', name: 'N' } })).toBe('2 * N');
  });
});

describe('a derived dim at call time', () => {
  let device: Device | undefined;
  beforeAll(async () => {
    device = await init({ backend: 'interpreter' });
  });
  afterAll(() => device?.dispose());

  const tail = kernel`
fn tail(x: f32[N], skip: f32[K]) -> f32[N - K] {
  let out = empty([N - K], f32);
  for tn in tile(N - K) {
    out[tn] = x[tn + K] + skip[0] * 0.0;
  }
  return out;
}`;

  it('computes the size from the arguments', async () => {
    if (!device) throw new Error('no device');
    const x = device.tensor(new Float32Array([1, 2, 3, 4, 5]), [5]);
    const k = device.tensor(new Float32Array([9, 9]), [2]);
    const [out] = await tail.run([x, k]);
    expect(out?.shape).toEqual([3]);
    expect(Array.from(await out?.read() ?? [])).toEqual([3, 4, 5]);
  });

  it('a negative size is an ArgumentError naming the expression and the sizes', async () => {
    if (!device) throw new Error('no device');
    const x = device.tensor(new Float32Array(3), [3]);
    const k = device.tensor(new Float32Array(5), [5]);
    const err = await tail.run([x, k]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as ArgumentError).parameter).toBe('N - K');
    expect((err as Error).message).toContain("Argument 'N - K' of kernel 'tail': expected a size of at least 0, got -2 (N = 3, K = 5)");
  });

  it('a division by zero is an ArgumentError', async () => {
    if (!device) throw new Error('no device');
    const halves = kernel`
fn halves(x: f32[N], _d: f32[D]) -> f32[N / D] {
  let out = empty([N / D], f32);
  for tn in tile(N / D) {
    out[tn] = x[tn + 0];
  }
  return out;
}`;
    const x = device.tensor(new Float32Array(4), [4]);
    const d = device.tensor(new Float32Array(0), [0]);
    const err = await halves.run([x, d]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toContain('D is 0 in a division');
  });
});

describe("a bounded slice's extent at call time", () => {
  let device: Device | undefined;
  beforeAll(async () => {
    device = await init({ backend: 'interpreter' });
  });
  afterAll(() => device?.dispose());

  // x[tm, A:B] is a whole axis of B - A elements: a derived dim, computed at the call.
  const between = kernel`
fn between(x: f32[M, N], a: f32[A], b: f32[B]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    out[tm] = sum(x[tm, A:B], axis=1) + a[0] * b[0] * 0.0;
  }
  return out;
}`;

  it('sums columns A.. B - 1 of each row', async () => {
    if (!device) throw new Error('no device');
    const x = device.tensor(Float32Array.from({ length: 12 }, (_, i) => i + 1), [2, 6]);
    const [out] = await between.run([x, device.tensor(new Float32Array(1), [1]), device.tensor(new Float32Array(4), [4])]);
    // Row 0 is 1..6: columns 1..3 are 2 + 3 + 4; row 1 is 7..12: 8 + 9 + 10.
    expect(Array.from(await out?.read() ?? [])).toEqual([9, 27]);
  });

  it('a slice that ends before it starts is an ArgumentError naming B - A', async () => {
    if (!device) throw new Error('no device');
    const x = device.tensor(new Float32Array(12), [2, 6]);
    const err = await between.run([x, device.tensor(new Float32Array(4), [4]), device.tensor(new Float32Array(1), [1])]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toContain("Argument 'B - A' of kernel 'between': expected a size of at least 0, got -3 (B = 1, A = 4)");
  });
});
