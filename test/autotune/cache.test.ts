/**
 * The tuning cache without a GPU: the file store's atomic, merging writes (two processes
 * writing at once lose nothing), corrupt files (a warning, then rebuilt), pinned entries,
 * export/import, the default location, and the compiler fingerprint entries carry (an
 * entry tuned by other compiler code re-tunes once, on the wasm backend; a pinned one serves).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMPILER_FINGERPRINT as COMPILER_OWN_FINGERPRINT } from 'tessera-gpu-compiler';
import {
  COMPILER_FINGERPRINT, COMPILER_VERSION, TuningCache, TuningsFileError, MemoryStore, defaultCacheFile, init, keyString,
  mergeEntries, parseTunings, type Device, type TuningEntry,
} from 'tessera-gpu-runtime';
import { add, addReference } from '../../examples/add.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

function entry(kernel: string, extra: Partial<TuningEntry> = {}): TuningEntry {
  return {
    key: { kernel, hash: 'h', compiler: '0.1.0', adapter: 'test/adapter', dtypes: 'f32', shape: 'N=1024', space: 's' },
    config: { blocks: { tn: 64 }, workgroupSize: 64 }, ms: 1, defaultMs: 2, effort: 'quick', configsTried: 10,
    tunedAt: '2026-01-01T00:00:00.000Z', pinned: false, ...extra,
  };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cache-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file tuning cache', () => {
  it('round-trips entries and leaves no temp or lock files', async () => {
    const path = join(dir, 'nested', 'autotune.json');
    const cache = TuningCache.file(path);
    await cache.record('a', entry('a'));
    await cache.record('b', entry('b'));
    expect(Object.keys(await TuningCache.file(path).entries()).sort()).toEqual(['a', 'b']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['autotune.json']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ format: 'tessera-tunings', version: 1 });
  });

  it('a corrupt or truncated file is ignored with one warning, then rebuilt', async () => {
    const path = join(dir, 'autotune.json');
    const good = TuningCache.file(path);
    await good.record('a', entry('a'));
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    const warnings: string[] = [];
    const cache = TuningCache.file(path, { onWarning: (m) => warnings.push(m) });
    expect(await cache.lookup('a')).toBeUndefined();
    expect(await cache.lookup('a')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ignoring the tuning cache .*autotune\.json: not valid JSON.*rebuilt/);
    await cache.record('b', entry('b'));
    expect(parseTunings(await readFile(path, 'utf8')).ok).toBe(true);
    expect(Object.keys(await cache.entries())).toEqual(['b']);
  });

  it('a file of another format or version is ignored the same way', async () => {
    const path = join(dir, 'autotune.json');
    const warnings: string[] = [];
    await writeFile(path, JSON.stringify({ format: 'tessera-tunings', version: 99, entries: {} }));
    expect(await TuningCache.file(path, { onWarning: (m) => warnings.push(m) }).entries()).toEqual({});
    expect(warnings[0]).toMatch(/format version 99/);
  });

  it('drops malformed entries and keeps the rest', async () => {
    const path = join(dir, 'autotune.json');
    await writeFile(path, JSON.stringify({ format: 'tessera-tunings', version: 1, entries: { good: entry('good'), bad: { config: 3 } } }));
    const warnings: string[] = [];
    expect(Object.keys(await TuningCache.file(path, { onWarning: (m) => warnings.push(m) }).entries())).toEqual(['good']);
    expect(warnings[0]).toMatch(/dropped 1 malformed entry/);
  });

  it('two processes writing at once lose no entries', async () => {
    const path = join(dir, 'autotune.json');
    const writer = join(ROOT, 'test/autotune/fixtures/cache-writer.ts');
    // Both start writing at the same moment, once loaded (loading takes seconds on a busy machine).
    const startAt = String(Date.now() + 8000);
    const child = (tag: string) => run(process.execPath, ['--import', 'tsx', writer, path, tag, '25', startAt], { cwd: ROOT });
    await Promise.all([child('left'), child('right')]);
    const keys = Object.keys(await TuningCache.file(path).entries());
    expect(keys).toHaveLength(50);
    for (let i = 0; i < 25; i++) expect(keys).toContain(`left-${i}`), expect(keys).toContain(`right-${i}`);
  }, 60_000);

  it('takes over a lock left by a dead process', async () => {
    const path = join(dir, 'autotune.json');
    // PIDs are below 2^22 on Linux: this one cannot be running.
    await writeFile(`${path}.lock`, '99999999\n');
    const cache = TuningCache.file(path);
    await cache.record('a', entry('a'));
    expect(await cache.lookup('a')).toBeDefined();
  });

  it('clear() empties the file', async () => {
    const cache = TuningCache.file(join(dir, 'autotune.json'));
    await cache.record('a', entry('a'));
    await cache.clear();
    expect(await cache.entries()).toEqual({});
  });
});

describe('pinned entries, export and import', () => {
  it('a tuned entry never replaces a pinned one; a pinned one replaces anything', () => {
    const pinned = entry('k', { pinned: true, config: { workgroupSize: 32 } });
    const tuned = entry('k', { config: { workgroupSize: 128 } });
    expect(mergeEntries({ k: pinned }, { k: tuned })['k']).toBe(pinned);
    expect(mergeEntries({ k: tuned }, { k: pinned })['k']).toBe(pinned);
  });

  it('exports a file that imports elsewhere, optionally pinned', async () => {
    const source = new TuningCache(new MemoryStore());
    await source.record('a', entry('a'));
    await source.record('b', entry('b'));
    const shipped = JSON.stringify(await source.export());
    const app = TuningCache.file(join(dir, 'app.json'));
    expect(await app.import(shipped, { pin: true })).toBe(2);
    expect((await app.lookup('a'))?.pinned).toBe(true);
    expect(await TuningCache.memory().import(JSON.parse(shipped))).toBe(2);
  });

  it('rejects a file that is not a tunings file, saying why', async () => {
    await expect(TuningCache.memory().import('{"hello": 1}')).rejects.toThrow(TuningsFileError);
    await expect(TuningCache.memory().import('not json')).rejects.toThrow(/not valid JSON/);
  });
});

describe('default location', () => {
  it('follows XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheFile({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'linux')).toBe('/x/cache/tessera/autotune.json');
    expect(defaultCacheFile({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/tessera/autotune.json');
    expect(defaultCacheFile({ XDG_CACHE_HOME: '', HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/tessera/autotune.json');
    expect(defaultCacheFile({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Local\\tessera\\autotune.json');
  });
});

describe('compiler fingerprint', () => {
  it('is the version and a hash of the compiler sources, and fingerprint.ts is up to date', async () => {
    expect(COMPILER_FINGERPRINT).toBe(COMPILER_OWN_FINGERPRINT);
    expect(COMPILER_FINGERPRINT).toMatch(new RegExp(`^${COMPILER_VERSION.replace(/\./g, '\\.')}\\+[0-9a-f]{12}$`));
    // Fails after compiler code changes until `node scripts/compiler-fingerprint.mjs` (or `pnpm build`) runs.
    await expect(run(process.execPath, [join(ROOT, 'scripts/compiler-fingerprint.mjs'), '--check'], { cwd: ROOT })).resolves.toBeDefined();
  });

  it('is not part of the key string; an entry stored under the old key string (which named it) moves to the new one', () => {
    const e = entry('k');
    expect(keyString(e.key)).not.toContain(e.key.compiler);
    const legacy = [`k#h`, `compiler=${e.key.compiler}`, 'test/adapter', 'f32', 'N=1024', 'space#s'].join('|');
    const parsed = parseTunings(JSON.stringify({ format: 'tessera-tunings', version: 1, entries: { [legacy]: e, other: e } }));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(Object.keys(parsed.entries).sort()).toEqual([keyString(e.key), 'other'].sort());
  });

  describe('on the wasm backend', () => {
    let device: Device;
    beforeAll(async () => {
      device = await init({ backend: 'wasm', threads: 1 });
    });
    afterAll(() => device.dispose());

    const n = 3001;
    const xs = randomF32(n, 11, -4, 4);
    const ys = randomF32(n, 12, -4, 4);
    const tune = (cache: TuningCache) =>
      add.autotune([device.tensor(xs, [n]), device.tensor(ys, [n])], { effort: 'quick', cache, maxConfigs: 3, progress: false, onWarning: () => undefined });
    /** The stored entry, as if another compiler had tuned it. */
    const fromOtherCompiler = async (cache: TuningCache, pinned: boolean) => {
      const [[key, stored]] = Object.entries(await cache.entries()) as [[string, TuningEntry]];
      await cache.clear();
      await cache.record(key, { ...stored, key: { ...stored.key, compiler: '0.0.1+000000000000' }, pinned });
      return key;
    };

    it('an entry tuned by other compiler code is tuned again once, then served; the config still computes x + y', async () => {
      const cache = TuningCache.memory();
      const first = await tune(cache);
      expect(first.fromCache).toBe(false);
      expect((await cache.lookup(first.key))?.key.compiler).toBe(COMPILER_FINGERPRINT);
      expect((await tune(cache)).fromCache).toBe(true);

      const key = await fromOtherCompiler(cache, false);
      expect(key).toBe(first.key);
      const retuned = await tune(cache);
      expect(retuned.fromCache).toBe(false);
      expect(retuned.benchmarks).toBeGreaterThan(0);
      expect((await cache.lookup(key))?.key.compiler).toBe(COMPILER_FINGERPRINT);
      expect(Object.keys(await cache.entries())).toEqual([key]);
      const again = await tune(cache);
      expect(again.fromCache).toBe(true);

      const [out] = await add.run([device.tensor(xs, [n]), device.tensor(ys, [n])], { config: again.best, device });
      expect(maxAbsDiff(await out!.read(), addReference(xs, ys))).toBe(0);
    }, 120_000);

    it('a pinned entry from other compiler code still serves, with no benchmark', async () => {
      const cache = TuningCache.memory();
      await tune(cache);
      await fromOtherCompiler(cache, true);
      const served = await tune(cache);
      expect(served.fromCache).toBe(true);
      expect(served.pinned).toBe(true);
      expect(served.benchmarks).toBe(0);
    }, 120_000);
  });
});
