/**
 * The batched matmul, attention, embedding and cross-entropy examples on both backends,
 * against their plain-JS references, with random inputs at ragged sizes (not multiples
 * of any block tried).
 */
import { expect, it } from 'vitest';
import { batchedMatmul, batchedMatmulReference } from '../../examples/batched-matmul.ts';
import { attentionKernel, attentionReference } from '../../examples/attention.ts';
import { embedding, embeddingReference } from '../../examples/embedding.ts';
import { crossEntropy, crossEntropyReference } from '../../examples/cross-entropy.ts';
import { describeOnBackends } from '../support/backends.ts';
import { maxAbsDiff, randomF32, rng } from '../support/random.ts';

/** Integers uniform in [lo, hi). */
function randomI32(n: number, seed: number, lo: number, hi: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(lo + (hi - lo) * r()));
}

/** Head dim 16 keeps the tests quick; the example's own kernel (head dim 64) runs the same code. */
const attention16 = attentionKernel(16);

describeOnBackends('more examples', (dev) => {
  it('batched matmul', async () => {
    for (const [b, m, k, n] of [[1, 1, 1, 1], [3, 33, 48, 65], [2, 70, 21, 9]] as const) {
      const a = randomF32(b * m * k, m + k);
      const bb = randomF32(b * k * n, k + n);
      for (const config of [{}, { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2] as [number, number] }]) {
        const [out] = await batchedMatmul.run([dev().tensor(a, [b, m, k]), dev().tensor(bb, [b, k, n])], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], batchedMatmulReference(a, bb, b, m, k, n))).toBeLessThan(1e-4);
      }
    }
  }, 60_000);

  it('attention (online softmax over key blocks)', async () => {
    for (const [bh, s, t] of [[1, 1, 1], [3, 37, 45], [2, 5, 70]] as const) {
      const q = randomF32(bh * s * 16, s, -2, 2);
      const k = randomF32(bh * t * 16, t, -2, 2);
      const v = randomF32(bh * t * 16, s + t);
      const want = attentionReference(q, k, v, bh, s, t, 16, 0.25);
      for (const config of [{}, { blocks: { tm: 16, tn: 16 }, microTile: [4, 4] as [number, number] }]) {
        const [out] = await attention16.run([dev().tensor(q, [bh, s, 16]), dev().tensor(k, [bh, t, 16]), dev().tensor(v, [bh, t, 16]), 0.25], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], want)).toBeLessThan(1e-5);
      }
    }
  }, 60_000);

  it('embedding (ids past both ends of the table clamp)', async () => {
    for (const [vocab, dim, tokens] of [[1, 1, 1], [50, 37, 70], [9, 300, 5]] as const) {
      const table = randomF32(vocab * dim, vocab + dim);
      const ids = randomI32(tokens, tokens, -3, vocab + 3);
      const [out] = await embedding.run([dev().tensor(table, [vocab, dim]), dev().tensor(ids, [tokens], 'i32')], { config: { blocks: { tt: 16 } } });
      expect(maxAbsDiff((await out?.read()) ?? [], embeddingReference(table, ids, vocab, dim))).toBe(0);
    }
  });

  it('cross-entropy (per-row loss and the mean)', async () => {
    for (const [m, n] of [[1, 1], [13, 301], [70, 33]] as const) {
      const logits = randomF32(m * n, m * n, -6, 6);
      const labels = randomI32(m, m, 0, n);
      const want = crossEntropyReference(logits, labels, m, n);
      for (const config of [{}, { blocks: { tm: 4 }, workgroupSize: 32 }]) {
        const [loss, mean] = await crossEntropy.run([dev().tensor(logits, [m, n]), dev().tensor(labels, [m], 'i32')], { config });
        expect(maxAbsDiff((await loss?.read()) ?? [], want.loss)).toBeLessThan(1e-5);
        expect(maxAbsDiff((await mean?.read()) ?? [], [want.mean])).toBeLessThan(1e-5);
      }
    }
  });
});
