/**
 * The browser tuning store: one IndexedDB object store, one record per key. IndexedDB
 * transactions are atomic, and a put of one key cannot drop another tab's keys, so no
 * locking is needed; merging (pinned entries survive) happens inside the transaction.
 */
import { mergeEntries, type TuningEntries, type TuningEntry } from './entries.ts';
import type { TuningStore } from './store.ts';

const STORE = 'autotune';

export class IndexedDbStore implements TuningStore {
  readonly location: string;
  private db: Promise<IDBDatabase> | undefined;

  constructor(private readonly factory: IDBFactory, private readonly name = 'tessera-autotune') {
    this.location = `indexeddb:${name}/${STORE}`;
  }

  async get(key: string): Promise<TuningEntry | undefined> {
    const db = await this.open();
    const value = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(key));
    return value === undefined ? undefined : (value as TuningEntry);
  }

  async all(): Promise<Record<string, TuningEntry>> {
    const db = await this.open();
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    const out: Record<string, TuningEntry> = {};
    keys.forEach((k, i) => {
      const v = values[i] as TuningEntry | undefined;
      if (v !== undefined) out[String(k)] = v;
    });
    return out;
  }

  async put(entries: TuningEntries): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    // Each put is issued from its get's success callback, inside the same transaction
    // (awaiting between requests could let the transaction commit early).
    for (const [key, entry] of Object.entries(entries)) {
      const get = store.get(key);
      get.onsuccess = () => {
        const existing = get.result as TuningEntry | undefined;
        const merged = mergeEntries(existing === undefined ? {} : { [key]: existing }, { [key]: entry })[key];
        if (merged !== undefined) store.put(merged, key);
      };
    }
    await done(tx);
  }

  async clear(): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    await done(tx);
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(this.name, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`IndexedDB open of '${this.name}' failed`));
    });
    return this.db;
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}
