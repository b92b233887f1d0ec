import { init, kernel } from 'tessera-gpu';
import { batchedMatmul } from './examples/batched-matmul.ts';
import { random } from './examples/random.ts';
import { quantile } from './bench/harness.ts';
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
const [B, N] = [8, 256];
const device = await init({ backend: 'webgpu' });
console.log(device.describe());
const shape = [B, N, N];
const a = device.tensor(random(B * N * N, 21), shape), b = device.tensor(random(B * N * N, 22), shape);
const cands: [string, any, any][] = [
  ['grid {}', batchedMatmul, {}],
  ['grid 128x64', batchedMatmul, { blocks: { tm: 128, tn: 64, tk: 32 }, microTile: [16, 8], broadcastA: true }],
  ['tiles {}', tiles, {}],
  ['tiles 128x64', tiles, { blocks: { tb: 1, tm: 128, tn: 64, tk: 32 }, microTile: [16, 8], broadcastA: true }],
  ['tiles tb2', tiles, { blocks: { tb: 2 } }],
];
for (const [n, k, c] of cands) console.log(n, JSON.stringify(k.resolveConfig(c)));
for (const [n, k, c] of cands) { const o = await k.run([a, b], { config: c }); const g = await o[0].read(); console.log(n, 'sum', g.reduce((x: number, y: number) => x + y, 0).toFixed(3)); }
const samples = new Map<string, number[]>();
for (let round = 0; round < 3; round++) {
  for (const [name, k, config] of cands) {
    try {
      const m = await k.measure([a, b], { config, repeats: 5, maxMs: 400 });
      samples.set(name, [...(samples.get(name) ?? []), ...m.samplesMs]);
    } catch (e) { console.log(name, 'failed', String(e).slice(0, 300)); }
  }
}
for (const [name, xs] of samples) console.log(name.padEnd(20), quantile(xs, 0.5).toFixed(2), 'ms');
process.exit(0);
