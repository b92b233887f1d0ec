/**
 * The building blocks of a launch, shared by launch.ts (run once) and timing.ts (run many
 * times): check the arguments against the artifact, plan the grid, build the bind group,
 * and encode zero-fills plus the dispatch.
 */
import type { KernelArtifact, LaunchPlan, TensorBinding } from 'tessera-gpu-compiler';
import { ownValue } from 'tessera-gpu-dsl';
import type { Device } from './device.ts';
import { ArgumentError, DeviceError, UnsupportedFeatureError } from './errors.ts';
import type { PipelineEntry } from './pipeline-cache.ts';
import type { Tensor } from './tensor.ts';
import { checkUsableTensor } from './validate.ts';

export type Dims = Readonly<Record<string, number>>;
export type Scalars = Readonly<Record<string, number>>;

/** Everything one dispatch needs, ready to encode (possibly many times). */
export interface BoundLaunch {
  readonly kernel: string;
  readonly entry: PipelineEntry;
  readonly bindGroup: GPUBindGroup;
  readonly grid: readonly [number, number, number];
  /** Output buffers to zero before each dispatch (bindings with zeroInit). */
  readonly clears: readonly GPUBuffer[];
}

/**
 * Checks everything that can be checked without the GPU, so a wrong call fails with the
 * parameter's name instead of a WebGPU validation message.
 */
export function checkArguments(
  device: Device,
  artifact: KernelArtifact,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  dims: Dims,
): void {
  const kernel = `kernel '${artifact.kernelName}'`;
  for (const feature of artifact.requiredFeatures) {
    if (!device.features.has(feature)) throw new UnsupportedFeatureError(feature, kernel, device.info.name);
  }
  for (const [role, list] of [['input', inputs], ['output', outputs]] as const) {
    const expected = artifact.tensors.filter((t) => t.role === role);
    const count = expected.reduce((n, t) => Math.max(n, t.index + 1), 0);
    if (list.length !== count) {
      throw new ArgumentError(`${role}s`, `${count} ${role} tensor(s) (${expected.map((t) => t.name).join(', ')})`,
        `${list.length}`, `Pass one tensor per kernel ${role === 'input' ? 'parameter' : 'result'}, in order.`, kernel);
    }
  }
  const writers = new Set<Tensor>();
  for (const binding of artifact.tensors) {
    const tensor = tensorFor(binding, inputs, outputs);
    checkTensor(device, binding, tensor, dims, artifact.kernelName);
    if (binding.role === 'output') {
      if (writers.has(tensor) || inputs.includes(tensor)) {
        throw new ArgumentError(binding.name, 'a tensor not passed as any other argument', `an aliased ${tensor.toString()}`,
          'WebGPU cannot bind one buffer as writable and also elsewhere in the same dispatch; pass a separate output tensor.', kernel);
      }
      writers.add(tensor);
    }
  }
}

function checkTensor(device: Device, binding: TensorBinding, tensor: Tensor, dims: Dims, kernelName: string): void {
  const kernel = `kernel '${kernelName}'`;
  const name = binding.name;
  checkUsableTensor(device, tensor, name, kernelName);
  if (tensor.dtype !== binding.dtype) {
    throw new ArgumentError(name, `dtype ${binding.dtype}`, `dtype ${tensor.dtype}`,
      `Convert the argument to ${binding.dtype} (or declare the parameter as ${tensor.dtype}).`, kernel);
  }
  const expected = binding.shape.map((d) => (typeof d === 'number' ? d : ownValue(dims, d)));
  const shown = binding.shape.map((d, i) => (typeof d === 'number' ? `${d}` : `${d}=${expected[i] ?? '?'}`));
  const missing = binding.shape.find((d): d is string => typeof d === 'string' && ownValue(dims, d) === undefined);
  if (missing !== undefined) {
    throw new ArgumentError('dims', `a value for dim '${missing}' (used by '${name}')`, 'no value',
      `Pass every symbolic dim in dims, e.g. { ${missing}: ${tensor.shape[binding.shape.indexOf(missing)] ?? 1} }.`, kernel);
  }
  if (tensor.shape.length !== expected.length || expected.some((d, i) => d !== tensor.shape[i])) {
    throw new ArgumentError(name, `shape [${shown.join(', ')}]`, `shape [${tensor.shape.join(', ')}]`,
      'Pass tensors whose shapes agree with the kernel signature and with each other.', kernel);
  }
}

