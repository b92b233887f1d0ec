import { init } from 'tessera-gpu';
import { layernorm } from '../examples/layernorm.ts';
import { softmax } from '../examples/softmax.ts';
import { random } from '../examples/random.ts';
import { tfCpuTimed, useTfCpu } from './peers/cpu-peers.ts';
const [M, N] = [4096, 1024];
const d1 = await init({ backend: 'wasm', threads: 1 });
const d2 = await init({ backend: 'wasm', threads: 2 });
const mk = (d: typeof d1) => [d.tensor(random(M * N, 4, 3), [M, N]), d.tensor(random(N, 5), [N]), d.tensor(random(N, 6), [N])];
const a1 = mk(d1), a2 = mk(d2);
const tf = await useTfCpu('wasm');
const tx = tf.tensor(random(M * N, 9, 4), [M, N]);
const peer = tfCpuTimed('wasm', () => tf.softmax(tx));
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? NaN;
const t = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return performance.now() - t0; };
const r: Record<string, number[]> = { ln1: [], ln2: [], sm1: [], sm2: [], tf: [] };
for (let i = 0; i < 6; i++) {
  r.ln1!.push(await t(() => layernorm.run([...a1, 1e-5], { config: {} })));
  r.ln2!.push(await t(() => layernorm.run([...a2, 1e-5], { config: {} })));
  r.sm1!.push(await t(() => softmax.run([a1[0]!], { config: {} })));
  r.sm2!.push(await t(() => softmax.run([a2[0]!], { config: {} })));
  r.tf!.push(await t(peer));
}
for (const [k, v] of Object.entries(r)) console.log(k, med(v).toFixed(1));
process.exit(0);
