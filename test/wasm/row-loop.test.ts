/**
 * Row-at-a-time tiles on the wasm backend (compiler/src/wasm/row-loop.ts): which kernels
 * run their tile body once per row (those whose statements keep the tile's rows apart),
 * and that both kinds compute what an f64 reference computes at ragged sizes, with row
 * blocks that do not divide the row count, on one and two threads: a nested column loop
 * carrying per-row state (the online softmax), a store read back by a later statement of
 * the same rows, and a kernel that mixes the rows of a tile (a fold along the row axis),
 * which must keep running statement by statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type Device } from 'tessera-gpu';
import { rowLoop } from '../../packages/compiler/src/wasm/row-loop.ts';
import { randomF32 } from '../support/random.ts';
import { softmaxRef } from './softmax-check.ts';
import { softmax } from '../../examples/softmax.ts';
import { layernorm } from '../../examples/layernorm.ts';
import { rmsnorm } from '../../examples/rmsnorm.ts';
import { rowStats } from '../../examples/row-stats.ts';
import { rowCumsum } from '../../examples/cumsum.ts';
import { softmaxOnline } from '../../examples/softmax-online.ts';
import { crossEntropy } from '../../examples/cross-entropy.ts';
import { dropout } from '../../examples/dropout.ts';
import { matmul } from '../../examples/matmul.ts';

// Each element less its column's largest value over the tile's rows: mixes rows.
const minusColumnMax = kernel`
fn minus_column_max(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    out[tm, :] = row - max(row, axis=0, keepdim=true);
  }
  return out;
}`;

// Writes every row, then reads the row before it: another row of the same tile (only classified here).
const previousRow = kernel`
fn previous_row(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = x[tm, :] * 2.0;
    out[tm, :] = out[tm - 1, :] + x[tm, :];
  }
  return out;
}`;

// A store read back by a later statement of the same rows, and a row max kept across them.
const twice = kernel`
fn twice(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = exp(x[tm, :] - max(x[tm, :], axis=1, keepdim=true));
    out[tm, :] = out[tm, :] / sum(out[tm, :], axis=1, keepdim=true);
  }
  return out;
}`;

const ir = (k: { prepared(): { ir: Parameters<typeof rowLoop>[0] } }): Parameters<typeof rowLoop>[0] => k.prepared().ir;

/** minusColumnMax's reference: the column max is over each block of `tm` rows. */
function minusColumnMaxRef(x: Float32Array, m: number, n: number, tm: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let r0 = 0; r0 < m; r0 += tm) {
    const r1 = Math.min(m, r0 + tm);
    for (let c = 0; c < n; c++) {
      let mx = -Infinity;
      for (let r = r0; r < r1; r++) mx = Math.max(mx, x[r * n + c] ?? 0);
      for (let r = r0; r < r1; r++) out[r * n + c] = (x[r * n + c] ?? 0) - mx;
    }
  }
  return out;
}

function worst(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let w = got.length === want.length ? 0 : Infinity;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  return Number.isNaN(w) ? Infinity : w;
}

const SHAPES = [[1, 5], [7, 3], [13, 17], [37, 130], [70, 1027]] as const;
const BLOCKS = [3, 8, 64];

describe('wasm row-at-a-time tiles', () => {
  const devices: Device[] = [];
  beforeAll(async () => {
    for (const threads of [1, 2]) devices.push(await init({ backend: 'wasm', threads }));
  });
  afterAll(() => {
    for (const d of devices) d.dispose();
  });

  it('runs whole-row kernels a row at a time, and leaves kernels that mix rows or vectorize along the tile', () => {
    for (const k of [softmax, layernorm, rmsnorm, rowStats, rowCumsum, softmaxOnline, twice]) expect(rowLoop(ir(k))?.name, ir(k).name).toBe('tm');
    // crossEntropy folds its losses over the tile (and adds them atomically); dropout's tile is its vector axis.
    for (const k of [crossEntropy, dropout, matmul, minusColumnMax, previousRow]) expect(rowLoop(ir(k)), ir(k).name).toBeUndefined();
  });

  it('row kernels (a nested column loop with per-row state, a store read back) match the reference', async () => {
    for (const [m, n] of SHAPES) {
      const x = randomF32(m * n, 7 * m + n, -30, 30);
      const want = softmaxRef(x, m, n);
      for (const d of devices) {
        for (const tm of BLOCKS) {
          for (const [k, config] of [[softmaxOnline, { blocks: { tm, tn: 16 } }], [softmaxOnline, { blocks: { tm, tn: 256 } }], [twice, { blocks: { tm } }], [softmax, { blocks: { tm } }]] as const) {
            const [out] = await k.run([d.tensor(x, [m, n])], { config });
            expect(worst(await out!.read(), want), `${ir(k).name} ${m}x${n} ${JSON.stringify(config)} on ${d.describe()}`).toBeLessThan(2e-6);
          }
        }
      }
    }
  });

  it('kernels that mix the rows of a tile still see every row of it', async () => {
    for (const [m, n] of SHAPES) {
      const x = randomF32(m * n, 3 * m + n);
      for (const d of devices) {
        for (const tm of BLOCKS) {
          const [a] = await minusColumnMax.run([d.tensor(x, [m, n])], { config: { blocks: { tm } } });
          expect(worst(await a!.read(), minusColumnMaxRef(x, m, n, tm)), `minus_column_max ${m}x${n} tm=${tm}`).toBeLessThan(1e-6);
        }
      }
    }
  });
});
