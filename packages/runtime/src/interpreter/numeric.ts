/**
 * WGSL scalar semantics in JavaScript numbers, for the code the interpreter generates.
 * Every value is a JS number already rounded to its dtype (f32 by Math.fround, f16 by
 * `roundHalf`, i32 by `| 0`, u32 by `>>> 0`); these helpers cover the operations whose
 * WGSL result is not the obvious JS expression (integer division by zero, saturating
 * float → int conversion, round-half-to-even, f16 rounding, the erf approximation).
 */
import { f16BitsToF32, f32ToF16Bits } from '../half.ts';

// f16 rounding. A double x in the normal f16 range is rounded to 11 significant bits by
// scaling it into [2^52, 2^53) relative to its exponent and letting one double addition
// round (ties to even, like every IEEE add), then scaling back: all steps but the add
// are exact. The exponent comes from the double's bits.
const scratch64 = new Float64Array(1);
const scratchHi = new Uint32Array(scratch64.buffer);
/** Index of the word holding the sign and exponent (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO52 = 4503599627370496;
/** 2^(10 - e) and 2^(e - 10) for f16 exponents e = -14 … 15, indexed by e + 14. */
const UP = new Float64Array(30);
const DOWN = new Float64Array(30);
for (let e = -14; e <= 15; e++) {
  UP[e + 14] = 2 ** (10 - e);
  DOWN[e + 14] = 2 ** (e - 10);
}
/** Smallest normal f16, 2^-14. */
const MIN_NORMAL_F16 = 6.103515625e-5;
/** Half-way between the largest f16 (65504) and 2^16: from here up, rounding gives Infinity. */
const F16_OVERFLOW = 65520;

/** `x` (any double) rounded to the nearest f16 value, ties to even; overflow gives ±Infinity. */
export function roundHalf(x: number): number {
  const a = x < 0 ? -x : x;
  if (a < MIN_NORMAL_F16) {
    // Subnormal (or zero): a multiple of 2^-24.
    const r = (a * 16777216 + TWO52 - TWO52) * 5.9604644775390625e-8;
    return x < 0 ? -r : r;
  }
  if (!(a < F16_OVERFLOW)) return x !== x ? NaN : x < 0 ? -Infinity : Infinity;
  scratch64[0] = a;
  const e = (((scratchHi[HI] ?? 0) >>> 20) - 1023 + 14) | 0;
  const r = (a * (UP[e] ?? 1) + TWO52 - TWO52) * (DOWN[e] ?? 1);
  return x < 0 ? -r : r;
}

/** Every f16 bit pattern's value: loads of f16 tensors are one table lookup. */
export const HALF_TABLE: Float32Array = (() => {
  const t = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = f16BitsToF32(i);
  return t;
})();

/** The bits of an f16 value (one that `roundHalf` produced, so the conversion is exact). */
export const halfBits: (value: number) => number = f32ToF16Bits;

/** WGSL i32 `/`: truncating; `x / 0` is x and `MIN / -1` is MIN (the `| 0` wraps 2^31). */
export function divI32(a: number, b: number): number {
  return b === 0 ? a : (a / b) | 0;
}

/** WGSL i32 `%`: sign of the dividend; `x % 0` and `MIN % -1` are 0. */
export function modI32(a: number, b: number): number {
  return b === 0 ? 0 : (a % b) | 0;
}

export function divU32(a: number, b: number): number {
  return b === 0 ? a : (a / b) >>> 0;
}

export function modU32(a: number, b: number): number {
  return b === 0 ? 0 : a % b;
}

/**
 * Float → i32 as WGSL specifies it: truncate toward zero; out of range, the nearest i32
 * (saturate, as Tint's polyfill does). NaN has no nearest value; the interpreter gives 0.
 */
export function floatToI32(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return x < 0 ? Math.ceil(x) | 0 : Math.floor(x) | 0;
}

/** Float → u32: truncate toward zero, saturate to [0, 2^32 - 1], NaN → 0. */
export function floatToU32(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= 4294967295) return 4294967295;
  return Math.floor(x) >>> 0;
}

/** WGSL `round`: to nearest, ties to even (Math.round sends ties up). */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the same formula the WGSL
 * backend emits (WGSL has no erf builtin), so both backends approximate alike.
 */
export function erfAS(x: number): number {
  const ax = x < 0 ? -x : x;
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x > 0 ? y : x < 0 ? -y : 0;
}

/** The helpers generated code receives (as `rt`), by the names it uses. */
export const RUNTIME = {
  roundHalf, HALF_TABLE, halfBits, divI32, modI32, divU32, modU32, floatToI32, floatToU32, roundEven, erfAS,
} as const;
export type Runtime = typeof RUNTIME;
