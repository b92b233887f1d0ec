/**
 * The benchmark workloads: for each, the Tessera kernel and the same computation in each
 * peer, on the same data, plus the bytes it must move and the FLOPs it must do (for the
 * roofline columns). Each implementation is a function that runs one call to completion.
 */
import type { ConfigInput, AnyKernel as Kernel, Tensor } from 'tessera-gpu';
import type { Device } from 'tessera-gpu-runtime';
import { launch } from 'tessera-gpu-runtime';
import { add } from '../examples/add.ts';
import { softmax } from '../examples/softmax.ts';
import { layernorm } from '../examples/layernorm.ts';
import { naiveAdd, naiveLayernorm, naiveMatmul, naiveSoftmax } from './naive/kernels.ts';
import { matmul } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';
import { tfTensor, tfTimed, useTf, type Tf } from './peers/tfjs.ts';
import { jaxArray, useJax, type Jax, type JaxArray } from './peers/jax.ts';

export type Impl = () => Promise<void>;

export interface Workload {
  readonly name: string;
  readonly shape: string;
  readonly bytes: number;
  readonly flops: number;
  /** Targets from the project's goals: minimum speed-up over a peer. */
  readonly targets: Readonly<Record<string, number>>;
  /** Tessera kernel, its arguments on `device`, and configs worth trying. */
  tessera(device: Device): { kernel: Kernel; args: (Tensor | number)[]; candidates: ConfigInput[] };
  peers(device: Device): Promise<Record<string, Impl>>;
}

/** A TF.js WebGPU op, timed to completion. */
export async function tfWebgpu(build: (tf: Tf) => () => ReturnType<Tf['tensor']>): Promise<Impl> {
  const tf = await useTf('webgpu');
  return tfTimed(build(tf));
}

/** A jit-compiled jax-js op on its WebGPU device, timed to completion. */
export async function jaxWebgpu(build: (jax: Jax) => () => JaxArray): Promise<Impl> {
  const jax = await useJax();
  const op = build(jax);
  return async () => {
    const r = op();
    await jax.blockUntilReady(r);
    r.dispose();
  };
}

/** A naive WGSL baseline launched like a Tessera artifact, into one output allocated up front. */
export function naive(device: Device, art: Parameters<typeof launch>[1], inputs: Tensor[], outShape: number[], dims: Record<string, number>): Impl {
  const out = device.empty(outShape);
  return async () => {
    await launch(device, art, inputs, [out], dims, {});
    await device.sync();
  };
}

