/**
 * Consecutive elementwise statements over the same tile share one loop (wgsl/element-groups.ts):
 * the generated WGSL grows by a line or so per statement, not by a loop and two barriers,
 * and a statement that reads what the group wrote at another element (a tensor stored in
 * the group) starts a new loop. On the adapter, results against plain-JS references at
 * ragged sizes, including a kernel of 256 updates whose first call must compile in seconds.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS, lower } from './support.ts';

/** `var a = x; a = a * 0.5 + i` for i < n, then one store: n + 2 elementwise statements. */
function updatesSource(n: number): string {
  const updates = Array.from({ length: n }, (_, i) => `    a = a * 0.5 + ${(i % 7) - 3}.0;`).join('\n');
  return `fn updates(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    var a = x[tm, tn];
${updates}
    out[tm, tn] = a;
  }
  return out;
}`;
}

function updatesReference(x: Float32Array, n: number): Float64Array {
  return Float64Array.from(x, (v) => {
    let a = v;
    for (let i = 0; i < n; i++) a = Math.fround(Math.fround(a * 0.5) + ((i % 7) - 3));
    return a;
  });
}

/** n trivial 1-D stores into the same output (written in vectors). */
function storesSource(n: number): string {
  return `fn stores(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
${Array.from({ length: n }, (_, i) => `    out[tn] = x[tn] * ${i}.0 + y[tn];`).join('\n')}
  }
  return out;
}`;
}

/** b reads a, which the same tile stored: b's loop must not share a's. */
const READ_AFTER_STORE = `fn read_after_store(x: f32[M, N]) -> (f32[M, N], f32[M, N]) {
  let a = empty([M, N], f32);
  let b = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var t = x[tm, tn] * 2.0;
    t = t + 1.0;
    a[tm, tn] = t;
    b[tm, tn] = a[tm, tn] * 3.0 + t;
  }
  return (a, b);
}`;

const wgslOf = (source: string): string => compileWgsl(lower(source), {}, LAVAPIPE_LIMITS).wgsl;
const count = (text: string, re: RegExp): number => [...text.matchAll(re)].length;

