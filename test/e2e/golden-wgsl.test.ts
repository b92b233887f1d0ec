/**
 * Golden WGSL: the exact shader text for each example kernel under its default config
 * and one other. A change to code generation shows up here as a readable diff.
 */
import { expect, it, describe } from 'vitest';
import { add } from '../../examples/add.ts';
import { softmax } from '../../examples/softmax.ts';
import { layernorm } from '../../examples/layernorm.ts';
import { matmulBiasRelu } from '../../examples/matmul.ts';

describe('generated WGSL', () => {
  it('vector add, default config', () => expect(add.wgsl()).toMatchSnapshot());
  it('vector add, tn=64 wg=64', () => expect(add.wgsl({ blocks: { tn: 64 }, workgroupSize: 64 })).toMatchSnapshot());
  it('softmax, default config', () => expect(softmax.wgsl()).toMatchSnapshot());
  it('softmax, tm=4 wg=128', () => expect(softmax.wgsl({ blocks: { tm: 4 }, workgroupSize: 128 })).toMatchSnapshot());
  it('layernorm, default config', () => expect(layernorm.wgsl()).toMatchSnapshot());
  it('matmul + bias + relu, default config', () => expect(matmulBiasRelu.wgsl()).toMatchSnapshot());
  it('matmul + bias + relu, staged 32x32x16, 4x4', () =>
    expect(matmulBiasRelu.wgsl({ blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true })).toMatchSnapshot());
  it('block sizes come from the config, not the kernel text', () => {
    expect(add.wgsl({ blocks: { tn: 512 } })).toContain('* 512');
    expect(add.wgsl({ blocks: { tn: 32 } })).not.toContain('* 512');
  });
});
