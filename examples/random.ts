/** Seeded inputs for the examples, the demo and the benchmarks: uniform in [-scale, scale). */
export function random(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Seeded integers in [0, n) (ids, labels), from the same generator. */
export function randomInts(count: number, n: number, seed: number): Int32Array {
  return Int32Array.from(random(count, seed, 0.5), (x) => Math.min(n - 1, Math.floor((x + 0.5) * n)));
}
