/**
 * Config sweep for f32 matmul on the wasm backend (block sizes, register micro-tile,
 * unroll, threads), median wall-clock time per call with GFLOP/s; the defaults in
 * compiler/src/wasm were chosen from these numbers.
 *
 *   pnpm exec tsx bench/matmul-wasm.ts [N]
 */
import { init, type ConfigInput } from 'tessera-gpu';
import { matmul } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';

const N = Number(process.argv[2] ?? 1024);
const device = await init({ backend: 'wasm' });
console.log(device.describe());
const a = device.tensor(random(N * N, 1), [N, N]);
const b = device.tensor(random(N * N, 2), [N, N]);
const configs: ConfigInput[] = [];
for (const [tm, tn, tk] of [[64, 64, 32], [64, 128, 64], [128, 128, 64], [32, 256, 128], [64, 256, 256]] as const) {
  for (const microTile of [[4, 8], [4, 16], [8, 8], [6, 8]] as const) configs.push({ blocks: { tm, tn, tk }, microTile, unroll: 1 });
}
if (process.argv.includes('--quick')) configs.splice(4);
for (const config of configs) {
  const m = await matmul.measure([a, b], { config, repeats: 5, maxMs: 1500 });
  console.log(`${JSON.stringify(config)}  ${m.medianMs.toFixed(1)} ms  ${(2 * N ** 3 / m.medianMs / 1e6).toFixed(1)} GFLOP/s`);
}
device.dispose();
