/**
 * `npm run bench`: Tessera against its peers on the same adapter, in one process.
 * Prints a table (median ms, GFLOP/s, GB/s, fraction of the adapter's measured peaks,
 * speed-up over each peer), writes bench/results/latest.json, renders
 * docs/benchmarks.svg and rewrites the table in docs/benchmarks.md.
 *
 *   npm run bench -- [--only NAME] [--time MS] [--no-tune] [--adapter NAME]
 * Each Tessera kernel runs with the fastest of its hand-picked candidate configs, the
 * config a plain call uses (kernel.bestConfig) and the one
 * `kernel.autotune(args, { effort: 'quick' })` picks (remembered in the tuning
 * cache, so later runs do not search again; --no-tune skips the autotuner).
 * Tessera and the peers of a workload are timed in interleaved rounds (harness.ts).
 * Ctrl-C stops after the current measurement and reports what was measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { init, type ConfigInput, type AnyKernel as Kernel, type Tensor } from 'tessera-gpu';
import { quantile, timeInterleaved } from './harness.ts';
import { measurePeaks } from './roofline.ts';
import { WORKLOADS } from './workloads.ts';
import { MORE_WORKLOADS } from './workloads-more.ts';
import { EXTRA_WORKLOADS } from './workloads-extra.ts';
import { HELION_WORKLOADS } from './workloads-helion.ts';
import { LANGUAGE_WORKLOADS } from './workloads-language.ts';
import { CPU_WORKLOADS } from './cpu-workloads.ts';
import { interopRows } from './workloads-interop.ts';
import { runWasmSection } from './wasm-run.ts';
import { benchDevice } from './adapter.ts';
import { renderMarkdown, renderSvg, type BenchRow } from './report.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = arg('only');
const timeMs = Number(arg('time') ?? 1500);
const tune = !process.argv.includes('--no-tune');
/** Each implementation is timed in this many interleaved rounds (harness.ts timeInterleaved). */
const ROUNDS = 3;
const abort = new AbortController();

/**
 * The fastest candidate by GPU time: each is measured in interleaved rounds (so a burst of
 * machine load does not decide between them) and the lowest median of its pooled samples
 * wins. A candidate that fails (say, it needs subgroups the adapter lacks) is reported and
 * dropped.
 */
