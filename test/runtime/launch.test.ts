/**
 * Launch and timing against hand-written artifacts (built here, in the test file only:
 * the compiler is tested elsewhere; this checks the runtime side of the contract).
 */
import { expect, it } from 'vitest';
import { ArgumentError, DeviceError, init, launch, measure, UnsupportedFeatureError } from 'tessera-gpu-runtime';
import type { KernelArtifact, LaunchPlan } from 'tessera-gpu-runtime';
import { describeWebGPU } from '../support/webgpu.ts';
import { randomF32 } from './random.ts';

const WG = 64;

/** out = a + alpha * b, masked at the ragged edge by the uniform dim N. */
const ADD_WGSL = /* wgsl */ `
struct Uniforms { N: u32, alpha: f32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;

@compute @workgroup_size(${WG})
fn add(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i < u.N) {
    out[i] = a[i] + u.alpha * b[i];
  }
}
`;

function addArtifact(wgsl = ADD_WGSL, name = 'add'): KernelArtifact {
  return {
    kernelName: name,
    wgsl,
    entryPoint: 'add',
    workgroupSize: [WG, 1, 1],
    tensors: [
      { binding: 0, name: 'a', role: 'input', index: 0, dtype: 'f32', shape: ['N'], zeroInit: false },
      { binding: 1, name: 'b', role: 'input', index: 1, dtype: 'f32', shape: ['N'], zeroInit: false },
      { binding: 2, name: 'out', role: 'output', index: 0, dtype: 'f32', shape: ['N'], zeroInit: false },
    ],
    uniforms: { binding: 3, fields: [{ name: 'N', type: 'u32' }, { name: 'alpha', type: 'f32' }] },
    requiredFeatures: [],
    plan(dims, scalars): LaunchPlan {
      const n = dims['N'] ?? 0;
      const uniforms = new ArrayBuffer(16);
      new Uint32Array(uniforms, 0, 1)[0] = n;
      new Float32Array(uniforms, 4, 1)[0] = scalars['alpha'] ?? 1;
      return { grid: [Math.ceil(n / WG), 1, 1], uniforms };
    },
  };
}

