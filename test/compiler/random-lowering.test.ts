/**
 * How the random builtins and bitwise operators reach the backends: `rand`, `randn` and
 * `randint` become calls of one compiler-supplied func of u32 multiplies, xors and
 * shifts (shared by every use, registered once, before a user func that calls it), so
 * the WGSL has no generator of its own; bitwise operators over constants are folded.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, printKernel } from 'tessera-gpu-compiler';
import { lower } from './support.ts';

const RANDOM = `fn k(x: f32[N], seed: i32) -> (f32[N], f32[N], u32[N]) {
  let a = empty_like(x);
  let b = empty_like(x);
  let c = empty([N], u32);
  for tn in tile(N) {
    a[tn] = rand(seed, tn.index) + x[tn];
    b[tn] = randn(seed, tn.index);
    c[tn] = randint(seed, tn.index) ^ u32(tn.index << 3);
  }
  return (a, b, c);
}`;

describe('random builtins in the IR', () => {
  it('are calls of one hash func made of bitwise ops, multiplies and adds', () => {
    const ir = lower(RANDOM);
    expect(ir.funcs.map((f) => f.key)).toEqual(['tessera_rng_bits']);
    const text = printKernel(ir);
    expect(text).toContain('bitxor');
    expect(text).toContain('shr');
    expect(text).toContain('shl');
    const wgsl = compileWgsl(ir, { blocks: { tn: 64 }, workgroupSize: 64 }).wgsl;
    // One definition; the body is plain u32 arithmetic.
    expect(wgsl.match(/fn [A-Za-z_0-9]*tessera_rng_bits[A-Za-z_0-9]*\(/g)?.length).toBe(1);
    expect(wgsl).toMatch(/\^/);
    expect(wgsl).toMatch(/>> \(u32\(/);
    expect(wgsl).toContain('2146121005u');
  });

  it('bitwise operators over constants are folded (no constant shift reaches WGSL)', () => {
    const ir = lower(`fn k(x: i32[N]) -> i32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = x[tn] + (1 << 33) + (-8 >> 1) + (~7 & 12 | 1 ^ 3);
  }
  return out;
}`);
    // 1 << 33 is 1 << 1; -8 >> 1 is -4; (~7 & 12) | (1 ^ 3) is 8 | 2.
    expect(printKernel(ir)).toContain('out[tn] = add(add(add(x[tn], 2:i32), -4:i32), 10:i32)');
    const wgsl = compileWgsl(ir, { blocks: { tn: 64 }, workgroupSize: 64 }).wgsl;
    expect(wgsl).not.toMatch(/<<|>>|~/);
  });
});
