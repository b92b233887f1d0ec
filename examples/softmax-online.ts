/**
 * Softmax in two passes over each row instead of three: the first pass walks the row in
 * column tiles keeping a running max and a running sum of exponentials rescaled whenever
 * the max grows (the "online softmax" trick behind flash attention); the second writes.
 */
import { kernel } from 'tessera-gpu';

export const softmaxOnline = kernel`
fn softmax_online(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    var m = full([tm, 1], -1.0e30);
    var s = zeros([tm, 1], f32);
    for tn in tile(N) {
      let t = x[tm, tn];
      let m_new = max(m, max(t, axis=1, keepdim=true));
      s = s * exp(m - m_new) + sum(exp(t - m_new), axis=1, keepdim=true);
      m = m_new;
    }
    for tn in tile(N) {
      out[tm, tn] = exp(x[tm, tn] - m) / s;
    }
  }
  return out;
}`;
