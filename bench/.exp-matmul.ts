import { init, type ConfigInput } from 'tessera-gpu';
import { matmul } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';
import { tfCpuTimed, useTfCpu } from './peers/cpu-peers.ts';
const N = 1024;
const threads = Number(process.argv[2] ?? 1);
const device = await init({ backend: 'wasm', threads });
const a = device.tensor(random(N * N, 1), [N, N]);
const b = device.tensor(random(N * N, 2), [N, N]);
const tf = await useTfCpu('wasm');
const [ta, tb] = [tf.tensor(random(N * N, 7), [N, N]), tf.tensor(random(N * N, 8), [N, N])];
const peer = tfCpuTimed('wasm', () => tf.matMul(ta, tb));
const configs: ConfigInput[] = JSON.parse(process.argv[3] ?? '[]');
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? NaN;
for (const config of configs) {
  const ours: number[] = []; const theirs: number[] = [];
  await matmul.run([a, b], { config });
  for (let r = 0; r < 5; r++) {
    let t0 = performance.now(); const o = await matmul.run([a, b], { config }); ours.push(performance.now() - t0); o[0]?.destroy();
    t0 = performance.now(); await peer(); theirs.push(performance.now() - t0);
  }
  console.log(`${JSON.stringify(config)} ours ${med(ours).toFixed(0)} tfjs ${med(theirs).toFixed(0)} ratio ${(med(theirs) / med(ours)).toFixed(2)}`);
}
device.dispose();
process.exit(0);
