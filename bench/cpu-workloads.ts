/**
 * CPU-side benchmarks: Tessera's interpreter backend (kernels compiled to JavaScript)
 * against TF.js's CPU backend, in the same process.
 */
import type { AnyKernel as Kernel } from 'tessera-gpu';
import type { Device, Tensor } from 'tessera-gpu-runtime';
import { matmul } from '../examples/matmul.ts';
import { softmax } from '../examples/softmax.ts';
import { tfTensor, tfTimed, useTf } from './peers/tfjs.ts';
import { random } from '../examples/random.ts';
import type { Impl } from './workloads.ts';

export interface CpuWorkload {
  readonly name: string;
  readonly shape: string;
  readonly bytes: number;
  readonly flops: number;
  readonly targets: Readonly<Record<string, number>>;
  tessera(device: Device): { kernel: Kernel; args: (Tensor | number)[] };
  peers(): Promise<Record<string, Impl>>;
}

const S = 256;
const [SM, SN] = [512, 1024];

export const CPU_WORKLOADS: CpuWorkload[] = [
  {
    name: 'matmul (interpreter)', shape: `${S}x${S}x${S}`, bytes: 12 * S * S, flops: 2 * S ** 3, targets: { 'tfjs-cpu': 1 },
    tessera(device) {
      return { kernel: matmul, args: [device.tensor(random(S * S, 7), [S, S]), device.tensor(random(S * S, 8), [S, S])] };
    },
    async peers() {
      const tf = await useTf('cpu');
      const [a, b] = [tfTensor(random(S * S, 7), [S, S]), tfTensor(random(S * S, 8), [S, S])];
      return { 'tfjs-cpu': tfTimed(() => tf.matMul(a, b)) };
    },
  },
  {
    name: 'softmax (interpreter)', shape: `${SM}x${SN}`, bytes: 8 * SM * SN, flops: 5 * SM * SN, targets: {},
    tessera(device) {
      return { kernel: softmax, args: [device.tensor(random(SM * SN, 9, 4), [SM, SN])] };
    },
    async peers() {
      const tf = await useTf('cpu');
      const x = tfTensor(random(SM * SN, 9, 4), [SM, SN]);
      return { 'tfjs-cpu': tfTimed(() => tf.softmax(x)) };
    },
  },
];
