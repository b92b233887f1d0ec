/**
 * The page's program: an ONNX Runtime Web session on its WebGPU execution provider runs a
 * MatMul with its output left on the GPU; a Tessera layernorm reads that buffer on the
 * session's own GPUDevice; its GPU result is fed back into the session as an input. The
 * final output is read back and compared with a plain-JS reference here; the outcome
 * goes to window.__onnxResult for test/interop/onnx-browser.test.ts.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { init } from 'tessera-gpu';
import { fromOrtTensor, ortKernel } from 'tessera-gpu/onnx';
import { layernorm, layernormReference } from '../../../examples/layernorm.ts';
import { maxAbsDiff, randomF32 } from '../../support/random.ts';
import { matmulModel } from './model.ts';

export interface OnnxPageResult {
  readonly error?: string;
  readonly stage?: string;
  readonly ortVersion?: string;
  readonly adapter?: string;
  readonly sameDevice?: boolean;
  readonly firstLocation?: string;
  readonly tesseraLocation?: string;
  readonly secondLocation?: string;
  readonly firstMaxError?: number;
  readonly layernormMaxError?: number;
  readonly maxError?: number;
  readonly maxValue?: number;
}

function matmulReference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
    out[i * n + j] = s;
  }
  return out;
}

/** A GPU ort.Tensor over a new buffer on the session's device, holding `data`; it owns the buffer. */
function gpuTensor(device: GPUDevice, data: Float32Array, dims: number[]): ort.TypedTensor<'float32'> {
  const buffer = device.createBuffer({ size: data.byteLength, mappedAtCreation: true, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  new Float32Array(buffer.getMappedRange()).set(data);
  buffer.unmap();
  return ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims, dispose: () => buffer.destroy() });
}

/** A session output `c`, which the model declares float32. */
function floatOutput(outputs: ort.InferenceSession.ReturnType): ort.TypedTensor<'float32'> {
  const c = outputs['c'];
  if (c === undefined || c.type !== 'float32') throw new Error(`the session gave no float32 output c (${c?.type ?? 'none'})`);
  return c as ort.TypedTensor<'float32'>;
}

let stage = 'start';

async function main(): Promise<OnnxPageResult> {
  // Sizes that are no multiple of any block size; K == N so a result can be fed back as `a`.
  const [m, k] = [37, 29];
  const n = k;
  const a = randomF32(m * k, 11, -1, 1);
  const b = randomF32(k * n, 12, -1, 1);
  const gamma = randomF32(n, 13, 0.5, 1.5);
  const beta = randomF32(n, 14, -0.5, 0.5);

  stage = 'create session';
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(matmulModel(m, k, n), {
    executionProviders: ['webgpu'],
    preferredOutputLocation: 'gpu-buffer',
  });
  stage = 'first run';
  const first = floatOutput(await session.run({ a: new ort.Tensor('float32', a, [m, k]), b: new ort.Tensor('float32', b, [k, n]) }));

  stage = 'adopt the session device';
  // Set once the first WebGPU session exists; the getter gives a promise of the device.
  const gpu = await ort.env.webgpu.device;
  const device = await init({ device: gpu });
  const c = matmulReference(a, b, m, k, n);
  const firstLocation = first.location;
  const firstRead = await fromOrtTensor(device, first, 'c');
  const firstMaxError = maxAbsDiff(await firstRead.read(), c);
  firstRead.destroy();

  stage = 'tessera layernorm';
  const normed = await ortKernel(ort, device, layernorm)(first, gpuTensor(gpu, gamma, [n]), gpuTensor(gpu, beta, [n]), 1e-5);
  const d = layernormReference(c, gamma, beta, m, n, 1e-5);
  // Read through Tessera: ort's getData() would move the tensor to the CPU before it is fed back.
  const tesseraLocation = normed.location;
  const normedRead = await fromOrtTensor(device, normed, 'normed');
  const layernormMaxError = maxAbsDiff(await normedRead.read(), d);
  normedRead.destroy();

  stage = 'second run';
  const second = floatOutput(await session.run({ a: normed, b: new ort.Tensor('float32', b, [k, n]) }));
  const secondLocation = second.location;
  const want = matmulReference(d, b, m, k, n);
  const got = await second.getData() as Float32Array;
  const result: OnnxPageResult = {
    ortVersion: ort.env.versions.web ?? 'unknown',
    adapter: device.describe(),
    sameDevice: device.adopted,
    firstLocation,
    tesseraLocation,
    secondLocation,
    firstMaxError,
    layernormMaxError,
    maxError: maxAbsDiff(got, want),
    maxValue: Math.max(...Array.from(want, Math.abs)),
  };
  for (const t of [first, normed, second]) t.dispose();
  device.dispose();
  await session.release();
  return result;
}

const w = globalThis as { __onnxResult?: OnnxPageResult };
main().then((r) => { w.__onnxResult = r; }, (e: unknown) => {
  w.__onnxResult = { stage, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
});
