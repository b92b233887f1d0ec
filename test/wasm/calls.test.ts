/**
 * How a wasm call ends: when every tile of its grid is counted done (the done count in
 * the argument block), whichever threads ran them and in whatever order they answer —
 * not when each worker has replied. Back-to-back calls, calls whose workers answer late
 * or run every tile, a worker that fails, and the wait itself (wait.ts) against a thread
 * that counts tiles, each checked against an f64 reference or the outcome it must give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { init, type Device } from 'tessera-gpu';
import { resolveWasmConfig } from 'tessera-gpu-compiler';
import { softmax } from '../../examples/softmax.ts';
import { randomF32 } from '../support/random.ts';
import { softmaxRef, worstError } from './softmax-check.ts';
import type { WasmBackend } from '../../packages/runtime/src/wasm/executor.ts';
import { waitForTiles } from '../../packages/runtime/src/wasm/wait.ts';

/**
 * The bytes in use once no call's argument block or scratch is held any more (they are
 * freed when late workers answer), at most `want` (tensors of earlier tests that were
 * garbage collected meanwhile give less).
 */
async function settledBytes(backend: WasmBackend, want: number): Promise<number> {
  for (let i = 0; i < 200 && backend.memory.bytesInUse > want; i++) await new Promise((r) => setTimeout(r, 5));
  return backend.memory.bytesInUse;
}

type Compiled = Awaited<ReturnType<WasmBackend['prepare']>>;
type Exports = Compiled['exports'];
type Pool = { run(worker: number, r: unknown): Promise<void> };

