/**
 * The autotuner stability section of docs/benchmarks.md (bench/autotune-stability-report.ts):
 * the study splices it into the page in place, bench/report.ts renders it when it rewrites
 * the page; both must give the same text, and splicing again replaces the old section.
 */
import { describe, expect, it } from 'vitest';
import { renderStability, spliceStability, STABILITY_MARKER, type StabilityReport } from '../../bench/autotune-stability-report.ts';

function report(ms: number): StabilityReport {
  const run = (seed: number, repeat: number, ratio: number) => ({
    seed, repeat, config: { blocks: { tm: 8 } } as never, label: 'tm=8 workgroupSize=64', configsTried: 30,
    searchSeconds: 20.5, budgetSeconds: 120, longestStepSeconds: 2, withinBudget: true, finalists: [], ms: ms * ratio, ratio,
  });
  return {
    date: '2026-01-01T00:00:00.000Z', adapter: 'a GPU', small: false, command: 'pnpm exec tsx bench/autotune-quality.ts --stability',
    studies: [{ study: 'softmax', shape: '4096x1024', spaceSize: 2205, runs: [run(1, 0, 1), run(2, 0, 1.04), run(3, 0, 1.12), run(1, 1, 1)], sameSeedSameWinner: true, worstRatio: 1.12, allWithinBudget: true }],
  };
}

const PAGE = '# Benchmarks\n\n<!-- table -->\n| a |\n<!-- table -->\n\n## Browser bundle\n\nsome text.\n\nThe machine is shared and has 2 cores.\n';
/** How bench/report.ts lays the page out: the bundle section, the stability section, the note. */
const rendered = (section: string): string => `# Benchmarks\n\n<!-- table -->\n| a |\n<!-- table -->\n\n## Browser bundle\n\nsome text.\n${section}\nThe machine is shared and has 2 cores.\n`;

describe('autotune stability section', () => {
  it('renders the runs, the verdicts, and nothing without a report', () => {
    const text = renderStability(report(0.5));
    expect(text).toContain('| softmax | 4096x1024 | 1 (again) | `tm=8 workgroupSize=64` | 0.5000 | 1.000 | 30 / 2205 | 20.5 | 120 |');
    expect(text).toContain('same seed → same winner: **yes**');
    expect(text).toContain('**not within 10%**');
    expect(text.split(STABILITY_MARKER)).toHaveLength(3);
    expect(renderStability(undefined)).toBe('');
  });

  it('splicing into a page gives what report.ts renders; splicing again replaces the section', () => {
    const first = spliceStability(PAGE, renderStability(report(0.5)));
    expect(first).toBe(rendered(renderStability(report(0.5))));
    const again = spliceStability(first, renderStability(report(0.25)));
    expect(again).toBe(rendered(renderStability(report(0.25))));
    expect(again).not.toContain('0.5000');
  });
});