/** A handful of hand-picked matmul configs (the autotuner searches far more). */
export function matmulCandidates(): ConfigInput[] {
  return [
    {},
    { microTile: [4, 4] },
    { blocks: { tm: 64, tn: 64, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true, unroll: 4 },
    // Needs subgroups (a candidate that cannot run on this adapter is skipped).
    { broadcastA: true },
    { blocks: { tm: 128, tn: 64, tk: 32 }, microTile: [16, 8], broadcastA: true },
  ];
}

/**
 * One row per invocation, serial along it (reduction 'serial'): the software-adapter
 * default for row kernels (compiler's adapter-defaults.ts) and a smaller variant.
 */
export const SERIAL_CANDIDATES: ConfigInput[] = [
  { blocks: { tm: 64 }, workgroupSize: 64, reduction: 'serial' },
  { blocks: { tm: 32 }, workgroupSize: 32, reduction: 'serial' },
];

/** Peer tensors can only be created once their backends are up. */
async function readyPeers(): Promise<void> {
  await useTf('webgpu');
  await useJax();
}

const N_ADD = 1 << 22;
const [SM_M, SM_N] = [4096, 1024];

const MM = 1024;

export const WORKLOADS: Workload[] = [
  {
    name: 'matmul', shape: `${MM}x${MM}x${MM}`, bytes: 12 * MM * MM, flops: 2 * MM ** 3, targets: { 'tfjs-webgpu': 3, 'jax-webgpu': 3, 'naive-wgsl': 2 },
    tessera(device) {
      const a = device.tensor(random(MM * MM, 11), [MM, MM]);
      const b = device.tensor(random(MM * MM, 12), [MM, MM]);
      return { kernel: matmul, args: [a, b], candidates: matmulCandidates() };
    },
    async peers(device) {
      await readyPeers();
      const as = random(MM * MM, 11);
      const bs = random(MM * MM, 12);
      const [ta, tb] = [tfTensor(as, [MM, MM]), tfTensor(bs, [MM, MM])];
      const [ja, jb] = [jaxArray(as, [MM, MM]), jaxArray(bs, [MM, MM])];
      const [da, db] = [device.tensor(as, [MM, MM]), device.tensor(bs, [MM, MM])];
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.matMul(ta, tb)),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((x: JaxArray, y: JaxArray) => jax.numpy.matmul(x, y));
          return () => f(ja.ref, jb.ref);
        }),
        'naive-wgsl': naive(device, naiveMatmul, [da, db], [MM, MM], { M: MM, K: MM, N: MM }),
      };
    },
  },
  {
    name: 'vector add', shape: `N=${N_ADD}`, bytes: 12 * N_ADD, flops: N_ADD, targets: {},
    tessera(device) {
      const x = device.tensor(random(N_ADD, 1), [N_ADD]);
      const y = device.tensor(random(N_ADD, 2), [N_ADD]);
      return { kernel: add, args: [x, y], candidates: [{}, { blocks: { tn: 1024 } }, { blocks: { tn: 2048 }, workgroupSize: 256 }, { blocks: { tn: 512 }, workgroupSize: 128 }] };
    },
    async peers(device) {
      await readyPeers();
      const xs = random(N_ADD, 1);
      const ys = random(N_ADD, 2);
      const [tx, ty] = [tfTensor(xs, [N_ADD]), tfTensor(ys, [N_ADD])];
      const [jx, jy] = [jaxArray(xs, [N_ADD]), jaxArray(ys, [N_ADD])];
      const dx = device.tensor(xs, [N_ADD]);
      const dy = device.tensor(ys, [N_ADD]);
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.add(tx, ty)),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((a: JaxArray, b: JaxArray) => jax.numpy.add(a, b));
          return () => f(jx.ref, jy.ref);
        }),
        'naive-wgsl': naive(device, naiveAdd, [dx, dy], [N_ADD], { N: N_ADD }),
      };
    },
  },
  {
    name: 'softmax', shape: `${SM_M}x${SM_N}`, bytes: 8 * SM_M * SM_N, flops: 5 * SM_M * SM_N, targets: { 'tfjs-webgpu': 1.5 },
    tessera(device) {
      const x = device.tensor(random(SM_M * SM_N, 3, 4), [SM_M, SM_N]);
      return { kernel: softmax, args: [x], candidates: [{}, { blocks: { tm: 4 } }, { blocks: { tm: 8 } }, { blocks: { tm: 16 }, workgroupSize: 128 }, { blocks: { tm: 2 }, workgroupSize: 128 }, ...SERIAL_CANDIDATES] };
    },
    async peers(device) {
      await readyPeers();
      const xs = random(SM_M * SM_N, 3, 4);
      const tx = tfTensor(xs, [SM_M, SM_N]);
      const jx = jaxArray(xs, [SM_M, SM_N]);
      const dx = device.tensor(xs, [SM_M, SM_N]);
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.softmax(tx)),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((a: JaxArray) => jax.nn.softmax(a, -1));
          return () => f(jx.ref);
        }),
        'naive-wgsl': naive(device, naiveSoftmax, [dx], [SM_M, SM_N], { M: SM_M, N: SM_N }),
      };
    },
  },
  {
    name: 'layernorm', shape: `${SM_M}x${SM_N}`, bytes: 8 * SM_M * SM_N, flops: 8 * SM_M * SM_N, targets: { 'tfjs-webgpu': 1.5 },
    tessera(device) {
      const x = device.tensor(random(SM_M * SM_N, 4, 3), [SM_M, SM_N]);
      const g = device.tensor(random(SM_N, 5), [SM_N]);
      const b = device.tensor(random(SM_N, 6), [SM_N]);
      return { kernel: layernorm, args: [x, g, b, 1e-5], candidates: [{}, { blocks: { tm: 4 } }, { blocks: { tm: 8 } }, { blocks: { tm: 16 }, workgroupSize: 128 }, ...SERIAL_CANDIDATES] };
    },
    async peers(device) {
      await readyPeers();
      const xs = random(SM_M * SM_N, 4, 3);
      const gs = random(SM_N, 5);
      const bs = random(SM_N, 6);
      const [tx, tg, tb] = [tfTensor(xs, [SM_M, SM_N]), tfTensor(gs, [SM_N]), tfTensor(bs, [SM_N])];
      const [jx, jg, jb] = [jaxArray(xs, [SM_M, SM_N]), jaxArray(gs, [SM_N]), jaxArray(bs, [SM_N])];
      const [dx, dg, db] = [device.tensor(xs, [SM_M, SM_N]), device.tensor(gs, [SM_N]), device.tensor(bs, [SM_N])];
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => {
          const { mean, variance } = tf.moments(tx, -1, true);
          return tf.add(tf.mul(tf.mul(tf.sub(tx, mean), tf.rsqrt(tf.add(variance, 1e-5))), tg), tb);
        })),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const np = jax.numpy;
          const f = jax.jit((x: JaxArray, g: JaxArray, b: JaxArray) => {
            const mean = np.mean(x.ref, -1, { keepdims: true });
            const c = np.subtract(x, mean);
            const v = np.mean(np.multiply(c.ref, c.ref), -1, { keepdims: true });
            return np.add(np.multiply(np.multiply(c, np.reciprocal(np.sqrt(np.add(v, 1e-5)))), g), b);
          });
          return () => f(jx.ref, jg.ref, jb.ref);
        }),
        'naive-wgsl': naive(device, naiveLayernorm, [dx, dg, db], [SM_M, SM_N], { M: SM_M, N: SM_N }),
      };
    },
  },
];
