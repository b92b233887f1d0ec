/**
 * The Node tuning store: one JSON file (by default ~/.cache/tessera/autotune.json).
 *
 * Writes are atomic and merging: under a lock file, re-read the file, merge the new
 * entries in, write a temp file beside it and rename it over the old one. A reader never
 * sees half a file, and two processes tuning at once both keep their entries — without
 * the lock, both could read the old file and the second rename would drop the first's
 * entries. A lock left by a dead process is taken over once stale.
 *
 * A corrupt or truncated file is reported once (onWarning) and treated as empty; the next
 * write rebuilds it.
 */
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mergeEntries, parseTunings, tuningsFile, type TuningEntries, type TuningEntry } from './entries.ts';
import type { TuningStore } from './store.ts';
import { CacheError } from '../../errors.ts';

export interface FileStoreOptions {
  /** Called with a one-line message for a corrupt file or a lock that could not be taken. Default console.warn. */
  readonly onWarning?: (message: string) => void;
  /** Longest wait for the lock before writing without it (ms). Default 10000. */
  readonly lockTimeoutMs?: number;
  /** A lock older than this is considered abandoned (ms). Default 30000. */
  readonly staleLockMs?: number;
}

export class FileStore implements TuningStore {
  readonly location: string;
  private readonly onWarning: (message: string) => void;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  /** The contents last warned about, so one corrupt file is reported once. */
  private warnedAbout: string | undefined;

  constructor(readonly path: string, options: FileStoreOptions = {}) {
    this.location = path;
    this.onWarning = options.onWarning ?? ((m) => console.warn(m));
    this.lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.staleLockMs = options.staleLockMs ?? 30_000;
  }

  async get(key: string): Promise<TuningEntry | undefined> {
    return (await this.all())[key];
  }

  async all(): Promise<Record<string, TuningEntry>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return {};
      throw cacheFault(this.path, 'read', error);
    }
    const parsed = parseTunings(text);
    if (!parsed.ok) {
      if (this.warnedAbout !== text) {
        this.warnedAbout = text;
        this.onWarning(`tessera: ignoring the tuning cache ${this.path}: ${parsed.reason}; it will be rebuilt`);
      }
      return {};
    }
    if (parsed.dropped > 0 && this.warnedAbout !== text) {
      this.warnedAbout = text;
      this.onWarning(`tessera: dropped ${parsed.dropped} malformed entr${parsed.dropped === 1 ? 'y' : 'ies'} from the tuning cache ${this.path}: ${parsed.problems.slice(0, 3).map((q) => q.message).join(' | ')}${parsed.dropped > 3 ? ` | ${parsed.dropped - 3} more` : ''}`);
    }
    return parsed.entries;
  }

  async put(entries: TuningEntries): Promise<void> {
    await this.guarded('write', () => this.locked(async () => this.write(mergeEntries(await this.all(), entries))));
  }

  async clear(): Promise<void> {
    await this.guarded('clear', () => this.locked(async () => this.write({})));
  }

  /** Raw fs errors (EISDIR, ENOTDIR, EACCES, a NUL in the path, …) become one CacheError naming the file. */
  private async guarded(operation: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw error instanceof CacheError ? error : cacheFault(this.path, operation, error);
    }
  }

  private async write(entries: TuningEntries): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(tuningsFile(entries), null, 1)}\n`, 'utf8');
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  private async locked(work: () => Promise<void>): Promise<void> {
    const lock = `${this.path}.lock`;
    await mkdir(dirname(this.path), { recursive: true });
    const deadline = Date.now() + this.lockTimeoutMs;
    let held = false;
    while (!held) {
      try {
        const handle = await open(lock, 'wx');
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        held = true;
      } catch (error) {
        if (!isNodeError(error, 'EEXIST')) throw error;
        if (await this.isStale(lock)) {
          await unlink(lock).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) {
          this.onWarning(`tessera: could not lock ${lock} within ${this.lockTimeoutMs} ms; writing the tuning cache without it`);
          break;
        }
        await sleep(5 + Math.random() * 20);
      }
    }
    try {
      await work();
    } finally {
      if (held) await unlink(lock).catch(() => undefined);
    }
  }

  /** Abandoned: older than staleLockMs, or its owner (a process on this machine) is gone. */
  private async isStale(lock: string): Promise<boolean> {
    try {
      const [info, text] = await Promise.all([stat(lock), readFile(lock, 'utf8')]);
      if (Date.now() - info.mtimeMs > this.staleLockMs) return true;
      const pid = Number.parseInt(text, 10);
      if (!Number.isInteger(pid) || pid <= 0) return false;
      try {
        process.kill(pid, 0);
        return false;
      } catch (error) {
        return isNodeError(error, 'ESRCH');
      }
    } catch {
      // Gone between our open and this stat: not stale, just retry.
      return false;
    }
  }
}

const FAULTS: Readonly<Record<string, string>> = {
  EISDIR: 'the path is a directory, not a file',
  ENOTDIR: 'a folder on the path is a file',
  // mkdir -p over a file reports EEXIST; the lock's own EEXIST never gets here.
  EEXIST: 'a folder on the path is a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
  ERR_INVALID_ARG_VALUE: 'the path is not a valid file name (it contains a NUL byte?)',
  ERR_INVALID_ARG_TYPE: 'the path is not a valid file name',
};

function cacheFault(path: string, operation: string, error: unknown): CacheError {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  const known = typeof code === 'string' ? FAULTS[code] : undefined;
  const reason = known ?? (error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error));
  // JSON quoting shows a NUL or a line break in the path instead of printing it raw.
  return new CacheError(JSON.stringify(path), operation, reason, { cause: error });
}

function isNodeError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
