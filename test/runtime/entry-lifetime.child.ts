/**
 * Child process of entry-lifetime.test.ts: a device made from a GPU object that nothing
 * else references, run while the garbage collector is forced again and again.
 */
import { create, globals } from 'webgpu';
import { init, type Tensor } from 'tessera-gpu';
import { add, addReference } from '../../examples/add.ts';

Object.assign(globalThis, globals);
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with --expose-gc');

const device = await init({ gpu: create([]), backend: 'webgpu' });
if (device.backend !== 'webgpu') throw new Error(`ran on ${device.backend}, not WebGPU`);
const n = 1003;
for (let round = 0; round < 30; round++) {
  collect();
  const xs = Float32Array.from({ length: n }, (_, i) => Math.sin(i + round));
  const ys = Float32Array.from({ length: n }, (_, i) => Math.cos(i * round));
  const got = await ((await add(device.tensor(xs, [n]), device.tensor(ys, [n]))) as Tensor).read();
  const want = addReference(xs, ys);
  if (got.some((v, i) => v !== want[i])) throw new Error(`round ${round}: wrong sum`);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
device.dispose();
console.log('entry-lifetime: ok');
