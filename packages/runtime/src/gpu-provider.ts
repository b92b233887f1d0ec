/**
 * Finding a WebGPU implementation: the browser's `navigator.gpu`, else Dawn's Node
 * binding (the `webgpu` npm package). Kept apart from device creation so tests and the
 * CLI can ask "is there WebGPU here?" without creating a device.
 */
import { platform } from '#platform';
import type { DawnModule } from './platform/platform.ts';

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
  if (platform.name !== 'node') {
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

async function loadDawn(flags: readonly string[]): Promise<GPUProvider> {
  // The Vulkan loader prints errors when XDG_RUNTIME_DIR is unset (common in containers
  // and CI). It reads the variable itself, so the process must set it (docs/getting-started.md);
  // a library changing its caller's environment would surprise the caller more.
  let dawn: DawnModule;
  try {
    dawn = await platform.loadDawn();
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

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}
