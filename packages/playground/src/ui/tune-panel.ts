/**
 * Autotune with the runtime's tuner: live progress and a bar per config as it is timed,
 * the winner applied to the config controls and run (so the run panel shows the tuned
 * config's result), and remembered in the runtime's tuning cache (IndexedDB). For a
 * kernel + adapter + shape tuned before, the cached config is applied on load.
 */
import type { ConfigInput } from 'tessera-gpu-compiler';
import type { TuningRow } from 'tessera-gpu-runtime';
import { configText, type TuneEffort } from '../engine.ts';
import { errorText } from '../errors.ts';
import { makeArgs } from '../inputs.ts';
import type { Current } from '../state.ts';
import { drawChart } from './chart.ts';
import { formatMs } from './dom.ts';

export interface TuneElements {
  readonly button: HTMLButtonElement;
  readonly budget: HTMLSelectElement;
  readonly progress: HTMLProgressElement;
  readonly status: HTMLElement;
  readonly chart: HTMLElement;
}

export interface TunePanel {
  /** Looks for a tuned config for the current kernel + adapter + shape (once per key). */
  lookup(): Promise<void>;
}

const EFFORTS: readonly TuneEffort[] = ['few', 'quick', 'full'];

/** The knobs that differ from the default, or words saying it is the default. */
function differing(config: ConfigInput, base: ConfigInput): string {
  const text = configText(config, base);
  return text === 'default' ? 'the default config' : text;
}

/** `apply` sets the config; `tuned` is called after a search with the winner applied. */
export function createTunePanel(el: TuneElements, cur: Current, apply: (config: ConfigInput) => void, tuned: () => void): TunePanel {
  let running: AbortController | undefined;
  let lastKey: string | undefined;

  const say = (text: string, kind: 'info' | 'ok' | 'error' = 'info'): void => {
    el.status.textContent = text;
    el.status.className = `status ${kind}`;
  };

  const tune = async (): Promise<void> => {
    const a = cur.analysis();
    if (a?.kernel === undefined || a.signature === undefined) return say('The kernel has errors: fix them before tuning.', 'error');
    const problem = cur.shapeProblem();
    if (problem !== undefined) return say(problem, 'error');
    const status = await cur.engine;
    if (!status.ok) return say(`No WebGPU: ${status.reason}`, 'error');
    const { engine } = status;
    const { kernel, signature } = a;
    const args = makeArgs(signature, cur.dims(), cur.scalars());
    const effort = EFFORTS.find((e) => e === el.budget.value) ?? 'quick';
    const base = kernel.resolveConfig();
    const controller = new AbortController();
    running = controller;
    el.button.textContent = 'Cancel';
    el.progress.hidden = false;
    el.progress.value = 0;
    const rows: TuningRow[] = [];
    drawChart(el.chart, rows, undefined, base);
    say('compiling candidate configs…');
    try {
      const r = await engine.autotune(kernel, args, {
        effort,
        signal: controller.signal,
        onProgress(p) {
          el.progress.max = Math.max(1, p.budget);
          el.progress.value = p.tried;
          if (p.last !== undefined && p.last.status !== 'invalid') rows.push(p.last);
          drawChart(el.chart, rows, p.best?.config, base);
          const best = p.best === undefined ? '—' : `${formatMs(p.best.ms)} (${differing(p.best.config, base)})`;
          say(p.phase === 'remeasure' ? `re-timing the finalists, interleaved · best ${best}` : `${p.tried}/${p.budget} configs · best ${best}`);
        },
      });
      const shown = r.results.filter((x) => x.status !== 'invalid').sort((x, y) => x.ms - y.ms);
      drawChart(el.chart, shown, r.bestMs === null ? undefined : r.best, base);
      if (r.bestMs === null) {
        return say(r.strategy.startsWith('default') ? `nothing to tune on this backend (${engine.backend}): the default config` : `no config ran (${r.results.length} tried)`, 'error');
      }
      apply(r.best);
      lastKey = undefined;
      const speedup = r.speedup === null ? '' : `, ${r.speedup.toFixed(2)}x the default`;
      const where = await engine.cacheLocation();
      const kept = r.aborted ? `cancelled; best so far kept in ${where}, marked partial` : `saved to ${where}`;
      say(`best: ${differing(r.best, base)} at ${formatMs(r.bestMs)}${speedup} ` +
        `(${r.configsTried} of ${r.spaceSize} configs, ${r.strategy}) · ${kept}`, 'ok');
      tuned();
    } catch (error) {
      say(errorText(error), 'error');
    } finally {
      running = undefined;
      el.button.textContent = 'Autotune';
      el.progress.hidden = true;
    }
  };

  el.button.addEventListener('click', () => {
    if (running) running.abort();
    else void tune();
  });

  return {
    async lookup() {
      const a = cur.analysis();
      const status = await cur.engine;
      if (a?.kernel === undefined || a.signature === undefined || !status.ok || running || cur.shapeProblem() !== undefined) return;
      const dims = cur.dims();
      const key = `${a.source}\u0000${JSON.stringify(dims)}`;
      if (key === lastKey) return;
      lastKey = key;
      try {
        const entry = await status.engine.tuned(a.kernel, makeArgs(a.signature, dims, cur.scalars()));
        if (key !== lastKey) return; // the kernel or shape changed while the cache answered
        if (entry === undefined) {
          el.chart.replaceChildren();
          return say('');
        }
        apply(entry.config);
        const base = a.kernel.resolveConfig();
        const ms = entry.ms === null ? '' : ` at ${formatMs(entry.ms)}`;
        const partial = entry.partial === true ? ', partial: the search was cancelled' : '';
        say(`tuned config from the cache: ${differing(entry.config, base)}${ms} ` +
          `(tuned ${new Date(entry.tunedAt).toLocaleString()}, ${entry.effort}${partial})`, 'ok');
      } catch (error) {
        say(`tuning cache: ${errorText(error)}`, 'error');
      }
    },
  };
}
