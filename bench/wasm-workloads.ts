/**
 * The wasm backend's benchmarks: Tessera on `backend: 'wasm'` against TF.js's wasm
 * (XNNPACK) and CPU backends and jax-js's wasm device, interleaved in one process, plus
 * numpy/OpenBLAS (a python3 subprocess, when present) as the machine's physical
 * reference and a memcpy-class copy (typed-array set) for memory bandwidth.
 */
import type { AnyKernel, ConfigInput } from 'tessera-gpu';
import type { Device, Tensor } from 'tessera-gpu-runtime';
import { matmul } from '../examples/matmul.ts';
import { softmax } from '../examples/softmax.ts';
import { layernorm } from '../examples/layernorm.ts';
import { attentionKernel } from '../examples/attention.ts';
import { random } from '../examples/random.ts';
import { jaxWasmArray, jaxWasmTimed, tfCpuTimed, useJaxWasm, useTfCpu, type JaxArray } from './peers/cpu-peers.ts';
import type { Impl } from './workloads.ts';

export interface WasmWorkload {
  readonly name: string;
  readonly shape: string;
  readonly bytes: number;
  readonly flops: number;
  readonly targets: Readonly<Record<string, number>>;
  /** The numpy figure (numpyTimes key) shown beside it, if any. */
  readonly numpy?: string;
  /** The quick autotuner's budget for this row (seconds; 30 unless set). */
  readonly tuneSeconds?: number;
  tessera(device: Device): { kernel: AnyKernel; args: (Tensor | number)[]; candidates: ConfigInput[] };
  peers(): Promise<Record<string, Impl>>;
}

const N = 1024;
/** Row blocks, and one thread (on a machine busy with other work, waking a worker can cost more than it saves). */
const ROW_CANDIDATES: ConfigInput[] = [{}, { blocks: { tm: 1 } }, { blocks: { tm: 4 } }, { blocks: { tm: 4 }, threads: 1 }];
const [SM, SN] = [4096, 1024];
const [BH, S, D] = [8, 1024, 64];

