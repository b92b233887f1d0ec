/**
 * The wasm section of `npm run bench` (also runnable alone:
 * `pnpm exec tsx bench/wasm-run.ts [--only NAME] [--time MS]`). Each workload: the best of
 * its candidate configs on the wasm device, then Tessera and its peers in interleaved
 * rounds, medians. The copy row gives the bandwidth that softmax and layernorm are held
 * against. On a machine shared with other work, absolute times are noisy (and threads
 * compete with it); the ratios are measured in one process, one run.
 */
import { init, type ConfigInput, type AnyKernel as Kernel, type Tensor } from 'tessera-gpu';
import { timeInterleaved } from './harness.ts';
import type { BenchRow } from './report.ts';
import { copyImpl, tfCpuMatmul, WASM_WORKLOADS } from './wasm-workloads.ts';
import { EXAMPLE_WASM_WORKLOADS } from './wasm-workloads-examples.ts';
import { numpyTimes } from './peers/cpu-peers.ts';

export interface WasmSectionOptions {
  readonly timeMs: number;
  readonly warmupMs: number;
  readonly signal: AbortSignal;
  readonly only: string | undefined;
  readonly onError: (name: string, e: unknown) => void;
  /** Also try the config `autotune(args, { effort: 'quick' })` picks (default true). */
  readonly tune?: boolean;
}

