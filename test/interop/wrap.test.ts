/**
 * Tessera on an application's own GPUDevice and GPUBuffers (plain WebGPU): adoption,
 * zero-copy wrapping, results handed back as GPUBuffers, and every bad buffer a typed
 * error naming the argument — with the application's device left without errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, init, type Device, type Tensor } from 'tessera-gpu';
import { webgpu, requireWebGPU } from '../support/webgpu.ts';
import { randomF32 } from '../support/random.ts';
import { add, addReference } from '../../examples/add.ts';
import { addOnAppBuffers, appBuffer } from '../../examples/webgpu-app.ts';

const suite = webgpu.ok || requireWebGPU ? describe : describe.skip;

/** Reads an app buffer the way the app would (its own staging buffer). */
async function readApp(device: GPUDevice, buffer: GPUBuffer, offset: number, n: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, offset, staging, 0, n * 4);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return out;
}

suite('Tessera on an application\'s GPUDevice and buffers', () => {
  let entry: GPU | undefined;
  let app: GPUDevice | undefined;
  let other: GPUDevice | undefined;
  let tessera: Device | undefined;
  const appErrors: string[] = [];
  const gpu = (): GPUDevice => {
    if (app === undefined) throw new Error('no app device');
    return app;
  };
  const dev = (): Device => {
    if (tessera === undefined) throw new Error('no Tessera device');
    return tessera;
  };

  beforeAll(async () => {
    // The application: a GPUDevice with default limits, its own error handler.
    // (A Tessera device first only so that the WebGPU globals (GPUBufferUsage, …) are installed.)
    (await init({ backend: 'webgpu' })).dispose();
    const { create } = await import('webgpu');
    entry = create([]);               // held for the suite: dawn.node frees an instance once its GPU object is collected
    const adapter = await entry.requestAdapter();
    const adapter2 = await entry.requestAdapter();
    if (adapter === null || adapter2 === null) throw new Error('no adapter');
    app = await adapter.requestDevice({ label: 'app' });
    other = await adapter2.requestDevice({ label: 'other app' });
    app.addEventListener('uncapturederror', (e) => appErrors.push((e as GPUUncapturedErrorEvent).error.message));
    tessera = await init({ device: app });
  }, 60_000);
  afterAll(() => {
    tessera?.dispose();
    app?.destroy();
    other?.destroy();
  });

  it('adopts the device: its limits, the same Tessera device again, and dispose() leaves it alive', async () => {
    expect(dev().adopted).toBe(true);
    expect(dev().info.limits.maxStorageBufferBindingSize).toBe(gpu().limits.maxStorageBufferBindingSize);
    expect(await init({ device: gpu() })).toBe(dev());
    const second = await init({ device: other as GPUDevice });
    expect(second).not.toBe(dev());
    second.dispose();
    // Disposing the Tessera device did not destroy the app's: it still creates and maps buffers.
    const data = randomF32(8, 1);
    expect(Array.from(await readApp(other as GPUDevice, appBuffer(other as GPUDevice, data), 0, 8))).toEqual(Array.from(data));
    const again = await init({ device: other as GPUDevice });
    expect(again).not.toBe(second);
    again.dispose();
  });

  it('runs a kernel on wrapped app buffers and hands the result back as a GPUBuffer', async () => {
    const n = 1000;
    const xs = randomF32(n, 2);
    const ys = randomF32(n, 3);
    const [x, y] = [appBuffer(gpu(), xs), appBuffer(gpu(), ys)];
    const result = await addOnAppBuffers(gpu(), x, y, n);
    expect(Array.from(await readApp(gpu(), result, 0, n))).toEqual(Array.from(addReference(xs, ys)));
    // Tessera destroyed neither the wrapped buffers nor the one it handed out.
    expect(Array.from(await readApp(gpu(), x, 0, n))).toEqual(Array.from(xs));
    for (const b of [x, y, result]) b.destroy();
  });

  it('wraps at a byte offset and writes results into a wrapped output', async () => {
    const n = 300;
    const offset = 512;
    const xs = randomF32(n, 4);
    const packed = new Float32Array(offset / 4 + n);
    packed.set(xs, offset / 4);
    const shared = appBuffer(gpu(), packed);
    const outBuffer = gpu().createBuffer({ size: 4096, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const x = await dev().wrap(shared, { shape: [n], byteOffset: offset });
    const out = await dev().wrap(outBuffer, { shape: [n], byteOffset: 1024 });
    await add.run([x, x], { outputs: [out] });
    expect(Array.from(await out.read())).toEqual(Array.from(addReference(xs, xs)));
    expect(Array.from(await readApp(gpu(), outBuffer, 1024, n))).toEqual(Array.from(addReference(xs, xs)));
    x.destroy();
    out.destroy();
    expect(Array.from(await readApp(gpu(), shared, offset, n))).toEqual(Array.from(xs));
    shared.destroy();
    outBuffer.destroy();
  });

  const bad: readonly [string, () => Promise<Tensor>, RegExp][] = [
    ['a buffer without STORAGE usage', () => dev().wrap(gpu().createBuffer({ size: 64, usage: GPUBufferUsage.COPY_SRC }), { shape: [16] }), /Argument 'buffer'[\s\S]*STORAGE/],
    ['a buffer too small for the shape', () => dev().wrap(appBuffer(gpu(), new Float32Array(10)), { shape: [11] }), /Argument 'buffer'[\s\S]*at least 44 bytes[\s\S]*40 bytes/],
    ['a byte offset that is not aligned', () => dev().wrap(appBuffer(gpu(), new Float32Array(100)), { shape: [4], byteOffset: 4 }), /Argument 'byteOffset'[\s\S]*multiple of/],
    ['a destroyed buffer', () => {
      const b = appBuffer(gpu(), new Float32Array(16));
      b.destroy();
      return dev().wrap(b, { shape: [16] });
    }, /Argument 'buffer'[\s\S]*destroyed/],
    ['a buffer of another GPUDevice', () => dev().wrap(appBuffer(other as GPUDevice, new Float32Array(16)), { shape: [16] }), /Argument 'buffer'[\s\S]*another GPUDevice/],
    ['a mapped buffer', () => dev().wrap(gpu().createBuffer({ size: 64, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true }), { shape: [16] }), /Argument 'buffer'[\s\S]*unmap/],
    ['not a buffer', () => dev().wrap(new Float32Array(4) as unknown as GPUBuffer, { shape: [4] }), /Argument 'buffer'[\s\S]*GPUBuffer/],
    ['a bad dtype', () => dev().wrap(appBuffer(gpu(), new Float32Array(4)), { shape: [4], dtype: 'f64' as 'f32' }), /Argument 'dtype'/],
  ];
  for (const [what, wrap, message] of bad) {
    it(`${what} is a typed error, and the app's device sees no error`, async () => {
      const error = await wrap().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).message).toMatch(message);
      await gpu().queue.onSubmittedWorkDone();
      expect(appErrors).toEqual([]);
    });
  }

  it('a wrapped tensor aliased as input and output is refused before WebGPU sees it', async () => {
    const b = appBuffer(gpu(), randomF32(64, 5));
    const x = await dev().wrap(b, { shape: [64] });
    const alias = await dev().wrap(b, { shape: [64] });
    await expect(add.run([x, x], { outputs: [alias] })).rejects.toThrow(/aliased/);
    await expect(add.run([x, x], { outputs: [x] })).rejects.toThrow(/aliased/);
    await gpu().queue.onSubmittedWorkDone();
    expect(appErrors).toEqual([]);
    b.destroy();
  });

  it('a wrapped buffer the app destroys later fails Tessera\'s launch, not the app\'s error handler', async () => {
    const n = 64;
    const xs = randomF32(n, 9);
    const b = appBuffer(gpu(), xs);
    const x = await dev().wrap(b, { shape: [n] });
    const y = dev().tensor(xs, [n]);
    (await add(x, y) as Tensor).destroy(); // the pipeline's first launch (validated) is clean
    b.destroy();
    // Later launches are not awaited: the error is caught by Tessera's scope and thrown by sync().
    const out = await add(x, y) as Tensor;
    await expect(dev().sync()).rejects.toThrow(/destroyed/);
    await gpu().queue.onSubmittedWorkDone();
    expect(appErrors).toEqual([]);
    for (const t of [x, y, out]) t.destroy();
  });

  it('an output of the wrong shape is a typed error naming it', async () => {
    const x = dev().tensor(randomF32(8, 6), [8]);
    await expect(add.run([x, x], { outputs: [dev().empty([7])] })).rejects.toThrow(/Argument 'outputs\[0\]'[\s\S]*f32\[8\]/);
    x.destroy();
  });

  it('takeBuffer() on a wrapped tensor is refused: the buffer is already the app\'s', async () => {
    const b = appBuffer(gpu(), new Float32Array(4));
    const t = await dev().wrap(b, { shape: [4] });
    expect(() => t.takeBuffer()).toThrow(/already yours/);
    b.destroy();
  });
});
