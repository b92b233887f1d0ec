/**
 * The autotuner's check that a candidate config computes what the baseline computes
 * (runtime autotune/compare.ts): rounding differences pass, wrong results do not.
 */
import { describe, expect, it } from 'vitest';
import { compareOutputs } from '../../packages/runtime/src/autotune/compare.ts';

/**
 * Row sums of `rows` rows of `n` random terms in [-1, 1), in f32, in two orders; with
 * `centred`, row 5's terms have their mean taken out, so that row adds up to nearly 0
 * (what a long row's sum meets whenever its terms cancel) while the others do not.
 */
function rowSums(rows: number, n: number, centred = false): { forward: Float32Array; blocked: Float32Array } {
  let s = 12345;
  const forward = new Float32Array(rows);
  const blocked = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const xs = new Float32Array(n);
    for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; xs[i] = s / 2 ** 31 - 1; }
    if (centred && r === 5) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += (xs[i] ?? 0) / n;
      for (let i = 0; i < n; i++) xs[i] = (xs[i] ?? 0) - mean;
    }
    let f = 0;
    for (let i = 0; i < n; i++) f = Math.fround(f + (xs[i] ?? 0));
    let total = 0;
    for (let b = 0; b < n; b += 1024) {
      let part = 0;
      for (let i = b; i < Math.min(n, b + 1024); i++) part = Math.fround(part + (xs[i] ?? 0));
      total = Math.fround(total + part);
    }
    forward[r] = f;
    blocked[r] = total;
  }
  return { forward, blocked };
}

describe('compareOutputs', () => {
  it('two summation orders of long rows agree, even where a row adds up to nearly 0', () => {
    const { forward, blocked } = rowSums(16, 1_000_003, true);
    expect(Math.abs(forward[5] ?? NaN)).toBeLessThan(1);
    expect(compareOutputs([blocked], [forward], ['f32']).ok).toBe(true);
    const plain = rowSums(16, 1_000_003);
    expect(compareOutputs([plain.blocked], [plain.forward], ['f32']).ok).toBe(true);
  });

  it('a row left out, a zeroed output or a small shift of every element is a mismatch', () => {
    const { forward } = rowSums(16, 100_003);
    const missing = Float32Array.from(forward, (v, i) => (i === 5 ? 0 : v));
    expect(compareOutputs([missing], [forward], ['f32']).ok).toBe(false);
    expect(compareOutputs([new Float32Array(16)], [forward], ['f32']).ok).toBe(false);
    const big = Float32Array.from({ length: 1000 }, (_, i) => 1 + i / 1000);
    const shifted = Float32Array.from(big, (v) => v * 1.01);
    expect(compareOutputs([shifted], [big], ['f32']).ok).toBe(false);
  });

  it('integers match exactly; NaN matches NaN', () => {
    expect(compareOutputs([Int32Array.of(1, 2)], [Int32Array.of(1, 3)], ['i32']).ok).toBe(false);
    expect(compareOutputs([Float32Array.of(NaN, 1)], [Float32Array.of(NaN, 1)], ['f32']).ok).toBe(true);
  });
});
