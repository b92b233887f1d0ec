/**
 * The serial row walk (`reduction: 'serial'`): sum/mean/max/min fold into vec4 partials,
 * reductions of a column tile fold into one walk across writes of locals they do not read
 * (a Welford step walks each tile twice), and kernels whose workgroup memory is only
 * per-row values drop their barriers (wgsl/row-owned.ts). On the adapter: row sums,
 * means, maxima and minima of whole rows and of column tiles against plain-JS references
 * at row lengths that are not multiples of 4 (and shorter than a vector), with -inf and
 * NaN in the rows (max and min skip NaN, as the scalar fold did).
 */
import { describe, expect, it } from 'vitest';
import { adapterDefaults, compileWgsl, type ConfigInput } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { longSum, rowMomentsReference, welford } from '../../bench/kernels-helion.ts';
import { softmaxOnline } from '../../examples/softmax-online.ts';
import { softmax } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

/** Sum, mean, max and min of whole rows. */
const rowFolds = kernel.outputs(4)`
fn row_folds(x: f32[M, N]) -> (f32[M, 1], f32[M, 1], f32[M, 1], f32[M, 1]) {
  let s = empty([M, 1], f32);
  let a = empty([M, 1], f32);
  let hi = empty([M, 1], f32);
  let lo = empty([M, 1], f32);
  for tm in tile(M) {
    let row = x[tm, :];
    s[tm, :] = sum(row, axis=1, keepdim=true);
    a[tm, :] = mean(row, axis=1, keepdim=true);
    hi[tm, :] = max(row, axis=1, keepdim=true);
    lo[tm, :] = min(row, axis=1, keepdim=true);
  }
  return (s, a, hi, lo);
}`;

/** The same folds, the row walked in column tiles with running accumulators. */
const tiledFolds = kernel.outputs(3)`
fn tiled_folds(x: f32[M, N]) -> (f32[M, 1], f32[M, 1], f32[M, 1]) {
  let s = empty([M, 1], f32);
  let hi = empty([M, 1], f32);
  let lo = empty([M, 1], f32);
  for tm in tile(M) {
    var acc = zeros([tm, 1], f32);
    var top = full([tm, 1], -3.0e38);
    var bottom = full([tm, 1], 3.0e38);
    for tn in tile(N) {
      let t = x[tm, tn];
      acc = acc + sum(t, axis=1, keepdim=true);
      top = max(top, max(t, axis=1, keepdim=true));
      bottom = min(bottom, min(t, axis=1, keepdim=true));
    }
    s[tm, :] = acc;
    hi[tm, :] = top;
    lo[tm, :] = bottom;
  }
  return (s, hi, lo);
}`;

const SOFTWARE = { software: true };
const wgslOf = (k: typeof welford | typeof longSum, extra: ConfigInput = {}): string => {
  const ir = k.prepared().ir;
  return compileWgsl(ir, { ...adapterDefaults(ir, SOFTWARE), ...extra }).wgsl;
};

