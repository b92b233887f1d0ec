/**
 * Launching a compiled kernel: pipeline from the cache, uniforms into a pooled buffer,
 * bind group, zero-fills, dispatch, submit. The returned promise resolves once the work
 * is submitted (not finished); `device.sync()` or reading an output waits for it.
 */
import type { KernelArtifact } from 'tessera-gpu-compiler';
import { bindLaunch, encodeLaunch, prepareLaunch, releaseLaunch } from './bind.ts';
import type { Dims, Scalars } from './bind.ts';
import type { Device } from './device.ts';
import { fromGPUError } from './errors.ts';
import type { Tensor } from './tensor.ts';

export interface LaunchOptions {
  /**
   * Await WebGPU validation for this launch and throw it as a DeviceError. By default only
   * a pipeline's first launch is validated (or every launch with init({ validate: true })):
   * awaiting an error scope waits for the GPU process, which a hot loop should not pay.
   * Errors in unvalidated launches are kept and thrown by device.sync().
   */
  readonly validate?: boolean;
}

export async function launch(
  device: Device,
  artifact: KernelArtifact,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  dims: Dims = {},
  scalars: Scalars = {},
  options: LaunchOptions = {},
): Promise<void> {
  const kernel = artifact.kernelName;
  const { plan, entry } = await prepareLaunch(device, artifact, inputs, outputs, dims, scalars);

  const validate = options.validate ?? (device.validate || !entry.validated);
  // On an adopted device every launch runs inside error scopes, so an error of a Tessera
  // launch is Tessera's to report and never reaches the application's uncaptured-error
  // handler; unless validating, the scopes are popped without waiting (which would stall
  // the launch on the GPU process) and an error is kept for sync() and reads to throw.
  const scoped = validate || device.adopted;
  const gpu = device.gpu;
  if (scoped) {
    gpu.pushErrorScope('out-of-memory');
    gpu.pushErrorScope('validation');
  }
  try {
    // From the uniform write to submit there is no await: the pooled uniform buffer's
    // contents belong to this submit (see uniform-pool.ts).
    const uniforms = artifact.uniforms.fields.length > 0 ? device.uniformPool.write(plan.uniforms) : undefined;
    const bound = bindLaunch(device, artifact, entry, plan, inputs, outputs, uniforms);
    try {
      const encoder = gpu.createCommandEncoder({ label: kernel });
      encodeLaunch(encoder, bound);
      gpu.queue.submit([encoder.finish()]);
    } finally {
      // Scratch copies (bind.ts) may be reused at once: later users' work queues after this submit.
      releaseLaunch(device, bound);
    }
    device.countLaunch();
  } catch (thrown) {
    // Leave the device's error-scope stack as we found it, whatever threw.
    if (scoped) void Promise.all([gpu.popErrorScope(), gpu.popErrorScope()]).catch(() => undefined);
    throw thrown;
  }
  if (!validate) {
    if (scoped) {
      device.trackCheck(Promise.all([gpu.popErrorScope(), gpu.popErrorScope()]).then(([v, m]) => {
        const error = v ?? m;
        return error === null ? undefined : fromGPUError(error, kernel);
      }));
    }
    return;
  }

  // Scopes pop in reverse order of pushing: validation first, then out-of-memory.
  const [validation, memory] = await Promise.all([gpu.popErrorScope(), gpu.popErrorScope()]);
  const error = validation ?? memory;
  if (error !== null) throw fromGPUError(error, kernel);
  entry.validated = true;
}
