/**
 * Autotune progress on stderr. On a terminal: one bar redrawn in place (configs tried of
 * the budget, best so far, ETA). Elsewhere (CI logs, pipes): one plain line per config.
 */
import type { AutotuneProgress } from 'tessera-gpu-runtime';
import type { Output } from './io.ts';
import { formatMs } from './table.ts';

export interface Progress {
  update(p: AutotuneProgress): void;
  /** Clears the bar (terminal) so the table starts on a clean line. */
  finish(): void;
  note(text: string): void;
  /** Like note, but printed under --quiet too. */
  warn(text: string): void;
}

export function progressReporter(out: Output, quiet: boolean): Progress {
  if (quiet) return { update: () => undefined, finish: () => undefined, note: () => undefined, warn: (text) => out.write(`${text}\n`) };
  const reporter = out.isTTY === true ? barReporter(out) : lineReporter(out);
  return { ...reporter, warn: reporter.note };
}

function barReporter(out: Output): Omit<Progress, 'warn'> {
  let shown = false;
  const clear = (): void => {
    if (shown) out.write('\r\x1b[2K');
    shown = false;
  };
  return {
    update(p) {
      // Unknown width (0 or unset, e.g. under `script`): assume a common terminal.
      const width = Math.max(40, (out.columns !== undefined && out.columns > 0 ? out.columns : 100) - 1);
      const barWidth = 20;
      const filled = p.budget > 0 ? Math.min(barWidth, Math.round((barWidth * p.tried) / p.budget)) : 0;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
      const phase = p.phase === 'remeasure' ? 're-timing finalists' : `${p.tried}/${p.budget} configs`;
      const best = p.best === undefined ? 'best —' : `best ${formatMs(p.best.ms)} (${p.best.label})`;
      const eta = p.etaMs === null ? '' : ` · ETA ${clock(p.etaMs)}`;
      // Times before the best config's label: a long label is what gets cut on a narrow terminal.
      const line = `${bar} ${phase} · ${clock(p.elapsedMs)} elapsed${eta} · ${best}`;
      out.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    finish: clear,
    note(text) {
      clear();
      out.write(`${text}\n`);
    },
  };
}

function lineReporter(out: Output): Omit<Progress, 'warn'> {
  let remeasuring = false;
  return {
    update(p) {
      if (p.phase === 'search' && p.last !== undefined) {
        const r = p.last;
        const what = r.status === 'ok' ? formatMs(r.ms) : `${r.status}${r.message === null ? '' : ` (${r.message})`}`;
        const best = p.best === undefined ? '' : `; best ${formatMs(p.best.ms)}`;
        out.write(`[${p.tried}/${p.budget}] ${r.label}: ${what}${best}\n`);
      } else if (p.phase === 'remeasure' && !remeasuring) {
        remeasuring = true;
        out.write('re-timing the finalists, interleaved…\n');
      }
    },
    finish: () => undefined,
    note: (text) => out.write(`${text}\n`),
  };
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
