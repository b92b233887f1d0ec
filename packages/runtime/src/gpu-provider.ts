/**
 * Finding a WebGPU implementation: the browser's `navigator.gpu`, else Dawn's Node
 * binding (the `webgpu` npm package). Kept apart from device creation so tests and the
 * CLI can ask "is there WebGPU here?" without creating a device.
 */

export type GPUProvider = { readonly ok: true; readonly gpu: GPU; readonly source: 'injected' | 'navigator' | 'dawn.node' }
  | { readonly ok: false; readonly reason: string };

export interface ProviderOptions {
  /** Use this GPU object (e.g. one made by `create()` with custom flags) instead of finding one. */
  readonly gpu?: GPU;
  /**
   * Flags for dawn.node's `create()`. The default turns off timestamp quantization: Dawn
   * rounds timestamps to ~0.26 ms for browser privacy, which makes GPU timing of small
   * kernels read 0; nothing in a Node process needs that mitigation.
   */
  readonly dawnFlags?: readonly string[];
}

export const DEFAULT_DAWN_FLAGS: readonly string[] = ['disable-dawn-features=timestamp_quantization'];

/** One dawn.node instance per flag set: each `create()` starts a Dawn instance with its own adapters. */
const dawnInstances = new Map<string, Promise<GPUProvider>>();

export function findGPU(options: ProviderOptions = {}): Promise<GPUProvider> {
  if (options.gpu !== undefined) {
    return Promise.resolve({ ok: true, gpu: options.gpu, source: 'injected' });
  }
  const nav: { gpu?: GPU } | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined) {
    return Promise.resolve({ ok: true, gpu: nav.gpu, source: 'navigator' });
  }
  if (!isNode()) {
    return Promise.resolve({
      ok: false,
      reason: 'this browser has no navigator.gpu (WebGPU is disabled or unsupported)',
    });
  }
  const flags = options.dawnFlags ?? DEFAULT_DAWN_FLAGS;
  const key = flags.join('\n');
  let provider = dawnInstances.get(key);
  if (provider === undefined) {
    provider = loadDawn(flags);
    dawnInstances.set(key, provider);
  }
  return provider;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

async function loadDawn(flags: readonly string[]): Promise<GPUProvider> {
  // The Vulkan loader logs errors when XDG_RUNTIME_DIR is unset (common in containers and
  // CI). Any writable directory silences it; the OS temp dir is one the process can use.
  if (process.env['XDG_RUNTIME_DIR'] === undefined) {
    const { tmpdir } = await import('node:os');
    process.env['XDG_RUNTIME_DIR'] = tmpdir();
  }
  let dawn: DawnModule;
  try {
    // A variable specifier keeps browser bundlers from trying to bundle a native addon.
    const specifier = 'webgpu';
    dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (error) {
    return { ok: false, reason: `the 'webgpu' package (dawn.node) could not be loaded: ${message(error)}` };
  }
  installGlobals(dawn.globals);
  try {
    return { ok: true, gpu: dawn.create([...flags]), source: 'dawn.node' };
  } catch (error) {
    return { ok: false, reason: `dawn.node failed to start: ${message(error)}` };
  }
}

/**
 * WebGPU code (ours and the user's) refers to GPUBufferUsage, GPUMapMode etc. as globals,
 * as in a browser. Install only the ones missing, never replacing a host's own.
 */
function installGlobals(globals: object): void {
  const target = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in target)) target[name] = value;
  }
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}
