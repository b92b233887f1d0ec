/**
 * Renders benchmark results: a markdown table (for the terminal and docs/benchmarks.md)
 * and an SVG bar chart of speed-ups over each peer (docs/benchmarks.svg).
 */
import { readFileSync } from 'node:fs';
import type { Timing } from './harness.ts';
import type { Peaks } from './roofline.ts';
import { readStability, renderStability } from './autotune-stability-report.ts';
import { existingSection } from './doc-section.ts';

/** Sections other studies write into the page (bench/first-call.ts, bench/defaults.ts): kept as they are. */
const STUDY_MARKERS = ['<!-- first-call -->', '<!-- defaults -->'];

export interface BenchRow {
  readonly workload: string;
  readonly shape: string;
  readonly bytes: number;
  readonly flops: number;
  readonly targets: Readonly<Record<string, number>>;
  readonly config: unknown;
  /** Which side: GPU rows have roofline columns against the adapter's peaks; CPU rows do not. */
  readonly side: 'gpu' | 'cpu';
  readonly timings: Readonly<Record<string, Timing>>;
}

export interface BenchResult {
  readonly date: string;
  readonly adapter: string;
  readonly peaks: Peaks;
  readonly rows: readonly BenchRow[];
}

const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

export function peerNames(rows: readonly BenchRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.timings)) if (k !== 'tessera') names.add(k);
  return [...names];
}

export function renderTable(r: BenchResult): string {
  const peers = peerNames(r.rows);
  const head = ['workload', 'shape', 'tessera ms', 'GFLOP/s', 'GB/s', '% peak BW', '% peak FMA', ...peers.map((p) => `${p} ms`), ...peers.map((p) => `× vs ${p}`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of r.rows) {
    const t = row.timings['tessera']?.medianMs ?? NaN;
    const secs = t / 1000;
    const cells = [
      row.workload, row.shape, fmt(t),
      fmt(row.flops / secs / 1e9), fmt(row.bytes / secs / 1e9),
      row.side === 'gpu' ? fmt((100 * row.bytes / secs) / r.peaks.copyBytesPerSec, 0) : 'n/a',
      row.side === 'gpu' ? fmt((100 * row.flops / secs) / r.peaks.fmaFlopsPerSec, 0) : 'n/a',
      ...peers.map((p) => fmt(row.timings[p]?.medianMs ?? NaN)),
      ...peers.map((p) => {
        const ratio = (row.timings[p]?.medianMs ?? NaN) / t;
        const target = row.targets[p];
        return `${fmt(ratio)}×${target !== undefined ? (ratio >= target ? ` (≥ ${target} ✓)` : ` (target ${target}, missed)`) : ''}`;
      }),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function renderMarkdown(r: BenchResult): string {
  return `# Benchmarks

Tessera kernels against the same computation in TF.js (WebGPU backend), jax-js (WebGPU
device) and a naive hand-written WGSL kernel, all on the same adapter in one process.
Every implementation is timed the same way: one call, then waiting until the device is
idle; the median over repeated samples (tinybench) is quoted, taken in three rounds that
alternate between Tessera and its peers, so a slow patch of the machine hits them alike.
Tessera runs with the fastest of a few hand-picked configs and the one \`autotune({ effort:
'quick' })\` picks, compared in interleaved rounds by GPU time. Speed-ups are peer time ÷
Tessera time. The roofline columns compare with the adapter's measured peaks (a vec4 copy
kernel for bandwidth, a register FMA chain for compute).

- adapter: ${r.adapter}
- measured peaks: copy ${fmt(r.peaks.copyBytesPerSec / 1e9)} GB/s, FMA ${fmt(r.peaks.fmaFlopsPerSec / 1e9)} GFLOP/s
- run: ${r.date} — reproduce with \`npm run bench\`

![speed-ups](benchmarks.svg)

<!-- table -->
${renderTable(r)}
<!-- table -->
${renderBundleSize(readBundleSize())}${renderStability(readStability())}
The machine is shared and has 2 cores: absolute times move between runs; the ratios,
measured in one process, are what to compare.
${STUDY_MARKERS.map((m) => existingSection(m)).filter((s) => s !== '').map((s) => `\n${s}\n`).join('')}`;
}

export function renderSvg(r: BenchResult): string {
  const peers = peerNames(r.rows);
  const colors = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2'];
  const barH = 14;
  const groupH = peers.length * barH + 18;
  const width = 640;
  const left = 170;
  const ratios = r.rows.flatMap((row) => peers.map((p) => (row.timings[p]?.medianMs ?? NaN) / (row.timings['tessera']?.medianMs ?? NaN)));
  const maxRatio = Math.max(2, ...ratios.filter(Number.isFinite));
  const scale = (width - left - 60) / Math.log2(maxRatio * 2);
  const x = (ratio: number): number => left + Math.max(0, Math.log2(ratio * 2)) * scale;
  const height = r.rows.length * groupH + 60;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="16" font-size="13">Tessera speed-up over each peer (log scale; right of the line = Tessera faster)</text>`,
    `<line x1="${x(1)}" y1="24" x2="${x(1)}" y2="${height - 30}" stroke="#333" stroke-dasharray="3,3"/>`,
    `<text x="${x(1) + 3}" y="${height - 18}">1×</text>`,
  ];
  r.rows.forEach((row, i) => {
    const y0 = 30 + i * groupH;
    parts.push(`<text x="10" y="${y0 + groupH / 2}">${row.workload} ${row.shape}</text>`);
    peers.forEach((p, j) => {
      const ratio = (row.timings[p]?.medianMs ?? NaN) / (row.timings['tessera']?.medianMs ?? NaN);
      if (!Number.isFinite(ratio)) return;
      const y = y0 + j * barH;
      const x1 = Math.min(x(ratio), x(1));
      const w = Math.abs(x(ratio) - x(1));
      parts.push(`<rect x="${x1}" y="${y}" width="${Math.max(1, w)}" height="${barH - 3}" fill="${colors[j % colors.length] ?? '#999'}"/>`);
      parts.push(`<text x="${Math.max(x(ratio), x(1)) + 4}" y="${y + barH - 5}">${ratio.toFixed(2)}× vs ${p}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The browser bundle's size, measured by the packaging test (test/packaging) into this file. */
const BUNDLE_SIZE_FILE = 'bench/results/bundle-size.json';

interface BundleSize {
  readonly kernel: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly entryBytes?: number;
  readonly entryGzipBytes?: number;
}

function readBundleSize(): BundleSize | undefined {
  try {
    return JSON.parse(readFileSync(BUNDLE_SIZE_FILE, 'utf8')) as BundleSize;
  } catch {
    return undefined;
  }
}

export function renderBundleSize(size: BundleSize | undefined): string {
  if (size === undefined) return '';
  const kB = (n: number): string => (n / 1000).toFixed(1);
  return `
## Browser bundle

A Vite production build of a browser app with one ${size.kernel} kernel, Tessera installed
from its packed tarballs (the packaging test, \`npm test -- test/packaging\`, measures it into
${BUNDLE_SIZE_FILE}): **${kB(size.bytes)} kB of JavaScript, ${kB(size.gzipBytes)} kB gzip**${
    size.entryBytes === undefined || size.entryGzipBytes === undefined ? '' : `, of which the page loads
${kB(size.entryBytes)} kB (${kB(size.entryGzipBytes)} kB gzip) first; the rest, the wasm backend's path, loads
only when an app asks for that backend`}. It holds the parser, checker, compiler and
runtime; no Node built-ins and nothing of dawn.node.
`;
}
