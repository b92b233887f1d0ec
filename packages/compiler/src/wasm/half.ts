/** f16 rounding of constants at lowering time (run-time values round in the module's imports). */

/** `x` rounded to the nearest f16 value, ties to even; overflow gives ±Infinity. */
export function roundToHalf(x: number): number {
  if (Number.isNaN(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x < 0 ? -Infinity : Infinity;
  let e = Math.max(-14, Math.floor(Math.log2(a)));
  if (e > -14 && 2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const two52 = 4503599627370496;
  const r = (a / ulp + two52 - two52) * ulp;
  return x < 0 ? -r : r;
}