describe('shared elementwise loops: lowering', () => {
  it('runs a declaration, its updates and the store in one loop, with no barrier (no other statement touches the tile)', () => {
    const wgsl = wgslOf(updatesSource(256));
    expect(count(wgsl, /for \(var e\d+ = lid;/g)).toBe(1);
    expect(count(wgsl, /workgroupBarrier\(\);/g)).toBe(0);
  });

  it('holds the updated tile variable in a per-element variable, touching workgroup memory once', () => {
    const main = wgslOf(updatesSource(256)).split('fn main')[1] ?? '';
    // One write-back of the final value; no update reads or writes the workgroup array.
    expect(count(main, /tile_a_\d+\[/g)).toBe(1);
    expect(count(main, /el_a_\d+ = \(\(el_a_\d+ \* f32\(0\.5\)\)/g)).toBe(256);
  });

  it('loads a tile variable the group did not declare before updating it, and writes it back', () => {
    const src = `fn twice(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    var a = x[tm, tn];
    out[tm, tn] = a;
    let s = sum(a, axis=1, keepdim=true);
    a = a + s;
    a = a * a;
    out[tm, tn] = a;
  }
  return out;
}`;
    const main = wgslOf(src).split('fn main')[1] ?? '';
    expect(main).toMatch(/var el_a_\d+: f32 = tile_a_\d+\[/);
    expect(main).toMatch(/tile_a_\d+\[[^\]]*\] = el_a_\d+;/);
  });

  it('grows linearly and by well under 100 bytes per update', () => {
    const [small, large] = [wgslOf(updatesSource(16)).length, wgslOf(updatesSource(1016)).length];
    expect((large - small) / 1000).toBeLessThan(100);
  });

  it('shares one vector loop among 1-D stores, one per store in the fast path', () => {
    const [small, large] = [wgslOf(storesSource(10)), wgslOf(storesSource(1010))];
    expect(count(large, /for \(var e\d+ = lid \* 4;/g)).toBe(1);
    expect(count(large, /buf_out\[g\d+ \/ 4\] = vec4<f32>\(/g)).toBe(1010);
    expect((large.length - small.length) / 1000).toBeLessThan(400);
  });

  it('starts a new loop where a statement reads a tensor the group stored', () => {
    const main = wgslOf(READ_AFTER_STORE).split('fn main')[1] ?? '';
    const loops = main.split(/for \(var e\d+ = lid;/).slice(1);
    expect(loops).toHaveLength(2);
    expect(loops[0]).toMatch(/buf_a\[/);
    expect(loops[0]).not.toMatch(/buf_b\[/);
    expect(loops[1]).toMatch(/buf_b\[.*\] = .*buf_a\[/);
  });
});

const updates = (n: number): ReturnType<typeof kernel> => kernel(Object.assign([updatesSource(n)], { raw: [updatesSource(n)] }) as unknown as TemplateStringsArray);
const stores = kernel(Object.assign([storesSource(40)], { raw: [storesSource(40)] }) as unknown as TemplateStringsArray);
const readAfterStore = kernel(Object.assign([READ_AFTER_STORE], { raw: [READ_AFTER_STORE] }) as unknown as TemplateStringsArray);

describeWebGPU('shared elementwise loops on WebGPU', (ctx) => {
  it('256 updates over a ragged 37×53 tensor: correct, and the first call compiles in seconds', async () => {
    const [m, n] = [37, 53];
    const xs = randomF32(m * n, 11, -4, 4);
    const x = ctx.device.tensor(xs, [m, n]);
    const start = performance.now();
    const [out] = await updates(256).run([x]);
    const got = (await out?.read()) ?? [];
    // Separate loops took ~50 s to compile on lavapipe; one loop takes well under a second.
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(maxAbsDiff(got, updatesReference(xs, 256))).toBeLessThan(1e-4);
    for (const t of [x, out]) t?.destroy();
  }, 60_000);

  it('a tile variable updated around a reduction of itself, over a ragged 21×37 tensor', async () => {
    const src = `fn twice(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    var a = x[tm, tn];
    a = a * 0.5;
    let s = sum(a, axis=1, keepdim=true);
    a = a + s;
    a = a * a - 1.0;
    out[tm, tn] = a;
  }
  return out;
}`;
    const k = kernel(Object.assign([src], { raw: [src] }) as unknown as TemplateStringsArray);
    const [m, n] = [21, 37];
    const xs = randomF32(m * n, 15, -2, 2);
    const x = ctx.device.tensor(xs, [m, n]);
    for (const config of [{}, { blocks: { tm: 8, tn: 16 } }]) {
      const bn = config.blocks?.tn ?? k.resolveConfig(config).blocks['tn'] ?? n;
      const want = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        for (let j0 = 0; j0 < n; j0 += bn) {
          const cols = Array.from({ length: Math.min(bn, n - j0) }, (_, c) => j0 + c);
          const s = cols.reduce((acc, j) => acc + (xs[i * n + j] ?? 0) * 0.5, 0);
          for (const j of cols) { const a = (xs[i * n + j] ?? 0) * 0.5 + s; want[i * n + j] = a * a - 1; }
        }
      }
      const [out] = await k.run([x], { config });
      expect(maxAbsDiff((await out?.read()) ?? [], want)).toBeLessThan(1e-3);
      out?.destroy();
    }
    x.destroy();
  }, 60_000);

  it('40 vector stores into one output, N = 1001: the last store wins', async () => {
    const n = 1001;
    const [xs, ys] = [randomF32(n, 12), randomF32(n, 13)];
    const [x, y] = [ctx.device.tensor(xs, [n]), ctx.device.tensor(ys, [n])];
    for (const config of [{}, { vectorWidth: 1 as const }]) {
      const [out] = await stores.run([x, y], { config });
      expect(maxAbsDiff((await out?.read()) ?? [], Float64Array.from(xs, (v, i) => Math.fround(v * 39) + (ys[i] ?? 0)))).toBeLessThan(1e-5);
      out?.destroy();
    }
    for (const t of [x, y]) t.destroy();
  }, 30_000);

  it('a read of a tensor stored in the same tile sees the stored values', async () => {
    const [m, n] = [19, 45];
    const xs = randomF32(m * n, 14);
    const x = ctx.device.tensor(xs, [m, n]);
    const outs = await readAfterStore.run([x]);
    const a = Float64Array.from(xs, (v) => Math.fround(v * 2) + 1);
    const [ga, gb] = [await outs[0]?.read(), await outs[1]?.read()];
    expect(maxAbsDiff(ga ?? [], a)).toBeLessThan(1e-5);
    expect(maxAbsDiff(gb ?? [], a.map((v) => v * 3 + v))).toBeLessThan(1e-5);
    for (const t of [x, ...outs]) t.destroy();
  }, 30_000);
});
