/**
 * How stable is `quick`? Each study runs `autotune({ effort: 'quick' })` with seeds 1, 2
 * and 3 and then seed 1 again (cache off, forced), on the kernel's whole space. The
 * winners are then timed interleaved in one process (rounds, medians) and the report
 * says: did the repeated seed pick the same config; is each seed's winner within 10% of
 * the best winner; did each search end within its time budget plus one candidate.
 *
 * Run through bench/autotune-quality.ts --stability (see there); the results and their
 * docs section: bench/autotune-stability-report.ts.
 */
import type { AnyKernel as Kernel, Device, KernelConfig, Tensor } from 'tessera-gpu';
import { BUDGETS } from 'tessera-gpu-runtime';
import { matmul } from '../examples/matmul.ts';
import { random } from '../examples/random.ts';
import { softmax } from '../examples/softmax.ts';
import { STABILITY_SEEDS, TIMING_ROUNDS, type StabilityReport, type StabilityRun, type StabilityStudyResult } from './autotune-stability-report.ts';


interface StabilityStudy {
  readonly name: string;
  readonly shape: string;
  readonly kernel: Kernel;
  make(device: Device): Tensor[];
}

function studies(small: boolean): StabilityStudy[] {
  const [m, k, n] = small ? [128, 128, 128] : [1024, 1024, 1024];
  const [rows, cols] = small ? [256, 256] : [4096, 1024];
  return [
    {
      name: 'matmul', shape: `${m}x${k}x${n}`, kernel: matmul,
      make: (d) => [d.tensor(random(m * k, 2, 1), [m, k]), d.tensor(random(k * n, 3, 1), [k, n])],
    },
    {
      name: 'softmax', shape: `${rows}x${cols}`, kernel: softmax,
      make: (d) => [d.tensor(random(rows * cols, 1, 4), [rows, cols])],
    },
  ];
}

export interface StabilityOptions {
  readonly small: boolean;
  /** Overrides quick's time budget (seconds); default BUDGETS.quick.maxSeconds. */
  readonly maxSeconds?: number;
  readonly only: readonly string[];
  readonly command: string;
}

export async function runStability(device: Device, options: StabilityOptions): Promise<StabilityReport> {
  const out: StabilityStudyResult[] = [];
  const budgetSeconds = options.maxSeconds ?? BUDGETS.quick.maxSeconds;
  for (const study of studies(options.small).filter((s) => options.only.length === 0 || options.only.includes(s.name))) {
    const args = study.make(device);
    console.log(`\n${study.name} ${study.shape}: quick, seeds ${STABILITY_SEEDS.join(', ')}`);
    const searches = [];
    let spaceSize = 0;
    const seen = new Map<number, number>();
    for (const seed of STABILITY_SEEDS) {
      const repeat = seen.get(seed) ?? 0;
      seen.set(seed, repeat + 1);
      const stamps = [performance.now()];
      const r = await study.kernel.autotune(args, {
        effort: 'quick', seed, cache: false, force: true, ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
        onProgress: () => { stamps.push(performance.now()); },
      });
      stamps.push(performance.now());
      spaceSize = r.spaceSize;
      const longestStep = Math.max(...stamps.slice(1).map((t, i) => t - (stamps[i] ?? t))) / 1000;
      const winner = r.results[0];
      const finalists = r.results.filter((row) => row.remeasured).map((row) => ({ label: row.label, ms: row.ms }));
      console.log(`  seed ${seed}${repeat > 0 ? ' (again)' : ''}: tried ${r.configsTried}/${r.spaceSize}, ${(r.elapsedMs / 1000).toFixed(1)} s (budget ${budgetSeconds} s), ${winner?.label ?? 'default'} ${r.bestMs?.toFixed(4) ?? '—'} ms`);
      searches.push({ seed, repeat, result: r, longestStep, finalists, label: winner?.label ?? 'default' });
    }
    // Time the distinct winners interleaved, round after round (a warm-up round first:
    // it may recompile a pipeline the searches' caches let go).
    const distinct: KernelConfig[] = [];
    const slot = searches.map((s) => {
      const at = distinct.findIndex((c) => sameConfig(c, s.result.best));
      if (at >= 0) return at;
      distinct.push(s.result.best);
      return distinct.length - 1;
    });
    const times: number[][] = distinct.map(() => []);
    for (let round = -1; round < TIMING_ROUNDS; round++) {
      for (let j = 0; j < distinct.length; j++) {
        const i = (j + Math.max(0, round)) % distinct.length;
        const config = distinct[i];
        if (config === undefined) continue;
        const m = await study.kernel.measure(args, { config, repeats: 50, maxMs: 1000 });
        if (round >= 0) times[i]?.push(m.medianMs);
      }
    }
    const medians = times.map(median);
    const best = Math.min(...medians);
    const runs: StabilityRun[] = searches.map((s, i) => {
      const ms = medians[slot[i] ?? 0] ?? NaN;
      const searchSeconds = s.result.elapsedMs / 1000;
      return {
        seed: s.seed, repeat: s.repeat, config: s.result.best, label: s.label, configsTried: s.result.configsTried,
        searchSeconds, budgetSeconds, longestStepSeconds: s.longestStep, withinBudget: searchSeconds <= budgetSeconds + s.longestStep,
        finalists: s.finalists, ms, ratio: ms / best,
      };
    });
    const result: StabilityStudyResult = {
      study: study.name, shape: study.shape, spaceSize, runs,
      sameSeedSameWinner: runs.every((r) => runs.every((o) => o.seed !== r.seed || sameConfig(o.config, r.config))),
      worstRatio: Math.max(...runs.map((r) => r.ratio)),
      allWithinBudget: runs.every((r) => r.withinBudget),
    };
    for (const r of runs) console.log(`  seed ${r.seed}${r.repeat > 0 ? ' (again)' : ''}: ${r.ms.toFixed(4)} ms, ${r.ratio.toFixed(3)}× the best winner`);
    console.log(`  same seed → same winner: ${result.sameSeedSameWinner ? 'yes' : 'NO'}; worst ${result.worstRatio.toFixed(3)}× (${result.worstRatio <= 1.1 ? 'within 10%' : 'NOT within 10%'}); budgets ${result.allWithinBudget ? 'honoured' : 'NOT honoured'}`);
    out.push(result);
    for (const a of args) a.destroy();
  }
  return { date: new Date().toISOString(), adapter: device.describe(), small: options.small, command: options.command, studies: out };
}

/** Configs are equal when their JSON with sorted keys is. */
export function sameConfig(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

