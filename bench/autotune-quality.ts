/**
 * How good is `quick`? For each study, an exhaustive search of the space is the
 * reference; `quick` runs on the same space with several seeds. The winners are then
 * timed again, interleaved in one process (so machine noise hits them alike), and the
 * report gives quick's winner time ÷ the exhaustive winner's, and quick's search time ÷
 * exhaustive's. Writes bench/results/autotune-quality.json.
 *
 *   pnpm exec tsx bench/autotune-quality.ts [softmax|matmul]…
 *
 * Long: the exhaustive searches compile every config (seconds each on a CPU adapter).
 *
 * `--stability` runs the stability study instead (bench/autotune-stability.ts): quick
 * with seeds 1, 2, 3 and 1 again on matmul 1024³ and softmax 4096×1024, winners timed
 * interleaved; writes bench/results/autotune-stability.json and the "Autotuner
 * stability" section of docs/benchmarks.md.
 *
 *   pnpm exec tsx bench/autotune-quality.ts --stability [softmax|matmul]…
 *
 * Each search stops at quick's budget (120 s), so the study ends within ~16 min; on a
 * GPU whose compiles take well under a second it takes a few. `--small` (matmul 128³,
 * softmax 256×256) checks the script itself: it writes to --out (default: a file in the
 * OS temp folder) and touches docs only with --docs FILE. `--max-seconds N` overrides
 * quick's time budget.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStability } from './autotune-stability.ts';
import { STABILITY_FILE, writeStability } from './autotune-stability-report.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { init, type AutotuneOptions, type AnyKernel as Kernel, type KernelConfig, type Tensor } from 'tessera-gpu';
import { matmul } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';
import { softmax } from '../examples/softmax.ts';

interface Study {
  readonly name: string;
  readonly kernel: Kernel;
  readonly shape: string;
  make(device: Awaited<ReturnType<typeof init>>): Tensor[];
  /** Narrows the space (documented in the report) where the whole space is too big to search exhaustively. */
  readonly space?: AutotuneOptions['space'];
}

const STUDIES: readonly Study[] = [
  {
    name: 'softmax', kernel: softmax, shape: '2048x1024',
    make: (d) => [d.tensor(random(2048 * 1024, 1, 4), [2048, 1024])],
    // Without row caching (770 → 154 configs): it only changes where a row is read
    // from, and test/compiler/row-cache.test.ts covers it.
    space: { rowCache: [0] },
  },
  {
    name: 'matmul', kernel: matmul, shape: '512x512x512',
    make: (d) => [d.tensor(random(512 * 512, 2, 1), [512, 512]), d.tensor(random(512 * 512, 3, 1), [512, 512])],
    // Hundreds of thousands of valid configs in the whole space: the structural knobs
    // are searched, the rest held at values that are good on every adapter measured so far.
    space: {
      'blocks.tm': [32, 64, 128], 'blocks.tn': [32, 64, 128], 'blocks.tk': [16, 32],
      microTile: [[4, 4], [4, 8], [8, 4], [8, 8]], stageB: [false, true], broadcastA: [false, true],
      vectorWidth: [4], unroll: [1], groupM: [8], stageA: [false],
    },
  },
];

const QUICK_SEEDS = [1, 2, 3];

/** `--name value` from the command line, removed from `argv`. */
function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = argv.splice(at, 2);
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}

