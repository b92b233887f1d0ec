/**
 * autotune()'s default progress report, for runs that pass no onProgress: one status line
 * on stderr, rewritten in place on a terminal, otherwise a line every few seconds, and a
 * last line when the search is done. Node only (a browser page shows its own progress);
 * TESSERA_LOG=warn or silent turns it off.
 */
import { platform } from '#platform';
import { logs } from '../settings/log.ts';
import type { AutotuneProgress } from './autotune.ts';

/** Least time between two plain lines when the output is not a terminal (ms). */
const LINE_EVERY_MS = 5000;

export function defaultProgress(kernel: string): ((progress: AutotuneProgress) => void) | undefined {
  if (platform.name !== 'node' || !logs('info')) return undefined;
  let lastLine = -Infinity;
  let rewriting = false;
  return (p) => {
    const text = progressText(kernel, p);
    if (p.phase === 'done') {
      platform.writeLine(rewriting ? `\r${text}` : text);
      return;
    }
    if (platform.writeStatus(text)) {
      rewriting = true;
      return;
    }
    if (p.elapsedMs - lastLine < LINE_EVERY_MS) return;
    lastLine = p.elapsedMs;
    platform.writeLine(text);
  };
}

/** What the line shows of an AutotuneProgress. */
export type ProgressFacts = Pick<AutotuneProgress, 'phase' | 'tried' | 'budget' | 'elapsedMs' | 'etaMs'> & {
  readonly best: { readonly label: string; readonly ms: number } | undefined;
};

export function progressText(kernel: string, p: ProgressFacts): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const best = p.best === undefined ? 'no valid config yet' : `best ${p.best.ms.toFixed(3)} ms (${p.best.label})`;
  if (p.phase === 'done') return `tessera: autotuned ${kernel}: ${p.tried} configs in ${seconds(p.elapsedMs)}, ${best}`;
  const step = p.phase === 'remeasure' ? 're-timing the finalists' : `${p.tried}/${p.budget} configs`;
  const eta = p.etaMs === null ? '' : `, ~${seconds(p.etaMs)} left`;
  return `tessera: autotuning ${kernel}: ${step}, ${best}, ${seconds(p.elapsedMs)}${eta}`;
}
