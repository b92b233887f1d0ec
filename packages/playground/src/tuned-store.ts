/**
 * Tuned configs, kept in IndexedDB so a reload (or the next visit) starts from the best
 * config found. Keyed by kernel source hash + adapter + shape: a config tuned on one
 * adapter or shape says little about another.
 */
import type { ConfigInput } from '@tessera/compiler';
import type { TuneTrial } from './engine.ts';

export interface TunedEntry {
  readonly key: string;
  readonly kernelName: string;
  readonly adapter: string;
  readonly shape: Readonly<Record<string, number>>;
  /** The winning config, as tried (knobs left out take their defaults). */
  readonly config: ConfigInput;
  readonly medianMs: number;
  /** Every config tried, so the chart can be drawn again. */
  readonly trials: readonly TuneTrial[];
  readonly tunedAt: string;
}

const DB_NAME = 'tessera-playground';
const STORE = 'tuned-configs';

/** cyrb53: a fast 53-bit string hash; collisions only cost a wrong starting config. */
export function hashSource(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function tunedKey(source: string, adapter: string, shape: Readonly<Record<string, number>>): string {
  const dims = Object.keys(shape).sort().map((d) => `${d}=${shape[d] ?? 0}`).join(',');
  return `${hashSource(source.trim())}|${adapter}|${dims}`;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

let db: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  db ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'key' });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB is unavailable'));
  });
  return db;
}

export async function loadTuned(key: string): Promise<TunedEntry | undefined> {
  const store = (await open()).transaction(STORE, 'readonly').objectStore(STORE);
  const found: unknown = await request(store.get(key));
  return isEntry(found) ? found : undefined;
}

export async function saveTuned(entry: TunedEntry): Promise<void> {
  const tx = (await open()).transaction(STORE, 'readwrite');
  tx.objectStore(STORE).put(entry);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
  });
}

function isEntry(v: unknown): v is TunedEntry {
  return typeof v === 'object' && v !== null && typeof Reflect.get(v, 'key') === 'string' &&
    typeof Reflect.get(v, 'config') === 'object' && Array.isArray(Reflect.get(v, 'trials'));
}
