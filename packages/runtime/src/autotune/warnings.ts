/**
 * What an autotune run reports besides its winner: a search where most configs failed,
 * and a cache that could not be read or written. Neither loses the result; both are said
 * (AutotuneResult.warnings, and options.onWarning as they happen).
 */
import type { TuningEntry } from './cache/entries.ts';
import type { TuningCache } from './cache/tuning-cache.ts';
import { errorText } from './search.ts';

export type Warn = (message: string) => void;

/** Collects warnings and passes each one on (default: console.warn). */
export function warningSink(onWarning: Warn | undefined): { readonly warnings: string[]; readonly warn: Warn } {
  const warnings: string[] = [];
  const pass = onWarning ?? ((m: string) => console.warn(`tessera: ${m}`));
  return { warnings, warn: (m) => { warnings.push(m); pass(m); } };
}

/** A cache that cannot be read is a miss, with a warning: the search still runs. */
export async function lookupOrWarn(cache: TuningCache, key: string, warn: Warn): Promise<TuningEntry | undefined> {
  try {
    return await cache.lookup(key);
  } catch (error) {
    warn(`${errorText(error)}; tuning without it`);
    return undefined;
  }
}

/** A cache that cannot be written loses the entry, not the result: a warning. */
export async function recordOrWarn(cache: TuningCache, key: string, entry: TuningEntry, warn: Warn): Promise<void> {
  try {
    await cache.record(key, entry);
  } catch (error) {
    warn(`${errorText(error)}; the result is returned but not saved`);
  }
}

/** "Nearly everything failed" in words: when no config ran, or most of those tried failed. */
export function failureWarning(statuses: readonly string[]): string | undefined {
  const tried = statuses.filter((s) => s !== 'invalid');
  const failed = tried.filter((s) => s !== 'ok');
  if (failed.length === 0 || failed.length * 2 < tried.length) return undefined;
  const counts = new Map<string, number>();
  for (const s of failed) counts.set(s, (counts.get(s) ?? 0) + 1);
  const byStatus = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  return failed.length === tried.length
    ? `every config tried failed (${byStatus}): no tuned result; 'best' is the default config, untimed`
    : `${failed.length} of ${tried.length} configs tried failed (${byStatus}): the winner comes from the ${tried.length - failed.length} that ran`;
}
