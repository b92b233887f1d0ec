/**
 * Where tuned configs live. The cache logic talks only to this interface; Node uses a JSON
 * file (file-store.ts), browsers IndexedDB (indexeddb-store.ts), tests and apps that must
 * not persist anything a MemoryStore.
 */
import { mergeEntries, type TuningEntries, type TuningEntry } from './entries.ts';

export interface TuningStore {
  /** Where it lives, for messages: a file path, `indexeddb:tessera/autotune`, `memory`. */
  readonly location: string;
  get(key: string): Promise<TuningEntry | undefined>;
  /** Merges entries into the store (see mergeEntries: pinned entries survive). */
  put(entries: TuningEntries): Promise<void>;
  all(): Promise<Record<string, TuningEntry>>;
  clear(): Promise<void>;
}

export class MemoryStore implements TuningStore {
  readonly location = 'memory';
  private entries: Record<string, TuningEntry> = {};

  get(key: string): Promise<TuningEntry | undefined> {
    return Promise.resolve(this.entries[key]);
  }

  put(entries: TuningEntries): Promise<void> {
    this.entries = mergeEntries(this.entries, entries);
    return Promise.resolve();
  }

  all(): Promise<Record<string, TuningEntry>> {
    return Promise.resolve({ ...this.entries });
  }

  clear(): Promise<void> {
    this.entries = {};
    return Promise.resolve();
  }
}
