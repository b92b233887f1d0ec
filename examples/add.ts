/**
 * Vector add: the smallest complete kernel. One top-level tile loop over N: each
 * workgroup adds one block of elements; the last block is ragged and the compiler masks it.
 */
import { kernel } from 'tessera-gpu';

export const add = kernel`
fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn];
  }
  return out;
}`;

/** Plain-JS reference, rounded to f32 like the GPU. */
export function addReference(x: Float32Array, y: Float32Array): Float32Array {
  return x.map((v, i) => Math.fround(v + (y[i] ?? 0)));
}
