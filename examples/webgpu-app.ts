/**
 * Tessera inside a plain WebGPU application: the app owns the GPUDevice and its buffers;
 * Tessera adopts the device, wraps the buffers without copying, runs a kernel, and hands
 * the result back as a GPUBuffer the app then owns.
 *
 *   npx tsx examples/webgpu-app.ts
 */
import { init, type Tensor } from 'tessera-gpu';
import { add, addReference } from './add.ts';

/** The application's side: a device and a storage buffer it filled itself. */
export async function appDevice(gpu: GPU): Promise<GPUDevice> {
  const adapter = await gpu.requestAdapter();
  if (adapter === null) throw new Error('no WebGPU adapter');
  return adapter.requestDevice({ label: 'app' });
}

export function appBuffer(device: GPUDevice, data: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({
    label: 'app data', size: data.byteLength, mappedAtCreation: true,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  new Float32Array(buffer.getMappedRange()).set(data);
  buffer.unmap();
  return buffer;
}

/** x + y on the app's buffers; the result comes back as a GPUBuffer the app owns. */
export async function addOnAppBuffers(gpuDevice: GPUDevice, x: GPUBuffer, y: GPUBuffer, n: number): Promise<GPUBuffer> {
  const device = await init({ device: gpuDevice });          // nothing requested, nothing created but Tessera's own state
  const [tx, ty] = await Promise.all([device.wrap(x, { shape: [n] }), device.wrap(y, { shape: [n] })]);
  const out = (await add(tx, ty)) as Tensor;
  tx.destroy();                                              // ends Tessera's use; the app's buffers stay alive
  ty.destroy();
  return out.takeBuffer();                                   // the app owns it now (and destroys it)
}

/**
 * The app's WebGPU entry point, kept for as long as its devices live: dawn.node frees a
 * Dawn instance once its GPU object is collected, even while devices made from it run.
 */
let appGpu: GPU | undefined;

async function main(): Promise<void> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  appGpu = create([]);
  const gpuDevice = await appDevice(appGpu);
  const n = 1000;
  const xs = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const ys = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
  const [x, y] = [appBuffer(gpuDevice, xs), appBuffer(gpuDevice, ys)];
  const result = await addOnAppBuffers(gpuDevice, x, y, n);
  // The app reads its buffer back its own way.
  const staging = gpuDevice.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = gpuDevice.createCommandEncoder();
  encoder.copyBufferToBuffer(result, 0, staging, 0, n * 4);
  gpuDevice.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const got = new Float32Array(staging.getMappedRange().slice(0));
  const want = addReference(xs, ys);
  console.log(`x + y on the app's buffers: max |error| ${Math.max(...got.map((v, i) => Math.abs(v - (want[i] ?? 0))))}`);
  for (const b of [x, y, result, staging]) b.destroy();
  gpuDevice.destroy();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
