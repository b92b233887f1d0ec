/**
 * Choosing an adapter and describing it. A machine may expose a real GPU and a software
 * rasterizer at once (lavapipe, SwiftShader); kernels belong on the GPU, so hardware wins,
 * and the chosen adapter is always reported so a slow run is never a mystery.
 */

/** The limits the compiler and autotuner size configs against. */
export interface DeviceLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxBufferSize: number;
  /**
   * Storage buffers one kernel may bind, and the alignment of a binding's offset: a tensor
   * over maxStorageBufferBindingSize is bound as several ranges (the compiler's
   * wgsl/ranges.ts), each a binding. Absent on the CPU backends, which bind nothing.
   */
  readonly maxStorageBuffersPerShaderStage?: number;
  readonly minStorageBufferOffsetAlignment?: number;
  /** Subgroup sizes, where the adapter has subgroups and reports them (GPUAdapterInfo). */
  readonly subgroupMinSize?: number;
  readonly subgroupMaxSize?: number;
}

export interface AdapterDescription {
  readonly backend: 'webgpu' | 'interpreter' | 'wasm';
  /** Short human name: the driver's description, else the device, else the vendor. */
  readonly name: string;
  readonly description: string;
  readonly vendor: string;
  readonly architecture: string;
  /** A CPU implementation (lavapipe, SwiftShader, a fallback adapter): slow, but real WebGPU. */
  readonly software: boolean;
  readonly features: readonly string[];
  readonly limits: DeviceLimits;
}

/** Features the compiler can use when present; requested on the device whenever offered. */
// Typed as strings: TF.js (a benchmark peer) drags in older @webgpu/types whose
// GPUFeatureName lacks 'subgroups'; requestDevice takes these names either way.
export const USEFUL_FEATURES = ['timestamp-query', 'subgroups', 'shader-f16'] as readonly string[] as readonly GPUFeatureName[];

/** Limits requested at the adapter's best (maximum, or for an alignment its minimum): WebGPU's defaults are far lower. */
export const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  // An alignment: the adapter's value is its smallest (WebGPU's default is 256). Ranged
  // tensors (the compiler's wgsl/ranges.ts) step by multiples of it.
  'minStorageBufferOffsetAlignment',
] as const;

export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo in the spec; read both.
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const fallback = (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  // Fields one by one: GPUAdapterInfo's are prototype getters, which a spread would not copy.
  const { vendor, architecture, device, description } = adapter.info;
  return isSoftwareInfo({ vendor, architecture, device, description, isFallbackAdapter: fallback || legacy });
}

/** Whether adapter info (from an adapter, or a GPUDevice's adapterInfo) names a CPU implementation. */
export function isSoftwareInfo(info: {
  readonly vendor: string; readonly architecture: string; readonly device: string; readonly description: string; readonly isFallbackAdapter: boolean;
}): boolean {
  const all = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  const arch = info.architecture.toLowerCase();
  return (
    info.isFallbackAdapter ||
    all.includes('swiftshader') ||
    (info.vendor.toLowerCase() === 'mesa' && (arch.includes('llvmpipe') || arch.includes('software'))) ||
    all.includes('llvmpipe')
  );
}

/**
 * Asks for a high-performance adapter and for the default one, and returns the best:
 * hardware before software, then the order asked. Null when there is none.
 */
export async function pickAdapter(gpu: GPU): Promise<GPUAdapter | null> {
  const requests: GPURequestAdapterOptions[] = [{ powerPreference: 'high-performance' }, {}];
  const found: GPUAdapter[] = [];
  for (const options of requests) {
    // A failing request (some implementations throw instead of returning null) just
    // means that kind of adapter is not there.
    const adapter = await gpu.requestAdapter(options).catch(() => null);
    if (adapter !== null && !found.some((a) => sameAdapter(a, adapter))) found.push(adapter);
  }
  return found.find((a) => !isSoftwareAdapter(a)) ?? found[0] ?? null;
}

function sameAdapter(a: GPUAdapter, b: GPUAdapter): boolean {
  const key = (x: GPUAdapter): string =>
    [x.info.vendor, x.info.architecture, x.info.device, x.info.description].join('|');
  return a === b || key(a) === key(b);
}

export function describeAdapter(
  adapter: GPUAdapter,
  features: GPUSupportedFeatures = adapter.features,
  limits: GPUSupportedLimits = adapter.limits,
): AdapterDescription {
  const info = adapter.info;
  return {
    backend: 'webgpu',
    name: info.description || info.device || info.vendor || 'unknown adapter',
    description: info.description,
    vendor: info.vendor,
    architecture: info.architecture,
    software: isSoftwareAdapter(adapter),
    features: [...features].sort(),
    limits: describeLimits(limits, features, info),
  };
}

/**
 * The limits configs are sized against, from a GPUAdapter's or a GPUDevice's
 * `limits`; subgroup sizes only where the 'subgroups' feature is there and `info`
 * reports them.
 */
export function describeLimits(limits: GPUSupportedLimits, features: GPUSupportedFeatures, info: Partial<GPUAdapterInfo>): DeviceLimits {
  return {
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxBufferSize: limits.maxBufferSize,
    maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    minStorageBufferOffsetAlignment: limits.minStorageBufferOffsetAlignment,
    ...(features.has('subgroups') && typeof info.subgroupMinSize === 'number' && typeof info.subgroupMaxSize === 'number' && info.subgroupMinSize > 0
      ? { subgroupMinSize: info.subgroupMinSize, subgroupMaxSize: info.subgroupMaxSize } : {}),
  };
}

/** One line: what runs the kernels, e.g. "llvmpipe: Mesa 25.0.7 (mesa/software, software) …". */
export function describeLine(d: AdapterDescription): string {
  if (d.backend === 'interpreter') return `interpreter: ${d.description}`;
  if (d.backend === 'wasm') return `wasm: ${d.description}`;
  const kind = d.software ? 'software adapter (CPU)' : 'hardware adapter';
  const useful = d.features.filter((f) => (USEFUL_FEATURES as readonly string[]).includes(f));
  const mib = (n: number): string => `${Math.floor(n / 2 ** 20)} MiB`;
  return (
    `WebGPU: ${d.name} [${d.vendor || '?'}/${d.architecture || '?'}], ${kind}; ` +
    `features: ${useful.length > 0 ? useful.join(', ') : 'none of timestamp-query/subgroups/shader-f16'}; ` +
    `max storage binding ${mib(d.limits.maxStorageBufferBindingSize)}, ` +
    `workgroup storage ${d.limits.maxComputeWorkgroupStorageSize} B, ` +
    `${d.limits.maxComputeInvocationsPerWorkgroup} invocations/workgroup`
  );
}
