/**
 * The `@` defaults per kind of adapter (compiler's dot-defaults.ts): software adapters get
 * 128×128 tiles of 16×16 micro-tiles with broadcastA where the subgroups fit (8×8 for
 * small products), GPUs staged
 * 64×64 tiles of 4×4 in k steps of 16; tiles shrink to the call's sizes; kernels with two
 * `@` are left to their own defaults. On the adapter, both kinds' configs compute matmul,
 * matmul + bias + ReLU and batched matmul right at ragged and small sizes, and an untuned
 * call uses this adapter's kind.
 */
import { describe, expect, it } from 'vitest';
import { adapterDefaults, dotStartConfigs, resolveConfig, validateConfig, DEFAULT_LIMITS, type AdapterKind } from 'tessera-gpu-compiler';
import { makeKernel } from 'tessera-gpu-runtime';
import { matmul, matmulBiasRelu, matmulReference } from '../../examples/matmul.ts';
import { batchedMatmul, batchedMatmulReference, batchedMatmulTiles } from '../../examples/batched-matmul.ts';
import { attention } from '../../examples/attention.ts';
import { lower, MATMUL } from './support.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const SOFTWARE: AdapterKind = { software: true, subgroups: { minSize: 8, maxSize: 8 } };
const GPU: AdapterKind = { software: false, subgroups: { minSize: 32, maxSize: 32 } };
const SG8 = { ...DEFAULT_LIMITS, subgroupMinSize: 8, subgroupMaxSize: 8 };

describe('@ defaults per kind of adapter', () => {
  const ir = matmul.prepared().ir;

  it('software: 128×128 of 16×16 micro-tiles, k step 32, vec4, nothing staged, broadcastA', () => {
    const c = resolveConfig(ir, adapterDefaults(ir, SOFTWARE));
    expect(c.blocks).toEqual({ tm: 128, tn: 128, tk: 32 });
    expect(c).toMatchObject({ microTile: [16, 16], workgroupSize: 64, vectorWidth: 4, stageA: false, stageB: false, broadcastA: true });
    expect(validateConfig(ir, c, SG8, ['subgroups'])).toEqual(c);
  });

  it('software without subgroups, or with subgroups wider than a row of invocations: no broadcastA', () => {
    expect(resolveConfig(ir, adapterDefaults(ir, { software: true })).broadcastA).toBe(false);
    // 128/16 = 8 invocations per row: a 16-wide subgroup would span two rows of a.
    const wide = resolveConfig(ir, adapterDefaults(ir, { software: true, subgroups: { minSize: 16, maxSize: 16 } }));
    expect(wide).toMatchObject({ microTile: [16, 16], broadcastA: false });
  });

  it('GPUs: staged 64×64 of 4×4, k step 16, vec4, 256 invocations', () => {
    const c = resolveConfig(ir, adapterDefaults(ir, GPU));
    expect(c.blocks).toEqual({ tm: 64, tn: 64, tk: 16 });
    expect(c).toMatchObject({ microTile: [4, 4], workgroupSize: 256, vectorWidth: 4, stageA: true, stageB: true, broadcastA: false });
    expect(validateConfig(ir, c, DEFAULT_LIMITS, [])).toEqual(c);
  });

  it('tiles shrink to the power of two at or above the call\'s sizes, the same for a whole bucket', () => {
    const at = (dims: Record<string, number>, kind = SOFTWARE): unknown => resolveConfig(ir, adapterDefaults(ir, { ...kind, dims }));
    // A result dim of at most 64: 8×8 micro-tiles (they compile several times faster).
    expect(at({ M: 17, K: 33, N: 65 })).toMatchObject({ blocks: { tm: 32, tn: 64, tk: 32 }, microTile: [8, 8], workgroupSize: 32, broadcastA: true });
    expect(at({ M: 64, K: 64, N: 64 })).toMatchObject({ blocks: { tm: 64, tn: 64, tk: 32 }, microTile: [8, 8], workgroupSize: 64 });
    expect(at({ M: 65, K: 64, N: 200 })).toMatchObject({ blocks: { tm: 128, tn: 128, tk: 32 }, microTile: [16, 16] });
    expect(at({ M: 33, K: 40, N: 64 })).toEqual(at({ M: 64, K: 64, N: 64 }));
    expect(at({ M: 1, K: 1, N: 1 })).toMatchObject({ blocks: { tm: 8, tn: 8, tk: 4 }, microTile: [8, 8], workgroupSize: 1, vectorWidth: 4 });
    expect(at({ M: 5, K: 3, N: 9 }, GPU)).toMatchObject({ blocks: { tm: 8, tn: 16, tk: 4 }, microTile: [4, 4], workgroupSize: 8 });
    expect(at({ M: 4096, K: 4096, N: 4096 }, GPU)).toMatchObject({ blocks: { tm: 64, tn: 64, tk: 16 } });
  });

  it('a block fixed in the source stays, the micro-tile fits it', () => {
    const fixed = lower(MATMUL.replace('tile([M, N])', 'tile([M, N], block=32)'));
    const input = adapterDefaults(fixed, SOFTWARE);
    expect(input).toBeDefined();
    const c = resolveConfig(fixed, input);
    expect(c.blocks).toMatchObject({ tm: 32, tn: 32, tk: 32 });
    expect(c.microTile).toEqual([16, 16]);
  });

  it('kernels with two @ (attention) get nothing here; the quick search has curated starts, the defaults first', () => {
    const att = attention.prepared().ir;
    expect(dotStartConfigs(att, SOFTWARE)).toBeUndefined();
    for (const kind of [SOFTWARE, GPU]) {
      const starts = dotStartConfigs(ir, kind) ?? [];
      expect(starts[0]).toEqual(adapterDefaults(ir, kind));
      expect(starts.length).toBeGreaterThan(2);
      const texts = starts.map((s) => JSON.stringify(resolveConfig(ir, s)));
      expect(new Set(texts).size).toBe(texts.length);
    }
  });
});

