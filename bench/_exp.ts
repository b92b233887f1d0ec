import { init, launch, measure } from '@tessera/runtime';
import type { KernelArtifact, LaunchPlan } from '@tessera/runtime';

const M = 1024, N = 1024, K = 1024;
function art(name: string, wgsl: string, wg: number, grid: (m: number, n: number) => [number, number], feats: string[] = []): KernelArtifact {
  return {
    kernelName: name, wgsl, entryPoint: 'main', workgroupSize: [wg, 1, 1],
    tensors: [
      { binding: 0, name: 'a', role: 'input', index: 0, dtype: 'f32', shape: ['M', 'K'], zeroInit: false },
      { binding: 1, name: 'b', role: 'input', index: 1, dtype: 'f32', shape: ['K', 'N'], zeroInit: false },
      { binding: 2, name: 'out', role: 'output', index: 0, dtype: 'f32', shape: ['M', 'N'], zeroInit: false },
    ],
    uniforms: { binding: 3, fields: [{ name: 'M', type: 'i32' }, { name: 'K', type: 'i32' }, { name: 'N', type: 'i32' }, { name: 'p', type: 'i32' }] },
    requiredFeatures: feats,
    plan(dims): LaunchPlan {
      const u = new ArrayBuffer(16); const v = new Int32Array(u); v[0] = dims.M ?? 0; v[1] = dims.K ?? 0; v[2] = dims.N ?? 0;
      const [x, y] = grid(dims.M ?? 0, dims.N ?? 0);
      return { grid: [x, y, 1], uniforms: u };
    },
  };
}
const HDR = (ta = 'f32', tb = 'f32') => `struct U { M: i32, K: i32, N: i32, p: i32 }
@group(0) @binding(0) var<storage, read> a: array<${ta}>;
@group(0) @binding(1) var<storage, read> b: array<${tb}>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
`;
const naive = art('naive', HDR() + `
@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = i32(g.y); let c = i32(g.x);
  if (r >= u.M || c >= u.N) { return; }
  var s = 0.0;
  for (var k = 0; k < u.K; k++) { s += a[r * u.K + k] * b[k * u.N + c]; }
  out[r * u.N + c] = s;
}`, 256, (m, n) => [Math.ceil(n / 16), Math.ceil(m / 16)]);
naive.workgroupSize[0];
(naive as { workgroupSize: readonly [number, number, number] });
Object.assign(naive, { workgroupSize: [16, 16, 1] });

// Direct: workgroup = W invocations along N; each owns TM rows (all of the tile) x TN cols (strided by W).
function direct(TM: number, TN: number, W: number, vecB: boolean): KernelArtifact {
  const BN = W * TN;
  let body = '';
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) body += `var c${i}_${j} = 0.0;\n`;
  let kb = '';
  for (let i = 0; i < TM; i++) kb += `let a${i} = a[(r0 + ${i}) * u.K + k];\n`;
  if (vecB) {
    for (let j = 0; j < TN / 4; j++) kb += `let bv${j} = b4[(k * u.N + c0 + ${j * 4}) / 4];\n`;
    for (let j = 0; j < TN; j++) kb += `let b${j} = bv${j >> 2}[${j & 3}];\n`;
  } else for (let j = 0; j < TN; j++) kb += `let b${j} = b[k * u.N + c0 + ${j} * ${vecB ? 1 : W}];\n`;
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) kb += `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});\n`;
  let st = '';
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) st += `out[(r0 + ${i}) * u.N + c0 + ${j} * ${vecB ? 1 : W}] = c${i}_${j};\n`;
  const wgsl = HDR('f32', vecB ? 'vec4<f32>' : 'f32').replace('var<storage, read> b: array<vec4<f32>>', 'var<storage, read> b4: array<vec4<f32>>') + `
@compute @workgroup_size(${W})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let nb = u.N / ${BN};
  let r0 = i32(wid.x) / nb * ${TM};
  let c0 = (i32(wid.x) % nb) * ${BN} + i32(lid) * ${vecB ? TN : 1};
  ${body}
  for (var k = 0; k < u.K; k++) {
    ${kb}
  }
  ${st}
}`;
  return art(`direct${TM}x${TN}w${W}${vecB ? 'v' : ''}`, wgsl, W, (m, n) => [(m / TM) * (n / BN), 1]);
}

function direct2(TM: number, TN: number, W: number, strided: boolean, vecA: boolean): KernelArtifact {
  const BN = W * TN;
  let body = '';
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) body += `var c${i}_${j} = 0.0;\n`;
  const col = (j: number) => strided ? `c0 + lid + ${j * W}` : `c0 + lid * ${TN} + ${j}`;
  let kb = '';
  const U = vecA ? 4 : 1;
  for (let i = 0; i < TM; i++) kb += vecA ? `let av${i} = a4[((r0 + ${i}) * u.K + k) / 4];\n` : '';
  for (let q = 0; q < U; q++) {
    for (let i = 0; i < TM; i++) kb += vecA ? `let a${i}_${q} = av${i}[${q}];\n` : `let a${i}_${q} = a[(r0 + ${i}) * u.K + k + ${q}];\n`;
    for (let j = 0; j < TN; j++) kb += `let b${j}_${q} = b[(k + ${q}) * u.N + ${col(j)}];\n`;
    for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) kb += `c${i}_${j} = fma(a${i}_${q}, b${j}_${q}, c${i}_${j});\n`;
  }
  let st = '';
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) st += `out[(r0 + ${i}) * u.N + ${col(j)}] = c${i}_${j};\n`;
  const wgsl = HDR(vecA ? 'vec4<f32>' : 'f32', 'f32').replace('var<storage, read> a: array<vec4<f32>>', 'var<storage, read> a4: array<vec4<f32>>') + `
@compute @workgroup_size(${W})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lidx: u32) {
  let lid = i32(lidx);
  let nb = u.N / ${BN};
  let r0 = i32(wid.x) / nb * ${TM};
  let c0 = (i32(wid.x) % nb) * ${BN};
  ${body}
  for (var k = 0; k < u.K; k += ${U}) {
    ${kb}
  }
  ${st}
}`;
  return art(`d2_${TM}x${TN}w${W}${strided ? 's' : 'c'}${vecA ? 'A' : ''}`, wgsl, W, (m, n) => [(m / TM) * (n / BN), 1]);
}

