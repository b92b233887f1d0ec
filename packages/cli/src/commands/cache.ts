/** `tessera cache list|clear|export FILE|import FILE`. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TuningsFileError, type TuningEntry } from 'tessera-gpu-runtime';
import { flag, parse, stringOption } from '../args.ts';
import { checkCachePath, openCache } from '../cache-location.ts';
import { CACHE_HELP } from '../help.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';
import { configSummary } from '../config-summary.ts';
import { formatMs, outputWidth, renderTable } from '../table.ts';

const NAME = 'cache';
const ACTIONS = ['list', 'clear', 'export', 'import'] as const;

export async function cacheCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parse(NAME, argv, { cache: { type: 'string' }, pin: { type: 'boolean' }, json: { type: 'boolean' } });
  if (flag(p, 'help')) {
    io.stdout.write(CACHE_HELP);
    return EXIT.ok;
  }
  const [action, file, ...extra] = p.positionals;
  if (action === undefined) throw new UsageError(`missing action: ${ACTIONS.join(', ')}`, NAME);
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action '${action}' (expected ${ACTIONS.join(', ')})`, NAME);
  const needsFile = action === 'export' || action === 'import';
  if (needsFile && file === undefined) throw new UsageError(`cache ${action} needs a FILE`, NAME);
  if ((!needsFile && file !== undefined) || extra.length > 0) throw new UsageError(`unexpected argument '${needsFile ? extra[0] ?? '' : file ?? ''}'`, NAME);
  if (flag(p, 'pin') && action !== 'import') throw new UsageError('--pin applies to cache import only', NAME);
  const where = await checkCachePath(io, stringOption(p, 'cache'), { write: action === 'clear' || action === 'import', command: NAME });
  const cache = openCache(io, where);

  switch (action) {
    case 'list': {
      const entries = await cache.entries();
      if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else io.stdout.write(listing(entries, where, outputWidth(io.stdout, io.env)));
      return EXIT.ok;
    }
    case 'clear': {
      const n = Object.keys(await cache.entries()).length;
      await cache.clear();
      io.stdout.write(`cleared ${n} entr${n === 1 ? 'y' : 'ies'} from ${where}\n`);
      return EXIT.ok;
    }
    case 'export': {
      const target = await exportTarget(io.cwd, file ?? '');
      const exported = await cache.export();
      await writeFile(target, `${JSON.stringify(exported, null, 1)}\n`);
      io.stdout.write(`exported ${Object.keys(exported.entries).length} entries to ${target}\n`);
      return EXIT.ok;
    }
    case 'import': {
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, file ?? ''), 'utf8');
      } catch {
        throw new UsageError(`cannot read ${file ?? ''}`, NAME);
      }
      try {
        const n = await cache.import(text, { pin: flag(p, 'pin') });
        io.stdout.write(`imported ${n} entr${n === 1 ? 'y' : 'ies'}${flag(p, 'pin') ? ' (pinned)' : ''} into ${where}\n`);
      } catch (error) {
        if (error instanceof TuningsFileError) throw new UsageError(`${file ?? ''}: ${error.message.split('\n')[0] ?? ''}`, NAME);
        throw error;
      }
      return EXIT.ok;
    }
    default:
      return EXIT.usage;
  }
}

/** Where `cache export FILE` writes: a file in an existing folder, not a directory or a device. */
async function exportTarget(cwd: string, file: string): Promise<string> {
  if (file.includes('\0')) throw new UsageError('the FILE path contains a NUL character', NAME);
  const target = resolve(cwd, file);
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory() === true) throw new UsageError(`${file} is a directory; give a file name, e.g. ${file.replace(/\/+$/, '')}/tunings.json`, NAME);
  if (info !== undefined && !info.isFile()) throw new UsageError(`${file} is not a regular file`, NAME);
  const dir = await stat(dirname(target)).catch(() => undefined);
  if (dir?.isDirectory() !== true) throw new UsageError(`cannot write ${file}: the folder ${dirname(target)} does not exist`, NAME);
  return target;
}

function listing(entries: Readonly<Record<string, TuningEntry>>, where: string, width: number | undefined): string {
  const all = Object.values(entries);
  if (all.length === 0) return `no tuned configs in ${where}\n`;
  // Fastest first within a kernel and shape; kernels and shapes in name order.
  const rows = all
    .sort((a, b) => a.key.kernel.localeCompare(b.key.kernel) || a.key.shape.localeCompare(b.key.shape) || (a.ms ?? Infinity) - (b.ms ?? Infinity))
    .map((e) => [
      e.key.kernel, e.key.shape, e.key.dtypes,
      e.ms === null ? '' : formatMs(e.ms),
      e.ms !== null && e.defaultMs !== null && e.ms > 0 ? `${(e.defaultMs / e.ms).toFixed(2)}x` : '',
      e.pinned ? 'pinned' : e.partial === true ? `${e.effort} (partial)` : e.effort, e.tunedAt.slice(0, 10),
      // The adapter's name without its driver version, e.g. "llvmpipe".
      (e.key.adapter.split('/').slice(2).join('/').split(/[:(]/)[0] ?? '').trim(),
      configSummary(e.config),
    ]);
  const table = renderTable(['kernel', 'shape', 'dtypes', 'time', 'vs default', 'effort', 'tuned', 'adapter', 'config'], rows, {
    right: new Set([3, 4]), flex: [8, 7, 1, 0], ...(width === undefined ? {} : { maxWidth: width }),
  });
  return `${all.length} tuned config(s) in ${where} (full configs: --json)\n\n${table}\n`;
}
