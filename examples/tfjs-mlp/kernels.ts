/**
 * The fused kernels of the TF.js MLP example: GEGLU (gelu of one half of the up
 * projection times the other half) in one pass over the projection, where TF.js runs a
 * split and eight elementwise ops, each a pass over memory.
 */
import { kernel } from 'tessera-gpu';

/** sqrt(2 / pi), for the tanh form of gelu (as in GPT-2 and BERT). */
export const GELU_C = 0.7978845608028654;

/**
 * h is the up projection [T, 2F] seen as [T, 2, F] (a free reshape in TF.js): the gate
 * half h[:, 0, :] goes through gelu and scales the value half h[:, 1, :].
 */
export const geglu = kernel`
fn geglu(h: f32[T, 2, F]) -> f32[T, F] {
  let out = empty([T, F], f32);
  for (tt, tf) in tile([T, F]) {
    let a = h[tt, 0, tf];
    let g = 0.5 * a * (1.0 + tanh(${GELU_C} * (a + 0.044715 * a * a * a)));
    out[tt, tf] = g * h[tt, 1, tf];
  }
  return out;
}`;

export function gegluReference(h: Float32Array, rows: number, f: number): Float32Array {
  const out = new Float32Array(rows * f);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < f; c++) {
      const a = h[r * 2 * f + c] ?? 0;
      const b = h[r * 2 * f + f + c] ?? 0;
      out[r * f + c] = 0.5 * a * (1 + Math.tanh(GELU_C * (a + 0.044715 * a * a * a))) * b;
    }
  }
  return out;
}
