/**
 * Defaults against tuned configs: what a user who passes no config gets (the adapter's
 * defaults, chosen from the shape and the loop structure; the tuning cache is not read)
 * against the config `autotune({ effort: 'quick' })` finds with the cache off, both timed
 * in interleaved rounds in one process (wall clock per call, waiting for the device).
 * Writes bench/results/defaults.json and the "Defaults against tuned configs" section of
 * docs/benchmarks.md.
 *
 *   pnpm exec tsx bench/defaults.ts [--adapter NAME] [--only NAME] [--max-seconds N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { KernelConfig } from 'tessera-gpu';
import { benchDevice } from './adapter.ts';
import { spliceSection } from './doc-section.ts';
import { timeInterleaved } from './harness.ts';
import { EXTRA_WORKLOADS } from './workloads-extra.ts';
import { HELION_WORKLOADS } from './workloads-helion.ts';
import { WORKLOADS } from './workloads.ts';

/** The workloads studied, with the largest default ÷ tuned ratio the project accepts (if it sets one). */
const STUDIED: readonly { readonly name: string; readonly target?: number }[] = [
  { name: 'long-row sum', target: 1.5 },
  { name: 'welford', target: 1.5 },
  { name: 'geglu' },
  { name: 'swiglu' },
  { name: 'softmax' },
  { name: 'layernorm' },
];
const ROUNDS = 5;
const MARK = '<!-- defaults -->';

interface DefaultsRow {
  readonly workload: string;
  readonly shape: string;
  readonly defaultConfig: KernelConfig;
  readonly tunedConfig: KernelConfig;
  readonly defaultMs: number;
  readonly tunedMs: number;
  readonly configsTried: number;
  /** The autotuner kept the default (timed once). */
  readonly same: boolean;
  readonly target?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const device = await benchDevice(process.argv);
  console.log(`adapter: ${device.describe()}`);
  const only = arg('only');
  const maxSeconds = Number(arg('max-seconds') ?? 60);
  const all = [...WORKLOADS, ...EXTRA_WORKLOADS, ...HELION_WORKLOADS];
  const rows: DefaultsRow[] = [];
  for (const s of STUDIED) {
    const w = all.find((x) => x.name === s.name);
    if (!w || (only && !w.name.includes(only))) continue;
    const t = w.tessera(device);
    const defaultConfig = await t.kernel.bestConfig(t.args, { cache: false });
    const tuned = await t.kernel.autotune(t.args, { effort: 'quick', cache: false, maxSeconds });
    const call = (config: KernelConfig) => async () => {
      const outs = await t.kernel.run(t.args, { config });
      await device.sync();
      for (const o of outs) o.destroy();
    };
    // The same config twice is one config: timing it against itself would only show the noise.
    const same = JSON.stringify(t.kernel.resolveConfig(defaultConfig)) === JSON.stringify(t.kernel.resolveConfig(tuned.best));
    const timings = await timeInterleaved(same ? { default: call(defaultConfig) } : { default: call(defaultConfig), tuned: call(tuned.best) }, { timeMs: 4000, warmupMs: 300 }, ROUNDS, (name, e) => {
      console.log(`  ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    const defaultMs = timings['default']?.medianMs ?? NaN;
    const row: DefaultsRow = {
      workload: w.name, shape: w.shape, defaultConfig, tunedConfig: tuned.best, configsTried: tuned.configsTried, same,
      defaultMs, tunedMs: same ? defaultMs : timings['tuned']?.medianMs ?? NaN, ...(s.target === undefined ? {} : { target: s.target }),
    };
    rows.push(row);
    console.log(`${w.name.padEnd(14)} ${w.shape.padEnd(12)} default ${row.defaultMs.toFixed(2)} ms  tuned ${row.tunedMs.toFixed(2)} ms (${row.configsTried} configs)  default ÷ tuned ${(row.defaultMs / row.tunedMs).toFixed(2)}`);
    for (const a of t.args) if (typeof a !== 'number') a.destroy();
  }
  const result = { date: new Date().toISOString(), adapter: device.describe(), maxSeconds, rows };
  mkdirSync('bench/results', { recursive: true });
  if (!only) {
    writeFileSync('bench/results/defaults.json', `${JSON.stringify(result, null, 2)}\n`);
    spliceSection(MARK, renderSection(result));
  }
  device.dispose();
  process.exit(0);
}

/** A config in one line, the knobs that differ between rows. */
function label(c: KernelConfig): string {
  const blocks = Object.entries(c.blocks).map(([k, v]) => `${k}=${v}`).join(' ');
  return `\`${blocks} workgroupSize=${c.workgroupSize} vectorWidth=${c.vectorWidth} reduction=${c.reduction}\``;
}

function renderSection(r: { date: string; adapter: string; maxSeconds: number; rows: readonly DefaultsRow[] }): string {
  const verdict = (x: DefaultsRow): string => {
    const ratio = x.defaultMs / x.tunedMs;
    return x.target === undefined ? ratio.toFixed(2) : `${ratio.toFixed(2)} (≤ ${x.target} ${ratio <= x.target ? 'met' : '**missed**'})`;
  };
  return `## Defaults against tuned configs

What a call without a config runs (the adapter's defaults from the shape and loop
structure, tuning cache not read) against the config \`autotune({ effort: 'quick' })\` finds
(cache off, ${r.maxSeconds} s budget), both timed in ${ROUNDS} interleaved rounds in one process
(medians, wall clock per call; where the autotuner keeps the default, it is timed once). Run ${r.date} on ${r.adapter};
reproduce with \`pnpm exec tsx bench/defaults.ts\`.

| workload | shape | default ms | tuned ms | default ÷ tuned | default config | tuned config |
|---|---|---:|---:|---|---|---|
${r.rows.map((x) => `| ${x.workload} | ${x.shape} | ${x.defaultMs.toFixed(2)} | ${x.tunedMs.toFixed(2)} | ${verdict(x)} | ${label(x.defaultConfig)} | ${x.same ? 'the default' : label(x.tunedConfig)} |`).join('\n')}`;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
