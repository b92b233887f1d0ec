/**
 * The tuning cache: tuned (and pinned) configs by tuning key, over a TuningStore.
 * `defaultTuningCache()` is what kernels use unless given another: a JSON file under the
 * user's cache directory in Node, IndexedDB in browsers, memory elsewhere.
 */
import { TesseraError } from 'tessera-gpu-dsl/errors';
import { ConfigError } from 'tessera-gpu-compiler';
import { newEntries, parseTunings, tuningsFile, type TuningEntries, type TuningEntry, type TuningsFile } from './entries.ts';
import { platform } from '#platform';
import { MemoryStore, type TuningStore } from './store.ts';

/** A tunings file that cannot be imported. */
export class TuningsFileError extends TesseraError {
  constructor(reason: string) {
    super('E_TUNINGS', `cannot import tunings: ${reason}`, 'Import a file written by `tessera cache export` or TuningCache.export().');
  }
}

export interface FileCacheOptions {
  readonly onWarning?: (message: string) => void;
}

export class TuningCache {
  private storePromise: Promise<TuningStore> | undefined;

  constructor(private readonly makeStore: TuningStore | (() => Promise<TuningStore>)) {}

  /** Nothing persists: for tests, and for apps that ship their tunings. */
  static memory(): TuningCache {
    return new TuningCache(new MemoryStore());
  }

  /** A JSON file (Node only). */
  static file(path: string, options: FileCacheOptions = {}): TuningCache {
    return new TuningCache(() => platform.fileStore(path, options.onWarning === undefined ? {} : { onWarning: options.onWarning }));
  }

  store(): Promise<TuningStore> {
    const s = this.makeStore;
    this.storePromise ??= typeof s === 'function' ? s() : Promise.resolve(s);
    return this.storePromise;
  }

  async location(): Promise<string> {
    return (await this.store()).location;
  }

  async lookup(key: string): Promise<TuningEntry | undefined> {
    return (await this.store()).get(key);
  }

  async record(key: string, entry: TuningEntry): Promise<void> {
    await (await this.store()).put({ [key]: entry });
  }

  async entries(): Promise<Record<string, TuningEntry>> {
    return (await this.store()).all();
  }

  async clear(): Promise<void> {
    await (await this.store()).clear();
  }

  /** Every entry, as a file an app can ship and import. */
  async export(): Promise<TuningsFile> {
    return tuningsFile(await this.entries());
  }

  /**
   * Merges a tunings file (its text or parsed JSON). With `pin`, the entries are pinned:
   * calls use them and never re-tune (deterministic mode). Returns how many were taken.
   */
  async import(file: unknown, options: { readonly pin?: boolean } = {}): Promise<number> {
    const parsed = parseTunings(typeof file === 'string' ? file : JSON.stringify(file));
    if (!parsed.ok) throw new TuningsFileError(parsed.reason);
    // An import is all or nothing: a file with a bad entry is refused, naming it (and the
    // config key, when a config is what is wrong).
    const first = parsed.problems[0];
    if (first !== undefined) {
      const more = parsed.problems.length > 5 ? `; ${parsed.problems.length - 5} more` : '';
      const reasons = parsed.problems.slice(0, 5).map((q) => q.message);
      if (first.badConfigOf !== undefined) throw new ConfigError(first.badConfigOf, [`${reasons.join('; ')}${more}`]);
      throw new TuningsFileError(`${reasons.join('; ')}${more}`);
    }
    const entries = newEntries();
    for (const [key, entry] of Object.entries(parsed.entries)) entries[key] = options.pin === true ? { ...entry, pinned: true } : entry;
    await (await this.store()).put(entries satisfies TuningEntries);
    return Object.keys(entries).length;
  }
}

let defaultCache: TuningCache | undefined;

/**
 * The cache kernels use when given none: in Node a JSON file found from TESSERA_CACHE_DIR,
 * XDG_CACHE_HOME or HOME (cache/location.ts); IndexedDB in browsers (#platform).
 */
export function defaultTuningCache(): TuningCache {
  defaultCache ??= new TuningCache(() => platform.defaultStore());
  return defaultCache;
}

/** Replaces the default cache (e.g. with TuningCache.memory(), or a file elsewhere). */
export function setDefaultTuningCache(cache: TuningCache): void {
  defaultCache = cache;
}
