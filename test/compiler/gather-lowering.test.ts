/**
 * Gathers (integer tiles as indices) in the IR and the WGSL backend, without an adapter:
 * the IR node with the result axis each subscript follows, its verification, and the
 * clamping and masking of the WGSL read.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, printKernel, verifyKernel, type KernelIR, type Stmt, type Value } from 'tessera-gpu-compiler';
import { lower } from './support.ts';

const PICK = `fn pick(logits: f32[M, N], labels: i32[M], ulabels: u32[M]) -> (f32[M], f32[M]) {
  let out = empty([M], f32);
  let uout = empty([M], f32);
  for tm in tile(M) {
    out[tm] = logits[tm, labels[tm]];
    uout[tm] = logits[tm, ulabels[tm]];
  }
  return (out, uout);
}`;

const EMB = `fn emb(table: f32[16, 8], ids: i32[T]) -> f32[T, 8] {
  let out = empty([T, 8], f32);
  for tt in tile(T) {
    out[tt, :] = table[ids[tt], :];
  }
  return out;
}`;

const firstGather = (ir: KernelIR): Value & { kind: 'gather' } => {
  const s = ir.body.find((x): x is Stmt & { kind: 'store' } => x.kind === 'store');
  if (s?.value.kind !== 'gather') throw new Error('no gather');
  return s.value;
};

describe('gathers in the IR', () => {
  it('a gather names the result axis each subscript follows; an index sharing an axis shares it', () => {
    const ir = lower(PICK);
    expect(printKernel(ir)).toContain('out[tm] = logits[tm, labels[tm]]');
    const g = firstGather(ir);
    expect(g.type.axes.map((a) => a.kind)).toEqual(['block']);
    expect(g.index.map((i) => (i.kind === 'tile' ? `tile@${i.axes.join(',')}` : i.kind === 'axis' ? `axis@${i.axis}` : 'scalar'))).toEqual(['axis@0', 'tile@0']);
  });

  it('the verifier rejects a float index and an uncovered result axis', () => {
    const ir = lower(PICK);
    const g = firstGather(ir);
    const [row, label] = g.index;
    if (label?.kind !== 'tile' || !row) throw new Error('unexpected gather');
    const floatIndex: Value = { ...g, index: [row, { ...label, value: { kind: 'cast', x: label.value, type: { dtype: 'f32', axes: label.value.type.axes } } }] };
    const uncovered: Value = { ...g, index: [{ kind: 'scalar', value: { kind: 'const', type: { dtype: 'i32', axes: [] }, value: 0 } }, { kind: 'scalar', value: { kind: 'const', type: { dtype: 'i32', axes: [] }, value: 0 } }] };
    const withValue = (v: Value): KernelIR => ({ ...ir, body: [{ kind: 'declare', id: 'g_9', name: 'g', init: v }, ...ir.body] });
    expect(() => verifyKernel(withValue(floatIndex), { hoisted: true })).toThrow(/logits\[…\]: a f32 index/);
    expect(() => verifyKernel(withValue(uncovered), { hoisted: true })).toThrow(/subscripts cover result axes \{\} of 1/);
  });
});

describe('gathers in WGSL', () => {
  it('i32 indices are clamped into the dim, u32 ones as u32; a symbolic dim may be empty', () => {
    const wgsl = compileWgsl(lower(PICK), { blocks: { tm: 64 } }).wgsl;
    expect(wgsl).toContain('clamp(buf_labels[(off_tm_0 + c');
    expect(wgsl).toMatch(/i32\(min\(buf_ulabels\[\(off_tm_0 \+ c\d+\)\], u32\(u\.N - 1\)\)\)/);
    expect(wgsl).toContain('u.N > 0');
  });

  it('a constant dim needs no emptiness check', () => {
    const wgsl = compileWgsl(lower(EMB), {}).wgsl;
    expect(wgsl).toMatch(/clamp\(buf_ids\[.*\], 0, 16 - 1\)/);
    expect(wgsl).not.toContain(' > 0');
  });
});
