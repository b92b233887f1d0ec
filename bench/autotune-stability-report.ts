/**
 * The autotuner stability study's results (bench/autotune-stability.ts runs it): their
 * shape, and the "Autotuner stability" section of docs/benchmarks.md, which sits between
 * two `<!-- autotune-stability -->` markers. bench/report.ts renders it from the JSON when
 * it rewrites the page; the study splices it into the page in place.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { KernelConfig } from 'tessera-gpu';

export const STABILITY_FILE = 'bench/results/autotune-stability.json';
export const STABILITY_MARKER = '<!-- autotune-stability -->';
/** Seed 1 twice: the repeat checks that the same seed gives the same winner. */
export const STABILITY_SEEDS = [1, 2, 3, 1] as const;
export const TIMING_ROUNDS = 7;

export interface StabilityRun {
  readonly seed: number;
  /** 0 for the first run of a seed, 1 for its repeat. */
  readonly repeat: number;
  readonly config: KernelConfig;
  readonly label: string;
  readonly configsTried: number;
  readonly searchSeconds: number;
  readonly budgetSeconds: number;
  /** The longest gap between two progress events: one candidate, or one re-timing round. */
  readonly longestStepSeconds: number;
  /** searchSeconds ≤ budgetSeconds + longestStepSeconds. */
  readonly withinBudget: boolean;
  /** The re-timed finalists of the search (label, median ms), best first. */
  readonly finalists: readonly { readonly label: string; readonly ms: number }[];
  /** The winner's median in the interleaved timing after all searches. */
  readonly ms: number;
  /** ms ÷ the fastest winner's ms. */
  readonly ratio: number;
}

export interface StabilityStudyResult {
  readonly study: string;
  readonly shape: string;
  readonly spaceSize: number;
  readonly runs: readonly StabilityRun[];
  /** Every seed run twice picked the same config both times. */
  readonly sameSeedSameWinner: boolean;
  /** Largest ratio over the runs (≤ 1.1: every seed within 10% of the best winner). */
  readonly worstRatio: number;
  readonly allWithinBudget: boolean;
}

export interface StabilityReport {
  readonly date: string;
  readonly adapter: string;
  readonly small: boolean;
  readonly command: string;
  readonly studies: readonly StabilityStudyResult[];
}

export function readStability(file = STABILITY_FILE): StabilityReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StabilityReport;
  } catch {
    return undefined;
  }
}

/**
 * The docs section: a blank line, the markers around it, a newline (so it follows the
 * page's previous section like the bundle section does), or '' when there is no report.
 */
export function renderStability(r: StabilityReport | undefined): string {
  if (r === undefined) return '';
  const lines = [
    '',
    STABILITY_MARKER,
    '## Autotuner stability',
    '',
    `\`autotune({ effort: 'quick' })\` with seeds ${STABILITY_SEEDS.join(', ')} (seed 1 twice), cache off, on each kernel's`,
    `whole space; the winners then timed interleaved in one process (${TIMING_ROUNDS} rounds, medians). Criteria:`,
    'the same seed picks the same config; every seed\'s winner is within 10% of the best winner;',
    'a search ends within its time budget plus one candidate.',
    '',
    `- adapter: ${r.adapter}`,
    `- run: ${r.date}${r.small ? ' (small shapes: a check of the script, not a result)' : ''} — reproduce with \`${r.command}\``,
    '',
    '| kernel | shape | seed | winner | ms | × best winner | configs tried | search s | budget s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of r.studies) {
    for (const run of s.runs) {
      lines.push(`| ${s.study} | ${s.shape} | ${run.seed}${run.repeat > 0 ? ' (again)' : ''} | \`${run.label}\` | ${run.ms.toFixed(4)} | ${run.ratio.toFixed(3)} | ${run.configsTried} / ${s.spaceSize} | ${run.searchSeconds.toFixed(1)} | ${run.budgetSeconds}${run.withinBudget ? '' : ' (overrun)'} |`);
    }
  }
  lines.push('');
  for (const s of r.studies) {
    lines.push(`- ${s.study} ${s.shape}: same seed → same winner: **${s.sameSeedSameWinner ? 'yes' : 'no'}**; worst winner ${s.worstRatio.toFixed(3)}× the best (**${s.worstRatio <= 1.1 ? 'within' : 'not within'} 10%**); budgets **${s.allWithinBudget ? 'honoured' : 'overrun'}**.`);
  }
  lines.push(STABILITY_MARKER, '');
  return lines.join('\n');
}

/**
 * Puts the section into a markdown page: between the markers when they are there, else
 * before the closing note on the shared machine (or at the end).
 */
export function spliceStability(page: string, section: string): string {
  const first = page.indexOf(STABILITY_MARKER);
  const last = page.lastIndexOf(STABILITY_MARKER);
  const inner = section.trim();
  if (first >= 0 && last > first) return page.slice(0, first) + inner + page.slice(last + STABILITY_MARKER.length);
  const note = page.indexOf('The machine is shared');
  if (note >= 0) return `${page.slice(0, note)}${inner}\n\n${page.slice(note)}`;
  return `${page.trimEnd()}\n${section}`;
}

export function writeStability(report: StabilityReport, jsonFile: string, docsFile: string | undefined): void {
  writeFileSync(jsonFile, JSON.stringify(report, null, 1));
  console.log(`\nwrote ${jsonFile}`);
  if (docsFile === undefined) return;
  const page = existsSync(docsFile) ? readFileSync(docsFile, 'utf8') : '# Benchmarks\n';
  writeFileSync(docsFile, spliceStability(page, renderStability(report)));
  console.log(`wrote the "Autotuner stability" section of ${docsFile}`);
}
