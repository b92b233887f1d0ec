/**
 * Benchmark workloads for the online softmax, RMS normalisation, matmul with a bias + ReLU
 * epilogue, row sum + argmax and row prefix sums: the Tessera example kernel and the same
 * computation in each peer, on the same data. (The helpers that time peers are in
 * workloads.ts.)
 */
import type { ConfigInput } from 'tessera-gpu';
import { launch } from 'tessera-gpu-runtime';
import { rowCumsum } from '../examples/cumsum.ts';
import { matmulBiasRelu } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';
import { rmsnorm } from '../examples/rmsnorm.ts';
import { rowStats } from '../examples/row-stats.ts';
import { softmaxOnline } from '../examples/softmax-online.ts';
import { naiveSoftmax } from './naive/kernels.ts';
import { naiveCumsum, naiveMatmulBiasRelu, naiveRmsnorm, naiveRowStats } from './naive/kernels-extra.ts';
import { jaxArray, useJax, type JaxArray } from './peers/jax.ts';
import { tfSync, tfTensor, useTf } from './peers/tfjs.ts';
import { jaxWebgpu, matmulCandidates, naive, SERIAL_CANDIDATES, tfWebgpu, type Workload } from './workloads.ts';

/** Row-wise workloads: the same shape as softmax and layernorm in workloads.ts. */
const [M, N] = [4096, 1024];
const MM = 1024;
/** The naive RMS norm kernel has this epsilon built in. */
const EPS = 1e-5;

/**
 * Candidate configs for kernels with a single loop over tiles of rows (`tm`). The
 * subgroup reduction needs the adapter's subgroups (a candidate that cannot run is skipped).
 */
const rowCandidates = (): ConfigInput[] => [
  {}, { blocks: { tm: 4 } }, { blocks: { tm: 16 }, workgroupSize: 128 }, { blocks: { tm: 2 }, workgroupSize: 128 },
  { blocks: { tm: 16 }, workgroupSize: 128, reduction: 'subgroup' },
  ...SERIAL_CANDIDATES,
];

