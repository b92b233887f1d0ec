/**
 * The wasm backend beyond the conformance suite: its SIMD @ micro-tiles and vector loops
 * at ragged sizes under its own knobs, the same results on 1, 2 and 3 threads, tensors
 * living in (and freed from) its memory, its errors, and compile latency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type ConfigInput, type Device } from 'tessera-gpu';
import { lowerWasm, resolveWasmConfig, BASELINE_FEATURES } from 'tessera-gpu-compiler';
import { randomF32 } from '../support/random.ts';

const matmul = kernel`
fn matmul(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

const softmax = kernel`
fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;

function matmulRef(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const x = a[i * k + p] ?? 0;
    for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] ?? 0) + x * (b[p * n + j] ?? 0);
  }
  return out;
}

function softmaxRef(x: Float32Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = Math.max(mx, x[i * n + j] ?? 0);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp((x[i * n + j] ?? 0) - mx);
    for (let j = 0; j < n; j++) out[i * n + j] = Math.exp((x[i * n + j] ?? 0) - mx) / s;
  }
  return out;
}

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  expect(worst, what).toBeLessThan(tol);
}

describe('wasm backend', () => {
  const devices = new Map<number, Device>();
  beforeAll(async () => {
    for (const t of [1, 2, 3]) devices.set(t, await init({ backend: 'wasm', threads: t }));
  });
  afterAll(() => {
    for (const d of devices.values()) d.dispose();
  });
  const device = (t: number): Device => {
    const d = devices.get(t);
    if (!d) throw new Error('no device');
    return d;
  };

  const configs: ConfigInput[] = [
    {},
    { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [4, 8], unroll: 1 },
    { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [8, 8], unroll: 4 },
    { blocks: { tm: 8, tn: 64, tk: 32 }, microTile: [2, 16], unroll: 8 },
    { blocks: { tm: 24, tn: 20, tk: 12 }, microTile: [3, 4], unroll: 3, threads: 2 },
  ];
  for (const config of configs) {
    it(`matmul at ragged sizes, config ${JSON.stringify(config)}, on 1-3 threads`, async () => {
      for (const [m, k, n] of [[37, 29, 45], [70, 65, 67], [1, 5, 3]] as const) {
        const a = randomF32(m * k, m + k);
        const b = randomF32(k * n, k + n);
        const want = matmulRef(a, b, m, k, n);
        for (const t of [1, 2, 3]) {
          const d = device(t);
          const outs = await matmul.run([d.tensor(a, [m, k]), d.tensor(b, [k, n])], { config });
          expectNear(await (outs[0]?.read() ?? Promise.resolve([])), want, 1e-5, `${m}x${k}x${n} on ${t} threads`);
        }
      }
    });
  }

  // How long lowering and compiling take is measured by bench/first-call.ts, not here.
  it('lowers @ to SIMD and reports it; the module validates and compiles', async () => {
    const ir = matmul.prepared().ir;
    const art = lowerWasm(ir, resolveWasmConfig(ir, {}), { features: BASELINE_FEATURES, shared: true });
    expect(art.uses.simd).toBe(true);
    expect(art.lowerMs).toBeGreaterThanOrEqual(0);
    expect(WebAssembly.validate(art.bytes as BufferSource)).toBe(true);
    await expect(WebAssembly.compile(art.bytes as BufferSource)).resolves.toBeInstanceOf(WebAssembly.Module);
  });

  it('softmax over rows not a multiple of 4 (vector body + scalar tail), with large magnitudes', async () => {
    for (const [m, n] of [[5, 1027], [9, 3], [3, 64]] as const) {
      const x = randomF32(m * n, m * n, -60, 60);
      const want = softmaxRef(x, m, n);
      for (const config of [{}, { blocks: { tm: 1 } }, { blocks: { tm: 4 } }]) {
        const outs = await softmax.run([device(2).tensor(x, [m, n])], { config });
        expectNear(await (outs[0]?.read() ?? Promise.resolve([])), want, 2e-6, `${m}x${n} ${JSON.stringify(config)}`);
      }
    }
  });

  it('exp in vectors keeps NaN, Infinity and underflow', async () => {
    const k = kernel`fn k(x: f32[N]) -> f32[N] { let out = empty_like(x); for tn in tile(N) { out[tn] = exp(x[tn]); } return out; }`;
    const x = new Float32Array([NaN, Infinity, -Infinity, 100, -100, 0, 1, -1, 88, -87, 10, 0.5]);
    const out = await (await k.run([device(1).tensor(x, [x.length])], { config: { blocks: { tn: 16 } } }))[0]?.read();
    const got = Array.from(out ?? []);
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[1]).toBe(Infinity);
    expect(got[2]).toBe(0);
    expect(got[3]).toBe(Infinity);
    expect(got[4] ?? 1).toBeLessThan(1e-37);
    // WGSL's accuracy for f32 exp: 3 + 2·|x| ulp (an ulp is at most 2^-23 of the value).
    for (const i of [5, 6, 7, 8, 9, 10, 11]) expectNear([got[i] ?? NaN], [Math.exp(x[i] ?? 0)], (3 + 2 * Math.abs(x[i] ?? 0)) * 2 ** -23, `exp(${x[i]})`);
  });

  it('keeps tensors in its memory and frees them on destroy', async () => {
    const d = device(1);
    const before = d.stats().liveBytes;
    const t = d.tensor(randomF32(1000, 1), [1000]);
    expect(d.stats().liveBytes).toBeGreaterThan(before);
    expect(t.host?.buffer).toBe(d.wasm?.memory.memory.buffer);
    const inUse = d.wasm?.memory.bytesInUse ?? 0;
    t.destroy();
    expect(d.wasm?.memory.bytesInUse).toBeLessThan(inUse);
    expect(d.stats().liveBytes).toBe(before);
    await expect(t.read()).rejects.toThrow(/after destroy/);
  });

  it('rejects a bad config with a ConfigError naming the knob, and tensors of another device', async () => {
    const d = device(1);
    const a = d.tensor(randomF32(16, 1), [4, 4]);
    await expect(matmul.run([a, a], { config: { blocks: { tm: 0 } } })).rejects.toThrow(/tm must be a positive integer/);
    await expect(matmul.run([a, a], { config: { threads: 0 } })).rejects.toThrow(/threads must be a positive integer/);
    // A misspelt loop is an error, not the default run instead; a config that is not an object is not spread into one.
    await expect(matmul.run([a, a], { config: { blocks: { tz: 32 } } })).rejects.toThrow(/no tile loop named 'tz' \(loops: tm, tn, tk\)/);
    await expect(softmax.run([a], { config: { blocks: { rows: 4 } } })).rejects.toThrow(/no tile loop named 'rows' \(loops: tm\)/);
    for (const bad of [null, 5, 'tm=4', [4]]) {
      await expect(matmul.run([a, a], { config: bad as never })).rejects.toThrow(/a config must be a plain object/);
    }
    // Blocks whose tiles need more scratch than the memory holds (2^48 bytes, which i32 arithmetic would wrap) are refused, and the device goes on.
    const inUse = d.wasm?.memory.bytesInUse;
    await expect(matmul.run([a, a], { config: { blocks: { tm: 65536, tn: 65536, tk: 65536 } } })).rejects.toThrow(/scratch memory of kernel 'matmul'[\s\S]*use smaller blocks \(tm=65536, tn=65536, tk=65536 now\)/);
    expect(d.wasm?.memory.bytesInUse).toBe(inUse);
    const [ok] = await matmul.run([a, a], { config: { blocks: { tm: 4096, tn: 16, tk: 16 } } });
    expectNear(await ok!.read(), matmulRef(await a.read(), await a.read(), 4, 4, 4), 1e-5, 'after the refused config');
    // Outputs the caller passed stay usable after a refused call (only outputs the call made are freed).
    const mine = d.tensor(randomF32(16, 3), [4, 4]);
    await expect(matmul.run([a, a], { config: { blocks: { tz: 4 } }, outputs: [mine] })).rejects.toThrow(/no tile loop named/);
    await expect(matmul.run([a, a], { config: { blocks: { tm: 65536, tn: 65536, tk: 65536 } }, outputs: [mine] })).rejects.toThrow(/smaller blocks/);
    expect((await mine.read()).length).toBe(16);
    const other = device(2).tensor(randomF32(16, 2), [4, 4]);
    await expect(matmul.run([a, other])).rejects.toThrow();
  });

  it('times calls with the wall clock', async () => {
    const d = device(2);
    const a = d.tensor(randomF32(64 * 64, 1), [64, 64]);
    const m = await matmul.measure([a, a], { repeats: 3, warmup: 1 });
    expect(m.method).toBe('wallclock');
    expect(m.medianMs).toBeGreaterThan(0);
  });

  it('autotunes its own knobs (threads among them) and the winner computes the product', async () => {
    const d = device(2);
    const [m, k, n] = [96, 80, 72];
    const a = randomF32(m * k, 5);
    const b = randomF32(k * n, 6);
    const args = [d.tensor(a, [m, k]), d.tensor(b, [k, n])];
    const tuned = await matmul.autotune(args, { effort: 'quick', cache: false, maxSeconds: 20 });
    expect(tuned.configsTried).toBeGreaterThan(1);
    expect([1, 2]).toContain(tuned.best.threads);
    const outs = await matmul.run(args, { config: tuned.best });
    expectNear(await (outs[0]?.read() ?? Promise.resolve([])), matmulRef(a, b, m, k, n), 1e-5, 'tuned');
  }, 60_000);
});

describe('init() choosing the wasm backend', () => {
  /** A GPU offering one adapter that only describes itself: asking it for a device fails with `requested`. */
  const fakeGPU = (info: { vendor: string; architecture: string }): GPU => {
    const adapter = {
      info: { ...info, device: '', description: `${info.vendor} ${info.architecture}`, isFallbackAdapter: false },
      features: new Set<string>(), limits: {},
      requestDevice: () => Promise.reject(new Error('requested')),
    };
    return { requestAdapter: () => Promise.resolve(adapter) } as unknown as GPU;
  };
  const lavapipe = fakeGPU({ vendor: 'mesa', architecture: 'llvmpipe' });
  const hardware = fakeGPU({ vendor: 'nvidia', architecture: 'ada' });

  it('plain init() takes wasm over a software adapter, without asking it for a device', async () => {
    const d = await init({ gpu: lavapipe });
    try {
      expect(d.backend).toBe('wasm');
    } finally {
      d.dispose();
    }
  });

  it("a hardware adapter still wins; backend: 'webgpu', requireWebGPU and cpuBackend: 'interpreter' keep a software one", async () => {
    await expect(init({ gpu: hardware })).rejects.toThrow(/requestDevice failed.*requested/);
    for (const options of [{ backend: 'webgpu' }, { requireWebGPU: true }, { cpuBackend: 'interpreter' }] as const) {
      await expect(init({ gpu: lavapipe, ...options }), JSON.stringify(options)).rejects.toThrow(/requestDevice failed.*requested/);
    }
  });

  it('on this machine (no hardware GPU), plain init() runs kernels on wasm', async () => {
    const d = await init({ notice: () => {} });
    try {
      if (d.backend === 'webgpu') expect(d.info.software).toBe(false);
      else expect(d.backend).toBe('wasm');
    } finally {
      d.dispose();
    }
  });
});
