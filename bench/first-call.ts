/**
 * First-call latency: what a user waits for the first time a kernel runs — WGSL
 * generation, the driver's shader compile (seconds on a CPU adapter for a big shader)
 * and the run — against a warm call of the same kernel on the same inputs. Every
 * example at its check size, attention and causal attention at the bench's sizes
 * (BH=8 and 4, S=1024, D=64: the large default config), plus a kernel of 256
 * tile-variable updates (the shape that used to generate one loop per statement). Writes bench/results/first-call.json and the
 * first-call section of docs/benchmarks.md. The same first and warm calls on the wasm backend
 * (its first call lowers the tile IR to WebAssembly and compiles the module) sit beside them.
 *
 *   pnpm exec tsx bench/first-call.ts [--adapter NAME] [--only NAME]
 *
 * `--only NAME` runs one case and leaves the results and the page alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { init, kernel, type AnyKernel, type KernelArg, type Tensor } from 'tessera-gpu';
import { attention } from '../examples/attention.ts';
import { causalAttention } from '../examples/causal-attention.ts';
import { EXAMPLES } from '../examples/checks.ts';
import { random } from '../examples/random.ts';
import { benchDevice } from './adapter.ts';
import { spliceSection } from './doc-section.ts';

interface FirstCallCase {
  readonly name: string;
  readonly kernel: AnyKernel;
  readonly args: KernelArg[];
  /** The same arguments on the wasm device. */
  readonly wasmArgs: KernelArg[];
  /** The target first-call time (ms) on lavapipe. */
  readonly targetMs: number;
}

const UPDATES = 256;
const updatesSource = `fn updates(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    var a = x[tm, tn];
${Array.from({ length: UPDATES }, (_, i) => `    a = a * 0.5 + ${(i % 7) - 3}.0;`).join('\n')}
    out[tm, tn] = a;
  }
  return out;
}`;
const updates = kernel(Object.assign([updatesSource], { raw: [updatesSource] }) as unknown as TemplateStringsArray);

async function callMs(k: AnyKernel, args: readonly KernelArg[]): Promise<number> {
  const t0 = performance.now();
  const outs: Tensor[] = await k.run(args);
  for (const o of outs) await o.read();
  const ms = performance.now() - t0;
  for (const o of outs) o.destroy();
  return ms;
}

