/**
 * The `@` lowering without an adapter: the fuseDotAccumulate pass, the layout analysis
 * (which tiles live in registers), config validation and the config space.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, ConfigError, configProblems, configSpace, printKernel, resolveConfig, DEFAULT_LIMITS } from 'tessera-gpu-compiler';
import { LAVAPIPE_LIMITS, lower, MATMUL, MATMUL_FULL_K } from './support.ts';

describe('fuseDotAccumulate', () => {
  it('turns acc += a @ b into a dot that accumulates into acc', () => {
    const text = printKernel(lower(MATMUL));
    expect(text).toMatch(/@m0 = dot\(a\[tm, tk\], b\[tk, tn\], acc=%acc_\d+\)/);
    expect(text).toMatch(/%acc_\d+ = @m0\n/);
  });

  it('leaves a product that is read twice alone', () => {
    const text = printKernel(lower(`fn k(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      let p = a[tm, tk] @ b[tk, tn];
      acc += p;
      acc += p;
    }
    out[tm, tn] = acc;
  }
  return out;
}`));
    expect(text).not.toContain('acc=');
  });
});

describe('register micro-tiles', () => {
  it('keeps the accumulator in registers and stores the epilogue from them', () => {
    const wgsl = compileWgsl(lower(MATMUL), { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true }).wgsl;
    expect(wgsl).toMatch(/var reg_acc_\d+: array<f32, 16>;/);
    expect(wgsl).not.toMatch(/var<workgroup> tile_acc/);
    // The product accumulates in place: no scratch result, no copy loop.
    expect(wgsl).not.toContain('mat_m0');
    expect(wgsl).toMatch(/reg_acc_\d+\[15\] = fma\(d_a3_0, d_b3_0, reg_acc_\d+\[15\]\);/);
    // The epilogue loops over the owned elements, reading the registers through a copy.
    expect(wgsl).toMatch(/var (reg_acc_\d+_c\d+) = reg_acc_\d+;\n\s*for \(var (d_r\d+) = 0; \2 < 16; \2\+\+\) \{/);
    expect(wgsl).toMatch(/buf_out\[.*\] = reg_acc_\d+_c\d+\[d_r\d+\];/);
  });

  it('keeps an accumulator that a row reduction reads in registers (folded per invocation, then across the row)', () => {
    const ir = lower(`fn k(a: f32[M, K], b: f32[K, N]) -> f32[M] {
  let out = zeros([M], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    atomic_add(out[tm], sum(acc, axis=1));
  }
  return out;
}`);
    const wgsl = compileWgsl(ir, { blocks: { tm: 16, tn: 16, tk: 16 }, microTile: [2, 2] }).wgsl;
    expect(wgsl).not.toMatch(/var<workgroup> tile_acc_/);
    expect(wgsl).toMatch(/reg_acc_\d+/);
    expect(wgsl).toMatch(/var<workgroup> red_m\d+: array<f32, \d+>;/);
    expect(wgsl).toContain('var<storage, read_write> buf_out: array<atomic<u32>>;');
    expect(wgsl).toContain('atomicCompareExchangeWeak');
  });

  it('reads operands in vectors only behind a runtime row-length check', () => {
    const wgsl = compileWgsl(lower(MATMUL), { vectorWidth: 4 }).wgsl;
    expect(wgsl).toContain('var<storage, read> buf_a: array<vec4<f32>>;');
    expect(wgsl).toContain('let d_vec = u.K % 4 == 0 && u.N % 4 == 0;');
    expect(wgsl).toContain('if (d_vec) {');
    const scalar = compileWgsl(lower(MATMUL), { vectorWidth: 1 }).wgsl;
    expect(scalar).toContain('var<storage, read> buf_a: array<f32>;');
    expect(scalar).not.toContain('% 4 == 0');
  });

  it('loops over a whole contraction dim in kChunk steps', () => {
    const wgsl = compileWgsl(lower(MATMUL_FULL_K), { kChunk: 16 }).wgsl;
    expect(wgsl).toContain('for (var d_k0 = 0; d_k0 < u.K; d_k0 += 16) {');
  });
});

describe('config validation', () => {
  const ir = lower(MATMUL);
  const problems = (input: Parameters<typeof resolveConfig>[1]): string[] => configProblems(ir, resolveConfig(ir, input), DEFAULT_LIMITS);

  it('accepts the default config, and derives the workgroup size when left out', () => {
    expect(problems({})).toEqual([]);
    expect(resolveConfig(ir, { blocks: { tm: 32, tn: 64 }, microTile: [4, 8] }).workgroupSize).toBe(64);
  });

  it('rejects a thread grid that does not match the workgroup size', () => {
    expect(problems({ blocks: { tm: 64, tn: 64 }, microTile: [4, 4], workgroupSize: 128 }).join()).toMatch(/needs 256 invocations, but workgroupSize=128/);
  });

  it('rejects staging that does not fit in workgroup memory', () => {
    const big = { blocks: { tm: 128, tn: 128, tk: 32 }, microTile: [8, 8], stageA: true, stageB: true } as const;
    expect(problems(big).join()).toMatch(/needs 32768 bytes of workgroup memory; the adapter allows 16384/);
    expect(configProblems(ir, resolveConfig(ir, big), LAVAPIPE_LIMITS)).toEqual([]);
    expect(problems({ ...big, stageB: false })).toEqual([]);
  });

  it('rejects knob combinations that cannot be lowered', () => {
    expect(problems({ microTile: [4, 2], vectorWidth: 4, blocks: { tm: 64, tn: 32 } }).join()).toMatch(/vectorWidth=4 must divide microTile\[1\]=2/);
    expect(problems({ unroll: 64 }).join()).toMatch(/unroll=64 is more than the contraction step/);
    expect(problems({ microTile: [3, 4] }).join()).toMatch(/microTile=\[3, 4\]/);
    expect(problems({ groupM: 3 }).join()).toMatch(/groupM=3/);
  });

  it('throws ConfigError before generating WGSL', () => {
    expect(() => compileWgsl(ir, { workgroupSize: 128 })).toThrow(ConfigError);
  });
});

describe('configSpace', () => {
  it('lists typed knobs whose defaults make a valid config', () => {
    const space = configSpace(lower(MATMUL), LAVAPIPE_LIMITS);
    const names = space.knobs.map((k) => k.name);
    expect(names).toEqual(['blocks.tm', 'blocks.tn', 'blocks.tk', 'workgroupSize', 'groupM', 'microTile', 'vectorWidth', 'unroll', 'stageA', 'stageB']);
    for (const k of space.knobs) expect(k.values).toContainEqual(k.default);
    expect(space.problems(space.default)).toEqual([]);
    expect(space.build({})).toEqual(space.default);
    const picked = space.build({ 'blocks.tm': 32, microTile: [8, 4], workgroupSize: 64, stageA: false });
    expect(picked.blocks['tm']).toBe(32);
    expect(picked.microTile).toEqual([8, 4]);
    expect(space.problems(picked)).toEqual([]);
  });

  it('offers kChunk only for a whole-dim contraction, and no dot knobs without @', () => {
    expect(configSpace(lower(MATMUL_FULL_K), LAVAPIPE_LIMITS).knobs.map((k) => k.name)).toContain('kChunk');
    const add = lower(`fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) { out[tn] = x[tn] + y[tn]; }
  return out;
}`);
    // vectorWidth is offered for its 1-D elementwise store (written in vectors).
    expect(configSpace(add, LAVAPIPE_LIMITS).knobs.map((k) => k.name)).toEqual(['blocks.tn', 'workgroupSize', 'vectorWidth']);
  });
});
