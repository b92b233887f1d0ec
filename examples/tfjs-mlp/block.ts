/**
 * A transformer MLP block as a TF.js user writes it — pre-norm, GEGLU, residual:
 *
 *   y = x + (geglu(layernorm(x) · W_up) · W_down)
 *
 * twice: in plain TF.js ops, and with the two memory-bound steps (layernorm and GEGLU)
 * replaced by fused Tessera kernels that run on TF.js's own GPUDevice, on its tensors,
 * without copies. The matrix products stay TF.js's. Both take and return tf.Tensors.
 */
import type * as TF from '@tensorflow/tfjs-core';
import { tfjsKernel, type TfKernel } from 'tessera-gpu/tfjs';
import { layernorm } from '../layernorm.ts';
import { geglu, GELU_C } from './kernels.ts';

export type Tf = typeof TF;
type Tensor = TF.Tensor;

export interface MlpWeights {
  readonly gamma: TF.Tensor1D;   // [D]
  readonly beta: TF.Tensor1D;    // [D]
  readonly up: TF.Tensor2D;      // [D, 2F]: gate half, then value half
  readonly down: TF.Tensor2D;    // [F, D]
}

export const EPS = 1e-5;

/** The block in TF.js ops only: what the fused version is checked and timed against. */
export function mlpTf(tf: Tf, x: TF.Tensor2D, w: MlpWeights): TF.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPS))), w.gamma), w.beta);
    const h = tf.matMul(normed, w.up);
    const [a, b] = tf.split(h, 2, -1) as [Tensor, Tensor];
    const inner = tf.mul(GELU_C, tf.add(a, tf.mul(0.044715, tf.mul(tf.mul(a, a), a))));
    const gelu = tf.mul(tf.mul(0.5, a), tf.add(1, tf.tanh(inner)));
    return tf.add(x, tf.matMul(tf.mul(gelu, b), w.down)) as TF.Tensor2D;
  });
}

export interface FusedMlp {
  (x: TF.Tensor2D): Promise<TF.Tensor2D>;
}

/** The same block with layernorm and GEGLU as Tessera kernels (tessera-gpu/tfjs). */
export function mlpFused(tf: Tf, w: MlpWeights): FusedMlp {
  const norm: TfKernel<Tensor> = tfjsKernel(tf, layernorm);
  const act: TfKernel<Tensor> = tfjsKernel(tf, geglu);
  const f = (w.up.shape[1] ?? 0) / 2;
  return async (x) => {
    const normed = await norm(x, w.gamma, w.beta, EPS);
    const h = tf.matMul(normed as TF.Tensor2D, w.up);
    normed.dispose();
    // [T, 2F] -> [T, 2, F] is a view in TF.js (same buffer), which is how geglu reads the halves.
    const halves = tf.reshape(h, [h.shape[0], 2, f]);
    h.dispose();
    const gated = await act(halves);
    halves.dispose();
    const y = tf.tidy(() => tf.add(x, tf.matMul(gated as TF.Tensor2D, w.down)) as TF.Tensor2D);
    gated.dispose();
    return y;
  };
}

/** Random weights at a realistic scale (so activations stay O(1)); seeded for tests. */
export function randomWeights(tf: Tf, d: number, f: number, random: () => number): MlpWeights {
  const u = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  return {
    gamma: tf.tensor1d(Float32Array.from({ length: d }, () => 0.5 + random())),
    beta: tf.tensor1d(u(d, 0.1)),
    up: tf.tensor2d(u(d * 2 * f, 1 / Math.sqrt(d)), [d, 2 * f]),
    down: tf.tensor2d(u(f * d, 1 / Math.sqrt(f)), [f, d]),
  };
}
