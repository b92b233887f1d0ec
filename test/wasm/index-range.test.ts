/**
 * Scalar indices outside their dim on the wasm backend, where every tensor of a device
 * lives in one memory: a write outside its tensor is skipped and must not land in the
 * tensors allocated next to it, and a read outside gives 0, not a neighbour's data. Also
 * the call-time check of dim-arithmetic indices (`x[N - 5]`), on wasm and the interpreter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, init, kernel, type Device } from 'tessera-gpu';
import { randomF32 } from '../support/random.ts';

const scatterRows = kernel`
fn scatter_rows(x: f32[R, N], idx: i32[R], like: f32[M, N]) -> (f32[M, N], f32[R, N]) {
  let out = empty_like(like);
  let got = empty([R, N], f32);
  for tn in tile(N) {
    for r in range(0, R) {
      let i = idx[r];
      out[i, tn] = x[r, tn];
      got[r, tn] = out[i, tn];
    }
  }
  return (out, got);
}`;

const fromTheEnd = kernel`
fn from_the_end(x: f32[N], y: f32[M]) -> f32[M] {
  let out = empty_like(y);
  for tm in tile(M) {
    out[tm] = y[tm] + x[N - 5];
  }
  return out;
}`;

describe('wasm: indices outside the tensor', () => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 2 });
  });
  afterAll(() => device.dispose());

  it('a write outside its tensor leaves the neighbouring tensors as they were; a read outside gives 0', async () => {
    const [m, n, r] = [3, 16, 8];
    const sentinel = Float32Array.from({ length: m * n }, (_, i) => 1000 + i);
    // Allocated one after another (16-byte aligned, m·n·4 bytes each): out's neighbours.
    const before = device.tensor(sentinel, [m, n]);
    const out = device.zeros([m, n], 'f32');
    const after = device.tensor(sentinel, [m, n]);
    const got = device.zeros([r, n], 'f32');
    const x = randomF32(r * n, 41);
    // Rows just before and past out, far outside, and the extremes of i32; one in range.
    const idx = Int32Array.from([-1, m, m + 1, -m, 1, 2147483647, -2147483648, 2 * m]);
    const args = [device.tensor(x, [r, n]), device.tensor(idx, [r], 'i32'), device.zeros([m, n], 'f32')];
    await scatterRows.run(args, { config: { blocks: { tn: 8 }, threads: 2 }, outputs: [out, got] });
    expect(Array.from(await before.read())).toEqual(Array.from(sentinel));
    expect(Array.from(await after.read())).toEqual(Array.from(sentinel));
    const wantOut = new Array<number>(m * n).fill(0);
    const wantGot = new Array<number>(r * n).fill(0);
    for (let c = 0; c < n; c++) {
      wantOut[1 * n + c] = x[4 * n + c] ?? NaN;
      wantGot[4 * n + c] = x[4 * n + c] ?? NaN;
    }
    expect(Array.from(await out.read())).toEqual(wantOut);
    expect(Array.from(await got.read())).toEqual(wantGot);
    for (const t of [before, out, after, got, ...args]) t.destroy();
  });
});

describe.each(['wasm', 'interpreter'] as const)('%s: dim-arithmetic indices are checked at call', (backend) => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend });
  });
  afterAll(() => device.dispose());

  it('x[N - 5] with N = 4 is an ArgumentError naming the expression and the sizes', async () => {
    const x = device.tensor(new Float32Array(4), [4]);
    const y = device.tensor(new Float32Array(3), [3]);
    const err = await fromTheEnd(x, y).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as ArgumentError).parameter).toBe('N - 5');
    expect((err as ArgumentError).summary).toBe("Argument 'N - 5' of kernel 'from_the_end': expected an index from 0 to N - 1 into dimension 0 of 'x', got -1 (N = 4)");
    expect((err as ArgumentError).hint).toMatch(/^the subscript N - 5 at 5:25 of the kernel source is outside the dim/);
    for (const t of [x, y]) t.destroy();
  });

  it('x[N - 5] with N = 9 runs and reads element 4', async () => {
    const xs = randomF32(9, 3);
    const ys = randomF32(5, 4);
    const x = device.tensor(xs, [9]);
    const y = device.tensor(ys, [5]);
    const out = await fromTheEnd(x, y);
    expect(Array.from(await out.read())).toEqual(Array.from(ys, (v) => Math.fround(v + (xs[4] ?? NaN))));
    for (const t of [x, y, out]) t.destroy();
  });
});
