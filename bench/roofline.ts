/**
 * The adapter's measured ceilings, for the roofline columns: copy bandwidth (a vec4 copy
 * of a large buffer, bytes read + written per second) and the FMA rate (each invocation
 * runs a long chain of independent fused multiply-adds in registers).
 */
import type { Device } from 'tessera-gpu-runtime';
import { launch } from 'tessera-gpu-runtime';
import { timeCall } from './harness.ts';
import { grid1d, naiveArtifact } from './naive/artifact.ts';

const COPY_FLOATS = 1 << 24;

const copy = naiveArtifact({
  name: 'peak_copy', inputs: ['x'], outputs: ['y'], dims: ['N'], shapes: { x: ['N'], y: ['N'] }, workgroupSize: 256,
  grid: (d) => grid1d(Math.ceil((d['N'] ?? 0) / 4 / 256)),
  wgsl: `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
struct U { n: u32, a: u32, b: u32, c: u32 }
@group(0) @binding(2) var<uniform> u: U;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * 65535u * 256u;
  if (i < u.n / 4u) { y[i] = x[i]; }
}`,
});

const FMA_THREADS = 1 << 16;
const FMA_ITERS = 1024;
const fma = naiveArtifact({
  name: 'peak_fma', inputs: ['x'], outputs: ['y'], dims: ['N'], shapes: { x: [4], y: ['N'] }, workgroupSize: 256,
  grid: (d) => grid1d(Math.ceil((d['N'] ?? 0) / 256)),
  wgsl: `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
struct U { n: u32, a: u32, b: u32, c: u32 }
@group(0) @binding(2) var<uniform> u: U;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * 65535u * 256u;
  var a = vec4<f32>(x[i % 4u], 1.0, 2.0, 3.0);
  var b = a + 0.5;
  let m = vec4<f32>(0.999, 0.998, 0.997, 0.996);
  let c = vec4<f32>(0.001, 0.002, 0.003, 0.004);
  for (var k = 0u; k < ${FMA_ITERS}u; k++) { a = fma(a, m, c); b = fma(b, m, c); }
  if (i < u.n) { y[i] = a.x + a.y + a.z + a.w + b.x + b.y + b.z + b.w; }
}`,
});

export interface Peaks {
  /** Bytes per second, read + write. */
  readonly copyBytesPerSec: number;
  /** FLOPs per second (an FMA counts as 2). */
  readonly fmaFlopsPerSec: number;
}

export async function measurePeaks(device: Device, timeMs: number): Promise<Peaks> {
  const x = device.tensor(new Float32Array(COPY_FLOATS).fill(1), [COPY_FLOATS]);
  const y = device.empty([COPY_FLOATS]);
  const tc = await timeCall('copy', async () => {
    await launch(device, copy, [x], [y], { N: COPY_FLOATS }, {});
    await device.sync();
  }, { timeMs, warmupMs: 100 });
  const xs = device.tensor(new Float32Array([1, 2, 3, 4]), [4]);
  const ys = device.empty([FMA_THREADS]);
  const tf = await timeCall('fma', async () => {
    await launch(device, fma, [xs], [ys], { N: FMA_THREADS }, {});
    await device.sync();
  }, { timeMs, warmupMs: 100 });
  for (const t of [x, y, xs, ys]) t.destroy();
  return {
    copyBytesPerSec: (8 * COPY_FLOATS) / (tc.medianMs / 1000),
    fmaFlopsPerSec: (FMA_THREADS * FMA_ITERS * 2 * 4 * 2) / (tf.medianMs / 1000),
  };
}
