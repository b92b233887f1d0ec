/** Comparison with a stated tolerance, reporting the worst element. */
import { expect } from 'vitest';

export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] ?? NaN;
    const w = want[i] ?? NaN;
    // An infinity is matched exactly: the tolerance of an infinite value is NaN.
    const excess = Number.isFinite(w) || Number.isNaN(w) ? Math.abs(g - w) - (atol + rtol * Math.abs(w)) : g === w ? 0 : Infinity;
    if (Number.isNaN(g) !== Number.isNaN(w) || excess > worstExcess) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${got[worst]}, expected ${want[worst]} (tolerance ${atol} + ${rtol}·|x|)`);
  }
}
