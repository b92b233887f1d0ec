/**
 * `tessera autotune <file> --kernel NAME --shape M=…`: random inputs of those shapes,
 * a search with live progress, then a table of the fastest configs (or JSON).
 * Ctrl-C cancels the search, prints the best config found so far and keeps it in the
 * cache marked partial (the runtime's autotune does that; the next run searches again).
 */
import { ArgumentError, EFFORTS, STRATEGIES, kernelSpace, type Device, type SpaceRestriction, init, randomInputs, disposeInputs, type AutotuneResult, type Kernel, type KernelArg, type TuningRow } from 'tessera-gpu-runtime';
import { DEFAULT_LIMITS, wasmConfigSpace, type KernelIR } from 'tessera-gpu-compiler';
import { choice, count, flag, parse, parseAssignments, stringOption } from '../args.ts';
import { checkCachePath, openCache } from '../cache-location.ts';
import { AUTOTUNE_HELP } from '../help.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';
import { loadKernels, pickKernel } from '../load.ts';
import { progressReporter } from '../progress.ts';
import { configSummary } from '../config-summary.ts';
import { formatMs, outputWidth, renderTable } from '../table.ts';
import { estimateWork, throughput, type Work } from '../throughput.ts';

const NAME = 'autotune';

export async function autotuneCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parse(NAME, argv, {
    kernel: { type: 'string', short: 'k' },
    shape: { type: 'string', short: 's' },
    scalar: { type: 'string' },
    effort: { type: 'string', short: 'e' },
    strategy: { type: 'string' },
    'max-configs': { type: 'string' },
    'max-seconds': { type: 'string' },
    seed: { type: 'string' },
    force: { type: 'boolean' },
    cache: { type: 'string' },
    'no-cache': { type: 'boolean' },
    bucket: { type: 'string' },
    space: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (flag(p, 'help')) {
    io.stdout.write(AUTOTUNE_HELP);
    return EXIT.ok;
  }
  if (p.positionals.length > 1) throw new UsageError(`expected one <file>, got ${p.positionals.length}: ${p.positionals.join(' ')}`, NAME);
  const effort = choice(p, 'effort', EFFORTS, 'quick', NAME);
  const strategyText = stringOption(p, 'strategy');
  const strategy = strategyText === undefined ? undefined : choice(p, 'strategy', STRATEGIES, 'pattern', NAME);
  const bucket = choice(p, 'bucket', ['pow2', 'exact'] as const, 'pow2', NAME);
  const maxConfigs = count(p, 'max-configs', NAME);
  const maxSeconds = count(p, 'max-seconds', NAME);
  const seed = count(p, 'seed', NAME);
  const top = count(p, 'top', NAME) ?? 10;
  const shapeText = stringOption(p, 'shape');
  const dims = shapeText === undefined ? {} : parseAssignments(shapeText, 'shape', NAME);
  const scalarText = stringOption(p, 'scalar');
  const scalars = scalarText === undefined ? {} : parseAssignments(scalarText, 'scalar', NAME, false);
  const spaceText = stringOption(p, 'space');
  const space = spaceText === undefined ? undefined : parseSpace(spaceText);
  if (flag(p, 'no-cache') && stringOption(p, 'cache') !== undefined) throw new UsageError('--cache and --no-cache contradict each other', NAME);

  const cachePath = flag(p, 'no-cache') ? undefined : await checkCachePath(io, stringOption(p, 'cache'), { write: true, command: NAME });
  const file = p.positionals[0];
  const { kernel, exportName } = pickKernel(await loadKernels(file, io.cwd, NAME), stringOption(p, 'kernel'), file ?? '', NAME);
  checkDims(kernel, dims);
  const ir = kernel.prepared().ir;

  // The CLI tunes WGSL for the machine's WebGPU adapter (software ones too, as `tessera
  // devices` lists them), the interpreter where there is none.
  const device = await init({ cpuBackend: 'interpreter' });
  try {
    checkSizes(ir, device, dims);
    if (space !== undefined) checkSpace(ir, device, dims, space);
  } catch (error) {
    device.dispose();
    throw error;
  }
  const progress = progressReporter(io.stderr, flag(p, 'quiet'));
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    if (controller.signal.aborted) return;
    progress.note('interrupted: stopping after the current config (Ctrl-C again to quit)');
    controller.abort();
  });
  const cache = cachePath === undefined ? undefined : openCache(io, cachePath);
  const args: KernelArg[] = randomInputs(device, ir, dims, scalars, seed ?? 1);
  try {
    if (!flag(p, 'quiet')) progress.note(`${kernel.kernelName} on ${device.info.name}, ${shapeLine(dims)}, effort ${effort}`);
    const result = await kernel.autotune(args, {
      effort, bucket, signal: controller.signal, inputs: 'given',
      cache: cache ?? false,
      force: flag(p, 'force'),
      onProgress: (u) => progress.update(u),
      // Through the reporter, so a warning does not land in the middle of the redrawn bar.
      onWarning: (m) => progress.warn(`tessera: warning: ${m}`),
      ...(strategy === undefined ? {} : { strategy }),
      ...(maxConfigs === undefined ? {} : { maxConfigs }),
      ...(maxSeconds === undefined ? {} : { maxSeconds }),
      ...(seed === undefined ? {} : { seed }),
      ...(space === undefined ? {} : { space }),
    });
    progress.finish();
    const work = estimateWork(ir, dims);
    if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(jsonReport(result, exportName, dims, device.info.name, work), null, 2)}\n`);
    else io.stdout.write(report(result, dims, device.info.name, work, top, outputWidth(io.stdout, io.env)));
    if (result.aborted && cache !== undefined && (await cache.lookup(result.key))?.partial === true) {
      progress.note(`kept the best so far in ${cachePath ?? 'the cache'}, marked partial: calls use it, and the next autotune searches again`);
    }
    return result.aborted ? EXIT.interrupted : EXIT.ok;
  } finally {
    stopListening();
    disposeInputs(args);
    device.dispose();
  }
}

/**
 * `--space 'microTile=4x4|8x8,blocks.tm=32|64,stageB=false'`: the values each named knob
 * may take. Values are numbers, true/false, AxB pairs, or names.
 */
function parseSpace(text: string): Record<string, (number | boolean | string)[]> {
  const out: Record<string, (number | boolean | string)[]> = {};
  for (const part of text.split(',').filter((x) => x.trim() !== '')) {
    const m = /^\s*([\w.]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (m === null) throw new UsageError(`--space: expected KNOB=V1|V2, got '${part}' (e.g. --space 'microTile=4x4|8x8,blocks.tm=32|64')`, NAME);
    const [, name = '', values = ''] = m;
    out[name] = values.split('|').map((v) => {
      const t = v.trim();
      if (t === 'true' || t === 'false') return t === 'true';
      return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
    });
  }
  return out;
}

/** A knob or value --space names that the kernel lacks is a bad argument (exit 2, one line). */
function checkSpace(ir: KernelIR, device: Device, dims: Readonly<Record<string, number>>, space: SpaceRestriction): void {
  try {
    // The space the tuner will search: the wasm backend's own on a wasm device.
    kernelSpace(ir, { ...DEFAULT_LIMITS, ...device.info.limits }, dims, [...device.features], space, [], device.wasm ? wasmConfigSpace : undefined);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    const what = error.parameter === 'space' ? `kernel '${ir.name}' has no knob ${error.actual} (its knobs: ${error.expected.replace(/^knobs of kernel '[^']*': /, '')})` : `${error.parameter.slice(6)}=${error.actual} is not offered (values: ${error.expected.replace(/^some of /, '')})`;
    throw new UsageError(`--space: ${what}`, NAME);
  }
}

