/**
 * The wall-time budget covers the whole autotune run — the search and the interleaved
 * re-timing of the finalists — and is overrun by at most one candidate (the one running
 * when it ran out). Row softmax at a shape where one candidate takes a noticeable share
 * of a short budget.
 */
import { expect, it } from 'vitest';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describeWebGPU('autotune budget', (ctx) => {
  it('a 3 s quick search ends within 3 s plus its longest single step', async () => {
    const [m, n] = [777, 1001];
    const xs = randomF32(m * n, 5, -4, 4);
    const x = ctx.device.tensor(xs, [m, n]);
    const stamps: number[] = [];
    const start = performance.now();
    stamps.push(start);
    const result = await softmax.autotune([x], { effort: 'quick', cache: false, maxSeconds: 3, onProgress: () => stamps.push(performance.now()) });
    const end = performance.now();
    stamps.push(end);
    // Each progress event follows one candidate or one re-timing round: the longest gap
    // between them bounds what one step may add past the budget.
    const longestStep = Math.max(...stamps.slice(1).map((t, i) => t - (stamps[i] ?? t)));
    expect(end - start).toBeLessThanOrEqual(3000 + longestStep + 250);
    expect(result.elapsedMs).toBeLessThanOrEqual(3000 + longestStep + 250);
    expect(result.configsTried).toBeGreaterThan(0);
    const [out] = await softmax.run([x], { config: result.best });
    expect(maxAbsDiff((await out?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-5);
    for (const t of [x, out]) t?.destroy();
  }, 60_000);
});
