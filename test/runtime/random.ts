/** Seeded random data, so a failing round-trip reproduces (the shared mulberry32). */
import { rng } from '../support/random.ts';

export { rng };

export function randomF32(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 200);
}

export function randomI32(n: number, seed: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor((r() - 0.5) * 2 ** 32));
}

export function randomU32(n: number, seed: number): Uint32Array {
  const r = rng(seed);
  return Uint32Array.from({ length: n }, () => Math.floor(r() * 2 ** 32));
}
