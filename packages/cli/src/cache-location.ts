/** The tuning cache file: --cache, else the default under the user's cache directory. */
import { TuningCache, defaultCacheFile } from 'tessera-gpu-runtime';
import type { CliIO } from './io.ts';

export function cachePath(io: CliIO, option: string | undefined): string {
  return option ?? defaultCacheFile(io.env, process.platform);
}

export function openCache(io: CliIO, option: string | undefined): TuningCache {
  return TuningCache.file(cachePath(io, option), { onWarning: (m) => io.stderr.write(`${m}\n`) });
}