/** Every tensor of these shapes must fit in one buffer of the adapter: checked before allocating. */
function checkSizes(ir: KernelIR, device: Device, dims: Readonly<Record<string, number>>): void {
  const limit = Math.min(device.info.limits.maxBufferSize, device.info.limits.maxStorageBufferBindingSize);
  const tensors = [...ir.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : [])), ...ir.outputs];
  for (const t of tensors) {
    const sizes = t.dims.map((d) => (d.kind === 'const' ? d.value : dims[d.name] ?? 1));
    const bytes = sizes.reduce((a, b) => a * b, 1) * 4;
    if (bytes > limit) {
      const shape = t.dims.map((d, i) => (d.kind === 'const' ? String(d.value) : `${d.name}=${sizes[i] ?? 1}`)).join(', ');
      throw new UsageError(`--shape: ${t.name}: ${t.dtype}[${shape}] needs ${formatBytes(bytes)}, more than this adapter's largest buffer (${formatBytes(limit)}); use smaller sizes`, NAME);
    }
  }
}

function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toPrecision(3)} ${units[i] ?? ''}`;
}

/** Every symbolic dim must be given, and nothing else. */
function checkDims(kernel: Kernel, dims: Readonly<Record<string, number>>): void {
  const ir = kernel.prepared().ir;
  const needed = [...new Set(ir.dims.map((d) => d.name))];
  const missing = needed.filter((d) => dims[d] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`--shape must give ${needed.map((d) => `${d}=…`).join(',')} for kernel '${kernel.kernelName}' (missing ${missing.join(', ')})`, NAME);
  }
  const unknown = Object.keys(dims).filter((d) => !needed.includes(d));
  if (unknown.length > 0) throw new UsageError(`kernel '${kernel.kernelName}' has no dim ${unknown.join(', ')} (its dims: ${needed.join(', ') || 'none'})`, NAME);
}

function shapeLine(dims: Readonly<Record<string, number>>): string {
  const text = Object.entries(dims).map(([k, v]) => `${k}=${v}`).join(',');
  return text === '' ? 'no dims' : text;
}

function report(r: AutotuneResult, dims: Readonly<Record<string, number>>, adapter: string, work: Work, top: number, width: number | undefined): string {
  const lines: string[] = [];
  const source = r.pinned ? 'pinned config' : r.effort === 'none' ? 'the default config, nothing searched' : r.fromCache ? 'from the tuning cache (use --force to tune again)' : `${r.strategy}, ${r.configsTried} of ${r.spaceSize} configs, ${(r.elapsedMs / 1000).toFixed(1)} s${r.method === null ? '' : `, ${r.method} timing`}`;
  lines.push(clip(`kernel ${r.kernel}  ${shapeLine(dims)}  on ${adapter}`, width));
  lines.push(clip(`effort ${r.effort}: ${source}${r.aborted ? ' — interrupted, best so far' : ''}`, width));
  if (r.baseline === 'first-valid') lines.push('note: the default config failed; outputs were checked against the first config that ran');
  // Fastest first, by the figure shown; a re-timed figure (*) is the steadier of two close ones.
  const timed = r.results.filter((x) => Number.isFinite(x.ms)).sort((a, b) => a.ms - b.ms);
  const def = r.defaultMs;
  const defaultConfig = r.results.find((x) => x.isDefault)?.config;
  const bestKey = JSON.stringify(r.best);
  const row = (x: TuningRow, rank: number): string[] => {
    const isBest = JSON.stringify(x.config) === bestKey;
    const what = x.isDefault ? 'the default config' : configSummary(x.config, defaultConfig);
    return [
      String(rank), formatMs(x.ms), x.remeasured ? '*' : '',
      x.noise === null ? '' : `${(100 * x.noise).toFixed(0)}%`,
      throughput(work, x.ms).toFixed(2),
      def === null ? '' : `${(def / x.ms).toFixed(2)}x`,
      `${isBest ? 'best: ' : ''}${what}`,
    ];
  };
  if (timed.length > 0) {
    const shown = timed.slice(0, top);
    const rows = shown.map((x, i) => row(x, i + 1));
    const defRow = timed.find((x) => x.isDefault);
    if (defRow !== undefined && !shown.includes(defRow)) rows.push(row(defRow, timed.indexOf(defRow) + 1));
    if (defaultConfig !== undefined) lines.push(clip(`default config: ${configSummary(defaultConfig)}`, width));
    lines.push('', renderTable(['#', 'time', '', 'noise', work.unit, 'vs default', 'config (knobs that differ from the default)'], rows, {
      right: new Set([0, 1, 3, 4, 5]), flex: [6], ...(width === undefined ? {} : { maxWidth: width }),
    }));
    lines.push(clip('* re-timed, interleaved · noise: interquartile range / median · full configs: --json', width));
  } else if (!r.fromCache && !r.pinned && r.effort !== 'none') {
    lines.push('', 'no config ran successfully');
  }
  const failed = r.results.filter((x) => !Number.isFinite(x.ms));
  if (failed.length > 0) {
    const byStatus = new Map<string, number>();
    for (const f of failed) byStatus.set(f.status, (byStatus.get(f.status) ?? 0) + 1);
    lines.push('', `rejected ${failed.length} config(s): ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}`);
    for (const f of failed.filter((x) => x.status !== 'invalid').slice(0, 5)) lines.push(clip(`  ${configSummary(f.config, defaultConfig)}: ${f.status}${f.message === null ? '' : ` — ${f.message}`}`, width));
  }
  lines.push('', `best: ${r.bestMs === null ? 'not timed' : formatMs(r.bestMs)}${r.speedup === null ? '' : `, ${r.speedup.toFixed(2)}x the default`}`);
  // Unclipped: the line to copy into run(args, { config }).
  lines.push(`config: ${JSON.stringify(r.best)}`);
  return `${lines.join('\n')}\n`;
}

function clip(text: string, width: number | undefined): string {
  return width === undefined || text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function jsonReport(r: AutotuneResult, exportName: string, dims: Readonly<Record<string, number>>, adapter: string, work: Work): unknown {
  return {
    ...r,
    export: exportName,
    dims,
    adapter,
    work: { ...work, note: 'bytes: tensors read and written once; flops: 2·M·N·K per @, else one per output element' },
    results: r.results.map((x) => ({ ...x, ms: Number.isFinite(x.ms) ? x.ms : null, throughput: Number.isFinite(x.ms) ? throughput(work, x.ms) : null })),
  };
}
