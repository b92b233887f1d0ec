/** The autotune progress reporter: what --quiet keeps (warnings) and what it drops. */
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../packages/cli/src/progress.ts';

function capture(isTTY: boolean): { out: { write: (t: string) => void; isTTY: boolean; columns: number }; text: () => string } {
  let written = '';
  return { out: { write: (t) => void (written += t), isTTY, columns: 80 }, text: () => written };
}

describe('progressReporter', () => {
  it('--quiet drops notes and progress but still prints warnings', () => {
    const c = capture(false);
    const p = progressReporter(c.out, true);
    p.note('searching');
    p.warn('tessera: warning: 3 of 4 configs tried failed');
    expect(c.text()).toBe('tessera: warning: 3 of 4 configs tried failed\n');
  });

  it('on a terminal a warning clears the bar and starts its own line', () => {
    const c = capture(true);
    const p = progressReporter(c.out, false);
    p.update({ phase: 'search', tried: 1, budget: 4, elapsedMs: 10, etaMs: null } as Parameters<typeof p.update>[0]);
    p.warn('tessera: warning: the cache could not be written');
    expect(c.text()).toMatch(/\[#{5}\.{15}\] 1\/4 configs[^\n]*\r\x1b\[2Ktessera: warning: the cache could not be written\n$/);
  });
});
