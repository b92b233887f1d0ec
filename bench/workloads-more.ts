/**
 * Benchmark workloads for batched matmul, attention, embedding gather and cross-entropy:
 * the Tessera example kernel and the same computation in each peer, on the same data.
 * (The first four workloads, and the helpers that time peers, are in workloads.ts.)
 */
import type { ConfigInput, Device } from 'tessera-gpu';
import { attention } from '../examples/attention.ts';
import { batchedMatmul, batchedMatmulTiles } from '../examples/batched-matmul.ts';
import { crossEntropy } from '../examples/cross-entropy.ts';
import { embedding } from '../examples/embedding.ts';
import { random, randomInts } from '../examples/random.ts';
import { naiveAttention, naiveBatchedMatmul, naiveCrossEntropy, naiveEmbedding } from './naive/kernels-more.ts';
import { jaxArray, useJax, type JaxArray } from './peers/jax.ts';
import { tfTensor, useTf } from './peers/tfjs.ts';
import { jaxWebgpu, naive, SERIAL_CANDIDATES, tfWebgpu, type Impl, type Workload } from './workloads.ts';


const [BMM_B, BMM_N] = [8, 256];
const [ATT_BH, ATT_S, ATT_D] = [8, 1024, 64];
const [EMB_V, EMB_D, EMB_T] = [32768, 256, 16384];
const [CE_M, CE_N] = [4096, 1024];

/** The peers of both batched matmul rows, on the same data. */
async function bmmPeers(device: Device): Promise<Record<string, Impl>> {
  const shape = [BMM_B, BMM_N, BMM_N];
  const [as, bs] = [random(BMM_B * BMM_N ** 2, 21), random(BMM_B * BMM_N ** 2, 22)];
  await useTf('webgpu');
  await useJax();
  const [ta, tb] = [tfTensor(as, shape), tfTensor(bs, shape)];
  const [ja, jb] = [jaxArray(as, shape), jaxArray(bs, shape)];
  const dims = { B: BMM_B, M: BMM_N, K: BMM_N, N: BMM_N };
  return {
    'tfjs-webgpu': await tfWebgpu((tf) => () => tf.matMul(ta, tb)),
    'jax-webgpu': await jaxWebgpu((jax) => {
      const f = jax.jit((x: JaxArray, y: JaxArray) => jax.numpy.matmul(x, y));
      return () => f(ja.ref, jb.ref);
    }),
    'naive-wgsl': naive(device, naiveBatchedMatmul, [device.tensor(as, shape), device.tensor(bs, shape)], shape, dims),
  };
}

