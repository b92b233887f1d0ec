/**
 * Tessera's matmul WGSL at 1024³ (default M=N=K=1024) under hand-picked configs, against
 * a naive one-invocation-per-output WGSL kernel written here as the baseline, on the
 * same adapter in one process. Prints median and best ms, GFLOPS and the speed-up over
 * the naive kernel; the configs are measured in interleaved rounds so that load from
 * other processes hits them alike.
 *
 *   npx tsx bench/matmul-wgsl.ts [size] [rounds] ['[{config}, …]'] [--wallclock]
 *
 * --wallclock times submit-to-done on the host (comparable with peers timed that way,
 * e.g. TF.js); by default GPU time from timestamp queries.
 */
import { kernelFromSource } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { compileWgsl, lowerToIR, type ConfigInput, type KernelArtifact, type LaunchPlan } from 'tessera-gpu-compiler';
import { init, launch, measure } from 'tessera-gpu-runtime';
import { matmul } from '../examples/matmul.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const size = Number(args[0] ?? 1024);
const rounds = Number(args[1] ?? 3);
const [M, K, N] = [size, size, size];

// The example kernel's own source text.
const SOURCE = matmul.def.source.text;

const method = process.argv.includes('--wallclock') ? 'wallclock' as const : 'auto' as const;
const CONFIGS: readonly (readonly [string, ConfigInput])[] = args[2]
  ? (JSON.parse(args[2]) as ConfigInput[]).map((c) => [JSON.stringify(c), c] as const)
  : [
      ['default (64×64×32, 8×8, direct, vec4)', {}],
      ['default, row-major grid', { groupM: 1 }],
      ['default, vec2 loads', { vectorWidth: 2 }],
      ['default, unroll 4', { unroll: 4 }],
      ['direct 64×64×32, 4×4, wg 256', { microTile: [4, 4] }],
      ['staged 64×64×16, 4×4, unroll 4, wg 256', { blocks: { tm: 64, tn: 64, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true, unroll: 4 }],
      ['staged 128×128×16, 16×16, wg 64', { blocks: { tm: 128, tn: 128, tk: 16 }, microTile: [16, 16], stageA: true, stageB: true }],
    ];

/** The baseline: one invocation per output element, a plain k loop, 16×16 workgroups. */
const NAIVE_WGSL = /* wgsl */ `
struct U { M: i32, K: i32, N: i32, pad: i32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = i32(g.y);
  let c = i32(g.x);
  if (r >= u.M || c >= u.N) { return; }
  var s = 0.0;
  for (var k = 0; k < u.K; k++) { s = fma(a[r * u.K + k], b[k * u.N + c], s); }
  out[r * u.N + c] = s;
}`;

const naive: KernelArtifact = {
  kernelName: 'naive_matmul',
  wgsl: NAIVE_WGSL,
  entryPoint: 'main',
  workgroupSize: [16, 16, 1],
  tensors: [
    { binding: 0, name: 'a', role: 'input', index: 0, dtype: 'f32', shape: ['M', 'K'], zeroInit: false },
    { binding: 1, name: 'b', role: 'input', index: 1, dtype: 'f32', shape: ['K', 'N'], zeroInit: false },
    { binding: 2, name: 'out', role: 'output', index: 0, dtype: 'f32', shape: ['M', 'N'], zeroInit: false },
  ],
  uniforms: { binding: 3, fields: [{ name: 'M', type: 'i32' }, { name: 'K', type: 'i32' }, { name: 'N', type: 'i32' }, { name: 'pad', type: 'i32' }] },
  requiredFeatures: [],
  plan(dims): LaunchPlan {
    const uniforms = new ArrayBuffer(16);
    new Int32Array(uniforms).set([dims['M'] ?? 0, dims['K'] ?? 0, dims['N'] ?? 0, 0]);
    return { grid: [Math.ceil((dims['N'] ?? 0) / 16), Math.ceil((dims['M'] ?? 0) / 16), 1], uniforms };
  },
};

const def = kernelFromSource(SOURCE);
const checked = def.ast ? checkKernel(def.ast, def.holes).kernel : undefined;
if (!checked) throw new Error('matmul source does not check');
const ir = lowerToIR(checked);

const dev = await init({ backend: 'webgpu' });
console.log(`adapter: ${dev.describe()}`);
console.log(`matmul ${M}×${K}×${N} f32, ${rounds} interleaved rounds, ${method === 'wallclock' ? 'wall-clock' : 'GPU timestamp'} timing`);
const seeded = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
const hostA = seeded(M * K, 1);
const hostB = seeded(K * N, 2);
const a = dev.tensor(hostA, [M, K]);
const b = dev.tensor(hostB, [K, N]);
const out = dev.zeros([M, N]);
const dims = { M, K, N };

// One output row, checked against f64, so a fast wrong kernel cannot win.
const row = 7 % M;
const want = new Float64Array(N);
for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) want[j] = (want[j] ?? 0) + (hostA[row * K + k] ?? 0) * (hostB[k * N + j] ?? 0);

const entries: { name: string; artifact: KernelArtifact; samples: number[] }[] = [{ name: 'naive (1 output per invocation)', artifact: naive, samples: [] }];
for (const [name, config] of CONFIGS) {
  try {
    entries.push({ name, artifact: compileWgsl(ir, config, dev.info.limits), samples: [] });
  } catch (e) {
    console.log(`${name}: rejected: ${e instanceof Error ? e.message : String(e)}`);
  }
}
for (const e of entries) {
  await launch(dev, e.artifact, [a, b], [out], dims);
  const got = (await out.read()) as Float32Array;
  let err = 0;
  for (let j = 0; j < N; j++) err = Math.max(err, Math.abs((got[row * N + j] ?? NaN) - (want[j] ?? 0)));
  if (!(err < 1e-3 * Math.sqrt(K))) throw new Error(`${e.name}: wrong result (max error ${err})`);
}
for (let r = 0; r < rounds; r++) {
  for (const e of entries) {
    const m = await measure(dev, e.artifact, [a, b], [out], dims, {}, { warmup: 1, repeats: 3, maxMs: 3000, method });
    e.samples.push(...m.samplesMs);
  }
}
const flops = 2 * M * N * K;
const stat = (xs: readonly number[]): { median: number; min: number } => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2, min: s[0] ?? NaN };
};
const base = stat(entries[0]?.samples ?? []);
console.log(`${'config'.padEnd(36)} ${'median ms'.padStart(10)} ${'best ms'.padStart(9)} ${'GFLOPS'.padStart(7)} ${'× naive'.padStart(8)}`);
for (const e of entries) {
  const s = stat(e.samples);
  console.log(`${e.name.padEnd(36)} ${s.median.toFixed(1).padStart(10)} ${s.min.toFixed(1).padStart(9)} ${(flops / s.median / 1e6).toFixed(2).padStart(7)} ${(base.median / s.median).toFixed(2).padStart(8)}`);
}
dev.dispose();
