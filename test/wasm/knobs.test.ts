/**
 * The wasm backend's config space (compiler/src/wasm/knobs.ts): only the knobs its
 * lowering reads, register blocks that fit V8's registers, every config it builds valid
 * and correct on a ragged matmul, and autotuning on a wasm device searching it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Device } from 'tessera-gpu';
import { DEFAULT_LIMITS, wasmConfigProblems, wasmConfigSpace, wasmMicroTiles, WASM_DOT_DEFAULTS } from 'tessera-gpu-compiler';
import { randomF32 } from '../support/random.ts';
import { matmul } from '../../examples/matmul.ts';


function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] ?? 0) + (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
  return out;
}

function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = got.length === want.length ? 0 : Infinity;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  return worst;
}

describe('wasm config space', () => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 2 });
  });
  afterAll(() => device.dispose());

  it('offers blocks, register blocks that fit 15 registers, and unroll; nothing WebGPU-only', () => {
    const space = wasmConfigSpace(matmul.prepared().ir, DEFAULT_LIMITS);
    expect(space.knobs.map((k) => k.name).sort()).toEqual(['blocks.tk', 'blocks.tm', 'blocks.tn', 'microTile', 'unroll']);
    const tiles = wasmMicroTiles();
    expect(tiles).toContainEqual([4, 8]);
    expect(tiles).toContainEqual([2, 16]);
    expect(tiles).not.toContainEqual([6, 8]);
    for (const [mr, cols] of tiles) expect(mr * (cols / 4) + cols / 4 + mr + 1).toBeLessThanOrEqual(15);
    expect(space.default.microTile).toEqual(WASM_DOT_DEFAULTS.microTile);
    expect(space.default.blocks).toEqual({ tm: WASM_DOT_DEFAULTS.rows, tn: WASM_DOT_DEFAULTS.cols, tk: WASM_DOT_DEFAULTS.k });
  });

  it('every register block it offers builds a valid config that computes a ragged matmul', async () => {
    const ir = matmul.prepared().ir;
    const space = wasmConfigSpace(ir, DEFAULT_LIMITS);
    const [m, k, n] = [45, 38, 51];
    const a = randomF32(m * k, 21);
    const b = randomF32(k * n, 22);
    const want = reference(a, b, m, k, n);
    for (const microTile of wasmMicroTiles()) {
      const config = space.build({ microTile, 'blocks.tm': 16, 'blocks.tn': 32, 'blocks.tk': 16, unroll: 2 });
      expect(wasmConfigProblems(ir, config)).toEqual([]);
      expect(config.microTile).toEqual(microTile);
      const outs = await matmul.run([device.tensor(a, [m, k]), device.tensor(b, [k, n])], { config });
      expect(worstError(await (outs[0]?.read() ?? Promise.resolve([])), want), `microTile ${microTile.join('x')}`).toBeLessThan(1e-5);
    }
  });

  it('autotuning on a wasm device searches this space', async () => {
    const [m, k, n] = [40, 24, 36];
    const a = randomF32(m * k, 23);
    const b = randomF32(k * n, 24);
    const args = [device.tensor(a, [m, k]), device.tensor(b, [k, n])];
    const tuned = await matmul.autotune(args, { effort: 'quick', cache: false, maxSeconds: 10 });
    const mt = tuned.best.microTile;
    expect(mt === undefined || wasmMicroTiles().some(([r, c]) => r === mt[0] && c === mt[1])).toBe(true);
    const outs = await matmul.run(args, { config: tuned.best });
    expect(worstError(await (outs[0]?.read() ?? Promise.resolve([])), reference(a, b, m, k, n))).toBeLessThan(1e-5);
  });
});
