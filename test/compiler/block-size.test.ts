/**
 * A declared block size (`let bd = block_size(D)`) as a config knob: it is in the config
 * space the autotuner searches, the config schema takes `blocks: { bd }`, bad values are a
 * ConfigError naming it, and the shader follows the value chosen. Results on every
 * backend are in test/conformance/cases-block-size.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, ConfigError, configProblems, configSpace, resolveConfig } from 'tessera-gpu-compiler';
import { LAVAPIPE_LIMITS, lower } from './support.ts';

const ROW_SUM = `fn row_sum(x: f32[M, D]) -> f32[M] {
  let bd = block_size(D);
  let out = empty([M], f32);
  for tm in tile(M) {
    var acc = zeros([tm, bd], f32);
    for td in tile(D, block=bd) {
      acc += x[tm, td];
    }
    out[tm] = sum(acc, axis=1);
  }
  return out;
}`;

describe('block_size knobs', () => {
  const ir = lower(ROW_SUM);

  it('is a block of the config, named by the let, with a nested loop default', () => {
    expect(ir.loops.map((l) => l.name)).toEqual(['tm', 'bd']);
    const c = resolveConfig(ir, {});
    expect(c.blocks['bd']).toBeGreaterThanOrEqual(8);
    expect(resolveConfig(ir, { blocks: { bd: 32 } }).blocks['bd']).toBe(32);
  });

  it('is a knob of the config space, whose default config is valid', () => {
    const space = configSpace(ir, LAVAPIPE_LIMITS);
    const knob = space.knobs.find((k) => k.name === 'blocks.bd');
    expect(knob?.values).toEqual(expect.arrayContaining([8, 16, 32, 64, 128, 256]));
    expect(space.problems(space.default)).toEqual([]);
    expect(space.build({ 'blocks.bd': 16 }).blocks['bd']).toBe(16);
  });

  it('rejects bad values, and the loop variable as a key, with a ConfigError naming the knob', () => {
    expect(configProblems(ir, resolveConfig(ir, { blocks: { bd: 24 } }), LAVAPIPE_LIMITS)).toEqual(['block bd=24 is not a positive power of two']);
    expect(configProblems(ir, resolveConfig(ir, { blocks: { bd: 8192 } }), LAVAPIPE_LIMITS)).toEqual(['block bd=8192 is larger than 4096']);
    expect(configProblems(ir, resolveConfig(ir, { blocks: { td: 32 } }), LAVAPIPE_LIMITS)).toEqual(["no tile loop named 'td' (loops: tm, bd)"]);
    expect(() => compileWgsl(ir, { blocks: { bd: 24 } })).toThrow(ConfigError);
    expect(() => compileWgsl(ir, { blocks: { bd: 24 } })).toThrow(/bd=24/);
    expect(() => resolveConfig(ir, { blocks: { bd: '32' } })).toThrow(ConfigError);
  });

  it('sizes the shader by the value chosen: the loop steps by it and the accumulator holds it', () => {
    const w8 = compileWgsl(ir, { blocks: { tm: 4, bd: 8 }, workgroupSize: 32 }).wgsl;
    const w64 = compileWgsl(ir, { blocks: { tm: 4, bd: 64 }, workgroupSize: 32 }).wgsl;
    expect(w8).toMatch(/\+ 7\) \/ 8/);
    expect(w64).toMatch(/\+ 63\) \/ 64/);
    expect(w8).not.toEqual(w64);
  });
});
