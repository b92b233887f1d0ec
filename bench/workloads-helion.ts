/**
 * Workloads in the style of Helion's examples whose shapes once showed lowering
 * pathologies (bench/kernels-helion.ts): a gated GELU over 1024×11008, a one-pass Welford
 * mean/variance over 4096×5000 with a loop over column tiles, and a sum of 16 rows of
 * 1000003 with a nested tile loop. Peers: TF.js-webgpu ops and naive WGSL kernels (one
 * invocation per element, or per row, serial along it).
 */
import { geglu, longSum, swiglu, welford } from './kernels-helion.ts';
import { jaxArray, type JaxArray } from './peers/jax.ts';
import { random } from '../examples/random.ts';
import { grid1d, naiveArtifact } from './naive/artifact.ts';
import { tfTensor, useTf } from './peers/tfjs.ts';
import { jaxWebgpu, naive, tfWebgpu, type Workload } from './workloads.ts';

const UNIFORMS = (binding: number): string => `struct U { d0: u32, d1: u32, d2: u32, d3: u32 }\n@group(0) @binding(${binding}) var<uniform> u: U;\n`;
const binding = (i: number, access: string): string => `@group(0) @binding(${i}) var<storage, ${access}> b${i}: array<f32>;`;
const GID = 'let i = gid.x + gid.y * 65535u * 64u;';

/** The erf approximation Tessera's WGSL uses too (Abramowitz–Stegun 7.1.26). */
const ERF = `fn erf_as(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return sign(x) * y;
}`;

const naiveGeglu = naiveArtifact({
  name: 'naive_geglu', inputs: ['a', 'b'], outputs: ['out'], dims: ['M', 'N'],
  shapes: { a: ['M', 'N'], b: ['M', 'N'], out: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['M'] ?? 0) * (d['N'] ?? 0)) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read')}\n${binding(2, 'read_write')}\n${UNIFORMS(3)}\n${ERF}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0 * u.d1) { return; }
  let x = b0[i];
  b2[i] = 0.5 * x * (1.0 + erf_as(x * 0.7071067811865476)) * b1[i];
}`,
});

const naiveSwiglu = naiveArtifact({
  name: 'naive_swiglu', inputs: ['a', 'b'], outputs: ['out'], dims: ['M', 'N'],
  shapes: { a: ['M', 'N'], b: ['M', 'N'], out: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['M'] ?? 0) * (d['N'] ?? 0)) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read')}\n${binding(2, 'read_write')}\n${UNIFORMS(3)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0 * u.d1) { return; }
  let x = b0[i];
  b2[i] = x / (1.0 + exp(-x)) * b1[i];
}`,
});

/** Welford per row, serially, one invocation per row; mean and variance interleaved in out[M, 2]. */
const naiveWelford = naiveArtifact({
  name: 'naive_welford', inputs: ['x'], outputs: ['out'], dims: ['M', 'N'],
  shapes: { x: ['M', 'N'], out: ['M', 2] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read_write')}\n${UNIFORMS(2)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0) { return; }
  var mean = 0.0;
  var m2 = 0.0;
  for (var c = 0u; c < u.d1; c++) {
    let v = b0[i * u.d1 + c];
    let d = v - mean;
    mean += d / f32(c + 1u);
    m2 += d * (v - mean);
  }
  b1[2u * i] = mean;
  b1[2u * i + 1u] = m2 / f32(u.d1);
}`,
});

const naiveRowSum = naiveArtifact({
  name: 'naive_row_sum', inputs: ['x'], outputs: ['out'], dims: ['M', 'N'],
  shapes: { x: ['M', 'N'], out: ['M', 1] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read_write')}\n${UNIFORMS(2)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0) { return; }
  var s = 0.0;
  for (var c = 0u; c < u.d1; c++) { s += b0[i * u.d1 + c]; }
  b1[i] = s;
}`,
});

const [GM, GN] = [1024, 11008];
const [WM, WN] = [4096, 5000];
const [SM, SN] = [16, 1_000_003];

