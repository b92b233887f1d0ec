/**
 * Batched matrix multiply: out[b] = a[b] @ b[b] for a: [B, M, K], b: [B, K, N]. A grid
 * loop gives each matrix of the batch its own programs; the tile loop inside it joins
 * the launch grid, so B × tiles(M) × tiles(N) workgroups run, each accumulating over K
 * like the 2-D matmul (examples/matmul.ts) — with the same register micro-tiles and
 * vector loads on WebGPU.
 */
import { kernel } from 'tessera-gpu';

export const batchedMatmul = kernel`
fn batched_matmul(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {
  let out = empty([B, M, N], f32);
  for q in grid(B) {
    for (tm, tn) in tile([M, N]) {
      var acc = zeros([tm, tn], f32);
      for tk in tile(K) {
        acc += a[q, tm, tk] @ b[q, tk, tn];
      }
      out[q, tm, tn] = acc;
    }
  }
  return out;
}`;

/**
 * The same product as one batched `@` over 3-D tiles ([tb, tm, tk] @ [tb, tk, tn], as
 * torch.bmm): the compiler loops over the batch block's matrices, each a 2-D `@`. At batch
 * block 1 (the default) WebGPU runs tb as a grid loop, so this compiles to the same
 * register-tiled product as `batchedMatmul` above.
 */
export const batchedMatmulTiles = kernel`
fn batched_matmul_tiles(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {
  let out = empty([B, M, N], f32);
  for (tb, tm, tn) in tile([B, M, N]) {
    var acc = zeros([tb, tm, tn], f32);
    for tk in tile(K) {
      acc += a[tb, tm, tk] @ b[tb, tk, tn];
    }
    out[tb, tm, tn] = acc;
  }
  return out;
}`;

/** Plain-JS reference (f64 accumulation), batch by batch. */
export function batchedMatmulReference(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(batch * m * n);
  for (let q = 0; q < batch; q++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[(q * m + i) * k + p] ?? 0) * (b[(q * k + p) * n + j] ?? 0);
        out[(q * m + i) * n + j] = s;
      }
    }
  }
  return out;
}