async function main(): Promise<void> {
  const device = await benchDevice(process.argv);
  const wasm = await init({ backend: 'wasm' });
  console.log(`adapter: ${device.describe()}; ${wasm.describe()}`);
  const cases: FirstCallCase[] = EXAMPLES.map((e) => ({
    name: e.name, kernel: e.kernel, args: e.make(device).args, wasmArgs: e.make(wasm).args, targetMs: e.name === 'attention' ? 3000 : 2000,
  }));
  // Attention at the bench's sizes too: these calls take the large default config
  // (attention-defaults.ts), whose compile small calls do without.
  for (const [name, k, bh] of [['attention', attention, 8], ['causal-attention', causalAttention, 4]] as const) {
    const [s, d] = [1024, 64];
    const inputs = [random(bh * s * d, 31, 1), random(bh * s * d, 32, 1), random(bh * s * d, 33, 1)];
    const on = (dev: typeof device): KernelArg[] => [...inputs.map((x) => dev.tensor(x, [bh, s, d])), 1 / Math.sqrt(d)];
    cases.push({ name: `${name} BH=${bh} S=${s}`, kernel: k, args: on(device), wasmArgs: on(wasm), targetMs: name === 'attention' ? 3000 : 2000 });
  }
  const updatesInput = random(300 * 301, 9, 2);
  cases.push({ name: `${UPDATES} var updates`, kernel: updates, args: [device.tensor(updatesInput, [300, 301])], wasmArgs: [wasm.tensor(updatesInput, [300, 301])], targetMs: 2000 });
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const rows = [];
  for (const c of cases) {
    if (only !== undefined && c.name !== only) continue;
    const firstMs = await callMs(c.kernel, c.args);
    // The shader the call compiled: the config an untuned call gets on this adapter.
    const config = await c.kernel.bestConfig(c.args, { device, cache: false });
    const wgslBytes = c.kernel.artifact(config, device).wgsl.length;
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await callMs(c.kernel, c.args));
    const warmMs = median3(warm);
    const wasmFirstMs = await callMs(c.kernel, c.wasmArgs);
    const wasmWarm: number[] = [];
    for (let i = 0; i < 3; i++) wasmWarm.push(await callMs(c.kernel, c.wasmArgs));
    const wasmWarmMs = median3(wasmWarm);
    rows.push({ name: c.name, wgslBytes, firstMs, warmMs, wasmFirstMs, wasmWarmMs, targetMs: c.targetMs });
    console.log(`${c.name.padEnd(18)} WGSL ${String(wgslBytes).padStart(7)} B  first ${firstMs.toFixed(0).padStart(6)} ms  warm ${warmMs.toFixed(0).padStart(5)} ms  (target < ${c.targetMs} ms)  wasm first ${wasmFirstMs.toFixed(0).padStart(5)} ms  warm ${wasmWarmMs.toFixed(0).padStart(5)} ms`);
  }
  if (only !== undefined) {
    if (rows.length === 0) console.error(`no first-call case named '${only}'`);
    device.dispose();
    wasm.dispose();
    process.exit(rows.length === 0 ? 1 : 0);
  }
  mkdirSync('bench/results', { recursive: true });
  // Mesa keeps compiled shaders on disk: a repeated run's "first" calls skip the driver's compile.
  const shaderCache = process.env['MESA_SHADER_CACHE_DISABLE'] === 'true' ? 'disabled (every compile cold)' : 'on (a repeated run reuses compiled shaders)';
  const result = { date: new Date().toISOString(), adapter: device.describe(), shaderCache, rows };
  writeFileSync('bench/results/first-call.json', `${JSON.stringify(result, null, 2)}\n`);
  writeSection(result);
  device.dispose();
  wasm.dispose();
  process.exit(0);
}

const median3 = (xs: number[]): number => xs.sort((a, b) => a - b)[1] ?? NaN;

interface FirstCallRow {
  name: string; wgslBytes: number; firstMs: number; warmMs: number; wasmFirstMs: number; wasmWarmMs: number; targetMs: number;
}

const MARK = '<!-- first-call -->';

/** Replaces (or appends) the first-call section of docs/benchmarks.md. */
function writeSection(r: { date: string; adapter: string; shaderCache: string; rows: FirstCallRow[] }): void {
  const table = [
    '| kernel | WGSL bytes | first call (ms) | warm call (ms) | target | wasm first call (ms) | wasm warm call (ms) |',
    '|---|---:|---:|---:|---|---:|---:|',
    ...r.rows.map((x) => `| ${x.name} | ${x.wgslBytes} | ${x.firstMs.toFixed(0)} | ${x.warmMs.toFixed(0)} | < ${x.targetMs} ms ${x.firstMs < x.targetMs ? 'met' : '**missed**'} | ${x.wasmFirstMs.toFixed(0)} | ${x.wasmWarmMs.toFixed(0)} |`),
  ].join('\n');
  spliceSection(MARK, `## First calls

The first call of a kernel generates its WGSL, has the driver compile it and runs it;
the warm call is the median of three later calls on the same inputs (both include reading
the outputs back). Each example at its check size, and attention at the bench's sizes
(a call that large gets the large attention config, a small one a config that compiles in
about half the time: docs/architecture.md), with the config an untuned call gets on this
adapter (WGSL bytes: that shader); run ${r.date} on ${r.adapter};
Mesa's shader cache ${r.shaderCache} (set MESA_SHADER_CACHE_DISABLE=true for cold compiles);
the wasm columns are the same calls on the WebAssembly backend, whose first call lowers the
kernel to a WebAssembly module and compiles it;
reproduce with \`pnpm exec tsx bench/first-call.ts\`.

${table}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
