/**
 * The autotune chart: one horizontal bar per config (in the order tried while the search
 * runs, fastest first when it is done), the best in green; a failed config gets a grey
 * "failed" row. Labels are the knobs that differ from the default. Plain SVG.
 */
import type { ConfigInput } from 'tessera-gpu-compiler';
import { configText } from '../engine.ts';
import { formatMs } from './dom.ts';

/** A config tried: the runtime's TuningRow has these fields. */
export interface ChartRow {
  readonly config: ConfigInput;
  /** Median ms; Infinity when the config failed. */
  readonly ms: number;
  readonly status: string;
  readonly message: string | null;
}

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 20;
const WIDTH = 400;
const VALUE_W = 64;
/** Width of one label character at the chart's 11px monospace. */
const CHAR_W = 6.7;
/** Bars shown at most: a full search tries hundreds. */
const MAX_ROWS = 40;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function drawChart(host: HTMLElement, all: readonly ChartRow[], best: ConfigInput | undefined, base: ConfigInput | undefined): void {
  host.replaceChildren();
  const rows = all.slice(0, MAX_ROWS);
  if (rows.length === 0) return;
  const bestKey = best === undefined ? undefined : JSON.stringify(best);
  const label = (r: ChartRow): string => configText(r.config, base);
  const slowest = Math.max(...rows.map((t) => (Number.isFinite(t.ms) ? t.ms : 0)), 1e-9);
  const LABEL_W = Math.min(WIDTH / 2, 10 + CHAR_W * Math.max(...rows.map((t) => label(t).length)));
  const barMax = WIDTH - LABEL_W - VALUE_W;
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${rows.length * ROW + 4}`,
    width: '100%',
    role: 'img',
    'aria-label': `time of each of ${rows.length} configs`,
    class: 'chart',
  });
  rows.forEach((t, i) => {
    const y = i * ROW + 2;
    const text = label(t);
    const g = svg('g', { 'data-config': text });
    g.append(svg('text', { x: LABEL_W - 6, y: y + ROW / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, text));
    if (!Number.isFinite(t.ms)) {
      g.append(svg('text', { x: LABEL_W, y: y + ROW / 2 + 4, class: 'chart-failed' }, `${t.status}: ${(t.message ?? '').split('\n')[0] ?? ''}`));
    } else {
      const w = Math.max(2, (t.ms / slowest) * barMax);
      const cls = bestKey !== undefined && JSON.stringify(t.config) === bestKey ? 'chart-bar best' : 'chart-bar';
      g.append(svg('rect', { x: LABEL_W, y: y + 3, width: w, height: ROW - 6, rx: 2, class: cls }));
      g.append(svg('text', { x: LABEL_W + w + 4, y: y + ROW / 2 + 4, class: 'chart-value' }, formatMs(t.ms)));
      g.append(svg('title', {}, `${configText(t.config)}: ${formatMs(t.ms)}`));
    }
    root.append(g);
  });
  if (all.length > rows.length) {
    root.setAttribute('viewBox', `0 0 ${WIDTH} ${(rows.length + 1) * ROW + 4}`);
    root.append(svg('text', { x: LABEL_W, y: rows.length * ROW + ROW / 2 + 6, class: 'chart-failed' }, `… and ${all.length - rows.length} more`));
  }
  host.append(root);
}
