/**
 * The software-adapter default for kernels with two `@` (attention-defaults.ts): attention
 * and causal attention get 32×64 score tiles, 16×8 micro-tiles, broadcastA, kChunk 64,
 * unroll 4 and subgroup row reductions on software adapters and nothing on GPUs; fixed blocks are kept. Calls whose
 * scores product is small (SMALL_ATTENTION_WORK, sizes rounded up to powers of two) get
 * 16×64 tiles of 8×8 instead, whose shader compiles in about half the time. On the
 * adapter, plain calls (nothing tuned) use the config for their size — bestConfig says
 * so — and match an f64 reference at ragged sequence lengths (not multiples of either
 * block), causal and not, with head dims that do and do not take the unrolled k loop's
 * one-at-a-time tail.
 */
import { describe, expect, it } from 'vitest';
import { adapterDefaults, compileWgsl } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { attentionKernel, attentionReference } from '../../examples/attention.ts';
import { causalAttentionKernel, causalAttentionReference } from '../../examples/causal-attention.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS } from './support.ts';

const ATTENTION_CONFIG = { blocks: { tm: 32, tn: 64 }, microTile: [16, 8] as const, unroll: 4, kChunk: 64, broadcastA: true, reduction: 'subgroup' as const };
const SMALL_CONFIG = { blocks: { tm: 16, tn: 64 }, microTile: [8, 8] as const, unroll: 4, kChunk: 64, broadcastA: true, reduction: 'subgroup' as const };

/** Attention with the query block fixed at 16 rows. */
const fixedRows = kernel`
fn attention_fixed(q: f32[BH, S, 64], k: f32[BH, T, 64], v: f32[BH, T, 64]) -> f32[BH, S, 64] {
  let out = empty([BH, S, 64], f32);
  for bh in grid(BH) {
    for tm in tile(S, block=16) {
      let qb = q[bh, tm, :];
      var m = full([tm, 1], -1.0e30);
      var l = zeros([tm, 1], f32);
      var acc = zeros([tm, 64], f32);
      for tn in tile(T) {
        let s = qb @ transpose(k[bh, tn, :]);
        let m_new = max(m, max(s, axis=1, keepdim=true));
        let p = exp(s - m_new);
        let alpha = exp(m - m_new);
        l = l * alpha + sum(p, axis=1, keepdim=true);
        acc = acc * alpha + p @ v[bh, tn, :];
        m = m_new;
      }
      out[bh, tm, :] = acc / l;
    }
  }
  return out;
}`;

describe('software-adapter attention defaults', () => {
  it('give two-@ kernels 32×64 score tiles, 16×8 micro-tiles and broadcastA on software adapters only', () => {
    for (const k of [attentionKernel(64), causalAttentionKernel(64), attentionKernel(20)]) {
      expect(adapterDefaults(k.prepared().ir, { software: true })).toEqual(ATTENTION_CONFIG);
      expect(adapterDefaults(k.prepared().ir, { software: false })).toBeUndefined();
    }
  });

  it('give calls with a small scores product (BH·S·T·D under 2^25, rounded up) the small config', () => {
    const ir = attentionKernel(64).prepared().ir;
    const at = (BH: number, S: number, T: number): unknown => adapterDefaults(ir, { software: true, dims: { BH, S, T } });
    expect(at(3, 37, 45)).toEqual(SMALL_CONFIG);
    // 4·1024·1024·64 = 2^28; 1·512·1024·64 = 2^25 (S=300 rounds up to 512): the large config.
    expect(at(4, 1024, 1024)).toEqual(ATTENTION_CONFIG);
    expect(at(1, 300, 1000)).toEqual(ATTENTION_CONFIG);
    // 1·256·1024·64 = 2^24, and every shape of that power-of-two bucket alike.
    expect(at(1, 256, 1024)).toEqual(SMALL_CONFIG);
    expect(at(1, 129, 513)).toEqual(SMALL_CONFIG);
    // The head dim counts: 1·512·1024·20 (rounded to 32) is 2^24.
    expect(adapterDefaults(attentionKernel(20).prepared().ir, { software: true, dims: { BH: 1, S: 300, T: 1000 } })).toEqual(SMALL_CONFIG);
  });

  it('keep a fixed query block, with the micro-tile no taller than it', () => {
    expect(adapterDefaults(fixedRows.prepared().ir, { software: true })).toEqual({ ...ATTENTION_CONFIG, blocks: { tn: 64 } });
  });

  it('emit no one-at-a-time k loop when the head dim and the chunk are multiples of the unroll', () => {
    const limits = { ...LAVAPIPE_LIMITS, subgroupMinSize: 8, subgroupMaxSize: 8 };
    const wgsl = (d: number, unroll: number): string => compileWgsl(attentionKernel(d).prepared().ir, { ...ATTENTION_CONFIG, unroll }, limits, ['subgroups']).wgsl;
    const tail = /for \(; d_kk < d_kn; d_kk\+\+\)/;
    expect(wgsl(64, 4)).not.toMatch(tail);
    expect(wgsl(20, 4)).not.toMatch(tail);
    // 20 is no multiple of 8: the last four k of the head dim take the tail.
    expect(wgsl(20, 8)).toMatch(tail);
    expect(wgsl(64, 4).length).toBeLessThan(wgsl(64, 8).length);
  });
});

// Ragged: neither S nor T a multiple of 32 or 64, so the last query and key blocks are cut.
// d = 20 unrolled by 4 has no tail (20 % 4 = 0); d = 50 keeps it (and reads scalars).
// The last case's scores product is large (1·512·1024·64 after rounding): the large config.
const CASES = [
  { d: 64, bh: 2, s: 77, t: 93, causal: false, config: SMALL_CONFIG },
  { d: 50, bh: 2, s: 45, t: 70, causal: false, config: SMALL_CONFIG },
  { d: 64, bh: 2, s: 99, t: 99, causal: true, config: SMALL_CONFIG },
  { d: 20, bh: 3, s: 70, t: 70, causal: true, config: SMALL_CONFIG },
  { d: 64, bh: 1, s: 300, t: 1000, causal: true, config: ATTENTION_CONFIG },
];

describeWebGPU('plain attention calls on a software adapter', (ctx) => {
  for (const { d, bh, s, t, causal, config } of CASES) {
    it(`${causal ? 'causal ' : ''}d=${d} bh=${bh} s=${s} t=${t} takes the attention defaults and matches the f64 reference`, async (test) => {
      const subgroups = ctx.device.features.has('subgroups') && ctx.device.info.limits.subgroupMaxSize !== undefined;
      if (!ctx.device.info.software || !subgroups) return test.skip();
      const k = (causal ? causalAttentionKernel(d) : attentionKernel(d)).setTuning({ cache: false });
      const [qs, ks, vs] = [randomF32(bh * s * d, s + d + 7), randomF32(bh * t * d, t + d + 8), randomF32(bh * t * d, t + d + 9)];
      const args = [ctx.device.tensor(qs, [bh, s, d]), ctx.device.tensor(ks, [bh, t, d]), ctx.device.tensor(vs, [bh, t, d])] as const;
      const scale = 1 / Math.sqrt(d);
      const used = await k.bestConfig([...args, scale]);
      expect(used).toMatchObject(config);
      const [out] = await k.run([...args, scale]);
      const want = causal ? causalAttentionReference(qs, ks, vs, bh, s, t, d, scale) : attentionReference(qs, ks, vs, bh, s, t, d, scale);
      expect(maxAbsDiff((await out?.read()) ?? [], want)).toBeLessThan(1e-4);
      for (const x of [...args, out]) x?.destroy();
    }, 180_000);
  }
});
