/** `tessera cache list|clear|export FILE|import FILE`. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TuningsFileError, type TuningEntry } from 'tessera-gpu-runtime';
import { flag, parse, stringOption } from '../args.ts';
import { cachePath, openCache } from '../cache-location.ts';
import { CACHE_HELP } from '../help.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';
import { formatMs, renderTable } from '../table.ts';

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
  const option = stringOption(p, 'cache');
  const cache = openCache(io, option);
  const where = cachePath(io, option);

  switch (action) {
    case 'list': {
      const entries = await cache.entries();
      if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else io.stdout.write(listing(entries, where));
      return EXIT.ok;
    }
    case 'clear': {
      const n = Object.keys(await cache.entries()).length;
      await cache.clear();
      io.stdout.write(`cleared ${n} entr${n === 1 ? 'y' : 'ies'} from ${where}\n`);
      return EXIT.ok;
    }
    case 'export': {
      const target = resolve(io.cwd, file ?? '');
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

function listing(entries: Readonly<Record<string, TuningEntry>>, where: string): string {
  const all = Object.values(entries);
  if (all.length === 0) return `no tuned configs in ${where}\n`;
  const rows = all
    .sort((a, b) => (a.key.kernel + a.key.shape < b.key.kernel + b.key.shape ? -1 : 1))
    .map((e) => [
      e.key.kernel, e.key.shape, e.key.dtypes, JSON.stringify(e.config),
      e.ms === null ? '' : formatMs(e.ms),
      e.ms !== null && e.defaultMs !== null && e.ms > 0 ? `${(e.defaultMs / e.ms).toFixed(2)}x` : '',
      e.pinned ? 'pinned' : e.effort, e.key.adapter.split('/').slice(2).join('/').slice(0, 40), e.tunedAt.slice(0, 16).replace('T', ' '),
    ]);
  return `${all.length} tuned config(s) in ${where}\n\n${renderTable(['kernel', 'shape', 'dtypes', 'config', 'time', 'vs default', 'effort', 'adapter', 'tuned'], rows, new Set([4, 5]))}\n`;
}