function tensorFor(binding: TensorBinding, inputs: readonly Tensor[], outputs: readonly Tensor[]): Tensor {
  const tensor = (binding.role === 'input' ? inputs : outputs)[binding.index];
  if (tensor === undefined) {
    throw new ArgumentError(binding.name, `a tensor at ${binding.role} position ${binding.index}`, 'nothing',
      `Pass one tensor per kernel ${binding.role === 'input' ? 'parameter' : 'result'}, in order.`);
  }
  return tensor;
}

/** The compiler's plan for these dims, checked against the adapter's dispatch limit. */
export function planLaunch(device: Device, artifact: KernelArtifact, dims: Dims, scalars: Scalars): LaunchPlan {
  const plan = artifact.plan(dims, scalars);
  const max = device.info.limits.maxComputeWorkgroupsPerDimension;
  if (plan.grid.some((n) => !Number.isInteger(n) || n < 0 || n > max)) {
    throw new DeviceError('validation', `launch grid [${plan.grid.join(', ')}] exceeds the adapter's limit of ${max} workgroups per dimension`,
      'The problem is too large for one launch with this config: pick larger blocks, or split the input.', artifact.kernelName);
  }
  return plan;
}

/**
 * Everything before encoding a call, shared by launch() and measure(): the arguments
 * checked, the plan, and the pipeline (compiled on first use). The checks run again after
 * the await: the device may have been disposed, or a tensor destroyed, while compiling.
 */
export async function prepareLaunch(
  device: Device, artifact: KernelArtifact, inputs: readonly Tensor[], outputs: readonly Tensor[], dims: Dims, scalars: Scalars,
): Promise<{ readonly plan: LaunchPlan; readonly entry: PipelineEntry }> {
  const kernel = artifact.kernelName;
  device.throwIfUnusable(kernel);
  checkArguments(device, artifact, inputs, outputs, dims);
  const plan = planLaunch(device, artifact, dims, scalars);
  const entry = await device.pipelines.get(artifact);
  device.throwIfUnusable(kernel);
  checkArguments(device, artifact, inputs, outputs, dims);
  return { plan, entry };
}

/** The bind group for one call; `uniforms` is the buffer holding plan.uniforms (if the kernel has any). */
export function bindLaunch(
  device: Device,
  artifact: KernelArtifact,
  entry: PipelineEntry,
  plan: LaunchPlan,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  uniforms: GPUBuffer | undefined,
): BoundLaunch {
  const entries: GPUBindGroupEntry[] = artifact.tensors.map((binding) => ({
    binding: binding.binding,
    resource: { buffer: tensorFor(binding, inputs, outputs).buffer },
  }));
  if (uniforms !== undefined && artifact.uniforms.fields.length > 0) {
    entries.push({ binding: artifact.uniforms.binding, resource: { buffer: uniforms } });
  }
  const bindGroup = device.gpu.createBindGroup({ label: artifact.kernelName, layout: entry.layout, entries });
  const clears = artifact.tensors
    .filter((b) => b.role === 'output' && b.zeroInit)
    .map((b) => tensorFor(b, inputs, outputs).buffer);
  return { kernel: artifact.kernelName, entry, bindGroup, grid: plan.grid, clears };
}

/** Zero-fills, then one compute pass with one dispatch (optionally timestamped). */
export function encodeLaunch(encoder: GPUCommandEncoder, bound: BoundLaunch, timestampWrites?: GPUComputePassTimestampWrites): void {
  for (const buffer of bound.clears) encoder.clearBuffer(buffer);
  const pass = encoder.beginComputePass(
    timestampWrites === undefined ? { label: bound.kernel } : { label: bound.kernel, timestampWrites },
  );
  pass.setPipeline(bound.entry.pipeline);
  pass.setBindGroup(0, bound.bindGroup);
  const [x, y, z] = bound.grid;
  // A zero-size problem plans a zero grid: nothing to dispatch, but zero-fills still apply.
  if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
  pass.end();
}