// Shared: classic 2-D tiling with workgroup staging. BMxBN tile, BK chunk, TMxTN micro (contiguous rows, strided cols)
function shared(BM: number, BN: number, BK: number, TM: number, TN: number, uniformRow: boolean): KernelArtifact {
  const TX = BN / TN, TY = BM / TM, W = TX * TY;
  let decl = '';
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) decl += `var c${i}_${j} = 0.0;\n`;
  let kb = '';
  for (let i = 0; i < TM; i++) kb += `let a${i} = As[kk * ${BM} + ty * ${TM} + ${i}];\n`;
  for (let j = 0; j < TN; j++) kb += `let b${j} = Bs[kk * ${BN} + tx + ${j * TX}];\n`;
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) kb += `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});\n`;
  let st = '';
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) st += `out[(r0 + ty * ${TM} + ${i}) * u.N + c0 + tx + ${j * TX}] = c${i}_${j};\n`;
  const wgsl = (uniformRow ? 'enable subgroups;\n' : '') + HDR() + `
var<workgroup> As: array<f32, ${BM * BK}>;
var<workgroup> Bs: array<f32, ${BK * BN}>;
@compute @workgroup_size(${W})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lidx: u32) {
  let lid = i32(lidx);
  let nb = u.N / ${BN};
  let r0 = i32(wid.x) / nb * ${BM};
  let c0 = (i32(wid.x) % nb) * ${BN};
  let tx = lid % ${TX};
  let ty = ${uniformRow ? `subgroupBroadcastFirst(lid / ${TX})` : `lid / ${TX}`};
  ${decl}
  for (var k0 = 0; k0 < u.K; k0 += ${BK}) {
    for (var e = lid; e < ${BM * BK}; e += ${W}) {
      let i = e / ${BK}; let kk = e % ${BK};
      As[kk * ${BM} + i] = a[(r0 + i) * u.K + k0 + kk];
    }
    for (var e = lid; e < ${BK * BN}; e += ${W}) {
      let kk = e / ${BN}; let j = e % ${BN};
      Bs[e] = b[(k0 + kk) * u.N + c0 + j];
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${BK}; kk++) {
      ${kb}
    }
    workgroupBarrier();
  }
  ${st}
}`;
  return art(`shared${BM}x${BN}x${BK}_${TM}x${TN}${uniformRow ? 'U' : ''}`, wgsl, W, (m, n) => [(m / BM) * (n / BN), 1], uniformRow ? ['subgroups'] : []);
}

const dev = await init();
const rnd = (n: number) => { const x = new Float32Array(n); for (let i = 0; i < n; i++) x[i] = Math.sin(i * 12.9898) ; return x; };
const A = rnd(M * K), B = rnd(K * N);
const a = dev.tensor(A, [M, K]), b = dev.tensor(B, [K, N]), out = dev.tensor(new Float32Array(M * N), [M, N]);
const dims = { M, K, N };
const ref = new Float32Array(N); // row 5
for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) ref[j]! += A[5 * K + k]! * B[k * N + j]!;
const which = process.argv.slice(2);
const all: KernelArtifact[] = [naive,
  direct(8, 4, 64, false), direct(4, 8, 64, true),
  direct2(8, 4, 64, true, false), direct2(8, 4, 64, false, false), direct2(4, 8, 64, true, false), direct2(4, 8, 64, true, true), direct2(8, 4, 64, true, true),
  direct2(4, 4, 64, true, true), direct2(8, 2, 64, true, true), direct2(4, 8, 32, true, true), direct2(4, 8, 128, true, true),
  shared(64, 64, 16, 4, 4, false), shared(32, 64, 16, 4, 4, false),
];
const ks = all.filter((k) => !which.length || which.some((w) => k.kernelName.startsWith(w)));
const best = new Map<string, number>();
for (const k of ks) {
  await launch(dev, k, [a, b], [out], dims);
  const o = await out.read() as Float32Array;
  let err = 0; for (let j = 0; j < N; j++) err = Math.max(err, Math.abs(o[5 * N + j]! - ref[j]!));
  if (err > 1e-3) console.log(k.kernelName, 'ERR', err);
}
for (let round = 0; round < 3; round++) {
  for (const k of ks) {
    const m = await measure(dev, k, [a, b], [out], dims, {}, { repeats: 3, warmup: 1 });
    best.set(k.kernelName, Math.min(best.get(k.kernelName) ?? Infinity, m.minMs));
  }
}
for (const [n, ms] of best) console.log(n.padEnd(28), ms.toFixed(1), 'ms', (2 * M * N * K / ms / 1e6).toFixed(2), 'GFLOPS', (best.get('naive')! / ms).toFixed(2) + 'x');
dev.dispose();