async function pickCandidate(kernel: Kernel, args: readonly (Tensor | number)[], candidates: readonly ConfigInput[]): Promise<ConfigInput> {
  const samples = candidates.map((): number[] | undefined => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, config] of candidates.entries()) {
      const got = samples[i];
      if (got === undefined || abort.signal.aborted) continue;
      try {
        got.push(...(await kernel.measure(args, { config, repeats: 5, maxMs: 400 })).samplesMs);
      } catch (e) {
        samples[i] = undefined;
        console.log(`  config ${JSON.stringify(config)} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
  }
  let best = { config: {} as ConfigInput, ms: Infinity };
  candidates.forEach((config, i) => {
    const got = samples[i] ?? [];
    const ms = got.length > 0 ? quantile(got, 0.5) : Infinity;
    if (ms < best.ms) best = { config, ms };
  });
  return best.config;
}

/** The candidates without repeats of a config already listed (compared with the defaults filled in). */
function distinct(kernel: Kernel, candidates: readonly ConfigInput[]): ConfigInput[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = JSON.stringify(kernel.resolveConfig(c));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function reportFailure(name: string, e: unknown): void {
  console.log(`  ${name.padEnd(14)} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
}
process.on('SIGINT', () => {
  console.error('\ninterrupted: finishing the current measurement, then reporting');
  abort.abort();
});

async function main(): Promise<void> {
  const device = await benchDevice(process.argv);
  console.log(`adapter: ${device.describe()}`);
  const peaks = await measurePeaks(device, Math.min(timeMs, 800));
  console.log(`measured peaks: copy ${(peaks.copyBytesPerSec / 1e9).toFixed(2)} GB/s, FMA ${(peaks.fmaFlopsPerSec / 1e9).toFixed(2)} GFLOP/s`);
  const rows: BenchRow[] = [];
  const opts = { timeMs, warmupMs: 300, signal: abort.signal };
  for (const w of [...WORKLOADS, ...MORE_WORKLOADS, ...EXTRA_WORKLOADS, ...LANGUAGE_WORKLOADS, ...HELION_WORKLOADS]) {
    if (only && !w.name.includes(only)) continue;
    if (abort.signal.aborted) break;
    console.log(`\n${w.name} ${w.shape}`);
    const t = w.tessera(device);
    // Best of the candidate configs and the autotuner's pick by GPU time, then timed like every peer.
    const candidates = [...t.candidates];
    // What a plain call uses (the adapter's defaults when nothing is tuned): the bench
    // should never report slower than a user who passes no config.
    candidates.push(await t.kernel.bestConfig(t.args));
    if (tune) {
      const tuned = await t.kernel.autotune(t.args, { effort: 'quick', signal: abort.signal, maxSeconds: 60 });
      console.log(`  autotune (quick): ${tuned.fromCache ? 'from the tuning cache' : `${tuned.configsTried} configs in ${(tuned.elapsedMs / 1000).toFixed(0)} s`}`);
      candidates.push(tuned.best);
    }
    const config = await pickCandidate(t.kernel, t.args, distinct(t.kernel, candidates));
    console.log(`  tessera config ${JSON.stringify(t.kernel.resolveConfig(config))}`);
    const impls: Record<string, () => Promise<void>> = {
      tessera: async () => {
        const outs = await t.kernel.run(t.args, { config });
        await device.sync();
        for (const o of outs) o.destroy();
      },
      ...(await w.peers(device)),
    };
    const timings = await timeInterleaved(impls, opts, ROUNDS, reportFailure);
    for (const [name, timing] of Object.entries(timings)) console.log(`  ${name.padEnd(14)} ${timing.medianMs.toFixed(2)} ms`);
    rows.push({ workload: w.name, shape: w.shape, bytes: w.bytes, flops: w.flops, targets: w.targets, config: t.kernel.resolveConfig(config), timings, side: 'gpu' });
  }
  if (!only || 'mlp block in TF.js'.includes(only)) {
    // Tessera inside a TF.js model: the block with and without the fused kernels (workloads-interop.ts).
    console.log('\nmlp block in TF.js');
    for (const r of await interopRows(opts, ROUNDS, reportFailure)) {
      for (const [name, timing] of Object.entries(r.timings)) console.log(`  ${name.padEnd(14)} ${timing.medianMs.toFixed(2)} ms`);
      rows.push({ ...r, targets: { 'tfjs-webgpu': 1 }, config: 'default configs', side: 'gpu' });
    }
  }
  const adapter = device.describe();
  device.dispose();
  rows.push(...(await runCpu(opts)));
  rows.push(...(await runWasmSection({ ...opts, only, tune, onError: reportFailure })));
  mkdirSync('bench/results', { recursive: true });
  const result = { date: new Date().toISOString(), adapter, peaks, rows };
  console.log(`\n${renderMarkdown(result).split('<!-- table -->')[1] ?? ''}`);
  // A partial or interrupted run must not replace the published table.
  if (only !== undefined || abort.signal.aborted) {
    writeFileSync('bench/results/partial.json', `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/partial.json (partial run: docs/benchmarks.md left as it was)');
  } else {
    writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('docs/benchmarks.svg', renderSvg(result));
    writeFileSync('docs/benchmarks.md', renderMarkdown(result));
    console.log('wrote bench/results/latest.json, docs/benchmarks.md, docs/benchmarks.svg');
  }
  process.exit(0);
}

/** The interpreter backend against TF.js's CPU backend. */
async function runCpu(opts: { timeMs: number; warmupMs: number; signal: AbortSignal }): Promise<BenchRow[]> {
  const cpu = await init({ backend: 'interpreter' });
  const rows: BenchRow[] = [];
  for (const w of CPU_WORKLOADS) {
    if ((only && !w.name.includes(only)) || abort.signal.aborted) continue;
    console.log(`\n${w.name} ${w.shape}`);
    const t = w.tessera(cpu);
    const impls: Record<string, () => Promise<void>> = {
      tessera: async () => {
        const outs = await t.kernel.run(t.args, { config: {} });
        for (const o of outs) o.destroy();
      },
      ...(await w.peers()),
    };
    const timings = await timeInterleaved(impls, opts, ROUNDS, reportFailure);
    for (const [name, timing] of Object.entries(timings)) console.log(`  ${name.padEnd(14)} ${timing.medianMs.toFixed(2)} ms${name === 'tessera' ? ' (interpreter)' : ''}`);
    rows.push({ workload: w.name, shape: w.shape, bytes: w.bytes, flops: w.flops, targets: w.targets, config: t.kernel.resolveConfig({}), timings, side: 'cpu' });
  }
  cpu.dispose();
  return rows;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