describe('wasm calls end when their tiles are done', () => {
  let device: Device;
  let backend: WasmBackend;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 4 });
    backend = device.wasm!;
  });
  afterAll(() => device.dispose());

  it('gives correct results over many back-to-back calls of ragged sizes, and frees every call\'s memory', async () => {
    const shapes = [[1, 1], [3, 7], [17, 33], [64, 5], [129, 130]] as const;
    const inputs = shapes.map(([m, n], i) => ({ m, n, x: randomF32(m * n, 100 + i, 6) }));
    const tensors = inputs.map((s) => device.tensor(s.x, [s.m, s.n]));
    const wants = inputs.map((s) => softmaxRef(s.x, s.m, s.n));
    const outs = inputs.map((s) => device.empty([s.m, s.n]));
    const base = backend.memory.bytesInUse;
    for (let call = 0; call < 300; call++) {
      const i = call % shapes.length;
      await softmax.run([tensors[i]!], { config: { blocks: { tm: 1 + (call % 3) }, threads: 4 }, outputs: [outs[i]!] });
      // Read right away: a call's results are complete when it resolves.
      if (call % 7 === 0) expect(worstError(await outs[i]!.read(), wants[i]!), `call ${call}`).toBeLessThan(1e-6);
    }
    for (let i = 0; i < shapes.length; i++) expect(worstError(await outs[i]!.read(), wants[i]!)).toBeLessThan(1e-6);
    expect(await settledBytes(backend, base)).toBe(base);
  });

  it('keeps calls too small to gain on the calling thread, and splits large ones and those whose config sets threads', async () => {
    const pool = (backend as unknown as { pool: Pool }).pool;
    const run = pool.run.bind(pool);
    let handed = 0;
    pool.run = (w, r) => {
      handed++;
      return run(w, r);
    };
    const calls = async (m: number, n: number, config: { blocks: { tm: number }; threads?: number }, times: number): Promise<number> => {
      const x = randomF32(m * n, m + n, 5);
      const xt = device.tensor(x, [m, n]);
      const before = handed;
      for (let call = 0; call < times; call++) {
        const [out] = await softmax.run([xt], { config });
        expect(worstError(await out!.read(), softmaxRef(x, m, n)), `${m}x${n} call ${call}`).toBeLessThan(1e-6);
        out!.destroy();
      }
      xt.destroy();
      return handed - before;
    };
    try {
      // 24x40: microseconds of work. Only the first call, whose cost is unknown, wakes workers.
      expect(await calls(24, 40, { blocks: { tm: 1 } }, 6)).toBeLessThanOrEqual(3);
      // The same with `threads` in the config: every call goes to the workers it names.
      expect(await calls(24, 40, { blocks: { tm: 1 }, threads: 4 }, 6)).toBe(18);
      // 600x4000: milliseconds of exps per call, enough for every thread.
      expect(await calls(600, 4000, { blocks: { tm: 4 } }, 4)).toBe(12);
    } finally {
      pool.run = run;
    }
  });

  it('gives the same results where the calling thread may not block (a browser page: Atomics.waitAsync)', async () => {
    const b = backend as unknown as { blocking: boolean };
    const was = b.blocking;
    b.blocking = false;
    try {
      for (const [m, n] of [[3, 5], [50, 77], [129, 64]] as const) {
        const x = randomF32(m * n, m * n, 5);
        const xt = device.tensor(x, [m, n]);
        const want = softmaxRef(x, m, n);
        for (let call = 0; call < 20; call++) {
          const [out] = await softmax.run([xt], { config: { blocks: { tm: 1 }, threads: 4 } });
          expect(worstError(await out!.read(), want), `${m}x${n} call ${call}`).toBeLessThan(1e-6);
          out!.destroy();
        }
      }
    } finally {
      b.blocking = was;
    }
  });

  it('returns before workers that start late have answered, with the calling thread\'s results', async () => {
    const m = 37;
    const n = 45;
    const x = randomF32(m * n, 7, 5);
    const xt = device.tensor(x, [m, n]);
    // Compiled first, so the timed call is the run alone.
    for (const o of await softmax.run([xt], { config: { blocks: { tm: 2 }, threads: 4 } })) o.destroy();
    const pool = (backend as unknown as { pool: Pool }).pool;
    const run = pool.run.bind(pool);
    const late: Promise<void>[] = [];
    // Each worker's request is posted 300 ms late, so the calling thread runs every tile.
    pool.run = (w, r) => {
      const p = new Promise<void>((resolve) => setTimeout(resolve, 300)).then(() => run(w, r));
      late.push(p);
      return p;
    };
    try {
      const base = backend.memory.bytesInUse;
      const t0 = performance.now();
      const [out] = await softmax.run([xt], { config: { blocks: { tm: 2 }, threads: 4 } });
      const ms = performance.now() - t0;
      expect(late.length).toBeGreaterThan(0);
      expect(ms).toBeLessThan(250);
      expect(worstError(await out!.read(), softmaxRef(x, m, n))).toBeLessThan(1e-6);
      out!.destroy();
      await Promise.all(late);
      expect(await settledBytes(backend, base)).toBeLessThanOrEqual(base);
    } finally {
      pool.run = run;
    }
  });

  it('gives correct results when the workers run every tile', async () => {
    const ir = softmax.prepared().ir;
    const config = resolveWasmConfig(ir, { blocks: { tm: 1 }, threads: 4 });
    const compiled = await backend.prepare(ir, config);
    const own = compiled.exports;
    // The calling thread claims no tile: its run returns at once.
    let mainRuns = 0;
    (compiled as { exports: Exports }).exports = { run: () => { mainRuns++; return 0; }, scratch: own.scratch };
    try {
      for (const [m, n] of [[5, 9], [61, 130]] as const) {
        const x = randomF32(m * n, m, 4);
        const [out] = await softmax.run([device.tensor(x, [m, n])], { config: { blocks: { tm: 1 }, threads: 4 } });
        expect(worstError(await out!.read(), softmaxRef(x, m, n)), `${m}x${n}`).toBeLessThan(1e-6);
      }
      expect(mainRuns).toBe(2);
    } finally {
      (compiled as { exports: Exports }).exports = own;
    }
  });

  it('reports workers that fail while the grid is unfinished, and later calls still work', async () => {
    const ir = softmax.prepared().ir;
    const config = resolveWasmConfig(ir, { blocks: { tm: 1 }, threads: 4 });
    const compiled = await backend.prepare(ir, config);
    const own = compiled.exports;
    const pool = (backend as unknown as { pool: Pool }).pool;
    const run = pool.run.bind(pool);
    (compiled as { exports: Exports }).exports = { run: () => 0, scratch: own.scratch };
    // The workers' argument address lies past the memory's end: each run traps on its
    // first load (the status words they flag stay the call's).
    pool.run = (w, r) => run(w, { ...(r as object), args: 2 ** 31 - 64 });
    const x = randomF32(8 * 16, 3, 4);
    const xt = device.tensor(x, [8, 16]);
    try {
      await expect(softmax.run([xt], { config: { blocks: { tm: 1 }, threads: 4 } })).rejects.toThrow(/failed on the wasm backend: .*out of bounds/);
    } finally {
      (compiled as { exports: Exports }).exports = own;
      pool.run = run;
    }
    const [out] = await softmax.run([xt], { config: { blocks: { tm: 1 }, threads: 4 } });
    expect(worstError(await out!.read(), softmaxRef(x, 8, 16))).toBeLessThan(1e-6);
  });
});