describe('serial row walks: lowering', () => {
  it('folds a Welford step into two walks over each column tile, with vec4 partials and no barriers', () => {
    const wgsl = wgslOf(welford);
    expect(wgsl.match(/\/\/ m\d+(, m\d+)* = /g)).toEqual(['// m0, m1 = ', '// m2 = ']);
    expect(wgsl).toMatch(/acc4 = acc4 \+ vec4<f32>\(xv0, xv1, xv2, xv3\);/);
    expect(wgsl).toMatch(/acc = acc \+ \(\(acc4\.x \+ acc4\.y\) \+ \(acc4\.z \+ acc4\.w\)\);/);
    expect(wgsl).not.toMatch(/workgroupBarrier/);
  });

  it('masks the ends of an unaligned row in one vector select', () => {
    const wgsl = wgslOf(longSum);
    expect(wgsl).toMatch(/acc4 = acc4 \+ select\(vec4<f32>\(f32\(0\.0\)\), vec4<f32>\(xv0, xv1, xv2, xv3\), vec4<bool>\(in\d+, in\d+, in\d+, in\d+\)\);/);
    expect(wgsl).not.toMatch(/workgroupBarrier/);
  });

  it('keeps barriers where another invocation reads what one wrote', () => {
    // The second loop stores [tm, tn] tiles (shared out by element) that read the row's max and sum.
    const serial: ConfigInput = { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' };
    expect(compileWgsl(softmaxOnline.prepared().ir, serial).wgsl).toMatch(/workgroupBarrier/);
    // The shared-row default combines a row's lanes through workgroup memory.
    expect(compileWgsl(softmax.prepared().ir, {}).wgsl).toMatch(/workgroupBarrier/);
  });

  it('keeps max and min in vec4 partials and argmax in one accumulator', () => {
    const wgsl = compileWgsl(tiledFolds.prepared().ir, { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' }).wgsl;
    expect(wgsl).toMatch(/acc4(_\d)? = max\(acc4(_\d)?, vec4<f32>\(/);
    expect(wgsl).toMatch(/acc4(_\d)? = min\(acc4(_\d)?, vec4<f32>\(/);
  });
});

/** Per-row sum, mean, max and min; max and min skip NaN. */
function foldsReference(x: Float32Array, m: number, n: number): { sum: number[]; mean: number[]; max: number[]; min: number[] } {
  const out = { sum: [] as number[], mean: [] as number[], max: [] as number[], min: [] as number[] };
  for (let r = 0; r < m; r++) {
    const row = Array.from(x.subarray(r * n, (r + 1) * n));
    const s = row.reduce((a, b) => a + b, 0);
    const finite = row.filter((v) => !Number.isNaN(v));
    out.sum.push(s);
    out.mean.push(s / n);
    out.max.push(Math.max(...finite));
    out.min.push(Math.min(...finite));
  }
  return out;
}

/**
 * Random rows with -inf, +inf and NaN at scattered places of every third row, each such
 * row keeping a finite element (rows of nothing but infinities: test/conformance/cases-nonfinite.ts).
 */
function withSpecials(xs: Float32Array, m: number, n: number): Float32Array {
  const out = Float32Array.from(xs);
  for (let r = 0; r < m && n >= 3; r += 3) {
    out[r * n + ((r * 7) % n)] = -Infinity;
    out[r * n + ((r * 5 + 1) % n)] = Number.NaN;
    if (r % 2 === 0 && n > 3) out[r * n + n - 1] = Infinity;
  }
  return out;
}

const CONFIGS: ConfigInput[] = [
  { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' },
  { blocks: { tm: 16 }, workgroupSize: 64, reduction: 'serial' },
  { blocks: { tm: 64 }, workgroupSize: 32, reduction: 'serial' },
];
/** Row lengths below a vector, just past one, odd, and one a multiple of 4; 19 rows: ragged row tiles. */
const LENGTHS = [1, 3, 5, 7, 1001, 1028];

describeWebGPU('serial row walks on WebGPU', (ctx) => {
  for (const config of CONFIGS) {
    it(`whole-row and column-tile sum, mean, max, min at ragged lengths ${JSON.stringify(config)}`, async () => {
      const m = 19;
      for (const n of LENGTHS) {
        const plain = randomF32(m * n, n + 5, -8, 8);
        const special = withSpecials(plain, m, n);
        const [xp, xs] = [ctx.device.tensor(plain, [m, n]), ctx.device.tensor(special, [m, n])];
        const want = foldsReference(plain, m, n);
        const wantSpecial = foldsReference(special, m, n);
        const [s, a, hi, lo] = await rowFolds.run([xp], { config });
        expect(maxAbsDiff((await s?.read()) ?? [], want.sum), `sum n=${n}`).toBeLessThan(1e-3);
        expect(maxAbsDiff((await a?.read()) ?? [], want.mean), `mean n=${n}`).toBeLessThan(1e-5);
        const [, , hiS, loS] = await rowFolds.run([xs], { config });
        expect(Array.from((await hiS?.read()) ?? []), `max with -inf/inf/NaN n=${n}`).toEqual(wantSpecial.max.map(Math.fround));
        expect(Array.from((await loS?.read()) ?? []), `min with -inf/inf/NaN n=${n}`).toEqual(wantSpecial.min.map(Math.fround));
        expect(Array.from((await hi?.read()) ?? [])).toEqual(want.max.map(Math.fround));
        expect(Array.from((await lo?.read()) ?? [])).toEqual(want.min.map(Math.fround));
        // Column tiles of 256 (ragged at the end of each row) and of the default block.
        for (const tn of [256, undefined]) {
          const tiled = { ...config, blocks: { ...config.blocks, ...(tn ? { tn } : {}) } };
          const [ts] = await tiledFolds.run([xp], { config: tiled });
          expect(maxAbsDiff((await ts?.read()) ?? [], want.sum), `tiled sum n=${n} tn=${tn}`).toBeLessThan(1e-3);
          const [, thi, tlo] = await tiledFolds.run([xs], { config: tiled });
          expect(Array.from((await thi?.read()) ?? []), `tiled max n=${n} tn=${tn}`).toEqual(wantSpecial.max.map(Math.fround));
          expect(Array.from((await tlo?.read()) ?? []), `tiled min n=${n} tn=${tn}`).toEqual(wantSpecial.min.map(Math.fround));
        }
      }
    }, 120_000);
  }

  it('Welford and long-row sums under the software defaults at ragged sizes', async () => {
    for (const [m, n] of [[11, 4099], [9, 2053], [3, 6]] as const) {
      const xs = randomF32(m * n, m * n + 1, -3, 3);
      const x = ctx.device.tensor(xs, [m, n]);
      const want = rowMomentsReference(xs, m, n);
      const config = adapterDefaults(welford.prepared().ir, SOFTWARE) ?? {};
      const [mean, variance] = await welford.run([x], { config });
      expect(maxAbsDiff((await mean?.read()) ?? [], want.mean)).toBeLessThan(1e-5);
      expect(maxAbsDiff((await variance?.read()) ?? [], want.variance)).toBeLessThan(1e-4);
      const [s] = await longSum.run([x], { config: adapterDefaults(longSum.prepared().ir, SOFTWARE) ?? {} });
      expect(maxAbsDiff((await s?.read()) ?? [], want.sum)).toBeLessThan(1e-3);
    }
  }, 120_000);
});
