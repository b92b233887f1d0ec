/**
 * `reduction: 'serial'` (one invocation per row, serial in vec4 steps along it): the
 * knob, the shape of the lowering (no combining tree, row stores in vectors, a row cumsum
 * scanned as it is stored), and on the adapter every row kernel of the examples against
 * plain-JS references at row lengths that are and are not multiples of 4, with more and
 * fewer rows than invocations and a ragged last tile of rows, under several configs.
 */
import { describe, expect, it } from 'vitest';
import { adapterDefaults, compileWgsl, configSpace, DEFAULT_LIMITS, type ConfigInput } from 'tessera-gpu-compiler';
import { matmul } from '../../examples/matmul.ts';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { softmaxOnline } from '../../examples/softmax-online.ts';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { rmsnorm, rmsnormReference } from '../../examples/rmsnorm.ts';
import { rowStats, rowStatsReference } from '../../examples/row-stats.ts';
import { rowCumsum, rowCumsumReference } from '../../examples/cumsum.ts';
import { crossEntropy, crossEntropyReference } from '../../examples/cross-entropy.ts';
import { longSum, welford } from '../../bench/kernels-helion.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const SERIAL: ConfigInput = { blocks: { tm: 64 }, workgroupSize: 64, reduction: 'serial' };

describe("reduction: 'serial' lowering", () => {
  it('is offered to row kernels on every adapter', () => {
    for (const k of [softmax, rowCumsum, layernorm]) {
      const knob = configSpace(k.prepared().ir, DEFAULT_LIMITS, []).knobs.find((x) => x.name === 'reduction');
      expect(knob?.values).toContain('serial');
    }
  });

  it('is the default for row kernels on software adapters only', () => {
    // A gain read whole for every row (layernorm, RMS norm) is a broadcast load in the walk.
    for (const k of [softmax, rowCumsum, rowStats, crossEntropy, layernorm, rmsnorm]) {
      expect(adapterDefaults(k.prepared().ir, { software: true })).toEqual({ blocks: { tm: 64 }, workgroupSize: 64, reduction: 'serial' });
      expect(adapterDefaults(k.prepared().ir, { software: false })).toBeUndefined();
    }
    // Rows reduced in column tiles (a nested loop) take fewer rows per workgroup.
    for (const k of [softmaxOnline, longSum, welford]) {
      expect(adapterDefaults(k.prepared().ir, { software: true })).toEqual({ blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' });
    }
    // `@` has its own (dot-defaults.ts), not serial rows.
    expect(adapterDefaults(matmul.prepared().ir, { software: true })).not.toMatchObject({ reduction: 'serial' });
  });

  it('folds reductions of the same rows in one walk, reading each vector once', () => {
    const wgsl = compileWgsl(rowStats.prepared().ir, SERIAL).wgsl;
    expect(wgsl).toMatch(/m0, m1 = sum, argmax over 1 axis\(es\), 64 row\(s\), 1 lane\(s\) per row/);
    expect(wgsl.match(/= buf_x\[/g)?.length).toBe(3); // the aligned walk, and the unaligned one's interior and edges
  });

  it('reads column tiles in vec4 steps up to the end of the dim, without per-element masks', () => {
    const wgsl = compileWgsl(softmaxOnline.prepared().ir, { blocks: { tm: 8, tn: 256 }, workgroupSize: 8, reduction: 'serial' }).wgsl;
    expect(wgsl).toMatch(/for \(var l4 = lane \* 4; l4 < min\(256, u\.N - off_tn_\d+\); l4 \+= 4\) \{/);
    // The vectors wholly inside the row unmasked, then the row's partial first and last vectors.
    expect(wgsl).toMatch(/for \(var q = qi\d+ \+ lane; q < qe\d+; q \+= 1\) \{\n(?:(?!in\d+).)*?\n\s*acc4 = [^\n]*vec4<f32>\(xv0, xv1, xv2, xv3\)\)?;/s);
    expect(wgsl).toMatch(/for \(var t = lane; t < 2; t \+= 1\) \{/);
    expect(wgsl).not.toMatch(/select\(0, /);
  });

  it('scans and stores a row cumsum in vec4 steps when the row length allows', () => {
    const wgsl = compileWgsl(rowCumsum.prepared().ir, SERIAL).wgsl;
    expect(wgsl).toMatch(/buf_x: array<vec4<f32>>/);
    expect(wgsl).toMatch(/if \(u\.N % 4 == 0\) \{/);
    expect(wgsl).toMatch(/buf_out\[.*\/ 4\] = vec4<f32>\(p\d+, p\d+, p\d+, p\d+\);/);
  });

  it('folds each row in one invocation, with no combining tree, and stores rows in vec4s', () => {
    const wgsl = compileWgsl(softmax.prepared().ir, SERIAL).wgsl;
    expect(wgsl).toMatch(/1 lane\(s\) per row/);
    expect(wgsl).not.toMatch(/red_f32/);
    expect(wgsl).toMatch(/buf_out\[\(.*\) \/ 4\] = vec4<f32>\(/);
  });

  it('scans a row cumsum serially as it is stored, without workgroup memory', () => {
    const wgsl = compileWgsl(rowCumsum.prepared().ir, SERIAL).wgsl;
    expect(wgsl).toMatch(/one row per invocation/);
    expect(wgsl).not.toMatch(/var<workgroup>/);
    expect(wgsl).not.toMatch(/workgroupBarrier/);
  });
});

const CONFIGS: ConfigInput[] = [
  SERIAL,
  // Fewer rows than invocations, more rows than invocations, and 2-wide vectors.
  { blocks: { tm: 16 }, workgroupSize: 32, reduction: 'serial' },
  { blocks: { tm: 128 }, workgroupSize: 32, reduction: 'serial', vectorWidth: 2 },
  // The software adapters' default for column tiles (adapter-defaults.ts).
  { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' },
];
/** Row length a multiple of 4 (vector paths) and not (element paths); 70 rows: a ragged last tile. */
const SHAPES = [[70, 1028], [13, 1001]] as const;

describeWebGPU("reduction: 'serial' on WebGPU", (ctx) => {
  const tensor = (xs: Float32Array, shape: number[]) => ctx.device.tensor(xs, shape);
  for (const [m, n] of SHAPES) {
    for (const config of CONFIGS) {
      const at = `${m}x${n} ${JSON.stringify(config)}`;
      it(`softmax, online softmax, cumsum ${at}`, async () => {
        const xs = randomF32(m * n, m + n, -6, 6);
        const x = tensor(xs, [m, n]);
        const [s] = await softmax.run([x], { config });
        expect(maxAbsDiff((await s?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-6);
        const [o] = await softmaxOnline.run([x], { config });
        expect(maxAbsDiff((await o?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-6);
        // Column tiles of 256: ragged at the end of every row.
        const [o2] = await softmaxOnline.run([x], { config: { ...config, blocks: { ...config.blocks, tn: 256 } } });
        expect(maxAbsDiff((await o2?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-6);
        o2?.destroy();
        const [c] = await rowCumsum.run([x], { config });
        expect(maxAbsDiff((await c?.read()) ?? [], rowCumsumReference(xs, m, n))).toBeLessThan(1e-3);
        for (const t of [x, s, o, c]) t?.destroy();
      }, 60_000);

      it(`layernorm, rmsnorm ${at}`, async () => {
        const [xs, gs, bs] = [randomF32(m * n, 2 * m + n), randomF32(n, n + 1), randomF32(n, n + 2)];
        const [x, g, b] = [tensor(xs, [m, n]), tensor(gs, [n]), tensor(bs, [n])];
        const [l] = await layernorm.run([x, g, b, 1e-5], { config });
        expect(maxAbsDiff((await l?.read()) ?? [], layernormReference(xs, gs, bs, m, n, 1e-5))).toBeLessThan(1e-4);
        const [r] = await rmsnorm.run([x, g, 1e-5], { config });
        expect(maxAbsDiff((await r?.read()) ?? [], rmsnormReference(xs, gs, m, n, 1e-5))).toBeLessThan(1e-4);
        for (const t of [x, g, b, l, r]) t?.destroy();
      }, 60_000);

      it(`row sum + argmax, cross-entropy ${at}`, async () => {
        const xs = randomF32(m * n, 3 * m + n, -4, 4);
        const labels = Int32Array.from({ length: m }, (_, i) => (i * 7919) % n);
        const [x, lab] = [tensor(xs, [m, n]), ctx.device.tensor(labels, [m])];
        const [total, best] = await rowStats.run([x], { config });
        const [wantTotal, wantBest] = rowStatsReference(xs, m, n);
        expect(maxAbsDiff((await total?.read()) ?? [], wantTotal)).toBeLessThan(1e-3);
        expect(Array.from((await best?.read()) ?? [])).toEqual(Array.from(wantBest));
        const [loss, mean] = await crossEntropy.run([x, lab], { config });
        const want = crossEntropyReference(xs, labels, m, n);
        expect(maxAbsDiff((await loss?.read()) ?? [], want.loss)).toBeLessThan(1e-4);
        expect(maxAbsDiff((await mean?.read()) ?? [], [want.mean])).toBeLessThan(1e-4);
        for (const t of [x, lab, total, best, loss, mean]) t?.destroy();
      }, 60_000);
    }
  }
});
