/**
 * Mistakes a kernel author or caller makes get typed errors that say what and where,
 * never a WebGPU validation message.
 */
import { expect, it } from 'vitest';
import { ArgumentError, KernelError, kernel } from 'tessera-gpu';
import { softmax } from '../../examples/softmax.ts';
import { add } from '../../examples/add.ts';
import { describeWebGPU } from '../support/webgpu.ts';

describeWebGPU('kernel arguments', (ctx) => {
  it('wrong rank names the parameter, the expected and the actual shape', async () => {
    const x = ctx.device.tensor(new Float32Array(12), [12]);
    const err = await softmax(x).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as ArgumentError).parameter).toBe('x');
    expect((err as Error).message).toContain("Argument 'x' of kernel 'softmax': expected 2-D tensor f32[M, N], got 1-D tensor f32[12]");
    x.destroy();
  });

  it('wrong dtype names the parameter and both dtypes', async () => {
    const x = ctx.device.tensor(new Int32Array(6), [6]);
    const y = ctx.device.tensor(new Float32Array(6), [6]);
    const err = await add(x, y).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toContain("Argument 'x' of kernel 'add': expected f32[N], got i32[6]");
    x.destroy();
    y.destroy();
  });

  it('inconsistent dims say which argument bound the dim', async () => {
    const x = ctx.device.tensor(new Float32Array(6), [6]);
    const y = ctx.device.tensor(new Float32Array(5), [5]);
    const err = await add(x, y).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toContain("Argument 'y' of kernel 'add': expected f32[N=6], got f32[5]");
    expect((err as Error).message).toContain("N is 6, bound by 'x' (dimension 0)");
    x.destroy();
    y.destroy();
  });

  it('a zero-size dim gives an empty result without launching', async () => {
    const x = ctx.device.tensor(new Float32Array(0), [0]);
    const y = ctx.device.tensor(new Float32Array(0), [0]);
    const [out] = await add.run([x, y]);
    expect(out?.shape).toEqual([0]);
    expect((await out?.read())?.length).toBe(0);
    for (const t of [x, y, out]) t?.destroy();
  });

  it('a dim-arithmetic index outside its dim at these sizes names the expression and the sizes', async () => {
    const lastRows = kernel`
fn last_rows(x: f32[M, N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[M - 3, tn];
  }
  return out;
}`;
    const x = ctx.device.tensor(new Float32Array(10), [2, 5]);
    const err = await lastRows(x).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toContain("Argument 'M - 3' of kernel 'last_rows': expected an index from 0 to M - 1 into dimension 0 of 'x', got -1 (M = 2)");
    expect((err as Error).message).toContain('the subscript M - 3 at 5:17 of the kernel source');
    x.destroy();
  });

  it('the wrong number of arguments lists the signature', async () => {
    const x = ctx.device.tensor(new Float32Array(3), [3]);
    const err = await add(x).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toContain('2 argument(s) (x: f32[N], y: f32[N])');
    x.destroy();
  });
});

it('a parse error points at line:col of the kernel source with a caret', () => {
  const bad = kernel`
fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn]
  }
  return out;
}`;
  let err: unknown;
  try {
    bad.wgsl();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(KernelError);
  const msg = (err as Error).message;
  expect(msg).toMatch(/kernel:5:28/);
  expect(msg).toContain('    out[tn] = x[tn] + y[tn]');
  expect(msg).toMatch(/\n\s+\|\s+\^/);
  // Compiler internals never leak into the message.
  expect(msg).not.toMatch(/packages\/(dsl|compiler|runtime)\/src/);
});

it('a type error points at the offending expression', () => {
  const bad = kernel`
fn f(x: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + true;
  }
  return out;
}`;
  expect(() => bad.wgsl()).toThrowError(/operator '\+' cannot combine f32 tile \[tn\] and bool\n\s+--> kernel:5:15/);
});
