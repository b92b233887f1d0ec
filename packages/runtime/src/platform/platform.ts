/**
 * What differs between Node and a browser, behind one interface. The runtime imports it
 * as `#platform` (package.json `imports`): Node and Node bundlers (condition `node`)
 * resolve node.ts, browsers and browser bundlers (condition `browser`, and the default)
 * resolve browser.ts. So a browser bundle never contains dawn.node, node:fs or the file
 * tuning store, and a Node bundle reaches them through literal imports a bundler follows.
 */
import type { TuningStore } from '../autotune/cache/store.ts';
import type { FileStoreOptions } from '../autotune/cache/file-store.ts';
import type { EnvironmentSettings } from '../settings/environment.ts';

/** Dawn's Node binding: the `webgpu` package's exports that Tessera uses. */
export interface DawnModule {
  create(flags: string[]): GPU;
  readonly globals: object;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  /** Loads Dawn's Node binding; rejects where there is none (browsers, or `webgpu` not installed). */
  loadDawn(): Promise<DawnModule>;
  /** A tuning store in a JSON file; rejects in browsers. */
  fileStore(path: string, options: FileStoreOptions): Promise<TuningStore>;
  /**
   * The store the default tuning cache uses: a JSON file under the cache directory in Node
   * (TESSERA_CACHE_DIR, else the user's cache directory), IndexedDB in browsers (memory
   * where there is neither).
   */
  defaultStore(): Promise<TuningStore>;
  /** The TESSERA_* settings of the process environment (Node); none in browsers. */
  environment(): EnvironmentSettings;
  /** Threads the machine runs at once (Node's os.availableParallelism), when known. */
  hardwareThreads(): Promise<number | undefined>;
  /**
   * Node's `worker_threads` module for the wasm backend's pool, and the worker-side source
   * that connects a worker's `handle`/`post` to its parent port (wasm/worker-source.ts);
   * undefined in browsers, which use Web Workers.
   */
  nodeWorkers(): Promise<{ readonly module: unknown; readonly connect: string } | undefined>;
  /** Writes one line of diagnostics output: stderr in Node, the console in browsers. */
  writeLine(line: string): void;
  /**
   * Rewrites the current status line in place when the output is a terminal; returns
   * false (the caller prints whole lines, less often) when it is not.
   */
  writeStatus(line: string): boolean;
}
