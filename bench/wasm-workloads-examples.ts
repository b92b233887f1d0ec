/**
 * A wasm row for every example kernel that bench/wasm-workloads.ts does not already time:
 * the same kernel and inputs as its WebGPU bench row (bench/workloads*.ts), run on the wasm
 * device, against the same computation composed from TF.js wasm (XNNPACK) ops on the same
 * data. The WebGPU row's hand-picked candidates are WGSL-shaped, so a wasm row starts from
 * the wasm defaults and the autotuner's pick.
 */
import type { AnyKernel, ConfigInput, KernelArg, Tensor } from 'tessera-gpu';
import type { Device } from 'tessera-gpu-runtime';
import { dropout } from '../examples/dropout.ts';
import { random } from '../examples/random.ts';
import { tfCpuTimed, useTfCpu, type Tf, type TfTensor } from './peers/cpu-peers.ts';
import type { WasmWorkload } from './wasm-workloads.ts';
import { EXTRA_WORKLOADS } from './workloads-extra.ts';
import { LANGUAGE_WORKLOADS } from './workloads-language.ts';
import { MORE_WORKLOADS } from './workloads-more.ts';
import { WORKLOADS, type Workload } from './workloads.ts';

/** The TF.js tensors of a row's inputs (the same data, read back from the wasm device), and its scalars. */
interface PeerInputs {
  readonly tensors: readonly TfTensor[];
  readonly scalars: readonly number[];
}

/** The TF.js computation of one row: the output(s) of one call. */
type Composed = (tf: Tf, inputs: PeerInputs) => () => TfTensor | TfTensor[];

const N_DROPOUT = 4_194_304;

/** Dropout has no WebGPU row: its row is written here. */
const DROPOUT: Workload = {
  name: 'dropout', shape: `N=${N_DROPOUT}`, bytes: 8 * N_DROPOUT, flops: 2 * N_DROPOUT, targets: {},
  tessera(device) {
    return { kernel: dropout, args: [device.tensor(random(N_DROPOUT, 71), [N_DROPOUT]), 0.3, 1234], candidates: [{}] };
  },
  peers: async () => ({}),
};

const t = (inputs: PeerInputs, i: number): TfTensor => {
  const x = inputs.tensors[i];
  if (!x) throw new Error(`peer input ${i} missing`);
  return x;
};

/** Each example's WebGPU workload (by name), with its TF.js wasm composition. */
const ROWS: readonly { readonly workload: string; readonly peer: string; readonly composed: Composed }[] = [
  { workload: 'vector add', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.add(t(x, 0), t(x, 1)) },
  { workload: 'dropout', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.dropout(t(x, 0), x.scalars[0] ?? 0, undefined, x.scalars[1]) },
  { workload: 'softmax (online)', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.softmax(t(x, 0)) },
  {
    workload: 'rmsnorm', peer: 'tfjs-wasm',
    composed: (tf, x) => () => tf.tidy(() => {
      const v = t(x, 0);
      return tf.mul(tf.mul(v, tf.rsqrt(tf.add(tf.mean(tf.square(v), -1, true), x.scalars[0] ?? 0))), t(x, 1));
    }),
  },
  { workload: 'matmul + bias + relu', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.fused.matMul({ a: t(x, 0), b: t(x, 1), bias: t(x, 2), activation: 'relu' }) },
  { workload: 'row sum + argmax', peer: 'tfjs-wasm', composed: (tf, x) => () => [tf.sum(t(x, 0), -1), tf.argMax(t(x, 0), -1)] },
  { workload: 'cumsum', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.cumsum(t(x, 0), 1) },
  { workload: 'batched matmul', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.matMul(t(x, 0), t(x, 1)) },
  {
    // Attention as a TF.js user composes it: scores, the causal mask, softmax, weighted sum.
    workload: 'causal attention', peer: 'tfjs-wasm-composed',
    composed: (tf, x) => {
      const s = t(x, 0).shape[1] ?? 1;
      const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([s, s]), -1, 0)), -1e30));
      return () => tf.tidy(() => {
        const scores = tf.add(tf.mul(tf.matMul(t(x, 0), t(x, 1), false, true), x.scalars[0] ?? 1), mask);
        return tf.matMul(tf.softmax(scores), t(x, 2));
      });
    },
  },
  { workload: 'embedding gather', peer: 'tfjs-wasm', composed: (tf, x) => () => tf.gather(t(x, 0), t(x, 1)) },
  {
    workload: 'cross-entropy', peer: 'tfjs-wasm',
    composed: (tf, x) => {
      const [m, n] = t(x, 0).shape as [number, number];
      // Each row's label as an index into the flattened logits, computed once, outside the timing.
      const flatIndex = tf.tidy(() => tf.add(tf.mul(tf.range(0, m, 1, 'int32'), tf.scalar(n, 'int32')), t(x, 1)));
      return () => tf.tidy(() => {
        const loss = tf.sub(tf.logSumExp(t(x, 0), 1), tf.gather(tf.reshape(t(x, 0), [-1]), flatIndex));
        return [loss, tf.mean(loss)];
      });
    },
  },
];

/** A TF.js composition timed to completion on the wasm backend: every output read back, then freed. */
function tfWasmTimed(op: () => TfTensor | TfTensor[]): () => Promise<void> {
  const one = (): TfTensor => {
    const outs = op();
    if (!Array.isArray(outs)) return outs;
    // Read every output: each is its own dataSync, as a user reading both would do.
    for (const o of outs.slice(1)) {
      o.dataSync();
      o.dispose();
    }
    const first = outs[0];
    if (!first) throw new Error('a composition with no outputs');
    return first;
  };
  return tfCpuTimed('wasm', one);
}

async function peerInputs(tf: Tf, args: readonly KernelArg[]): Promise<PeerInputs> {
  const tensors: TfTensor[] = [];
  const scalars: number[] = [];
  for (const a of args) {
    if (typeof a === 'number') {
      scalars.push(a);
      continue;
    }
    const tensor = a as Tensor;
    const data = await tensor.read();
    tensors.push(tf.tensor(data as Float32Array | Int32Array, [...tensor.shape], tensor.dtype === 'i32' ? 'int32' : 'float32'));
  }
  return { tensors, scalars };
}

const BY_NAME = new Map([...WORKLOADS, ...EXTRA_WORKLOADS, ...MORE_WORKLOADS, ...LANGUAGE_WORKLOADS, DROPOUT].map((w) => [w.name, w]));

export const EXAMPLE_WASM_WORKLOADS: WasmWorkload[] = ROWS.map((row): WasmWorkload => {
  const w = BY_NAME.get(row.workload);
  if (!w) throw new Error(`bench: no workload named '${row.workload}'`);
  let made: { kernel: AnyKernel; args: (Tensor | number)[] } | undefined;
  return {
    name: `${w.name} (wasm)`, shape: w.shape, bytes: w.bytes, flops: w.flops, targets: {}, tuneSeconds: 10,
    tessera(device: Device) {
      const { kernel, args } = w.tessera(device);
      made = { kernel, args };
      const candidates: ConfigInput[] = [{}];
      return { kernel, args, candidates };
    },
    async peers() {
      if (!made) throw new Error(`bench: ${w.name}'s peers before its Tessera inputs`);
      const tf = await useTfCpu('wasm');
      return { [row.peer]: tfWasmTimed(row.composed(tf, await peerInputs(tf, made.args))) };
    },
  };
});
