import { init, kernel } from 'tessera-gpu';
import { random } from '../examples/random.ts';
const [M, N] = [4096, 1024];
const d = await init({ backend: 'wasm', threads: 1 });
const x = d.tensor(random(M * N, 4, 3), [M, N]);
const ks = {
  scale: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { out[tm, :] = x[tm, :] * 2.0; } return out; }`,
  exp: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { out[tm, :] = exp(x[tm, :]); } return out; }`,
  sqrt: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { out[tm, :] = sqrt(abs(x[tm, :])); } return out; }`,
  floor: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { out[tm, :] = round(x[tm, :]); } return out; }`,
  log: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { out[tm, :] = log(x[tm, :]); } return out; }`,
  rowsum: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { let r = x[tm, :]; out[tm, :] = r / sum(r, axis=1, keepdim=true); } return out; }`,
  tiled: kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for (tm, tn) in tile([M, N]) { out[tm, tn] = x[tm, tn] * 2.0; } return out; }`,
};
for (const [name, k] of Object.entries(ks)) {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) { const t0 = performance.now(); const o = await k.run([x], { config: {} }); xs.push(performance.now() - t0); o[0]?.destroy(); }
  xs.sort((a, b) => a - b);
  console.log(name, xs[2]?.toFixed(1), JSON.stringify(k.resolveConfig({}).blocks));
}
process.exit(0);
