/**
 * The tuning cache file: --cache, else the default under the user's cache directory.
 * The path is checked before any work starts, so a search is never run only to find
 * that its result cannot be kept: a directory, a device, a file where a folder should
 * be, or a folder without write permission is reported at once, in one line.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TuningCache, defaultCacheFile } from 'tessera-gpu-runtime';
import { CliError, UsageError, type CliIO } from './io.ts';

export function cachePath(io: CliIO, option: string | undefined): string {
  return option === undefined ? defaultCacheFile(io.env, process.platform) : resolve(io.cwd, option);
}

export interface CacheCheck {
  /** The command will write the file (autotune, clear, import), not only read it. */
  readonly write: boolean;
  readonly command: string;
}

/** Throws a one-line error when the cache file cannot be used as asked. */
export async function checkCachePath(io: CliIO, option: string | undefined, check: CacheCheck): Promise<string> {
  const path = cachePath(io, option);
  // A bad --cache is a bad argument (exit 2); a bad default comes from the environment (exit 1).
  const fail = (why: string): never => {
    if (option !== undefined) throw new UsageError(`--cache ${option}: ${why}`, check.command);
    throw new CliError(`the tuning cache ${path} (from XDG_CACHE_HOME or HOME): ${why}; pass --cache FILE`);
  };
  if (path.includes('\0')) fail('the path contains a NUL character');
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined) {
    if (info.isDirectory()) fail(`is a directory; give the cache file's path, e.g. ${path.replace(/\/+$/, '')}/autotune.json`);
    if (!info.isFile()) fail('is not a regular file');
    if (check.write && !(await writable(path))) fail('is not writable');
    return path;
  }
  // The file does not exist yet: the nearest existing folder above must be a folder we may write into.
  let dir = dirname(path);
  for (;;) {
    const d = await stat(dir).catch(() => undefined);
    if (d !== undefined) {
      if (!d.isDirectory()) fail(`${dir} is a file, not a folder`);
      if (check.write && !(await writable(dir))) fail(`the folder ${dir} is not writable`);
      return path;
    }
    const up = dirname(dir);
    if (up === dir) return path;
    dir = up;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function openCache(io: CliIO, path: string): TuningCache {
  return TuningCache.file(path, { onWarning: (m) => io.stderr.write(`${m}\n`) });
}
