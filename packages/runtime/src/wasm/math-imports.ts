/**
 * The functions wasm kernel modules import (compiler wasm/imports.ts), as JavaScript
 * source: the main thread and every worker evaluate the same text, so all threads
 * compute alike. Transcendentals are computed in double (the module rounds them once),
 * as the interpreter computes them; f16 conversions are exact for f16 values.
 */
export const MATH_SOURCE = String.raw`
const TWO52 = 4503599627370496;
function exponent(a) {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; else if (2 ** (e + 1) <= a) e++;
  return e;
}
function roundHalf(x) {
  const a = x < 0 ? -x : x;
  if (a < 6.103515625e-5) { const r = (a * 16777216 + TWO52 - TWO52) * 5.9604644775390625e-8; return x < 0 ? -r : r; }
  if (!(a < 65520)) return x !== x ? NaN : x < 0 ? -Infinity : Infinity;
  const u = 2 ** (exponent(a) - 10);
  const r = (a / u + TWO52 - TWO52) * u;
  return x < 0 ? -r : r;
}
function halfBits(x) {
  const v = roundHalf(x);
  if (v !== v) return 0x7e00;
  const s = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return s | 0x7c00;
  if (a < 6.103515625e-5) return s | Math.round(a * 16777216);
  const e = exponent(a);
  return s | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}
function halfValue(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 1023;
  if (e === 0) return s * m * 5.9604644775390625e-8;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}
function erf(x) {
  const ax = x < 0 ? -x : x;
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x > 0 ? y : x < 0 ? -y : 0;
}
return {
  exp: Math.exp, exp2: (x) => Math.pow(2, x), log: Math.log, log2: Math.log2,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)), erf, rsqrt: (x) => 1 / Math.sqrt(x),
  pow: Math.pow, fmod: (a, b) => a % b, roundHalf, halfBits, halfValue,
};
`;

export type MathImports = Record<string, (...args: number[]) => number>;

/** The import object's "m" namespace on this thread. */
export function mathImports(): MathImports {
  // A constant source text of this file, never anything user-controlled.
  return new Function(MATH_SOURCE)() as MathImports;
}
