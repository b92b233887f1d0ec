/**
 * The autotune chart: one horizontal bar per config tried, in the order tried, the fastest
 * in green; a failed config gets a grey "failed" row. Plain SVG, redrawn on each trial.
 */
import { configText, type TuneTrial } from '../engine.ts';
import { formatMs } from './dom.ts';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 20;
const WIDTH = 400;
const VALUE_W = 64;
/** Width of one label character at the chart's 11px monospace. */
const CHAR_W = 6.7;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function drawChart(host: HTMLElement, trials: readonly TuneTrial[], best: TuneTrial | undefined): void {
  host.replaceChildren();
  if (trials.length === 0) return;
  const slowest = Math.max(...trials.map((t) => t.ms ?? 0), 1e-9);
  const LABEL_W = Math.min(WIDTH / 2, 10 + CHAR_W * Math.max(...trials.map((t) => configText(t.config).length)));
  const barMax = WIDTH - LABEL_W - VALUE_W;
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${trials.length * ROW + 4}`,
    width: '100%',
    role: 'img',
    'aria-label': `time of each of ${trials.length} configs`,
    class: 'chart',
  });
  trials.forEach((t, i) => {
    const y = i * ROW + 2;
    const g = svg('g', { 'data-config': configText(t.config) });
    g.append(svg('text', { x: LABEL_W - 6, y: y + ROW / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, configText(t.config)));
    if (t.ms === undefined) {
      g.append(svg('text', { x: LABEL_W, y: y + ROW / 2 + 4, class: 'chart-failed' }, `failed: ${(t.error ?? '').split('\n')[0] ?? ''}`));
    } else {
      const w = Math.max(2, (t.ms / slowest) * barMax);
      const cls = t === best ? 'chart-bar best' : 'chart-bar';
      g.append(svg('rect', { x: LABEL_W, y: y + 3, width: w, height: ROW - 6, rx: 2, class: cls }));
      g.append(svg('text', { x: LABEL_W + w + 4, y: y + ROW / 2 + 4, class: 'chart-value' }, formatMs(t.ms)));
      g.append(svg('title', {}, `${configText(t.config)}: ${formatMs(t.ms)}`));
    }
    root.append(g);
  });
  host.append(root);
}
