/**
 * Tessera inside a TF.js model: the transformer MLP block of examples/tfjs-mlp, in pure
 * TF.js ('tfjs-webgpu') and with its layernorm and GEGLU replaced by Tessera kernels on
 * TF.js's own device ('tessera'), timed the same way in one process, interleaved. The
 * matrix products are TF.js's in both, so the difference is what the fusion saves.
 */
import type { Timing } from './harness.ts';
import { timeInterleaved } from './harness.ts';
import { tfSync, useTf } from './peers/tfjs.ts';
import { mlpFused, mlpTf, randomWeights } from '../examples/tfjs-mlp/block.ts';
import { rng } from '../test/support/random.ts';

export interface InteropRow {
  readonly workload: string;
  readonly shape: string;
  readonly bytes: number;
  readonly flops: number;
  readonly timings: Readonly<Record<string, Timing>>;
}

/** Tokens, model width, hidden width (GEGLU halves): a small transformer layer's MLP. */
export const BLOCK = { t: 1024, d: 64, f: 1024 } as const;

export async function interopRows(opts: { timeMs: number; warmupMs: number; signal?: AbortSignal }, rounds: number,
  onError: (name: string, e: unknown) => void): Promise<InteropRow[]> {
  const tf = await useTf('webgpu');
  const { t, d, f } = BLOCK;
  const random = rng(1);
  const weights = randomWeights(tf, d, f, random);
  const x = tf.tensor2d(Float32Array.from({ length: t * d }, () => random() * 2 - 1), [t, d]);
  const fused = mlpFused(tf, weights);
  // Warm both (pipelines compiled) and check they agree before timing anything.
  const [want, got] = [mlpTf(tf, x, weights), await fused(x)];
  const [a, b] = [await want.data(), await got.data()];
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  tf.dispose([want, got]);
  if (!(err < 1e-3)) throw new Error(`the fused MLP block disagrees with TF.js (max |error| ${err})`);
  const impls = {
    tessera: async () => {
      const y = await fused(x);
      await tfSync();
      y.dispose();
    },
    'tfjs-webgpu': async () => {
      const y = mlpTf(tf, x, weights);
      await tfSync();
      y.dispose();
    },
  };
  const timings = await timeInterleaved(impls, opts, rounds, onError);
  tf.dispose([x, ...Object.values(weights)]);
  const matmulFlops = 2 * t * d * 2 * f + 2 * t * f * d;
  return [{
    workload: 'mlp block in TF.js (Tessera layernorm + GEGLU)',
    shape: `T${t} D${d} F${f}`,
    // x read by the norm and the residual, the [T, 2F] projection written and read, the [T, F] product, the output.
    bytes: 4 * (3 * t * d + 2 * t * 2 * f + 2 * t * f),
    flops: matmulFlops,
    timings,
  }];
}