/** Sums `x` into out[0] with atomics: only correct if out is zeroed before every launch. */
const SUM_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<atomic<i32>>;
@group(0) @binding(2) var<uniform> n: vec4u;
@compute @workgroup_size(${WG})
fn sum(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x < n.x) { atomicAdd(&out[0], x[gid.x]); }
}
`;

const sumArtifact: KernelArtifact = {
  kernelName: 'sum',
  wgsl: SUM_WGSL,
  entryPoint: 'sum',
  workgroupSize: [WG, 1, 1],
  tensors: [
    { binding: 0, name: 'x', role: 'input', index: 0, dtype: 'i32', shape: ['N'], zeroInit: false },
    { binding: 1, name: 'out', role: 'output', index: 0, dtype: 'i32', shape: [1], zeroInit: true },
  ],
  uniforms: { binding: 2, fields: [{ name: 'N', type: 'u32' }] },
  requiredFeatures: [],
  plan(dims): LaunchPlan {
    const n = dims['N'] ?? 0;
    return { grid: [Math.ceil(n / WG), 1, 1], uniforms: new Uint32Array([n, 0, 0, 0]).buffer };
  },
};

describeWebGPU('launch', (ctx) => {
  it.each([1, 3, 1001, 100_000])('adds two arrays of %i elements, matching a JS reference', async (n) => {
    const d = ctx.device;
    const a = randomF32(n, 10 + n);
    const b = randomF32(n, 20 + n);
    const [ta, tb, out] = [d.tensor(a, [n]), d.tensor(b, [n]), d.empty([n])];
    await launch(d, addArtifact(), [ta, tb], [out], { N: n }, { alpha: 0.5 });
    const got = await out.read();
    const want = a.map((x, i) => Math.fround(x + Math.fround(0.5 * (b[i] ?? 0))));
    // The GPU may fuse the multiply-add (one rounding instead of two): allow an ulp or so.
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const w = want[i] ?? NaN;
      worst = Math.max(worst, Math.abs((got[i] ?? NaN) - w) / Math.max(1, Math.abs(w)));
    }
    expect(got.length).toBe(n);
    expect(worst).toBeLessThan(1e-6);
    for (const t of [ta, tb, out]) t.destroy();
  });

  it('compiles each pipeline once and reuses it', async () => {
    const d = ctx.device;
    const artifact = addArtifact(`${ADD_WGSL}\n// dedup test\n`);
    const before = d.stats().pipelinesCreated;
    const [ta, tb, out] = [d.zeros([8]), d.zeros([8]), d.zeros([8])];
    // Concurrent first launches share one compilation.
    await Promise.all([1, 2, 3].map(() => launch(d, artifact, [ta, tb], [out], { N: 8 }, { alpha: 1 })));
    await launch(d, addArtifact(`${ADD_WGSL}\n// dedup test\n`), [ta, tb], [out], { N: 8 }, { alpha: 2 });
    expect(d.stats().pipelinesCreated).toBe(before + 1);
    for (const t of [ta, tb, out]) t.destroy();
  });

  it('zero-fills zeroInit outputs before every launch', async () => {
    const d = ctx.device;
    const n = 1000;
    const x = Int32Array.from({ length: n }, (_, i) => i - 300);
    const tx = d.tensor(x, [n]);
    const out = d.tensor(new Int32Array([12345]), [1]);
    for (let k = 0; k < 2; k++) {
      await launch(d, sumArtifact, [tx], [out], { N: n });
      expect(Array.from(await out.read())).toEqual([x.reduce((s, v) => s + v, 0)]);
    }
    tx.destroy();
    out.destroy();
  });

  it('leaves no live buffers behind (launch, read, measure)', async () => {
    const d = ctx.device;
    const before = d.stats().liveBuffers;
    const [ta, tb, out] = [d.zeros([100]), d.zeros([100]), d.zeros([100])];
    await launch(d, addArtifact(), [ta, tb], [out], { N: 100 }, { alpha: 1 });
    await out.read();
    await measure(d, addArtifact(), [ta, tb], [out], { N: 100 }, { alpha: 1 }, { repeats: 3 });
    for (const t of [ta, tb, out]) t.destroy();
    expect(d.stats().liveBuffers).toBe(before);
    expect(d.stats().pooledBuffers).toBeLessThanOrEqual(2);
  });

  it('rejects wrong arguments with the parameter name, expected and actual', async () => {
    const d = ctx.device;
    const [a4, b4, b5, out4] = [d.zeros([4]), d.zeros([4]), d.zeros([5]), d.zeros([4])];
    const i4 = d.zeros([4], 'i32');
    const art = addArtifact();
    await expect(launch(d, art, [a4, b5], [out4], { N: 4 }, { alpha: 1 })).rejects.toThrow(/'b'.*expected shape \[N=4\], got shape \[5\]/);
    await expect(launch(d, art, [a4, i4], [out4], { N: 4 }, { alpha: 1 })).rejects.toThrow(/expected dtype f32, got dtype i32/);
    await expect(launch(d, art, [a4], [out4], { N: 4 }, { alpha: 1 })).rejects.toThrow(ArgumentError);
    await expect(launch(d, art, [a4, b4], [out4], {}, { alpha: 1 })).rejects.toThrow(/dim 'N'/);
    await expect(launch(d, art, [a4, b4], [a4], { N: 4 }, { alpha: 1 })).rejects.toThrow(/aliased/);
    const needsF16 = { ...art, requiredFeatures: ['no-such-feature'] };
    await expect(launch(d, needsF16, [a4, b4], [out4], { N: 4 }, {})).rejects.toThrow(UnsupportedFeatureError);
    for (const t of [a4, b4, b5, out4, i4]) t.destroy();
  });

  it('refuses a tensor from another device', async () => {
    const other = await init({ backend: 'webgpu' });
    try {
      const foreign = other.zeros([4]);
      const [mine, out] = [ctx.device.zeros([4]), ctx.device.zeros([4])];
      await expect(launch(ctx.device, addArtifact(), [foreign, mine], [out], { N: 4 }, { alpha: 1 })).rejects.toThrow(/another device/);
      mine.destroy();
      out.destroy();
    } finally {
      other.dispose();
    }
  });

  it('turns a WGSL syntax error into an internal-compiler-error DeviceError with the line', async () => {
    const d = ctx.device;
    const broken = addArtifact(ADD_WGSL.replace('out[i] = a[i] + u.alpha * b[i];', 'out[i] = a[i] + ;'), 'broken_add');
    const [ta, tb, out] = [d.zeros([4]), d.zeros([4]), d.zeros([4])];
    const error = await launch(d, broken, [ta, tb], [out], { N: 4 }, { alpha: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceError);
    if (error instanceof DeviceError) {
      expect(error.kind).toBe('compile');
      expect(error.kernel).toBe('broken_add');
      expect(error.message).toContain('internal compiler error');
      const line = broken.wgsl.split('\n').findIndex((l) => l.includes('a[i] + ;')) + 1;
      expect(error.message).toMatch(new RegExp(`wgsl:${line}:\\d+: error: `));
      expect(error.message).toContain('out[i] = a[i] + ;');
      expect(error.hint).toMatch(/compiler bug/);
    }
    for (const t of [ta, tb, out]) t.destroy();
  });

  it('turns a pipeline/layout mismatch and a launch-time validation error into DeviceErrors', async () => {
    const d = ctx.device;
    const [ta, tb, out] = [d.zeros([4]), d.zeros([4]), d.zeros([4])];
    // The shader writes `out`, but the artifact calls it an input (read-only binding).
    const base = addArtifact(`${ADD_WGSL}\n// mislabelled\n`, 'mislabelled');
    const mislabelled: KernelArtifact = { ...base, tensors: base.tensors.map((t) => ({ ...t, role: 'input', index: t.binding })) };
    await expect(launch(d, mislabelled, [ta, tb, out], [], { N: 4 }, {})).rejects.toMatchObject({ kind: 'pipeline', kernel: 'mislabelled' });
    // A uniform struct bigger than the plan's 16 bytes: rejected when the dispatch is validated.
    const big = addArtifact(ADD_WGSL.replace('N: u32, alpha: f32', 'N: u32, alpha: f32, pad: array<vec4u, 2>'), 'short_uniforms');
    const error = await launch(d, big, [ta, tb], [out], { N: 4 }, { alpha: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceError);
    expect(error).toMatchObject({ kind: 'validation', kernel: 'short_uniforms' });
    // Unvalidated launches keep their errors for sync().
    await launch(d, big, [ta, tb], [out], { N: 4 }, { alpha: 1 }, { validate: false });
    await expect(d.sync()).rejects.toBeInstanceOf(DeviceError);
    await d.sync();
    for (const t of [ta, tb, out]) t.destroy();
  });

  it('measures a positive median GPU time with timestamp queries, and by wall clock', async () => {
    const d = ctx.device;
    const n = 1 << 16;
    const [ta, tb, out] = [d.tensor(randomF32(n, 1), [n]), d.tensor(randomF32(n, 2), [n]), d.empty([n])];
    const byTimestamp = await measure(d, addArtifact(), [ta, tb], [out], { N: n }, { alpha: 1 }, { warmup: 2, repeats: 10 });
    if (d.features.has('timestamp-query')) expect(byTimestamp.method).toBe('timestamp');
    expect(byTimestamp.medianMs).toBeGreaterThan(0);
    expect(byTimestamp.samplesMs.length).toBeGreaterThan(0);
    expect(byTimestamp.minMs).toBeLessThanOrEqual(byTimestamp.medianMs);
    const byClock = await measure(d, addArtifact(), [ta, tb], [out], { N: n }, { alpha: 1 }, { repeats: 5, method: 'wallclock' });
    expect(byClock.method).toBe('wallclock');
    expect(byClock.medianMs).toBeGreaterThan(0);
    for (const t of [ta, tb, out]) t.destroy();
  });
});

describeWebGPU(
  'pipeline cache bound',
  (ctx) => {
    it('keeps at most pipelineCacheSize pipelines, evicting the least recently used', async () => {
      const d = ctx.device;
      const [ta, tb, out] = [d.zeros([4]), d.zeros([4]), d.zeros([4])];
      const variant = (k: number): KernelArtifact => addArtifact(`${ADD_WGSL}\n// variant ${k}\n`);
      const run = (k: number): Promise<void> => launch(d, variant(k), [ta, tb], [out], { N: 4 }, { alpha: 1 });
      await run(1);
      await run(2);
      await run(1); // 1 is now the most recently used
      await run(3); // evicts 2
      expect(d.stats()).toMatchObject({ pipelinesCreated: 3, pipelinesCached: 2 });
      await run(1);
      expect(d.stats().pipelinesCreated).toBe(3);
      await run(2);
      expect(d.stats().pipelinesCreated).toBe(4);
      for (const t of [ta, tb, out]) t.destroy();
    });
  },
  { pipelineCacheSize: 2 },
);
