/**
 * TF.js peers: the WebGPU backend (same adapter) and the CPU backend. Each op is timed
 * as a user would see it: the call, then waiting until the GPU queue is idle.
 */
import { installNavigatorGpu } from './gpu-env.ts';

installNavigatorGpu();
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-webgpu');
await import('@tensorflow/tfjs-backend-cpu');

export type Tf = typeof tf;
export type TfTensor = ReturnType<typeof tf.tensor>;

export async function useTf(backend: 'webgpu' | 'cpu'): Promise<Tf> {
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`TF.js backend ${backend} failed to initialise`);
  }
  await tf.ready();
  return tf;
}

/**
 * Waits until TF.js's work is done on the GPU (no readback). The WebGPU backend batches
 * commands and submits them lazily, so its queue is flushed first.
 */
export async function tfSync(): Promise<void> {
  const b = tf.backend() as { device?: GPUDevice; submitQueue?: () => void; ensureCommandEncoderReady?: () => void; endComputePassEncoder?: () => void };
  // The same sequence the backend itself uses before a readback.
  b.ensureCommandEncoderReady?.();
  b.endComputePassEncoder?.();
  b.submitQueue?.();
  if (b.device) await b.device.queue.onSubmittedWorkDone();
}

/** Runs `op`, waits for it to finish on the device, and frees its result. */
export function tfTimed(op: () => TfTensor): () => Promise<void> {
  return async () => {
    const out = op();
    if (tf.getBackend() === 'webgpu') await tfSync();
    else out.dataSync();
    out.dispose();
  };
}

export function tfTensor(data: Float32Array, shape: number[]): TfTensor {
  return tf.tensor(data, shape, 'float32');
}