const SIZES = [[1, 1, 1], [17, 33, 65], [64, 64, 64], [130, 67, 201]] as const;

describeWebGPU('@ defaults on WebGPU', (ctx) => {
  const kindsHere = (dims: Record<string, number>): [string, AdapterKind][] => {
    const { subgroupMinSize: minSize, subgroupMaxSize: maxSize } = ctx.device.info.limits;
    const subgroups = ctx.device.features.has('subgroups') && minSize !== undefined && maxSize !== undefined ? { subgroups: { minSize, maxSize } } : {};
    return [['software', { software: true, ...subgroups, dims }], ['gpu', { software: false, ...subgroups, dims }]];
  };

  for (const [m, k, n] of SIZES) {
    it(`matmul and matmul + bias + ReLU ${m}x${k}x${n} under both kinds' defaults`, async () => {
      const [as, bs, bias] = [randomF32(m * k, m + k, -1, 1), randomF32(k * n, k + n, -1, 1), randomF32(n, 3 * n, -1, 1)];
      const [a, b, c] = [ctx.device.tensor(as, [m, k]), ctx.device.tensor(bs, [k, n]), ctx.device.tensor(bias, [n])];
      for (const [name, kind] of kindsHere({ M: m, K: k, N: n })) {
        const plainConfig = adapterDefaults(matmul.prepared().ir, kind);
        expect(plainConfig, name).toBeDefined();
        const [plain] = await matmul.run([a, b], { config: plainConfig ?? {} });
        expect(maxAbsDiff((await plain?.read()) ?? [], matmulReference(as, bs, m, k, n)), name).toBeLessThan(1e-4 * Math.max(1, k));
        const [fused] = await matmulBiasRelu.run([a, b, c], { config: adapterDefaults(matmulBiasRelu.prepared().ir, kind) ?? {} });
        expect(maxAbsDiff((await fused?.read()) ?? [], matmulReference(as, bs, m, k, n, bias)), name).toBeLessThan(1e-4 * Math.max(1, k));
        for (const x of [plain, fused]) x?.destroy();
      }
      for (const x of [a, b, c]) x.destroy();
    }, 120_000);
  }

  it('batched matmul 3x17x33x20 (grid batch and tiled batch) under both kinds\' defaults', async () => {
    const [q, m, k, n] = [3, 17, 33, 20];
    const [as, bs] = [randomF32(q * m * k, 5, -1, 1), randomF32(q * k * n, 6, -1, 1)];
    const [a, b] = [ctx.device.tensor(as, [q, m, k]), ctx.device.tensor(bs, [q, k, n])];
    const want = batchedMatmulReference(as, bs, q, m, k, n);
    for (const kernel of [batchedMatmul, batchedMatmulTiles]) {
      for (const [name, kind] of kindsHere({ B: q, M: m, K: k, N: n })) {
        const config = adapterDefaults(kernel.prepared().ir, kind);
        expect(config, name).toBeDefined();
        const [out] = await kernel.run([a, b], { config: config ?? {} });
        expect(maxAbsDiff((await out?.read()) ?? [], want), `${kernel.kernelName} ${name}`).toBeLessThan(1e-4 * k);
        out?.destroy();
      }
    }
    for (const x of [a, b]) x.destroy();
  }, 120_000);

  it('an untuned call uses this adapter kind\'s defaults for its sizes', async () => {
    const k = makeKernel(matmul.def);
    k.setTuning({ cache: false });
    const [m, kk, n] = [37, 53, 29];
    const [as, bs] = [randomF32(m * kk, 1, -1, 1), randomF32(kk * n, 2, -1, 1)];
    const [a, b] = [ctx.device.tensor(as, [m, kk]), ctx.device.tensor(bs, [kk, n])];
    const [kind] = kindsHere({ M: m, K: kk, N: n }).filter(([name]) => name === (ctx.device.info.software ? 'software' : 'gpu'));
    expect(await k.bestConfig([a, b])).toEqual(resolveConfig(k.prepared().ir, adapterDefaults(k.prepared().ir, kind?.[1] ?? { software: true })));
    const [out] = await k.run([a, b]);
    expect(maxAbsDiff((await out?.read()) ?? [], matmulReference(as, bs, m, kk, n))).toBeLessThan(1e-4 * kk);
    for (const x of [a, b, out]) x?.destroy();
  }, 60_000);
});
