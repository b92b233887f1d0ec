/** The browser side of `#platform` (see platform.ts): no Dawn, no files, IndexedDB for tunings. */
import { IndexedDbStore } from '../autotune/cache/indexeddb-store.ts';
import { MemoryStore } from '../autotune/cache/store.ts';
import type { Platform } from './platform.ts';

export const platform: Platform = {
  name: 'browser',
  loadDawn: () => Promise.reject(new Error("Dawn's Node binding (the 'webgpu' package) runs only in Node")),
  hardwareThreads: () => Promise.resolve((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency),
  nodeWorkers: () => Promise.resolve(undefined),
  fileStore: (path) => Promise.reject(new Error(`a tuning cache file (${path}) needs Node; browsers keep tunings in IndexedDB`)),
  defaultStore: () => {
    const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    return Promise.resolve(idb !== undefined ? new IndexedDbStore(idb) : new MemoryStore());
  },
  environment: () => ({ problems: [] }),
  writeLine: (line) => console.info(line),
  writeStatus: () => false,
};
