/**
 * The adapters dawn.node can open, by name. dawn.node's requestAdapter() gives one
 * adapter per instance: the first it finds, or, with the create() flag `adapter=NAME`,
 * the first whose name contains NAME (case-sensitive). It has no call that lists them,
 * but when no adapter matches the name, its rejection lists every adapter it saw, one
 * line each: ` * backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)'`. That list
 * is read here, from an instance asked for a name no adapter has.
 */
import { platform } from '#platform';

export interface DawnAdapter {
  /** Dawn's backend name, as its `backend=` flag takes it: 'vulkan', 'metal', 'd3d12', … */
  readonly backend: string;
  /** The adapter's name as Dawn lists and matches it (the driver's device name, e.g. 'SwiftShader Device (Subzero)'). */
  readonly name: string;
}

export type DawnAdapterList =
  | { readonly ok: true; readonly adapters: readonly DawnAdapter[] }
  | { readonly ok: false; readonly reason: string };

/** A name no adapter has (it must not be empty: an empty name matches every adapter). */
const NO_SUCH_ADAPTER = 'adapter=tessera: list adapters';
const LISTED = /^ \* backend: '([^']*)', name: '(.*)'$/;
/** Instances with a request in flight: dawn.node frees an instance once its GPU object is collected. */
const listing = new Set<GPU>();

/**
 * Lists already read, by flags and the Vulkan loader's driver variables (the loader reads
 * them each time an instance starts): each listing starts a Dawn instance, which costs
 * time and, on lavapipe, prints Dawn's two limit warnings again.
 */
const listed = new Map<string, Promise<DawnAdapterList>>();
const LOADER_VARIABLES = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'] as const;

/** Every adapter a dawn.node instance with `flags` can open (a name or backend flag in them is replaced). */
export function listDawnAdapters(flags: readonly string[] = []): Promise<DawnAdapterList> {
  const env = (globalThis as { process?: { env: Readonly<Record<string, string | undefined>> } }).process?.env ?? {};
  const key = [...listingFlags(flags), ...LOADER_VARIABLES.map((v) => env[v] ?? '')].join('\n');
  let list = listed.get(key);
  if (list === undefined) {
    list = readAdapterList(listingFlags(flags));
    listed.set(key, list);
  }
  return list;
}

async function readAdapterList(flags: readonly string[]): Promise<DawnAdapterList> {
  let gpu: GPU;
  try {
    gpu = (await platform.loadDawn()).create([...withoutChoice(flags), NO_SUCH_ADAPTER]);
  } catch (error) {
    return { ok: false, reason: `dawn.node (the 'webgpu' package) did not start: ${firstLine(error)}` };
  }
  listing.add(gpu);
  try {
    await gpu.requestAdapter();
    return { ok: false, reason: 'dawn.node gave an adapter for a name none has, so its adapters cannot be listed' };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const adapters = text.split('\n').flatMap((line): DawnAdapter[] => {
      const m = LISTED.exec(line);
      return m === null ? [] : [{ backend: m[1] ?? '', name: m[2] ?? '' }];
    });
    if (adapters.length === 0 && !text.includes('Available adapters:')) return { ok: false, reason: `dawn.node: ${firstLine(error)}` };
    return { ok: true, adapters };
  } finally {
    listing.delete(gpu);
  }
}

/** The create() flags that open `adapter`: `flags` with its backend and its whole name. */
export function dawnAdapterFlags(adapter: DawnAdapter, flags: readonly string[]): string[] {
  return [...withoutChoice(flags), `backend=${adapter.backend}`, `adapter=${adapter.name}`];
}

/** The adapter whose name contains `query`, ignoring case; a whole name wins over a part of one. */
export function matchDawnAdapter(query: string, adapters: readonly DawnAdapter[]): DawnAdapter | undefined {
  const q = query.toLowerCase();
  return adapters.find((a) => a.name.toLowerCase() === q) ?? adapters.find((a) => a.name.toLowerCase().includes(q));
}

/** The flags that decide which adapters there are: not the feature toggles (`tessera devices` lists without them). */
function listingFlags(flags: readonly string[]): string[] {
  return withoutChoice(flags).filter((f) => !f.startsWith('enable-dawn-features=') && !f.startsWith('disable-dawn-features='));
}

function withoutChoice(flags: readonly string[]): string[] {
  return flags.filter((f) => !f.startsWith('adapter=') && !f.startsWith('backend='));
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
