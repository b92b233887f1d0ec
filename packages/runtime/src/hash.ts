/**
 * cyrb53, a fast non-cryptographic string hash (53 bits from two 32-bit lanes): stable
 * across runs and platforms, and available in browsers without crypto. Used for cache
 * keys (pipelines, tuned configs); a collision there costs a recompile or a wrong
 * starting config, never a wrong result.
 */

/** The two 32-bit lanes of cyrb53 for `text`, from `seed`. */
export function cyrb53Lanes(text: string, seed = 0): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1, h2];
}

/** The 53-bit cyrb53 hash of `text`, in base 36. */
export function hash53(text: string): string {
  const [h1, h2] = cyrb53Lanes(text);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
