/**
 * Default blocks of kernels with `@` fit WebGPU's guaranteed workgroup memory: a kernel
 * that keeps tiles of the product's shape in workgroup memory (attention's copy of p for
 * p @ v) gets smaller blocks than a plain matmul, whose accumulator lives in registers.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, resolveConfig, DEFAULT_LIMITS } from 'tessera-gpu-compiler';
import { attention } from '../../examples/attention.ts';
import { lower, MATMUL } from './support.ts';

/** The example's source with its head-dim holes written out. */
const ATTENTION = attention.def.source.text.replace(/\$\{\d+\}/g, '64');

describe('default blocks of kernels with @', () => {
  it('a plain matmul keeps 64×64 (its accumulator is in registers)', () => {
    expect(resolveConfig(lower(MATMUL), {}).blocks).toMatchObject({ tm: 64, tn: 64 });
  });

  it('attention shrinks its blocks until its tiles fit 16 KB, and compiles under the default limits', () => {
    const ir = lower(ATTENTION);
    const config = resolveConfig(ir, {});
    // acc lives in p @ v's registers and s, p in the micro-tile's; p's [tm, tn] copy for
    // the product and the row statistics are what take workgroup memory.
    expect(config.blocks).toEqual({ tm: 32, tn: 64 });
    expect(config.workgroupSize).toBe((32 / config.microTile[0]) * (64 / config.microTile[1]));
    expect(() => compileWgsl(ir, {}, DEFAULT_LIMITS)).not.toThrow();
    // 64×64 would need several 16 KB tiles.
    expect(() => compileWgsl(ir, { blocks: { tm: 64, tn: 64 } }, DEFAULT_LIMITS)).toThrow(/bytes of workgroup memory/);
  });

  it('a block fixed in the source is left alone; the other one shrinks', () => {
    const ir = lower(ATTENTION.replace('for tm in tile(S)', 'for tm in tile(S, block=32)'));
    // p's copy [32, tn] in workgroup memory (acc and s stay in registers).
    expect(resolveConfig(ir, {}).blocks).toEqual({ tm: 32, tn: 64 });
  });
});
