/**
 * The ONNX Runtime Web adapter at the buffer level: ort.Tensor GPU tensors made with
 * Tensor.fromGpuBuffer (what a WebGPU EP session hands out with preferredOutputLocation
 * 'gpu-buffer') in, GPU ort.Tensors out, read back through ort's own getData(). A
 * session's WebGPU EP does not run under Node's dawn.node (docs/interop.md says why), so
 * no session is created here; test/interop/onnx-browser.test.ts runs one in chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, init, type Device } from 'tessera-gpu';
import { fromOrtTensor, ortKernel } from 'tessera-gpu/onnx';
import { webgpu, requireWebGPU } from '../support/webgpu.ts';
import { randomF32 } from '../support/random.ts';
import { add, addReference } from '../../examples/add.ts';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { appBuffer } from '../../examples/webgpu-app.ts';

const ort = await import('onnxruntime-web');
const suite = webgpu.ok || requireWebGPU ? describe : describe.skip;

suite('Tessera kernels on ONNX Runtime Web GPU tensors', () => {
  let entry: GPU | undefined;               // held for the suite: dawn.node frees an instance once its GPU object is collected
  let app: GPUDevice | undefined;
  let tessera: Device | undefined;
  const errors: string[] = [];
  const gpu = (): GPUDevice => {
    if (app === undefined) throw new Error('no device');
    return app;
  };
  const dev = (): Device => {
    if (tessera === undefined) throw new Error('no Tessera device');
    return tessera;
  };
  const gpuTensor = (data: Float32Array, dims: number[]) =>
    ort.Tensor.fromGpuBuffer(appBuffer(gpu(), data), { dataType: 'float32', dims });

  beforeAll(async () => {
    // The session's device stands in for ort.env.webgpu.device.
    (await init({ backend: 'webgpu' })).dispose();
    const { create } = await import('webgpu');
    entry = create([]);
    const adapter = await entry.requestAdapter();
    if (adapter === null) throw new Error('no adapter');
    app = await adapter.requestDevice({ label: 'ort session' });
    app.addEventListener('uncapturederror', (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
    tessera = await init({ device: app });
  }, 60_000);
  afterAll(() => {
    tessera?.dispose();
    app?.destroy();
  });

  it('runs a kernel on GPU ort.Tensors; the result is a GPU ort.Tensor read by getData()', async () => {
    const n = 777;
    const xs = randomF32(n, 1);
    const ys = randomF32(n, 2);
    const [x, y] = [gpuTensor(xs, [n]), gpuTensor(ys, [n])];
    const z = await ortKernel(ort, dev(), add)(x, y);
    expect(z.location).toBe('gpu-buffer');
    expect(z.type).toBe('float32');
    expect(z.dims).toEqual([n]);
    expect(Array.from(await z.getData() as Float32Array)).toEqual(Array.from(addReference(xs, ys)));
    // The inputs' buffers are untouched and still ONNX Runtime's.
    expect(Array.from(await fromOrtTensor(dev(), x).then((t) => t.read()))).toEqual(Array.from(xs));
    for (const t of [x, y, z]) t.dispose();
  });

  it('passes scalars through and keeps 2-D shapes (layernorm)', async () => {
    const [m, k] = [13, 70];
    const xs = randomF32(m * k, 3, -3, 3);
    const g = randomF32(k, 4);
    const b = randomF32(k, 5);
    const out = await ortKernel(ort, dev(), layernorm)(gpuTensor(xs, [m, k]), gpuTensor(g, [k]), gpuTensor(b, [k]), 1e-5);
    expect(out.dims).toEqual([m, k]);
    const got = await out.getData() as Float32Array;
    const want = layernormReference(xs, g, b, m, k, 1e-5);
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - (want[i] ?? 0))))).toBeLessThan(1e-4);
    out.dispose();
  });

  it('a CPU ort.Tensor is a typed error saying how to get a GPU one; the device sees no error', async () => {
    const cpu = new ort.Tensor('float32', new Float32Array(4), [4]);
    const error = await ortKernel(ort, dev(), add)(cpu, cpu).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).message).toMatch(/argument 0[\s\S]*location 'cpu'[\s\S]*gpu-buffer/);
    const bools = ort.Tensor.fromGpuBuffer(appBuffer(gpu(), new Float32Array(4)), { dataType: 'bool', dims: [4] });
    await expect(ortKernel(ort, dev(), add)(bools, bools)).rejects.toThrow(/type bool/);
    await gpu().queue.onSubmittedWorkDone();
    expect(errors).toEqual([]);
  });
});
