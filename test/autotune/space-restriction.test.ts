/** AutotuneOptions.space: narrowing knobs to given values, and typed errors for bad names/values. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from 'tessera-gpu-compiler';
import { kernelSpace } from 'tessera-gpu-runtime';
import { matmul } from '../../examples/matmul.ts';

const ir = matmul.prepared().ir;
const dims = { M: 300, K: 200, N: 500 };

describe('space restriction', () => {
  it('keeps only the allowed values, and the product of their counts is the space size', () => {
    const whole = kernelSpace(ir, DEFAULT_LIMITS, dims);
    const narrow = kernelSpace(ir, DEFAULT_LIMITS, dims, [], { 'blocks.tm': [32, 64], microTile: [[4, 4], '8x8'], vectorWidth: [4] });
    const count = (s: typeof whole, name: string): number => s.knobs.find((k) => k.name === name)?.values().length ?? 0;
    expect(count(narrow, 'blocks.tm')).toBe(2);
    expect(count(narrow, 'microTile')).toBe(2);
    expect(count(narrow, 'vectorWidth')).toBe(1);
    expect(count(narrow, 'blocks.tn')).toBe(count(whole, 'blocks.tn'));
    expect(narrow.size * count(whole, 'blocks.tm') * count(whole, 'microTile') * count(whole, 'vectorWidth')).toBe(whole.size * 2 * 2 * 1);
    // Every point of the narrowed space builds a config inside the restriction.
    for (const p of [narrow.defaultPoint(), narrow.knobs.map((k) => k.values().at(-1) ?? k.default())]) {
      const c = narrow.toConfig(p);
      expect([32, 64]).toContain(c.blocks?.['tm']);
      expect(['4,4', '8,8']).toContain(c.microTile?.join(','));
    }
  });

  it('rejects unknown knobs and values the kernel does not offer, naming them', () => {
    expect(() => kernelSpace(ir, DEFAULT_LIMITS, dims, [], { tileSize: [4] })).toThrow(/tileSize/);
    expect(() => kernelSpace(ir, DEFAULT_LIMITS, dims, [], { vectorWidth: [3] })).toThrow(/space\.vectorWidth/);
  });
});
