/**
 * jax-js peer on its WebGPU device (same adapter). Ops are jit-compiled, as a jax user
 * would, and timed to completion with blockUntilReady.
 */
import { installNavigatorGpu } from './gpu-env.ts';
import { installIteratorHelpers } from './iterator-helpers.ts';

installNavigatorGpu();
installIteratorHelpers();
const jax = await import('@jax-js/jax');

export type Jax = typeof jax;
export type JaxArray = InstanceType<typeof jax.Array>;

let ready: Promise<Jax> | undefined;

export function useJax(): Promise<Jax> {
  ready ??= (async () => {
    const devices = await jax.init();
    if (!devices.includes('webgpu')) throw new Error(`jax-js found no webgpu device (has ${devices.join(', ')})`);
    jax.defaultDevice('webgpu');
    return jax;
  })();
  return ready;
}

export function jaxArray(data: Float32Array, shape: number[]): JaxArray {
  return jax.numpy.array(data).reshape(shape);
}
