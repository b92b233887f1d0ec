import { describe, expect, it } from 'vitest';
import { f16BitsToF32, f32ToF16Bits, fromF16Bits, roundToF16, toF16Bits } from 'tessera-gpu-runtime';

describe('half (f16 <-> f32 on the host)', () => {
  it('converts known values exactly', () => {
    expect(f32ToF16Bits(1)).toBe(0x3c00);
    expect(f32ToF16Bits(-2)).toBe(0xc000);
    expect(f32ToF16Bits(65504)).toBe(0x7bff); // largest finite f16
    expect(f32ToF16Bits(65520)).toBe(0x7c00); // rounds up past max: Infinity
    expect(f32ToF16Bits(Infinity)).toBe(0x7c00);
    expect(f32ToF16Bits(-Infinity)).toBe(0xfc00);
    expect(f32ToF16Bits(-0)).toBe(0x8000);
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(f32ToF16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000); // exact tie: to even (0)
    expect(f32ToF16Bits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(0x0002); // tie between 1 and 2: to even
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie: to even
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: to even (up)
    expect(Number.isNaN(f16BitsToF32(f32ToF16Bits(NaN)))).toBe(true);
  });

  it('round-trips every f16 bit pattern', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = f16BitsToF32(bits);
      if (!Number.isNaN(value) && f32ToF16Bits(value) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to the nearest representable value', () => {
    for (const x of [0.1, 3.14159, -1234.567, 1e-6, 6e-5, 70000]) {
      const r = roundToF16(x);
      const bits = f32ToF16Bits(x);
      // No f16 neighbour is closer to x than the chosen one.
      for (const n of [bits - 1, bits + 1]) {
        const v = f16BitsToF32(n & 0xffff);
        if (Number.isFinite(v) && Number.isFinite(r)) expect(Math.abs(v - x)).toBeGreaterThanOrEqual(Math.abs(r - x));
      }
    }
    expect(Array.from(fromF16Bits(toF16Bits([0.5, -0.25, 2048])))).toEqual([0.5, -0.25, 2048]);
  });
});
