import { kernel } from 'tessera-gpu';
const tiles = kernel`
fn bmm_tiles(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {
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
console.log(await tiles.wgsl({}));
