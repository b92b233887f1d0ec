/**
 * Compiled pipelines, keyed by what determines them: the WGSL text, the entry point and
 * the binding layout. Compiling a shader costs milliseconds to seconds on a software
 * adapter, while an autotuner or a hot loop asks for the same artifact thousands of times,
 * so the cache is what makes repeated launches cheap. Bounded (LRU) because the autotuner
 * compiles many configs it will never run again.
 */
import { BindingLimitError, type KernelArtifact } from 'tessera-gpu-compiler';
import { DeviceError } from './errors.ts';
import { formatCompilationErrors } from './wgsl-errors.ts';
import { hash53 } from './hash.ts';

export interface PipelineEntry {
  readonly key: string;
  readonly wgsl: string;
  readonly module: GPUShaderModule;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  /** Whether a launch of this pipeline has been validated yet (see launch.ts). */
  validated: boolean;
}

export const DEFAULT_PIPELINE_CACHE_SIZE = 256;

export class PipelineCache {
  /** Map iteration order is insertion order, so the first key is the least recently used. */
  private readonly entries = new Map<string, Promise<PipelineEntry>>();
  private createdCount = 0;

  readonly capacity: number;

  constructor(
    private readonly device: GPUDevice,
    capacity: number = DEFAULT_PIPELINE_CACHE_SIZE,
  ) {
    // At least one entry, or a pipeline would be evicted while it is being compiled.
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** How many pipelines were compiled (not served from the cache) since creation. */
  get created(): number {
    return this.createdCount;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The pipeline for `artifact`, compiling it on first use. Concurrent requests for the
   * same key share one compilation (the promise is cached, not the result).
   */
  async get(artifact: KernelArtifact): Promise<PipelineEntry> {
    const key = pipelineKey(artifact);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      const entry = await cached;
      // A hash collision would silently run the wrong shader; compare the full text.
      if (entry.wgsl === artifact.wgsl) {
        this.entries.delete(key);
        this.entries.set(key, cached);
        return entry;
      }
    }
    const pending = this.compile(artifact, key);
    this.entries.set(key, pending);
    this.evict();
    try {
      return await pending;
    } catch (error) {
      // Do not cache failures: the error stays the caller's, and a retry recompiles.
      if (this.entries.get(key) === pending) this.entries.delete(key);
      throw error;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(key);
    }
  }

  private async compile(artifact: KernelArtifact, key: string): Promise<PipelineEntry> {
    const label = artifact.kernelName;
    // Compiled without this device's limits (compileWgsl's defaults), an artifact may bind
    // more storage buffers than the device takes: the same typed error the compiler gives.
    const limits = this.device.limits;
    const bound = artifact.tensors.map((t) => ({ name: t.name, count: t.ranges?.count ?? 1, span: t.span }));
    if (bound.reduce((n, t) => n + t.count, 0) > limits.maxStorageBuffersPerShaderStage) {
      throw new BindingLimitError(artifact.kernelName, bound, limits);
    }
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code: artifact.wgsl, label });
    const layout = this.device.createBindGroupLayout({ label, entries: layoutEntries(artifact) });
    const pipelineLayout = this.device.createPipelineLayout({ label, bindGroupLayouts: [layout] });
    const [info, scopeError] = await Promise.all([module.getCompilationInfo(), this.device.popErrorScope()]);
    const compileErrors = formatCompilationErrors(info, artifact.wgsl);
    if (compileErrors !== undefined) {
      throw new DeviceError(
        'compile',
        `internal compiler error: the generated WGSL does not compile:\n${compileErrors}`,
        'This is a Tessera compiler bug, not a mistake in your kernel; please report it ' +
          'with the kernel source (`tessera compile --emit wgsl` shows the shader).',
        artifact.kernelName,
      );
    }
    if (scopeError !== null) {
      throw new DeviceError(
        'pipeline',
        `internal compiler error: bind group layout rejected: ${scopeError.message.split('\n')[0] ?? ''}`,
        'This is a Tessera compiler bug (the artifact\'s bindings are inconsistent); please report it.',
        artifact.kernelName,
      );
    }
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await this.device.createComputePipelineAsync({
        label,
        layout: pipelineLayout,
        compute: { module, entryPoint: artifact.entryPoint },
      });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw new DeviceError(
        'pipeline',
        `internal compiler error: WebGPU rejected the compute pipeline: ${text.split('\n')[0] ?? text}`,
        'The shader compiled but does not fit its bindings or the adapter limits ' +
          '(e.g. workgroup size or workgroup memory). This is a Tessera bug; please report it.',
        artifact.kernelName,
        { cause: error },
      );
    }
    this.createdCount++;
    return { key, wgsl: artifact.wgsl, module, pipeline, layout, validated: false };
  }
}

/**
 * An explicit layout from the artifact rather than `layout: 'auto'`: with 'auto', WebGPU
 * drops bindings the entry point never uses, and binding them then fails validation. A
 * kernel whose config ignores a parameter must still launch with the same arguments.
 */
function layoutEntries(artifact: KernelArtifact): GPUBindGroupLayoutEntry[] {
  // A tensor bound as several ranges (TensorBinding.ranges) takes one entry per range.
  const entries: GPUBindGroupLayoutEntry[] = artifact.tensors.flatMap((t) => Array.from({ length: t.ranges?.count ?? 1 }, (_, j) => ({
    binding: t.binding + j,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: t.role === 'input' ? 'read-only-storage' as const : 'storage' as const },
  })));
  // WGSL has no empty structs, so a kernel without uniform fields declares no uniform.
  if (artifact.uniforms.fields.length > 0) {
    entries.push({ binding: artifact.uniforms.binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  }
  return entries;
}

export function pipelineKey(artifact: KernelArtifact): string {
  const layout = artifact.tensors.map((t) => `${t.binding}${t.role === 'input' ? 'r' : 'w'}${t.ranges ? `x${t.ranges.count}` : ''}`).join(',');
  const uniform = artifact.uniforms.fields.length > 0 ? `u${artifact.uniforms.binding}` : '';
  return `${hash53(artifact.wgsl)}:${artifact.wgsl.length}:${artifact.entryPoint}:${layout}${uniform}`;
}

// hash53 (hash.ts) keys the cache; collisions are caught by comparing the text on a hit.
