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
import { alignUp, type Tensor } from './tensor.ts';
import { checkUsableTensor } from './validate.ts';

export type Dims = Readonly<Record<string, number>>;
export type Scalars = Readonly<Record<string, number>>;

/** Everything one dispatch needs, ready to encode (possibly many times). */
export interface BoundLaunch {
  readonly kernel: string;
  readonly entry: PipelineEntry;
  readonly bindGroup: GPUBindGroup;
  readonly grid: readonly [number, number, number];
  /** Output ranges to zero before each dispatch (bindings with zeroInit). */
  readonly clears: readonly BufferRange[];
  /** Copies before the dispatch (into padded scratch buffers) and after it (back out); see stagedBinding. */
  readonly copiesIn: readonly BufferCopy[];
  readonly copiesOut: readonly BufferCopy[];
  /** Scratch buffers this launch allocated; release them (releaseLaunch) once its work is submitted. */
  readonly scratch: readonly GPUBuffer[];
}

export interface BufferRange {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

export interface BufferCopy {
  readonly from: BufferRange;
  readonly to: BufferRange;
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
      if (writers.has(tensor) || inputs.includes(tensor) || overlapsAnother(tensor, [...inputs, ...outputs])) {
        throw new ArgumentError(binding.name, 'a tensor not passed as any other argument', `an aliased ${tensor.toString()}`,
          'WebGPU cannot bind one buffer as writable and also elsewhere in the same dispatch; pass a separate output tensor.', kernel);
      }
      writers.add(tensor);
    }
  }
}

/** Two tensors over one wrapped buffer whose bytes overlap (distinct Tensor objects, same memory). */
function overlapsAnother(tensor: Tensor, all: readonly Tensor[]): boolean {
  if (tensor.host !== undefined) return false;
  const end = tensor.byteOffset + tensor.byteLength;
  return all.some((other) => other !== tensor && other.host === undefined && !other.destroyed && other.buffer === tensor.buffer &&
    other.byteOffset < end && tensor.byteOffset < other.byteOffset + other.byteLength);
}

function checkTensor(device: Device, binding: TensorBinding, tensor: Tensor, dims: Dims, kernelName: string): void {
  const kernel = `kernel '${kernelName}'`;
  const name = binding.name;
  checkUsableTensor(device, tensor, name, kernelName);
  if (tensor.external && binding.role === 'output' && binding.zeroInit && (tensor.buffer.usage & GPUBufferUsage.COPY_DST) === 0) {
    throw new ArgumentError(name, 'a buffer with COPY_DST usage', `${tensor.toString()} wrapping a buffer without it`,
      'This output is zero-filled before the kernel accumulates into it, which needs COPY_DST on the wrapped buffer.', kernel);
  }
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
  const copiesIn: BufferCopy[] = [];
  const copiesOut: BufferCopy[] = [];
  const scratch: GPUBuffer[] = [];
  const clears: BufferRange[] = [];
  const entries: GPUBindGroupEntry[] = artifact.tensors.flatMap((binding) => {
    const tensor = tensorFor(binding, inputs, outputs);
    let range: BufferRange = tensor.bindingRange();
    const needed = alignUp(Math.max(tensor.byteLength, 1), binding.arrayStride ?? 4);
    if (range.size < needed) {
      range = stagedBinding(device, binding, tensor, range, needed, copiesIn, copiesOut);
      scratch.push(range.buffer);
    }
    if (binding.role === 'output' && binding.zeroInit) clears.push({ ...range, size: alignUp(range.size, 4) });
    return bindingEntries(device, artifact.kernelName, binding, tensor, range, needed);
  });
  if (uniforms !== undefined && artifact.uniforms.fields.length > 0) {
    entries.push({ binding: artifact.uniforms.binding, resource: { buffer: uniforms } });
  }
  const bindGroup = device.gpu.createBindGroup({ label: artifact.kernelName, layout: entry.layout, entries });
  return { kernel: artifact.kernelName, entry, bindGroup, grid: plan.grid, clears, copiesIn, copiesOut, scratch };
}

/**
 * The bind group entries of one tensor: its range whole, or, for a tensor the artifact
 * binds as several ranges (TensorBinding.ranges), consecutive slices of one buffer, each
 * at most the adapter's maxStorageBufferBindingSize and at an aligned offset. An artifact
 * compiled for other sizes (too few ranges, or none) is refused with the numbers.
 */
