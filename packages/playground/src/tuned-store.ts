/**
 * Tuned configs, kept in IndexedDB so a reload (or the next visit) starts from the best
 * config found. Keyed by kernel source hash + adapter + shape: a config tuned on one
 * adapter or shape says little about another.
 */
import type { ConfigInput } from 'tessera-gpu-compiler';
import type { TuneTrial } from './engine.ts';
import { hash53 } from 'tessera-gpu-runtime';

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

/** The kernel source's hash (the runtime's hash53); a collision only costs a wrong starting config. */
export function hashSource(text: string): string {
  return hash53(text);
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
