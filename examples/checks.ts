/**
 * Every example kernel with a runnable check: random inputs at a ragged shape (not a
 * multiple of any block size), the kernel's outputs, and a plain-JS reference to compare
 * them with. `npm run example -- NAME` runs one (examples/run.ts); the demo runs a few
 * of them at larger sizes under several configs.
 */
import type { AnyKernel, Kernel, KernelArg, Tensor } from 'tessera-gpu';
import type { Device } from 'tessera-gpu-runtime';
import { add, addReference } from './add.ts';
import { attention, attentionReference } from './attention.ts';
import { causalAttention, causalAttentionReference } from './causal-attention.ts';
import { batchedMatmul, batchedMatmulReference } from './batched-matmul.ts';
import { crossEntropy, crossEntropyReference } from './cross-entropy.ts';
import { dropout, dropoutReference } from './dropout.ts';
import { embedding, embeddingReference } from './embedding.ts';
import { rowCumsum, rowCumsumReference } from './cumsum.ts';
import { layernorm, layernormReference } from './layernorm.ts';
import { matmul, matmulBiasRelu, matmulReference } from './matmul.ts';
import { random, randomInts } from './random.ts';
import { rmsnorm, rmsnormReference } from './rmsnorm.ts';
import { rowStats, rowStatsReference } from './row-stats.ts';
import { softmaxOnline } from './softmax-online.ts';
import { softmax, softmaxReference } from './softmax.ts';

export type Expected = Float32Array | Int32Array;


export interface ExampleCase {
  /** The kernel's arguments (tensors on `device`, and scalars). */
  readonly args: KernelArg[];
  /** One expected array per output. */
  readonly expected: Expected[];
  /** Bytes the kernel must move and FLOPs it must do, for rates. */
  readonly bytes: number;
  readonly flops: number;
}

export interface ExampleCheck {
  readonly name: string;
  readonly title: string;
  readonly kernel: AnyKernel;
  /** Largest allowed |kernel − reference| per element. */
  readonly tolerance: number;
  /** `scale` multiplies the default (small, ragged) problem size; the demo uses larger ones. */
  make(device: Device, scale?: number): ExampleCase;
}

const rows = (x: number, scale: number): number => Math.max(1, Math.round(x * scale));

