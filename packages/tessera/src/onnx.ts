/**
 * tessera-gpu/onnx — Tessera kernels on ONNX Runtime Web GPU tensors (WebGPU EP), on the
 * session's GPUDevice, without copies. A separate entry point, so applications that do
 * not use ONNX Runtime never load it.
 *
 *   import * as ort from 'onnxruntime-web/webgpu';
 *   import { init } from 'tessera-gpu';
 *   import { ortKernel } from 'tessera-gpu/onnx';
 *   const device = await init({ device: ort.env.webgpu.device });
 *   const { logits } = await session.run(feeds);         // preferredOutputLocation: 'gpu-buffer'
 *   const probs = await ortKernel(ort, device, softmax)(logits);
 */
export { ortKernel, fromOrtTensor, toOrtTensor, type OrtKernel, type OrtLike, type OrtTensorLike } from 'tessera-gpu-runtime/onnx';