export const EXTRA_WORKLOADS: Workload[] = [
  {
    // The same computation as 'softmax' (and the same data); the kernel makes two passes
    // over each row instead of three.
    name: 'softmax (online)', shape: `${M}x${N}`, bytes: 8 * M * N, flops: 5 * M * N, targets: {},
    tessera(device) {
      const x = device.tensor(random(M * N, 3, 4), [M, N]);
      // The kernel tiles columns too (`tn`): wider column tiles mean fewer rescales of the running sum.
      const candidates: ConfigInput[] = [{}, { blocks: { tm: 4, tn: 256 } }, { blocks: { tm: 16 }, workgroupSize: 128 }, { blocks: { tm: 64, tn: 64 }, workgroupSize: 64 }, { blocks: { tm: 64, tn: 1024 }, workgroupSize: 64 }, { blocks: { tm: 64, tn: 1024 }, workgroupSize: 64, reduction: 'serial' }];
      return { kernel: softmaxOnline, args: [x], candidates };
    },
    async peers(device) {
      const xs = random(M * N, 3, 4);
      await useTf('webgpu');
      await useJax();
      const tx = tfTensor(xs, [M, N]);
      const jx = jaxArray(xs, [M, N]);
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.softmax(tx)),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((a: JaxArray) => jax.nn.softmax(a, -1));
          return () => f(jx.ref);
        }),
        'naive-wgsl': naive(device, naiveSoftmax, [device.tensor(xs, [M, N])], [M, N], { M, N }),
      };
    },
  },
  {
    // Square, row sum, scale by the inverse root, scale by the weight: 4 FLOPs per element.
    name: 'rmsnorm', shape: `${M}x${N}`, bytes: 8 * M * N + 4 * N, flops: 4 * M * N, targets: {},
    tessera(device) {
      const x = device.tensor(random(M * N, 61, 3), [M, N]);
      const w = device.tensor(random(N, 62), [N]);
      return { kernel: rmsnorm, args: [x, w, EPS], candidates: rowCandidates() };
    },
    async peers(device) {
      const xs = random(M * N, 61, 3);
      const ws = random(N, 62);
      await useTf('webgpu');
      await useJax();
      const [tx, tw] = [tfTensor(xs, [M, N]), tfTensor(ws, [N])];
      const [jx, jw] = [jaxArray(xs, [M, N]), jaxArray(ws, [N])];
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => tf.mul(tf.mul(tx, tf.rsqrt(tf.add(tf.mean(tf.square(tx), -1, true), EPS))), tw))),
        // jax-js has no rsqrt: the reciprocal of the square root instead.
        'jax-webgpu': await jaxWebgpu((jax) => {
          const np = jax.numpy;
          const f = jax.jit((x: JaxArray, w: JaxArray) => {
            const ms = np.mean(np.square(x.ref), -1, { keepdims: true });
            return np.multiply(np.multiply(x, np.reciprocal(np.sqrt(np.add(ms, EPS)))), w);
          });
          return () => f(jx.ref, jw.ref);
        }),
        'naive-wgsl': naive(device, naiveRmsnorm, [device.tensor(xs, [M, N]), device.tensor(ws, [N])], [M, N], { M, N }),
      };
    },
  },
  {
    // The matmul's FLOPs plus the epilogue's add and max per output element.
    name: 'matmul + bias + relu', shape: `${MM}x${MM}x${MM}`, bytes: 12 * MM * MM + 4 * MM, flops: 2 * MM ** 3 + 2 * MM * MM, targets: {},
    tessera(device) {
      const a = device.tensor(random(MM * MM, 11), [MM, MM]);
      const b = device.tensor(random(MM * MM, 12), [MM, MM]);
      const bias = device.tensor(random(MM, 13), [MM]);
      return { kernel: matmulBiasRelu, args: [a, b, bias], candidates: matmulCandidates() };
    },
    async peers(device) {
      const [as, bs, cs] = [random(MM * MM, 11), random(MM * MM, 12), random(MM, 13)];
      await useTf('webgpu');
      await useJax();
      const [ta, tb, tc] = [tfTensor(as, [MM, MM]), tfTensor(bs, [MM, MM]), tfTensor(cs, [MM])];
      const [ja, jb, jc] = [jaxArray(as, [MM, MM]), jaxArray(bs, [MM, MM]), jaxArray(cs, [MM])];
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => tf.relu(tf.add(tf.matMul(ta, tb), tc)))),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((x: JaxArray, y: JaxArray, c: JaxArray) => jax.nn.relu(jax.numpy.add(jax.numpy.matmul(x, y), c)));
          return () => f(ja.ref, jb.ref, jc.ref);
        }),
        'naive-wgsl': naive(device, naiveMatmulBiasRelu, [device.tensor(as, [MM, MM]), device.tensor(bs, [MM, MM]), device.tensor(cs, [MM])], [MM, MM], { M: MM, K: MM, N: MM }),
      };
    },
  },
  {
    // Two outputs per row (f32 sum, i32 index): one add and one compare per element.
    name: 'row sum + argmax', shape: `${M}x${N}`, bytes: 4 * M * N + 8 * M, flops: 2 * M * N, targets: {},
    tessera(device) {
      const x = device.tensor(random(M * N, 71), [M, N]);
      return { kernel: rowStats, args: [x], candidates: rowCandidates() };
    },
    async peers(device) {
      const xs = random(M * N, 71);
      const tf = await useTf('webgpu');
      const jax = await useJax();
      const tx = tfTensor(xs, [M, N]);
      const jx = jaxArray(xs, [M, N]);
      const np = jax.numpy;
      const f = jax.jit((x: JaxArray): [JaxArray, JaxArray] => [np.sum(x.ref, -1), np.argmax(x, -1)]);
      const dx = device.tensor(xs, [M, N]);
      const [total, best] = [device.empty([M]), device.empty([M], 'i32')];
      return {
        // Two ops in each peer: neither has one op for both.
        'tfjs-webgpu': async () => {
          const s = tf.sum(tx, -1);
          const i = tf.argMax(tx, -1);
          await tfSync();
          s.dispose();
          i.dispose();
        },
        'jax-webgpu': async () => {
          const [s, i] = f(jx.ref);
          await jax.blockUntilReady([s, i]);
          s.dispose();
          i.dispose();
        },
        'naive-wgsl': async () => {
          await launch(device, naiveRowStats, [dx], [total, best], { M, N }, {});
          await device.sync();
        },
      };
    },
  },
  {
    // One add per element.
    name: 'cumsum', shape: `${M}x${N}`, bytes: 8 * M * N, flops: M * N, targets: {},
    tessera(device) {
      const x = device.tensor(random(M * N, 81), [M, N]);
      return { kernel: rowCumsum, args: [x], candidates: [...rowCandidates(), { blocks: { tm: 64 }, workgroupSize: 64 }, { reduction: 'subgroup' }] };
    },
    async peers(device) {
      const xs = random(M * N, 81);
      await useTf('webgpu');
      await useJax();
      const tx = tfTensor(xs, [M, N]);
      const jx = jaxArray(xs, [M, N]);
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.cumsum(tx, 1)),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((a: JaxArray) => jax.numpy.cumsum(a, 1));
          return () => f(jx.ref);
        }),
        'naive-wgsl': naive(device, naiveCumsum, [device.tensor(xs, [M, N])], [M, N], { M, N }),
      };
    },
  },
];