export const EXAMPLES: readonly ExampleCheck[] = [
  {
    name: 'add', title: 'vector add', kernel: add, tolerance: 0,
    make(device, scale = 1) {
      const n = rows(100_003, scale);
      const [x, y] = [random(n, 1, 100), random(n, 2, 100)];
      return { args: [device.tensor(x, [n]), device.tensor(y, [n])], expected: [addReference(x, y)], bytes: 12 * n, flops: n };
    },
  },
  {
    // The keep/drop decisions must match exactly (a wrong one is off by a whole element);
    // the tolerance only allows the division's rounding.
    name: 'dropout', title: 'seeded dropout (rand(seed, tn.index), no mask tensor)', kernel: dropout, tolerance: 1e-5,
    make(device, scale = 1) {
      const [n, p, seed] = [rows(100_003, scale), 0.3, 1234];
      const x = random(n, 23, 1);
      return { args: [device.tensor(x, [n]), p, seed], expected: [dropoutReference(x, p, seed)], bytes: 8 * n, flops: 2 * n };
    },
  },
  ...(['softmax', 'softmax-online'] as const).map((name): ExampleCheck => ({
    name, title: name === 'softmax' ? 'row softmax' : 'row softmax, online two-pass', kernel: name === 'softmax' ? softmax : softmaxOnline, tolerance: 1e-6,
    make(device, scale = 1) {
      const [m, n] = [rows(333, scale), 1001];
      const x = random(m * n, 3, 8);
      return { args: [device.tensor(x, [m, n])], expected: [softmaxReference(x, m, n)], bytes: 8 * m * n, flops: 5 * m * n };
    },
  })),
  {
    name: 'layernorm', title: 'layer norm', kernel: layernorm, tolerance: 1e-4,
    make(device, scale = 1) {
      const [m, n, eps] = [rows(257, scale), 1000, 1e-5];
      const [x, g, b] = [random(m * n, 4, 3), random(n, 5, 1), random(n, 6, 1)];
      return {
        args: [device.tensor(x, [m, n]), device.tensor(g, [n]), device.tensor(b, [n]), eps],
        expected: [layernormReference(x, g, b, m, n, eps)], bytes: 8 * m * n, flops: 8 * m * n,
      };
    },
  },
  {
    name: 'rmsnorm', title: 'RMS norm', kernel: rmsnorm, tolerance: 1e-4,
    make(device, scale = 1) {
      const [m, n, eps] = [rows(257, scale), 1000, 1e-6];
      const [x, w] = [random(m * n, 7, 3), random(n, 8, 1)];
      return { args: [device.tensor(x, [m, n]), device.tensor(w, [n]), eps], expected: [rmsnormReference(x, w, m, n, eps)], bytes: 8 * m * n, flops: 4 * m * n };
    },
  },
  ...(['matmul', 'matmul-bias-relu'] as const).map((name): ExampleCheck => ({
    name, title: name === 'matmul' ? 'matmul' : 'matmul + bias + ReLU', kernel: name === 'matmul' ? matmul : matmulBiasRelu, tolerance: 1e-3,
    make(device, scale = 1) {
      const [m, k, n] = [rows(197, scale), rows(203, scale), rows(211, scale)];
      const [a, b, bias] = [random(m * k, 9, 1), random(k * n, 10, 1), random(n, 11, 1)];
      const args: KernelArg[] = [device.tensor(a, [m, k]), device.tensor(b, [k, n])];
      if (name !== 'matmul') args.push(device.tensor(bias, [n]));
      return { args, expected: [matmulReference(a, b, m, k, n, name === 'matmul' ? undefined : bias)], bytes: 4 * (m * k + k * n + m * n), flops: 2 * m * n * k };
    },
  })),
  {
    name: 'row-stats', title: 'row sum and argmax', kernel: rowStats, tolerance: 1e-3,
    make(device, scale = 1) {
      const [m, n] = [rows(301, scale), 999];
      const x = random(m * n, 12, 10);
      return { args: [device.tensor(x, [m, n])], expected: rowStatsReference(x, m, n), bytes: 4 * m * n, flops: 2 * m * n };
    },
  },
  {
    name: 'cumsum', title: 'row cumulative sum', kernel: rowCumsum, tolerance: 1e-3,
    make(device, scale = 1) {
      const [m, n] = [rows(77, scale), 1537];
      const x = random(m * n, 13, 1);
      return { args: [device.tensor(x, [m, n])], expected: [rowCumsumReference(x, m, n)], bytes: 8 * m * n, flops: m * n };
    },
  },
  {
    name: 'batched-matmul', title: 'batched matmul', kernel: batchedMatmul, tolerance: 1e-3,
    make(device, scale = 1) {
      const [b, m, k, n] = [3, rows(67, scale), rows(45, scale), rows(71, scale)];
      const [x, y] = [random(b * m * k, 14, 1), random(b * k * n, 15, 1)];
      return {
        args: [device.tensor(x, [b, m, k]), device.tensor(y, [b, k, n])],
        expected: [batchedMatmulReference(x, y, b, m, k, n)], bytes: 4 * b * (m * k + k * n + m * n), flops: 2 * b * m * n * k,
      };
    },
  },
  {
    name: 'attention', title: 'flash-style attention (head dim 64)', kernel: attention, tolerance: 1e-4,
    make(device, scale = 1) {
      const [bh, s, t, d] = [3, rows(37, scale), rows(45, scale), 64];
      const [q, k, v] = [random(bh * s * d, 16, 1), random(bh * t * d, 17, 1), random(bh * t * d, 18, 1)];
      const sc = 1 / Math.sqrt(d);
      return {
        args: [device.tensor(q, [bh, s, d]), device.tensor(k, [bh, t, d]), device.tensor(v, [bh, t, d]), sc],
        expected: [attentionReference(q, k, v, bh, s, t, d, sc)], bytes: 4 * bh * d * (2 * s + 2 * t), flops: 4 * bh * s * t * d,
      };
    },
  },
  {
    name: 'causal-attention', title: 'causal flash attention, key blocks above the diagonal skipped (head dim 64)', kernel: causalAttention, tolerance: 1e-4,
    make(device, scale = 1) {
      const [bh, s, d] = [2, rows(77, scale), 64];
      const [q, k, v] = [random(bh * s * d, 19, 1), random(bh * s * d, 20, 1), random(bh * s * d, 21, 1)];
      const sc = 1 / Math.sqrt(d);
      return {
        args: [device.tensor(q, [bh, s, d]), device.tensor(k, [bh, s, d]), device.tensor(v, [bh, s, d]), sc],
        expected: [Float32Array.from(causalAttentionReference(q, k, v, bh, s, s, d, sc))], bytes: 16 * bh * s * d, flops: 2 * bh * s * s * d,
      };
    },
  },
  {
    name: 'embedding', title: 'embedding gather', kernel: embedding, tolerance: 0,
    make(device, scale = 1) {
      const [vocab, d, t] = [1000, 97, rows(301, scale)];
      const table = random(vocab * d, 19, 1);
      const ids = randomInts(t, vocab, 20);
      return {
        args: [device.tensor(table, [vocab, d]), device.tensor(ids, [t], 'i32')],
        expected: [embeddingReference(table, ids, vocab, d)], bytes: 8 * t * d + 4 * t, flops: 0,
      };
    },
  },
  {
    name: 'cross-entropy', title: 'cross-entropy loss (per row and mean)', kernel: crossEntropy, tolerance: 1e-4,
    make(device, scale = 1) {
      const [m, n] = [rows(203, scale), 1001];
      const logits = random(m * n, 21, 4);
      const labels = randomInts(m, n, 22);
      const { loss, mean } = crossEntropyReference(logits, labels, m, n);
      return {
        args: [device.tensor(logits, [m, n]), device.tensor(labels, [m], 'i32')],
        expected: [Float32Array.from(loss), Float32Array.of(mean)], bytes: 4 * m * n + 8 * m, flops: 4 * m * n,
      };
    },
  },
];

export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? NaN) - (b[i] ?? NaN));
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}

/** Runs `check` once and returns the worst error over its outputs (Infinity on a missing output). */
export async function runCheck(check: ExampleCheck, c: ExampleCase, config?: Parameters<Kernel['run']>[1]): Promise<number> {
  const outs: Tensor[] = await check.kernel.run(c.args, config ?? {});
  let worst = outs.length === c.expected.length ? 0 : Infinity;
  for (const [i, out] of outs.entries()) {
    const expected = c.expected[i];
    worst = Math.max(worst, expected ? maxAbsError(await out.read(), expected) : Infinity);
    out.destroy();
  }
  return worst;
}