export const MORE_WORKLOADS: Workload[] = [
  {
    name: 'batched matmul', shape: `${BMM_B}x${BMM_N}x${BMM_N}x${BMM_N}`, bytes: 12 * BMM_B * BMM_N ** 2, flops: 2 * BMM_B * BMM_N ** 3, targets: {},
    tessera(device) {
      const shape = [BMM_B, BMM_N, BMM_N];
      const [a, b] = [device.tensor(random(BMM_B * BMM_N ** 2, 21), shape), device.tensor(random(BMM_B * BMM_N ** 2, 22), shape)];
      return { kernel: batchedMatmul, args: [a, b], candidates: [{}, { broadcastA: true }, { blocks: { tm: 128, tn: 64, tk: 32 }, microTile: [16, 8], broadcastA: true }] };
    },
    peers: bmmPeers,
  },
  {
    // The same product as one batched @ over 3-D tiles: compare its time with the row above.
    name: 'batched matmul (3-D @)', shape: `${BMM_B}x${BMM_N}x${BMM_N}x${BMM_N}`, bytes: 12 * BMM_B * BMM_N ** 2, flops: 2 * BMM_B * BMM_N ** 3, targets: {},
    tessera(device) {
      const shape = [BMM_B, BMM_N, BMM_N];
      const [a, b] = [device.tensor(random(BMM_B * BMM_N ** 2, 21), shape), device.tensor(random(BMM_B * BMM_N ** 2, 22), shape)];
      // The grid(B) row's candidates, with the batch block 1 (a grid loop on WebGPU).
      const candidates: ConfigInput[] = [{}, { blocks: { tb: 1 }, broadcastA: true }, { blocks: { tb: 1, tm: 128, tn: 64, tk: 32 }, microTile: [16, 8], broadcastA: true }];
      return { kernel: batchedMatmulTiles, args: [a, b], candidates };
    },
    peers: bmmPeers,
  },
  {
    name: 'attention', shape: `bh=${ATT_BH} seq=${ATT_S} d=${ATT_D}`,
    bytes: 16 * ATT_BH * ATT_S * ATT_D, flops: 4 * ATT_BH * ATT_S * ATT_S * ATT_D, targets: { 'tfjs-webgpu': 3 },
    tessera(device) {
      const shape = [ATT_BH, ATT_S, ATT_D];
      const n = ATT_BH * ATT_S * ATT_D;
      const [q, k, v] = [31, 32, 33].map((seed) => device.tensor(random(n, seed), shape));
      // Larger query blocks share each block of k and v among more rows; broadcastA (where
      // the adapter has subgroups) hands q's and p's rows round the subgroup, and
      // reduction 'subgroup' combines the row max and sum of the score tile by shuffles.
      const candidates: ConfigInput[] = [
        {}, { blocks: { tm: 16, tn: 64 }, broadcastA: true, unroll: 4 },
        { blocks: { tm: 32, tn: 64 }, microTile: [16, 8], broadcastA: true, unroll: 4 },
        { blocks: { tm: 32, tn: 64 }, microTile: [16, 8], broadcastA: true, unroll: 4, reduction: 'subgroup' },
      ];
      return { kernel: attention, args: [q!, k!, v!, 1 / Math.sqrt(ATT_D)], candidates };
    },
    async peers(device) {
      const shape = [ATT_BH, ATT_S, ATT_D];
      const n = ATT_BH * ATT_S * ATT_D;
      const [qs, ks, vs] = [31, 32, 33].map((seed) => random(n, seed)) as [Float32Array, Float32Array, Float32Array];
      await useTf('webgpu');
      await useJax();
      const [tq, tk, tv] = [tfTensor(qs, shape), tfTensor(ks, shape), tfTensor(vs, shape)];
      // jax-js's attention takes [batch, seq, heads, head dim]: one head per batch entry.
      const [jq, jk, jv] = [qs, ks, vs].map((x) => jaxArray(x, [ATT_BH, ATT_S, 1, ATT_D])) as [JaxArray, JaxArray, JaxArray];
      const scale = 1 / Math.sqrt(ATT_D);
      return {
        // Attention as a TF.js user composes it: scores, softmax, weighted sum.
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(tq, tk, false, true), scale)), tv))),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((q: JaxArray, k: JaxArray, v: JaxArray) => jax.nn.dotProductAttention(q, k, v, { scale }));
          return () => f(jq.ref, jk.ref, jv.ref);
        }),
        'naive-wgsl': naive(device, naiveAttention, [qs, ks, vs].map((x) => device.tensor(x, shape)), shape, { BH: ATT_BH, S: ATT_S, D: ATT_D }),
      };
    },
  },
  {
    name: 'embedding gather', shape: `V=${EMB_V} D=${EMB_D} T=${EMB_T}`, bytes: 8 * EMB_T * EMB_D + 4 * EMB_T, flops: 0, targets: {},
    tessera(device) {
      const table = device.tensor(random(EMB_V * EMB_D, 41), [EMB_V, EMB_D]);
      const ids = device.tensor(randomInts(EMB_T, EMB_V, 42), [EMB_T], 'i32');
      return { kernel: embedding, args: [table, ids], candidates: [{}, { blocks: { tt: 4 } }, { blocks: { tt: 16 }, workgroupSize: 256 }] };
    },
    async peers(device) {
      const tableData = random(EMB_V * EMB_D, 41);
      const idData = randomInts(EMB_T, EMB_V, 42);
      const tf = await useTf('webgpu');
      const jax = await useJax();
      const table = tfTensor(tableData, [EMB_V, EMB_D]);
      const ids = tf.tensor(idData, [EMB_T], 'int32');
      const jt = jaxArray(tableData, [EMB_V, EMB_D]);
      const ji = jax.numpy.array(idData, { dtype: jax.numpy.int32 });
      return {
        'tfjs-webgpu': await tfWebgpu((t) => () => t.gather(table, ids)),
        'jax-webgpu': await jaxWebgpu((j) => {
          const f = j.jit((t: JaxArray, i: JaxArray) => j.numpy.take(t, i, 0));
          return () => f(jt.ref, ji.ref);
        }),
        'naive-wgsl': naive(device, naiveEmbedding, [device.tensor(tableData, [EMB_V, EMB_D]), device.tensor(idData, [EMB_T], 'i32')], [EMB_T, EMB_D], { T: EMB_T, V: EMB_V, D: EMB_D }),
      };
    },
  },
  {
    name: 'cross-entropy', shape: `${CE_M}x${CE_N}`, bytes: 4 * CE_M * CE_N + 8 * CE_M, flops: 4 * CE_M * CE_N, targets: {},
    tessera(device) {
      const logits = device.tensor(random(CE_M * CE_N, 51, 4), [CE_M, CE_N]);
      const labels = device.tensor(randomInts(CE_M, CE_N, 52), [CE_M], 'i32');
      return { kernel: crossEntropy, args: [logits, labels], candidates: [{}, { blocks: { tm: 16 }, workgroupSize: 128 }, { blocks: { tm: 4 } }, ...SERIAL_CANDIDATES] };
    },
    async peers(device) {
      const logitData = random(CE_M * CE_N, 51, 4);
      const labelData = randomInts(CE_M, CE_N, 52);
      const tf = await useTf('webgpu');
      const jax = await useJax();
      const logits = tfTensor(logitData, [CE_M, CE_N]);
      const labels = tf.tensor(labelData, [CE_M], 'int32');
      const jl = jaxArray(logitData, [CE_M, CE_N]);
      const jy = jax.numpy.array(labelData, { dtype: jax.numpy.int32 });
      return {
        // Sparse cross-entropy as TF.js users write it: logsumexp minus the label's logit via a one-hot mask.
        'tfjs-webgpu': await tfWebgpu((t) => () => t.tidy(() => t.sub(t.logSumExp(logits, -1), t.sum(t.mul(t.oneHot(labels, CE_N), logits), -1)))),
        'jax-webgpu': await jaxWebgpu((j) => {
          const np = j.numpy;
          const f = j.jit((x: JaxArray, y: JaxArray) => np.subtract(j.nn.logsumexp(x.ref, -1), np.sum(np.multiply(j.nn.oneHot(y, CE_N), x), -1)));
          return () => f(jl.ref, jy.ref);
        }),
        'naive-wgsl': naive(device, naiveCrossEntropy, [device.tensor(logitData, [CE_M, CE_N]), device.tensor(labelData, [CE_M], 'i32')], [CE_M], { M: CE_M, N: CE_N }),
      };
    },
  },
];
