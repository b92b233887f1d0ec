/**
 * Tessera kernels on TF.js tensors (tessera-gpu/tfjs), on TF.js's WebGPU backend in the
 * same process and on its GPUDevice: results against plain-JS references and against the
 * same block in pure TF.js, the ordering between TF.js's queued work and Tessera's
 * launches, and the errors for tensors of other backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, init } from 'tessera-gpu';
import { tfjsDevice, tfjsKernel } from 'tessera-gpu/tfjs';
import { installNavigatorGpu } from './tf-env.ts';
import { webgpu, requireWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32, rng } from '../support/random.ts';
import { add, addReference } from '../../examples/add.ts';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { geglu, gegluReference } from '../../examples/tfjs-mlp/kernels.ts';
import { mlpFused, mlpTf, randomWeights, type Tf } from '../../examples/tfjs-mlp/block.ts';

installNavigatorGpu();
const tf: Tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-webgpu');
await import('@tensorflow/tfjs-backend-cpu');

const suite = webgpu.ok || requireWebGPU ? describe : describe.skip;

suite('Tessera kernels on TF.js tensors', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('webgpu')).toBe(true);
    await tf.ready();
  }, 60_000);
  afterAll(() => tf.disposeVariables());

  it('adopts TF.js\'s GPUDevice: one Tessera device per GPUDevice, its limits read from it', async () => {
    const device = await tfjsDevice(tf);
    const gpu = (tf.backend() as unknown as { device: GPUDevice }).device;
    expect(device.adopted).toBe(true);
    expect(device.gpu).toBe(gpu);
    expect(await init({ device: gpu })).toBe(device);
    expect(device.info.limits.maxStorageBufferBindingSize).toBe(gpu.limits.maxStorageBufferBindingSize);
  });

  it('runs geglu on a tf.Tensor: the result is a tf.Tensor matching the JS reference', async () => {
    const [t, f] = [37, 53];
    const data = randomF32(t * 2 * f, 11, -3, 3);
    const h = tf.tensor3d(data, [t, 2, f]);
    const out = await tfjsKernel(tf, geglu)(h);
    expect(out.shape).toEqual([t, f]);
    expect(out.dtype).toBe('float32');
    expect(maxAbsDiff(await out.data(), gegluReference(data, t, f))).toBeLessThan(1e-5);
    tf.dispose([h, out]);
  });

  it('orders TF.js\'s queued ops before the kernel and later ops after it', async () => {
    const n = 1001; // not a multiple of the vector width: the result is staged through a padded copy
    const xs = randomF32(n, 3);
    const ys = randomF32(n, 4);
    const before = tf.memory().numTensors;
    // Inputs produced by TF.js ops still sitting in its unsubmitted command encoder.
    const [x0, y0] = [tf.tensor1d(xs), tf.tensor1d(ys)];
    const x = tf.mul(x0, 2);
    const y = tf.add(y0, 1);
    const sum = await tfjsKernel(tf, add)(x, y);
    // A TF.js op on the kernel's result, recorded after the launch.
    const z = tf.mul(sum, 3);
    const expected = addReference(xs.map((v) => Math.fround(v * 2)), ys.map((v) => Math.fround(v + 1))).map((v) => Math.fround(v * 3));
    expect(maxAbsDiff(await z.data(), expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await sum.data(), addReference(xs.map((v) => Math.fround(v * 2)), ys.map((v) => Math.fround(v + 1))))).toBe(0);
    tf.dispose([x0, y0, x, y, sum, z]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs the MLP block with fused layernorm + GEGLU, matching the pure TF.js block', async () => {
    const [t, d, f] = [45, 96, 136];
    const weights = randomWeights(tf, d, f, rng(7));
    const xs = randomF32(t * d, 8, -2, 2);
    const x = tf.tensor2d(xs, [t, d]);
    const reference = mlpTf(tf, x, weights);
    const fused = await mlpFused(tf, weights)(x);
    const [want, got] = [await reference.data(), await fused.data()];
    expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0.1);
    expect(maxAbsDiff(got, want)).toBeLessThan(2e-4);
    tf.dispose([x, reference, fused, ...Object.values(weights)]);
  }, 60_000);

  it('layernorm through tfjsKernel matches the JS reference', async () => {
    const [m, n] = [19, 77];
    const xs = randomF32(m * n, 21, -4, 4);
    const g = randomF32(n, 22);
    const b = randomF32(n, 23);
    const out = await tfjsKernel(tf, layernorm)(tf.tensor2d(xs, [m, n]), tf.tensor1d(g), tf.tensor1d(b), 1e-5);
    expect(maxAbsDiff(await out.data(), layernormReference(xs, g, b, m, n, 1e-5))).toBeLessThan(1e-4);
    out.dispose();
  }, 30_000);

  it('a tensor of TF.js\'s cpu backend is a typed error naming the backend needed', async () => {
    const onGpu = tf.tensor1d([1, 2, 3]);
    await tf.setBackend('cpu');
    const onCpu = tf.tensor1d([1, 2, 3]);
    try {
      // The active backend is cpu: the adapter says WebGPU is needed.
      await expect(tfjsKernel(tf, add)(onCpu, onCpu)).rejects.toThrow(/'webgpu' backend[\s\S]*setBackend\('webgpu'\)/);
      await tf.setBackend('webgpu');
      // Back on webgpu, a leftover cpu tensor is named as such.
      const error = await tfjsKernel(tf, add)(onCpu, onGpu).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).message).toMatch(/argument 0[\s\S]*backend 'cpu'[\s\S]*webgpu/);
    } finally {
      await tf.setBackend('webgpu');
      tf.dispose([onGpu, onCpu]);
    }
  });

  it('a disposed tf.Tensor or a wrong shape is a typed error, and TF.js keeps working', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    x.dispose();
    await expect(tfjsKernel(tf, add)(x, x)).rejects.toThrow(/disposed/);
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([1, 2]);
    await expect(tfjsKernel(tf, add)(a, b)).rejects.toBeInstanceOf(ArgumentError);
    expect(Array.from(await tf.add(a, 1).data())).toEqual([2, 3, 4]);
    tf.dispose([a, b]);
  });
});