export const WASM_WORKLOADS: WasmWorkload[] = [
  {
    name: 'matmul (wasm)', shape: `${N}x${N}x${N}`, bytes: 12 * N * N, flops: 2 * N ** 3, numpy: 'matmul',
    targets: { 'jax-wasm': 1.5, 'tfjs-wasm': 1.5 },
    tessera(device) {
      return {
        kernel: matmul, args: [device.tensor(random(N * N, 7), [N, N]), device.tensor(random(N * N, 8), [N, N])],
        candidates: [{}, { microTile: [2, 16] }, { blocks: { tm: 64, tn: 256, tk: 128 } }, { blocks: { tm: 128, tn: 128, tk: 256 } }],
      };
    },
    async peers() {
      const tf = await useTfCpu('wasm');
      const [a, b] = [tf.tensor(random(N * N, 7), [N, N]), tf.tensor(random(N * N, 8), [N, N])];
      const jax = await useJaxWasm();
      const [ja, jb] = [jaxWasmArray(random(N * N, 7), [N, N]), jaxWasmArray(random(N * N, 8), [N, N])];
      const f = jax.jit((x: JaxArray, y: JaxArray) => jax.numpy.matmul(x, y));
      return {
        'tfjs-wasm': tfCpuTimed('wasm', () => tf.matMul(a, b)),
        'jax-wasm': jaxWasmTimed(() => f(ja.ref, jb.ref)),
      };
    },
  },
  {
    name: 'softmax (wasm)', shape: `${SM}x${SN}`, bytes: 8 * SM * SN, flops: 5 * SM * SN, numpy: 'softmax',
    targets: { 'tfjs-wasm': 2 },
    tessera(device) {
      return { kernel: softmax, args: [device.tensor(random(SM * SN, 9, 4), [SM, SN])], candidates: ROW_CANDIDATES };
    },
    async peers() {
      const tf = await useTfCpu('wasm');
      const x = tf.tensor(random(SM * SN, 9, 4), [SM, SN]);
      const jax = await useJaxWasm();
      const jx = jaxWasmArray(random(SM * SN, 9, 4), [SM, SN]);
      const f = jax.jit((a: JaxArray) => jax.nn.softmax(a, -1));
      return {
        'tfjs-wasm': tfCpuTimed('wasm', () => tf.softmax(x)),
        'jax-wasm': jaxWasmTimed(() => f(jx.ref)),
      };
    },
  },
  {
    name: 'layernorm (wasm)', shape: `${SM}x${SN}`, bytes: 8 * SM * SN, flops: 8 * SM * SN, numpy: 'layernorm',
    targets: { 'tfjs-wasm': 2 },
    tessera(device) {
      const x = device.tensor(random(SM * SN, 4, 3), [SM, SN]);
      const g = device.tensor(random(SN, 5), [SN]);
      const b = device.tensor(random(SN, 6), [SN]);
      return { kernel: layernorm, args: [x, g, b, 1e-5], candidates: ROW_CANDIDATES };
    },
    async peers() {
      const tf = await useTfCpu('wasm');
      const [tx, tg, tb] = [tf.tensor(random(SM * SN, 4, 3), [SM, SN]), tf.tensor(random(SN, 5), [SN]), tf.tensor(random(SN, 6), [SN])];
      const layer = (): ReturnType<typeof tf.tensor> => tf.tidy(() => {
        const { mean, variance } = tf.moments(tx, -1, true);
        return tf.add(tf.mul(tf.mul(tf.sub(tx, mean), tf.rsqrt(tf.add(variance, 1e-5))), tg), tb);
      });
      return { 'tfjs-wasm': tfCpuTimed('wasm', layer) };
    },
  },
  {
    name: 'attention (wasm)', shape: `BH=${BH} S=${S} D=${D}`, bytes: 16 * BH * S * D, flops: 4 * BH * S * S * D,
    targets: { 'jax-wasm-composed': 2 },
    tessera(device) {
      const shape = [BH, S, D];
      const [q, k, v] = [31, 32, 33].map((seed) => device.tensor(random(BH * S * D, seed), shape)) as [Tensor, Tensor, Tensor];
      return { kernel: attentionKernel(D), args: [q, k, v, 1 / Math.sqrt(D)], candidates: [{}, { blocks: { tm: 32, tn: 64 } }, { blocks: { tm: 64, tn: 64 } }] };
    },
    async peers() {
      const jax = await useJaxWasm();
      const np = jax.numpy;
      const [q, k, v] = [31, 32, 33].map((seed) => jaxWasmArray(random(BH * S * D, seed), [BH, S, D])) as [JaxArray, JaxArray, JaxArray];
      const scale = 1 / Math.sqrt(D);
      // Attention as a jax user composes it from ops: scores, softmax, weighted sum.
      const f = jax.jit((a: JaxArray, b: JaxArray, c: JaxArray) =>
        np.matmul(jax.nn.softmax(np.multiply(np.matmul(a, np.transpose(b, [0, 2, 1])), scale), -1), c));
      return { 'jax-wasm-composed': jaxWasmTimed(() => f(q.ref, k.ref, v.ref)) };
    },
  },
];

/** A memcpy-class copy of `bytes` (typed-array set), timed as a peer: the memory-bandwidth reference. */
export function copyImpl(bytes: number): Impl {
  const src = new Float32Array(bytes / 4).fill(1);
  const dst = new Float32Array(bytes / 4);
  return async () => {
    dst.set(src);
  };
}

/** TF.js's CPU backend on the matmul, for the slowest-peer column. */
export async function tfCpuMatmul(): Promise<Impl> {
  const tf = await useTfCpu('cpu');
  const [a, b] = [tf.tensor(random(N * N, 7), [N, N]), tf.tensor(random(N * N, 8), [N, N])];
  return tfCpuTimed('cpu', () => tf.matMul(a, b));
}
