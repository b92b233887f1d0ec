/**
 * Finding a WebGPU implementation: the browser's `navigator.gpu`, else Dawn's Node
 * binding (the `webgpu` npm package). Kept apart from device creation so tests and the
 * CLI can ask "is there WebGPU here?" without creating a device.
 */
import { platform } from '#platform';
import type { DawnModule } from './platform/platform.ts';
import { dawnAdapterFlags, listDawnAdapters, matchDawnAdapter } from './dawn-adapters.ts';

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
  /**
   * Node only: run on the adapter whose name contains this, ignoring case (e.g.
   * 'swiftshader', 'llvmpipe'; `tessera devices` lists them). A driver the Vulkan loader
   * does not know of (SwiftShader) must be added with VK_ADD_DRIVER_FILES first.
   */
  readonly adapter?: string;
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
    if (options.adapter !== undefined) {
      return Promise.resolve({ ok: false, reason: `adapter '${options.adapter}': a browser picks its adapter itself; choosing one by name works under Node (dawn.node)` });
    }
    return Promise.resolve({ ok: true, gpu: nav.gpu, source: 'navigator' });
  }
  if (platform.name !== 'node') {
    return Promise.resolve({
      ok: false,
      reason: 'this browser has no navigator.gpu (WebGPU is disabled or unsupported)',
    });
  }
  const flags = options.dawnFlags ?? DEFAULT_DAWN_FLAGS;
  const key = [options.adapter ?? '', ...flags].join('\n');
  let provider = dawnInstances.get(key);
  if (provider === undefined) {
    provider = options.adapter === undefined ? loadDawn(flags) : loadNamedAdapter(options.adapter, flags);
    dawnInstances.set(key, provider);
  }
  return provider;
}

/** An instance that opens only the adapter named (in part) `name`: its exact name goes to dawn.node's `adapter=`. */
async function loadNamedAdapter(name: string, flags: readonly string[]): Promise<GPUProvider> {
  const listed = await listDawnAdapters(flags);
  if (!listed.ok) return listed;
  const found = matchDawnAdapter(name, listed.adapters);
  if (found === undefined) {
    const offered = listed.adapters.map((a) => `'${a.name}'`).join(', ') || 'none';
    return {
      ok: false,
      reason: `no adapter named '${name}' (dawn.node offers: ${offered}); ` +
        'a Vulkan driver the loader does not know of is added with VK_ADD_DRIVER_FILES=/path/to/its_icd.json',
    };
  }
  return loadDawn(dawnAdapterFlags(found, flags));
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
