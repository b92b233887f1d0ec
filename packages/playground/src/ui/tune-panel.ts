/**
 * Autotune: try configs, show progress and a bar per config as it is timed, keep the best,
 * save it in IndexedDB; and, for a kernel + adapter + shape tuned before, load it back.
 */
import type { ConfigInput } from 'tessera-gpu-compiler';
import { autotune, configText, fastest, type TuneBudget, type TuneTrial } from '../engine.ts';
import { errorText } from '../errors.ts';
import { makeArgs } from '../inputs.ts';
import type { Current } from '../state.ts';
import { loadTuned, saveTuned, tunedKey } from '../tuned-store.ts';
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

export function createTunePanel(el: TuneElements, cur: Current, apply: (config: ConfigInput) => void): TunePanel {
  let running: AbortController | undefined;
  let lastKey: string | undefined;

  const say = (text: string, kind: 'info' | 'ok' | 'error' = 'info'): void => {
    el.status.textContent = text;
    el.status.className = `status ${kind}`;
  };

  const tune = async (): Promise<void> => {
    const a = cur.analysis();
    if (a?.kernel === undefined || a.signature === undefined) return say('The kernel has errors: fix them before tuning.', 'error');
    const status = await cur.engine;
    if (!status.ok) return say(`No WebGPU: ${status.reason}`, 'error');
    const { engine } = status;
    const { kernel, signature } = a;
    const dims = cur.dims();
    const args = makeArgs(signature, dims, cur.scalars());
    const controller = new AbortController();
    running = controller;
    el.button.textContent = 'Cancel';
    el.progress.hidden = false;
    el.progress.value = 0;
    const trials: TuneTrial[] = [];
    drawChart(el.chart, trials, undefined);
    say('compiling candidate configs…');
    try {
      const r = await autotune(engine, kernel, signature, args, {
        budget: el.budget.value as TuneBudget,
        measure: { repeats: 10, maxMs: 400 },
        signal: controller.signal,
        onProgress(p) {
          trials.push(p.trial);
          const best = fastest(trials);
          el.progress.max = p.total;
          el.progress.value = p.done;
          drawChart(el.chart, trials, best);
          say(`${p.done}/${p.total} configs · best ${best?.ms === undefined ? '—' : `${formatMs(best.ms)} (${configText(best.config)})`}`);
        },
      });
      const skipped = r.skipped > 0 ? ` · ${r.skipped} invalid skipped` : '';
      if (r.best?.ms === undefined) return say(`no config ran${skipped}`, 'error');
      apply(r.best.config);
      const key = tunedKey(a.source, engine.name, dims);
      lastKey = key;
      await saveTuned({
        key, kernelName: signature.name, adapter: engine.name, shape: dims, config: r.best.config,
        medianMs: r.best.ms, trials: r.trials, tunedAt: new Date().toISOString(),
      });
      say(`${r.cancelled ? 'cancelled; best so far' : 'best'}: ${configText(r.best.config)} at ${formatMs(r.best.ms)} ` +
        `(${r.trials.length} configs${skipped}) · saved to IndexedDB`, 'ok');
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
      if (a?.kernel === undefined || !status.ok || running) return;
      const key = tunedKey(a.source, status.engine.name, cur.dims());
      if (key === lastKey) return;
      lastKey = key;
      try {
        const entry = await loadTuned(key);
        if (key !== lastKey) return; // the kernel or shape changed while IndexedDB answered
        if (entry === undefined) {
          el.chart.replaceChildren();
          return say('');
        }
        apply(entry.config);
        drawChart(el.chart, entry.trials, fastest(entry.trials));
        say(`tuned config loaded from IndexedDB: ${configText(entry.config)} at ${formatMs(entry.medianMs)} ` +
          `(tuned ${new Date(entry.tunedAt).toLocaleString()})`, 'ok');
      } catch (error) {
        say(`IndexedDB: ${errorText(error)}`, 'error');
      }
    },
  };
}