function flag(argv: string[], name: string): boolean {
  const at = argv.indexOf(name);
  if (at >= 0) argv.splice(at, 1);
  return at >= 0;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const command = `pnpm exec tsx bench/autotune-quality.ts ${argv.join(' ')}`.trim();
  const stability = flag(argv, '--stability');
  const small = flag(argv, '--small');
  const out = option(argv, '--out');
  const docs = option(argv, '--docs');
  const maxSecondsText = option(argv, '--max-seconds');
  const wanted = argv;
  const device = await init({ backend: 'webgpu' });
  console.log(`adapter: ${device.describe()}`);
  if (stability) {
    const maxSeconds = maxSecondsText === undefined ? undefined : Number(maxSecondsText);
    const report = await runStability(device, { small, only: wanted, command, ...(maxSeconds === undefined ? {} : { maxSeconds }) });
    if (!small) mkdirSync('bench/results', { recursive: true });
    writeStability(report, out ?? (small ? join(tmpdir(), 'autotune-stability-small.json') : STABILITY_FILE), docs ?? (small ? undefined : 'docs/benchmarks.md'));
    device.dispose();
    return;
  }
  const report: unknown[] = [];
  for (const study of STUDIES.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    const args = study.make(device);
    const common = { cache: false as const, force: true, ...(study.space ? { space: study.space } : {}) };
    console.log(`\n${study.name} ${study.shape}: exhaustive…`);
    const ex = await study.kernel.autotune(args, {
      ...common, effort: 'full', strategy: 'exhaustive', maxConfigs: 100_000, maxSeconds: 3600,
      onProgress: (p) => { if (p.phase === 'search' && p.tried % 10 === 0) process.stdout.write(`  ${p.tried}/${p.budget}\r`); },
    });
    console.log(`  space ${ex.spaceSize}, tried ${ex.configsTried}, ${(ex.elapsedMs / 1000).toFixed(0)} s, best ${ex.bestMs?.toFixed(2)} ms`);
    const quick = [];
    for (const seed of QUICK_SEEDS) {
      const q = await study.kernel.autotune(args, { ...common, effort: 'quick', seed });
      console.log(`  quick seed ${seed}: tried ${q.configsTried}, ${(q.elapsedMs / 1000).toFixed(0)} s, best ${q.bestMs?.toFixed(2)} ms`);
      quick.push(q);
    }
    // Re-time the winners interleaved: exhaustive's, then each quick run's, round after round.
    const winners: KernelConfig[] = [ex.best, ...quick.map((q) => q.best)];
    const times: number[][] = winners.map(() => []);
    for (let round = 0; round < 5; round++) {
      for (const [i, config] of winners.entries()) {
        const m = await study.kernel.measure(args, { config, repeats: 10, maxMs: 1500 });
        times[i]?.push(m.medianMs);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const exMs = median(times[0] ?? []);
    const rows = quick.map((q, i) => {
      const ms = median(times[i + 1] ?? []);
      return { seed: QUICK_SEEDS[i], configsTried: q.configsTried, seconds: q.elapsedMs / 1000, ms, slowdown: ms / exMs, timeShare: q.elapsedMs / ex.elapsedMs, config: q.best };
    });
    for (const r of rows) {
      console.log(`  quick seed ${r.seed}: ${r.ms.toFixed(2)} ms vs exhaustive ${exMs.toFixed(2)} ms → ${(r.slowdown).toFixed(3)}× (${r.slowdown <= 1.1 ? 'within 10%' : 'NOT within 10%'}), ${(100 * r.timeShare).toFixed(0)}% of the exhaustive search time (${r.timeShare <= 0.25 ? '≤ 25%' : '> 25%'})`);
    }
    report.push({
      study: study.name, shape: study.shape, space: study.space ?? 'whole', spaceSize: ex.spaceSize,
      exhaustive: { configsTried: ex.configsTried, seconds: ex.elapsedMs / 1000, ms: exMs, config: ex.best }, quick: rows,
    });
    for (const a of args) a.destroy();
  }
  mkdirSync('bench/results', { recursive: true });
  // Studies not run this time keep their last results.
  const file = 'bench/results/autotune-quality.json';
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { studies?: { study: string }[] }).studies ?? [] : [];
  const ran = new Set(report.map((r) => (r as { study: string }).study));
  const studies = [...previous.filter((s) => !ran.has(s.study)), ...report];
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), adapter: device.describe(), studies }, null, 1));
  device.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