describe('waiting for the done count', () => {
  const TILES = 1000;
  /** A thread that adds `step` to the done count every millisecond, or sets the failure flag after `failAfter` steps. */
  function counter(memory: WebAssembly.Memory, status: number, step: number, failAfter = Infinity): Worker {
    return new Worker(`
      const { workerData: d } = require('node:worker_threads');
      const w = new Int32Array(d.buffer, d.status, 3);
      let steps = 0;
      const tick = () => {
        if (steps++ >= d.failAfter) { Atomics.store(w, 2, 1); Atomics.notify(w, 1); return; }
        if (Atomics.add(w, 1, d.step) + d.step >= d.tiles) { Atomics.notify(w, 1); return; }
        setTimeout(tick, 1);
      };
      tick();`, { eval: true, workerData: { buffer: memory.buffer, status, step, tiles: TILES, failAfter } });
  }

  for (const blocking of [true, false]) {
    it(`${blocking ? 'blocking' : 'async'}: resolves 'done' at the tile count though no job has settled, 'failed' on the flag or a stopped job`, async () => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      const never = new Promise<void>(() => {});
      const w1 = counter(memory, 64, 50);
      expect(await waitForTiles(new Int32Array(memory.buffer), 64, TILES, [never], blocking)).toBe('done');
      expect(new Int32Array(memory.buffer, 64, 3)[1]).toBeGreaterThanOrEqual(TILES);
      const w2 = counter(memory, 128, 50, 5);
      expect(await waitForTiles(new Int32Array(memory.buffer), 128, TILES, [never], blocking)).toBe('failed');
      expect(await waitForTiles(new Int32Array(memory.buffer), 256, TILES, [Promise.reject(new Error('gone'))], blocking)).toBe('failed');
      await Promise.all([w1.terminate(), w2.terminate()]);
    });
  }

  it('without Atomics.waitAsync on a thread that may not block: waits for the jobs', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const atomics = Atomics as unknown as { waitAsync?: unknown };
    const waitAsync = atomics.waitAsync;
    delete atomics.waitAsync;
    try {
      const w = counter(memory, 64, 100);
      // The job settles when the counting thread ends, after its last add.
      const job = new Promise<void>((resolve) => w.on('exit', () => resolve()));
      expect(await waitForTiles(new Int32Array(memory.buffer), 64, TILES, [job], false)).toBe('done');
      expect(await waitForTiles(new Int32Array(memory.buffer), 128, TILES, [Promise.resolve()], false)).toBe('failed');
    } finally {
      atomics.waitAsync = waitAsync;
    }
  });
});
