/**
 * Config sweep for f32 matmul on the wasm backend: the register blocks of the wasm
 * config space (wasm/knobs.ts), a few tile/k-block shapes, unroll, threads. Per config,
 * in interleaved rounds: the median wall-clock time per call with GFLOP/s, and the
 * median CPU time per call (all threads of the process) with GFLOP/s per CPU-second.
 * On a machine shared with other work the wall clock follows the load; CPU time follows
 * the code, so a one-thread CPU-time figure is what compares lowerings there. The
 * defaults in compiler/src/wasm/knobs.ts were chosen from these numbers.
 *
 *   pnpm exec tsx bench/matmul-wasm.ts [N] [--quick]
 *
 * The `@` micro-kernel multiplies-and-adds with `f32x4.relaxed_madd` where the engine has
 * relaxed SIMD (the first line says which). Node 20 has it only behind a V8 flag that
 * NODE_OPTIONS refuses, so measure that path with node itself:
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/matmul-wasm.ts [N] [--quick]
 *
 * (one process per path: compare several runs of each, alternated, by their medians).
 */
import { init, type ConfigInput } from 'tessera-gpu';
import { wasmMicroTiles } from 'tessera-gpu-compiler';
import { matmul } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';

const N = Number(process.argv.find((a, i) => i > 1 && /^\d+$/.test(a)) ?? 1024);
const device = await init({ backend: 'wasm' });
console.log(`${device.describe()}; N=${N}`);
const a = device.tensor(random(N * N, 1), [N, N]);
const b = device.tensor(random(N * N, 2), [N, N]);
const configs: ConfigInput[] = [{}, { threads: 1 }, { threads: 1, unroll: 4 }];
for (const microTile of wasmMicroTiles().filter(([r, c]) => r * c >= 16)) configs.push({ threads: 1, microTile });
// Without a product register to hold, 3×12 (9 accumulators + 3 b vectors + 3 broadcasts) fits too.
if (device.wasm?.features.relaxedSimd) configs.push({ threads: 1, microTile: [3, 12], blocks: { tm: 63, tn: 96, tk: 128 } });
for (const [tm, tn, tk] of [[64, 64, 64], [64, 256, 128], [128, 128, 256], [32, 256, 256]] as const) configs.push({ threads: 1, blocks: { tm, tn, tk } });
if (process.argv.includes('--quick')) configs.splice(4);

const wall = configs.map((): number[] => []);
const cpu = configs.map((): number[] => []);
const call = async (config: ConfigInput): Promise<void> => {
  for (const o of await matmul.run([a, b], { config })) o.destroy();
};
for (let round = 0; round < 3; round++) {
  for (const [i, config] of configs.entries()) {
    if (round === 0) for (let w = 0; w < 2; w++) await call(config);
    for (let r = 0; r < 3; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await call(config);
      const c = process.cpuUsage(c0);
      wall[i]?.push(performance.now() - t0);
      cpu[i]?.push((c.user + c.system) / 1000);
    }
  }
}
const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? NaN;
const gflops = (ms: number): string => (2 * N ** 3 / ms / 1e6).toFixed(1);
for (const [i, config] of configs.entries()) {
  const w = median(wall[i] ?? []);
  const c = median(cpu[i] ?? []);
  console.log(`${JSON.stringify(config).padEnd(60)} wall ${w.toFixed(1)} ms ${gflops(w)} GFLOP/s | cpu ${c.toFixed(1)} ms ${gflops(c)} GFLOP/cpu-s`);
}
device.dispose();
