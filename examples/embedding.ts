/**
 * Embedding lookup: out[t, :] = table[ids[t], :]. `ids[tt]` is an integer tile used as an
 * index — a gather — so `table[ids[tt], :]` is a [tt, :D] tile of whole rows, copied by
 * one workgroup per block of tokens. Ids outside the table clamp to its first or last
 * row, on every backend.
 */
import { kernel } from 'tessera-gpu';

export const embedding = kernel`
fn embedding(table: f32[V, D], ids: i32[T]) -> f32[T, D] {
  let out = empty([T, D], f32);
  for tt in tile(T) {
    out[tt, :] = table[ids[tt], :];
  }
  return out;
}`;

/** Plain-JS reference, clamping ids into the table as the kernel does. */
export function embeddingReference(table: Float32Array, ids: Int32Array, vocab: number, dim: number): Float32Array {
  const out = new Float32Array(ids.length * dim);
  ids.forEach((id, t) => {
    const row = Math.min(Math.max(id, 0), vocab - 1);
    out.set(table.subarray(row * dim, (row + 1) * dim), t * dim);
  });
  return out;
}
