/**
 * What `transpose` means, for every backend: it swaps the last two axes (a 2-D tile's
 * two; a 3-D batch's matrix axes, keeping the batch axis in front). Each backend
 * evaluates elementwise values at coordinates, so a transpose reads its operand at the
 * coordinates with the last two swapped; `zero` fills a coordinate that is missing.
 */
export function swapLastTwo<T>(coords: readonly T[], zero: T): T[] {
  const n = coords.length;
  if (n < 2) return [coords[1] ?? zero, coords[0] ?? zero];
  return [...coords.slice(0, n - 2), coords[n - 1] ?? zero, coords[n - 2] ?? zero];
}
