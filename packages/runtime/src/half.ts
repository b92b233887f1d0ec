/**
 * IEEE 754 binary16 <-> binary32 conversion on the host. WGSL `f16` tensors live in GPU
 * buffers as raw 16-bit patterns; JS has no Float16Array before Node 24, so uploads and
 * readbacks convert here. Rounding is round-to-nearest-even, as on the GPU.
 */

// One shared scratch word to read a float's bits without allocating per element.
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The f16 bit pattern nearest to `value` (ties to even; overflow gives ±Infinity). */
export function f32ToF16Bits(value: number): number {
  scratchF32[0] = value;
  const x = scratchU32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;

  if (exp === 0xff) {
    // Keep NaN a NaN (force a mantissa bit so it does not become Infinity).
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal f16: value = m * 2^-24 with m = full >> (14 - e), rounded.
    // Below e = -10 even the largest mantissa is under half of the smallest subnormal.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    return sign | roundShift(full, 14 - e);
  }
  // Normal: the carry of a round-up may ripple into the exponent, which is exactly right
  // (1.111..1 * 2^k rounds to 2^(k+1); at the top it becomes 0x7c00 = Infinity).
  return sign | roundShift((e << 23) | mant, 13);
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** The number an f16 bit pattern stands for. */
export function f16BitsToF32(bits: number): number {
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** Rounds every element to the nearest f16, as raw bits ready for upload. */
export function toF16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f32ToF16Bits(values[i] ?? 0);
  return out;
}

/** Widens raw f16 bits (as read back from a buffer) to f32 values. */
export function fromF16Bits(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16BitsToF32(bits[i] ?? 0);
  return out;
}

/** `value` rounded to the nearest f16, as a number (for references in tests and tolerances). */
export function roundToF16(value: number): number {
  return f16BitsToF32(f32ToF16Bits(value));
}
