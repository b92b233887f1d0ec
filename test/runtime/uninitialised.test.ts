/**
 * `empty` outputs never show stale memory. The runtime reuses destroyed tensors' buffers,
 * so an output that a kernel reads before writing (`out[tn] += x[tn]`), or may leave
 * partly unwritten (a store under `if`, in a `range` loop, at a scalar index), is
 * zero-filled on every backend; WebGPU and the interpreter then agree with a plain-JS
 * reference. Outputs a kernel surely covers keep the cheaper unfilled allocation.
 */
import { expect, it } from 'vitest';
import { kernel, type Device, type Kernel, type Tensor } from 'tessera-gpu';
import { add } from '../../examples/add.ts';
import { describeOnAllBackends } from './all-backends.ts';
import { randomF32 } from '../support/random.ts';

const accumulate = kernel`
fn accumulate(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] += x[tn];
  }
  return out;
}`;

const readsOwnOutput = kernel`
fn reads_own_output(x: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = out[tn] * 2.0 + x[tn];
  }
  return out;
}`;

const guarded = kernel`
fn guarded(x: f32[N], flag: i32) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    if flag > 0 {
      out[tn] = x[tn];
    }
  }
  return out;
}`;

const firstRowOnly = kernel`
fn first_row_only(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[0, tn] = x[0, tn];
  }
  return out;
}`;

/** Leaves a destroyed tensor full of `fill` with `elements` elements in the reuse pool. */
function poison(d: Device, elements: number, fill: number): void {
  d.tensor(new Float32Array(elements).fill(fill), [elements]).destroy();
}

async function only(k: Kernel, args: (Tensor | number)[]): Promise<Float32Array> {
  const [out] = await k.run(args);
  if (!out) throw new Error('no output');
  const got = await out.read();
  out.destroy();
  if (!(got instanceof Float32Array)) throw new Error('f32 output expected');
  return got;
}

describeOnAllBackends('uninitialised reads of empty outputs', (device) => {
  it('out[tn] += x[tn] on an empty output reads zeros, never a destroyed tensor\'s data', async () => {
    const d = device();
    for (const n of [1, 300, 1001]) {
      const xs = randomF32(n, n, -3, 3);
      poison(d, n, 1234.5);
      expect(Array.from(await only(accumulate, [d.tensor(xs, [n])]))).toEqual(Array.from(xs));
      poison(d, n, -77);
      const want = xs.map((v) => Math.fround(Math.fround(0 * 2) + v));
      expect(Array.from(await only(readsOwnOutput, [d.tensor(xs, [n])]))).toEqual(Array.from(want));
    }
  });

  it('a store that may not run leaves zeros, not stale data', async () => {
    const d = device();
    const n = 517;
    const xs = randomF32(n, 5);
    poison(d, n, 99);
    expect(Array.from(await only(guarded, [d.tensor(xs, [n]), 0])).every((v) => v === 0)).toBe(true);
    poison(d, n, 99);
    expect(Array.from(await only(guarded, [d.tensor(xs, [n]), 1]))).toEqual(Array.from(xs));
  });

  it('a store at a scalar index covers one row; the rest reads as zeros', async () => {
    const d = device();
    const [m, n] = [3, 129];
    const xs = randomF32(m * n, 6);
    poison(d, m * n, 4321);
    const got = await only(firstRowOnly, [d.tensor(xs, [m, n])]);
    const want = new Float32Array(m * n);
    want.set(xs.subarray(0, n));
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('only outputs that need it are zero-filled', () => {
    const zeroInit = (k: Kernel): boolean[] => k.prepared().ir.outputs.map((o) => o.zeroInit);
    expect(zeroInit(accumulate)).toEqual([true]);
    expect(zeroInit(readsOwnOutput)).toEqual([true]);
    expect(zeroInit(guarded)).toEqual([true]);
    expect(zeroInit(firstRowOnly)).toEqual([true]);
    // Every element written unconditionally: no fill, the reused buffer is simply overwritten.
    expect(zeroInit(add)).toEqual([false]);
  });
});
