/**
 * What the tuning cache stores, and the one JSON format for the cache file, for exports
 * apps ship, and for imports. Files come from disk or from other people: everything read
 * is checked field by field, and a bad entry is dropped, never trusted.
 */
import { checkConfigInput, quoteKey, type ConfigInput } from 'tessera-gpu-compiler';
import { keyString, legacyKeyString, type TuningKey } from '../key.ts';

export const TUNINGS_FORMAT = 'tessera-tunings';
export const TUNINGS_VERSION = 1;

export interface TuningEntry {
  readonly key: TuningKey;
  /** The config to use (resolved: every knob spelled out). */
  readonly config: ConfigInput;
  /** Its median time when tuned (ms); null for imported or pinned configs never timed here. */
  readonly ms: number | null;
  /** The default config's median time in the same run, for the speed-up. */
  readonly defaultMs: number | null;
  /** Effort it was tuned at: a later call asking for more effort tunes again. */
  readonly effort: 'quick' | 'full';
  readonly configsTried: number;
  /** ISO date. */
  readonly tunedAt: string;
  /** A pinned entry wins over tuning: it is never replaced by a tuned one, and never re-tuned. */
  readonly pinned: boolean;
  /**
   * The best so far of a search that was cancelled: calls use it (it passed the output
   * check), but the next autotune at any effort searches again and replaces it.
   */
  readonly partial?: boolean;
}

export type TuningEntries = Readonly<Record<string, TuningEntry>>;

export interface TuningsFile {
  readonly format: typeof TUNINGS_FORMAT;
  readonly version: typeof TUNINGS_VERSION;
  readonly entries: TuningEntries;
}

export function tuningsFile(entries: TuningEntries): TuningsFile {
  return { format: TUNINGS_FORMAT, version: TUNINGS_VERSION, entries };
}

/** Incoming entries replace stored ones, except that a tuned entry never replaces a pinned one. */
export function mergeEntries(stored: TuningEntries, incoming: TuningEntries): Record<string, TuningEntry> {
  const out = newEntries();
  Object.assign(out, stored);
  for (const [key, entry] of Object.entries(incoming)) {
    if (out[key]?.pinned === true && !entry.pinned) continue;
    out[key] = entry;
  }
  return out;
}

/**
 * Entries by tuning key, in an object without a prototype: keys come from files, and a
 * key such as `__proto__` or `constructor` must be a plain entry, not an inherited member.
 */
export function newEntries(): Record<string, TuningEntry> {
  return Object.create(null) as Record<string, TuningEntry>;
}

/** Why an entry was left out; `kernel` when its key names one and its config is what is wrong. */
export interface EntryProblem {
  readonly message: string;
  readonly badConfigOf: string | undefined;
}

/** `dropped` counts the entries left out; `problems` says why, one each. */
export type Parsed = {
  readonly ok: true; readonly entries: Record<string, TuningEntry>; readonly dropped: number; readonly problems: readonly EntryProblem[];
} | { readonly ok: false; readonly reason: string };

/**
 * Parses a tunings file's text; `ok: false` says why the whole file is unusable. Entries
 * stored under the key string of earlier versions (which named the compiler) are moved
 * to today's, so shipped and pinned tunings keep being found.
 */
export function parseTunings(text: string): Parsed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isRecord(data) || data['format'] !== TUNINGS_FORMAT) return { ok: false, reason: `not a ${TUNINGS_FORMAT} file` };
  if (data['version'] !== TUNINGS_VERSION) return { ok: false, reason: `format version ${String(data['version'])}, expected ${TUNINGS_VERSION}` };
  const raw = data['entries'];
  if (!isRecord(raw)) return { ok: false, reason: 'no entries object' };
  const entries = newEntries();
  const problems: EntryProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const entry = toEntry(value);
    if (typeof entry === 'string') {
      const kernel = isRecord(value) && isRecord(value['key']) ? value['key']['kernel'] : undefined;
      const badConfigOf = entry.startsWith('config: ') ? (typeof kernel === 'string' ? kernel : '?') : undefined;
      problems.push({ message: `entry ${quoteKey(key)}: ${entry}`, badConfigOf });
    } else entries[key === legacyKeyString(entry.key) ? keyString(entry.key) : key] = entry;
  }
  return { ok: true, entries, dropped: problems.length, problems };
}

/** The entry, or why it is not one. */
function toEntry(v: unknown): TuningEntry | string {
  if (!isRecord(v)) return 'not an object';
  const key = v['key'];
  if (!isRecord(v['config'])) return 'no config object';
  const checked = checkConfigInput(v['config']);
  if (checked.problems.length > 0) return `config: ${checked.problems.join('; ')}`;
  if (!isRecord(key)) return 'no key object';
  const keyFields = ['kernel', 'hash', 'compiler', 'adapter', 'dtypes', 'shape', 'space'] as const;
  if (!keyFields.every((f) => typeof key[f] === 'string')) return `key needs the string fields ${keyFields.join(', ')}`;
  const numOrNull = (x: unknown): x is number | null => x === null || (typeof x === 'number' && Number.isFinite(x));
  const { ms, defaultMs, effort, configsTried, tunedAt, pinned } = v;
  if (!numOrNull(ms) || !numOrNull(defaultMs)) return 'ms and defaultMs must be numbers or null';
  if (effort !== 'quick' && effort !== 'full') return "effort must be 'quick' or 'full'";
  if (typeof configsTried !== 'number' || typeof tunedAt !== 'string' || typeof pinned !== 'boolean') return 'configsTried, tunedAt or pinned has the wrong type';
  if (v['partial'] !== undefined && typeof v['partial'] !== 'boolean') return 'partial must be a boolean';
  return {
    key: {
      kernel: String(key['kernel']), hash: String(key['hash']), compiler: String(key['compiler']),
      adapter: String(key['adapter']), dtypes: String(key['dtypes']), shape: String(key['shape']), space: String(key['space']),
    },
    // Schema-checked here (checkConfigInput: known keys, right types); the ranges that
    // depend on the kernel and adapter are checked where it is used (configProblems).
    config: checked.config,
    ms, defaultMs, effort, configsTried, tunedAt, pinned,
    ...(v['partial'] === true ? { partial: true } : {}),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