export const HELION_WORKLOADS: Workload[] = [
  {
    // erf: ~20 FLOPs; the GELU and the gate another 4.
    name: 'geglu', shape: `${GM}x${GN}`, bytes: 12 * GM * GN, flops: 24 * GM * GN, targets: {},
    tessera(device) {
      const [a, b] = [device.tensor(random(GM * GN, 71, 3), [GM, GN]), device.tensor(random(GM * GN, 72), [GM, GN])];
      return { kernel: geglu, args: [a, b], candidates: [{}, { blocks: { tm: 1, tn: 1024 } }, { blocks: { tm: 16, tn: 64 } }] };
    },
    async peers(device) {
      const [as, bs] = [random(GM * GN, 71, 3), random(GM * GN, 72)];
      await useTf('webgpu');
      const [ta, tb] = [tfTensor(as, [GM, GN]), tfTensor(bs, [GM, GN])];
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => tf.mul(tf.mul(tf.mul(ta, 0.5), tf.add(tf.erf(tf.mul(ta, Math.SQRT1_2)), 1)), tb))),
        'naive-wgsl': naive(device, naiveGeglu, [device.tensor(as, [GM, GN]), device.tensor(bs, [GM, GN])], [GM, GN], { M: GM, N: GN }),
      };
    },
  },
  {
    // The sigmoid: an exp and a division; the product and the gate 2 more.
    name: 'swiglu', shape: `${GM}x${GN}`, bytes: 12 * GM * GN, flops: 5 * GM * GN, targets: {},
    tessera(device) {
      const [a, b] = [device.tensor(random(GM * GN, 74, 3), [GM, GN]), device.tensor(random(GM * GN, 75), [GM, GN])];
      return { kernel: swiglu, args: [a, b], candidates: [{}, { blocks: { tm: 1, tn: 1024 } }, { blocks: { tm: 16, tn: 64 } }] };
    },
    async peers(device) {
      const [as, bs] = [random(GM * GN, 74, 3), random(GM * GN, 75)];
      await useTf('webgpu');
      const [ta, tb] = [tfTensor(as, [GM, GN]), tfTensor(bs, [GM, GN])];
      const [ja, jb] = [jaxArray(as, [GM, GN]), jaxArray(bs, [GM, GN])];
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => tf.mul(tf.mul(ta, tf.sigmoid(ta)), tb))),
        'jax-webgpu': await jaxWebgpu((jax) => {
          const f = jax.jit((x: JaxArray, y: JaxArray) => jax.numpy.multiply(jax.nn.silu(x), y));
          return () => f(ja.ref, jb.ref);
        }),
        'naive-wgsl': naive(device, naiveSwiglu, [device.tensor(as, [GM, GN]), device.tensor(bs, [GM, GN])], [GM, GN], { M: GM, N: GN }),
      };
    },
  },
  {
    name: 'welford', shape: `${WM}x${WN}`, bytes: 4 * WM * WN, flops: 6 * WM * WN, targets: {},
    tessera(device) {
      const x = device.tensor(random(WM * WN, 73, 3), [WM, WN]);
      return { kernel: welford, args: [x], candidates: [{}, { blocks: { tm: 4, tn: 512 } }, { blocks: { tm: 16, tn: 1024 }, workgroupSize: 128 }] };
    },
    async peers(device) {
      const xs = random(WM * WN, 73, 3);
      await useTf('webgpu');
      const tx = tfTensor(xs, [WM, WN]);
      return {
        // TF.js has no one-pass moments: its mean and variance as two reductions, stacked.
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.tidy(() => {
          const { mean, variance } = tf.moments(tx, -1);
          return tf.stack([mean, variance], 1);
        })),
        'naive-wgsl': naive(device, naiveWelford, [device.tensor(xs, [WM, WN])], [WM, 2], { M: WM, N: WN }),
      };
    },
  },
  {
    name: 'long-row sum', shape: `${SM}x${SN}`, bytes: 4 * SM * SN, flops: SM * SN, targets: {},
    tessera(device) {
      const x = device.tensor(random(SM * SN, 74, 3), [SM, SN]);
      return { kernel: longSum, args: [x], candidates: [{}, { blocks: { tm: 1, tn: 4096 }, workgroupSize: 256 }, { blocks: { tm: 2, tn: 2048 }, workgroupSize: 128 }] };
    },
    async peers(device) {
      const xs = random(SM * SN, 74, 3);
      await useTf('webgpu');
      const tx = tfTensor(xs, [SM, SN]);
      return {
        'tfjs-webgpu': await tfWebgpu((tf) => () => tf.sum(tx, -1, true)),
        'naive-wgsl': naive(device, naiveRowSum, [device.tensor(xs, [SM, SN])], [SM, 1], { M: SM, N: SN }),
      };
    },
  },
];