/** Median CPU milliseconds per call (process.cpuUsage: every thread of the process), interleaved rounds. */
async function cpuPerCall(impls: Readonly<Record<string, () => Promise<void>>>, rounds: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(impls)) {
      await fn();
      const reps = 5;
      const c0 = process.cpuUsage();
      for (let i = 0; i < reps; i++) await fn();
      const c = process.cpuUsage(c0);
      (samples[name] ??= []).push((c.user + c.system) / 1000 / reps);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

async function pick(kernel: Kernel, args: readonly (Tensor | number)[], candidates: readonly ConfigInput[]): Promise<ConfigInput> {
  let best = { config: {} as ConfigInput, ms: Infinity };
  for (const config of candidates) {
    try {
      const m = await kernel.measure(args, { config, repeats: 5, maxMs: 600 });
      if (m.medianMs < best.ms) best = { config, ms: m.medianMs };
    } catch (e) {
      console.log(`  config ${JSON.stringify(config)} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return best.config;
}

const SAME_ROUNDS_COPY = 'copy (same rounds)';

export async function runWasmSection(opts: WasmSectionOptions): Promise<BenchRow[]> {
  const device = await init({ backend: 'wasm' });
  console.log(`\nwasm device: ${device.describe()}`);
  const rows: BenchRow[] = [];
  const copyBytes = 16 * 2 ** 20;
  const copy = await timeInterleaved({ copy: copyImpl(copyBytes) }, opts, 3, opts.onError);
  const copyMs = copy['copy']?.medianMs ?? NaN;
  console.log(`  memcpy-class copy 16 MiB: ${copyMs.toFixed(2)} ms = ${(2 * copyBytes / copyMs / 1e6).toFixed(1)} GB/s (read + write)`);
  const numpy = numpyTimes(Math.min(opts.timeMs, 1000));
  if (numpy) console.log(`  numpy: ${Object.entries(numpy).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}`);
  for (const w of [...WASM_WORKLOADS, ...EXAMPLE_WASM_WORKLOADS]) {
    if ((opts.only && !w.name.includes(opts.only)) || opts.signal.aborted) continue;
    console.log(`\n${w.name} ${w.shape}`);
    const t = w.tessera(device);
    const candidates = [...t.candidates];
    if (opts.tune !== false) {
      const tuned = await t.kernel.autotune(t.args, { effort: 'quick', signal: opts.signal, maxSeconds: w.tuneSeconds ?? 30 });
      console.log(`  autotune (quick): ${tuned.fromCache ? 'from the tuning cache' : `${tuned.configsTried} configs`}`);
      candidates.push(tuned.best);
    }
    const config = await pick(t.kernel, t.args, candidates);
    console.log(`  tessera config ${JSON.stringify(config)} (the rest the wasm defaults)`);
    const impls: Record<string, () => Promise<void>> = {
      tessera: async () => {
        const outs = await t.kernel.run(t.args, { config });
        for (const o of outs) o.destroy();
      },
      ...(await w.peers()),
      ...(w.name.startsWith('matmul') ? { 'tfjs-cpu': await tfCpuMatmul() } : {}),
    };
    // softmax and layernorm are held against the copy timed in the same rounds, so both
    // see the same load on a shared machine (the copy is not one of the row's peers).
    const bandwidth = w.name.startsWith('softmax') || w.name.startsWith('layernorm');
    const timings = await timeInterleaved(bandwidth ? { ...impls, [SAME_ROUNDS_COPY]: copyImpl(copyBytes) } : impls, opts, 3, opts.onError);
    const roundsCopyMs = timings[SAME_ROUNDS_COPY]?.medianMs ?? copyMs;
    delete timings[SAME_ROUNDS_COPY];
    const np = w.numpy ? numpy?.[w.numpy] : undefined;
    if (np !== undefined) timings['numpy'] = { medianMs: np, samples: 0, relSpread: 0 };
    const ours = timings['tessera']?.medianMs ?? NaN;
    for (const [name, timing] of Object.entries(timings)) {
      const ratio = name === 'tessera' ? '' : `  tessera ${(timing.medianMs / ours).toFixed(2)}x faster`;
      console.log(`  ${name.padEnd(18)} ${timing.medianMs.toFixed(2)} ms${ratio}`);
    }
    if (w.flops > 0) console.log(`  tessera ${(w.flops / ours / 1e6).toFixed(1)} GFLOP/s`);
    if (w.name.startsWith('matmul') || w.name.startsWith('attention')) {
      // FLOPs per CPU-second (all threads of the process) beside the wall clock: on a
      // loaded machine the wall clock follows the scheduler, CPU time follows the code.
      const { 'tfjs-cpu': _slow, ...fast } = impls;
      const cpu = await cpuPerCall(fast, 3);
      console.log(`  per CPU-second: ${Object.entries(cpu).map(([k, ms]) => `${k} ${(w.flops / ms / 1e6).toFixed(1)} GFLOP`).join(', ')}`);
    }
    if (bandwidth) {
      console.log(`  tessera ${(w.bytes / ours / 1e6).toFixed(1)} GB/s = ${((100 * (w.bytes / ours)) / (2 * copyBytes / roundsCopyMs)).toFixed(0)}% of the copy (${roundsCopyMs.toFixed(2)} ms in the same rounds)`);
      // CPU time, all threads of the process together: what the wall clock shows once
      // other work on the machine is set aside (a loaded machine preempts the threads of
      // a long multi-threaded call far more than a 1 ms single-threaded copy).
      const cpu = await cpuPerCall({ copy: copyImpl(copyBytes), tessera: impls['tessera'] ?? (async () => {}) }, 5);
      const copyCpu = (cpu['copy'] ?? NaN) * (w.bytes / (2 * copyBytes));
      console.log(`  CPU time per call: tessera ${(cpu['tessera'] ?? NaN).toFixed(2)} ms (all threads), the copy of the same bytes ${copyCpu.toFixed(2)} ms: ${(100 * copyCpu / (cpu['tessera'] ?? NaN)).toFixed(0)}% of the copy's bytes per CPU-second`);
    }
    for (const a of t.args) if (typeof a !== 'number') a.destroy();
    rows.push({ workload: w.name, shape: w.shape, bytes: w.bytes, flops: w.flops, targets: w.targets, config: t.kernel.resolveConfig(config), timings, side: 'cpu' });
  }
  device.dispose();
  return rows;
}

const isMain = process.argv[1]?.endsWith('wasm-run.ts') ?? false;
if (isMain) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const abort = new AbortController();
  await runWasmSection({
    timeMs: Number(arg('time') ?? 1500), warmupMs: 300, signal: abort.signal, only: arg('only'), tune: !process.argv.includes('--no-tune'),
    onError: (name, e) => console.log(`  ${name} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`),
  });
  process.exit(0);
}
