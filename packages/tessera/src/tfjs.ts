/**
 * tessera-gpu/tfjs — Tessera kernels on TF.js tensors, on TF.js's own GPUDevice, without
 * copies. A separate entry point, so applications that do not use TF.js never load it.
 *
 *   import * as tf from '@tensorflow/tfjs';
 *   import '@tensorflow/tfjs-backend-webgpu';
 *   import { tfjsKernel } from 'tessera-gpu/tfjs';
 *   await tf.setBackend('webgpu');
 *   const geglu = tfjsKernel(tf, gegluKernel);
 *   const y = await geglu(h);            // a tf.Tensor, on TF.js's WebGPU backend
 */
export { tfjsKernel, tfjsDevice, type TfKernel, type TfLike, type TfTensorLike } from 'tessera-gpu-runtime/tfjs';