function bindingEntries(device: Device, kernel: string, binding: TensorBinding, tensor: Tensor, range: BufferRange, needed: number): GPUBindGroupEntry[] {
  const ranges = binding.ranges;
  const max = device.info.limits.maxStorageBufferBindingSize;
  const recompile = 'Compile the artifact for the call\'s sizes (kernel.artifact(config, device, dims)): a tensor over the adapter\'s maxStorageBufferBindingSize is then bound as several ranges of its buffer.';
  if (ranges === undefined) {
    if (needed > max) {
      throw new ArgumentError(binding.name, `at most ${max} bytes (maxStorageBufferBindingSize) for an artifact that binds it as one range`,
        `${tensor.toString()}, ${needed} bytes`, recompile, `kernel '${kernel}'`);
    }
    return [{ binding: binding.binding, resource: { ...range } }];
  }
  const count = Math.ceil(needed / ranges.bytes);
  if (count !== ranges.count) {
    throw new ArgumentError(binding.name, `a tensor of ${ranges.count} ranges of ${ranges.bytes} bytes (the sizes the artifact was compiled for)`,
      `${tensor.toString()}, ${needed} bytes (${count} range${count === 1 ? '' : 's'})`, recompile, `kernel '${kernel}'`);
  }
  return Array.from({ length: count }, (_, j) => ({
    binding: binding.binding + j,
    resource: { buffer: range.buffer, offset: range.offset + j * ranges.bytes, size: Math.min(ranges.bytes, range.size - j * ranges.bytes) },
  }));
}

/**
 * A wrapped buffer that ends before the shader's last vector (a 10-element f32 tensor in
 * a 40-byte buffer, read as array<vec4<f32>>) cannot be bound as it is: the shader's
 * scalar path would index past the binding. It is bound through a padded scratch copy
 * instead, copied in before the dispatch (inputs) or out after it (outputs), in the same
 * command buffer, so the order of the application's work is unchanged.
 */
function stagedBinding(
  device: Device, binding: TensorBinding, tensor: Tensor, range: BufferRange, needed: number, copiesIn: BufferCopy[], copiesOut: BufferCopy[],
): BufferRange {
  const usage = binding.role === 'input' ? GPUBufferUsage.COPY_SRC : GPUBufferUsage.COPY_DST;
  if ((range.buffer.usage & usage) === 0) {
    throw new ArgumentError(binding.name, `a buffer with ${binding.role === 'input' ? 'COPY_SRC' : 'COPY_DST'} usage, or one padded to ${needed} bytes`,
      `${tensor.toString()} wrapping a ${range.buffer.size}-byte buffer without it`,
      'This kernel reads the tensor in 16-byte vectors: give the wrapped buffer room for the last vector, or the copy usage to stage it.');
  }
  const bytes = alignUp(tensor.byteLength, 4);
  const copy = device.allocateBuffer({
    label: `${binding.name} (staged)`, size: needed,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  }, true).buffer;
  const padded: BufferRange = { buffer: copy, offset: 0, size: needed };
  const source: BufferRange = { buffer: range.buffer, offset: range.offset, size: bytes };
  if (binding.role === 'input') copiesIn.push({ from: source, to: { ...padded, size: bytes } });
  else copiesOut.push({ from: { ...padded, size: bytes }, to: source });
  return padded;
}

/** Gives back the scratch buffers of a launch whose work has been submitted. */
export function releaseLaunch(device: Device, bound: BoundLaunch): void {
  for (const buffer of bound.scratch) device.release(buffer, true);
}

/** Zero-fills, then one compute pass with one dispatch (optionally timestamped). */
export function encodeLaunch(encoder: GPUCommandEncoder, bound: BoundLaunch, timestampWrites?: GPUComputePassTimestampWrites): void {
  for (const c of bound.copiesIn) encoder.copyBufferToBuffer(c.from.buffer, c.from.offset, c.to.buffer, c.to.offset, c.from.size);
  for (const r of bound.clears) encoder.clearBuffer(r.buffer, r.offset, r.size);
  const pass = encoder.beginComputePass(
    timestampWrites === undefined ? { label: bound.kernel } : { label: bound.kernel, timestampWrites },
  );
  pass.setPipeline(bound.entry.pipeline);
  pass.setBindGroup(0, bound.bindGroup);
  const [x, y, z] = bound.grid;
  // A zero-size problem plans a zero grid: nothing to dispatch, but zero-fills still apply.
  if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
  pass.end();
  for (const c of bound.copiesOut) encoder.copyBufferToBuffer(c.from.buffer, c.from.offset, c.to.buffer, c.to.offset, c.from.size);
}
