/**
 * Autotuning on the real adapter: vector add and row softmax at small shapes with
 * effort 'quick'. The winner must be a valid config whose output matches the plain-JS
 * reference; a second call with the same key runs nothing; cancellation returns the best
 * so far; candidates that do not match the baseline are rejected.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configProblems } from 'tessera-gpu-compiler';
import { init, makeKernel, TuningCache, type AutotuneProgress } from 'tessera-gpu-runtime';
import { add, addReference } from '../../examples/add.ts';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-autotune-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeWebGPU('autotune on the adapter', (ctx) => {
  it('vector add: a valid config whose output matches; the second call runs no benchmark', async () => {
    const n = 5000;
    const xs = randomF32(n, 1, -10, 10);
    const ys = randomF32(n, 2, -10, 10);
    const x = ctx.device.tensor(xs, [n]);
    const y = ctx.device.tensor(ys, [n]);
    const cache = TuningCache.file(join(dir, 'add.json'));
    const progress: AutotuneProgress[] = [];
    const result = await add.autotune([x, y], { effort: 'quick', cache, onProgress: (p) => progress.push(p) });

    expect(result.fromCache).toBe(false);
    expect(result.aborted).toBe(false);
    expect(result.baseline).toBe('default');
    expect(result.benchmarks).toBeGreaterThan(0);
    expect(result.configsTried).toBeLessThanOrEqual(30);
    expect(result.bestMs).toBeGreaterThan(0);
    expect(configProblems(add.prepared().ir, result.best, ctx.device.info.limits)).toEqual([]);
    expect(result.results.filter((r) => r.status === 'mismatch')).toEqual([]);
    expect(result.results.some((r) => r.isDefault)).toBe(true);
    expect(progress.at(-1)?.phase).toBe('done');
    expect(progress.filter((p) => p.phase === 'search').length).toBe(result.results.length);

    const [out] = await add.run([x, y], { config: result.best });
    expect(maxAbsDiff(await (out ?? x).read(), addReference(xs, ys))).toBe(0);
    out?.destroy();

    const launches = ctx.device.stats().launches;
    const again = await add.autotune([x, y], { effort: 'quick', cache });
    expect(again.fromCache).toBe(true);
    expect(again.benchmarks).toBe(0);
    expect(again.results).toEqual([]);
    expect(again.best).toEqual(result.best);
    expect(ctx.device.stats().launches).toBe(launches);
    // Same power-of-two bucket (4097..8192): still the cached entry.
    const bigger = ctx.device.tensor(randomF32(8000, 3), [8000]);
    expect((await add.autotune([bigger, bigger], { cache })).fromCache).toBe(true);
    // More effort than was spent re-tunes; 'none' never runs anything.
    expect((await add.autotune([x, y], { effort: 'none', cache: false })).benchmarks).toBe(0);
    for (const t of [x, y, bigger]) t.destroy();
  }, 60_000);

  it('softmax: a valid config whose output matches the reference', async () => {
    const [m, n] = [64, 300];
    const xs = randomF32(m * n, 5, -8, 8);
    const x = ctx.device.tensor(xs, [m, n]);
    const result = await softmax.autotune([x], { effort: 'quick', cache: false });
    expect(result.bestMs).toBeGreaterThan(0);
    expect(result.speedup).toBeGreaterThan(0);
    expect(configProblems(softmax.prepared().ir, result.best, ctx.device.info.limits)).toEqual([]);
    const [out] = await softmax.run([x], { config: result.best });
    expect(maxAbsDiff(await (out ?? x).read(), softmaxReference(xs, m, n))).toBeLessThan(1e-6);
    // Finalists (within 10% of the best, and the default) were re-timed interleaved, with
    // their noise recorded; where the winner is the default and every other config was
    // more than 10% slower in the search, it is the only finalist and nothing is re-timed.
    const remeasured = result.results.filter((r) => r.remeasured);
    if (remeasured.length === 0) {
      expect(result.results[0]?.isDefault).toBe(true);
      for (const r of result.results.slice(1).filter((t) => Number.isFinite(t.ms))) expect(r.ms).toBeGreaterThan(1.1 * (result.bestMs ?? 0));
    }
    for (const r of remeasured) expect(r.noise).toBeGreaterThanOrEqual(0);
    out?.destroy();
    x.destroy();
  }, 60_000);

  it("baseline 'interpreter': candidates are checked against the interpreter backend", async () => {
    const x = ctx.device.tensor(randomF32(16 * 40, 13, -4, 4), [16, 40]);
    const result = await softmax.autotune([x], { cache: false, baseline: 'interpreter', maxConfigs: 4 });
    expect(result.baseline).toBe('interpreter');
    expect(result.bestMs).toBeGreaterThan(0);
    expect(result.results.filter((r) => r.status === 'mismatch')).toEqual([]);
    x.destroy();
  }, 60_000);

  it('the interpreter backend has nothing to tune: the default config, nothing run', async () => {
    const cpu = await init({ backend: 'interpreter' });
    const x = cpu.tensor(randomF32(64, 14), [64]);
    const result = await add.autotune([x, x], { cache: false });
    expect(result.benchmarks).toBe(0);
    expect(result.best).toEqual(add.resolveConfig());
    cpu.dispose();
  });

  it('an abort returns the best config so far, promptly, and caches it marked partial for the next run to redo', async () => {
    const x = ctx.device.tensor(randomF32(128 * 256, 9), [128, 256]);
    const cache = TuningCache.memory();
    const controller = new AbortController();
    let abortedAt = 0;
    const result = await softmax.autotune([x], {
      effort: 'full', cache, signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'search' && p.tried === 3) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const returnedAfter = performance.now() - abortedAt;
    expect(result.aborted).toBe(true);
    // Configs rejected before running (invalid) are listed but do not count as tried.
    expect(result.results.filter((r) => r.status !== 'invalid').length).toBe(3);
    expect(result.bestMs).toBeGreaterThan(0);
    expect(result.best).toEqual(result.results[0]?.config);
    expect(returnedAfter).toBeLessThan(2000);
    const kept = Object.values(await cache.entries());
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ partial: true, config: result.best, ms: result.bestMs });
    // Calls use the partial best; a later autotune searches again and replaces it.
    expect(await softmax.bestConfig([x], { cache })).toEqual(result.best);
    const again = await softmax.autotune([x], { effort: 'quick', cache, maxConfigs: 2 });
    expect(again.fromCache).toBe(false);
    expect(again.aborted).toBe(false);
    const replaced = Object.values(await cache.entries());
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.partial).toBeUndefined();
    x.destroy();
  }, 60_000);

  it('candidates whose output differs from the reference score Infinity and are reported', async () => {
    const n = 1000;
    const x = ctx.device.tensor(randomF32(n, 11), [n]);
    const result = await add.autotune([x, x], {
      cache: false, maxConfigs: 4,
      reference: async () => [new Float32Array(n).fill(1234)],
    });
    expect(result.baseline).toBe('reference');
    expect(result.bestMs).toBeNull();
    expect(result.results.length).toBeGreaterThan(0);
    for (const r of result.results) {
      expect(r.status).toBe('mismatch');
      expect(r.ms).toBe(Infinity);
      expect(r.message).toMatch(/baseline 1234/);
    }
    // Nothing ran: the config an untuned call gets on this device.
    expect(result.best).toEqual(await add.bestConfig([x, x], { cache: false }));
    x.destroy();
  }, 60_000);

  it('a pinned config wins: no benchmarks, and calls use it', async () => {
    const k = makeKernel(add.def);
    const pin = { blocks: { tn: 64 }, workgroupSize: 32 };
    k.setTuning({ config: pin, cache: false });
    const x = ctx.device.tensor(randomF32(100, 4), [100]);
    const result = await k.autotune([x, x]);
    expect(result.pinned).toBe(true);
    expect(result.benchmarks).toBe(0);
    expect(result.best).toEqual(k.resolveConfig(pin));
    expect(await k.bestConfig([x, x])).toEqual(k.resolveConfig(pin));
    x.destroy();
  });

  it("calls use the cached config ('cached-else-default'), or tune on first call ('autotune')", async () => {
    const n = 3000;
    const xs = randomF32(n, 21);
    const x = ctx.device.tensor(xs, [n]);
    const cache = TuningCache.memory();
    const tuned = { blocks: { tn: 128 }, workgroupSize: 16 };
    // A tunings file as an app would ship it: made by exporting a cache that has the entry.
    const source = TuningCache.memory();
    const k = makeKernel(add.def).setTuning({ cache: source });
    await k.autotune([x, x], { cache: source, maxConfigs: 1, strategy: 'exhaustive', effort: 'quick' });
    const file = await source.export();
    const key = Object.keys(file.entries)[0] ?? '';
    const entry = file.entries[key];
    if (entry === undefined) throw new Error('no entry recorded');
    await cache.import({ ...file, entries: { [key]: { ...entry, config: tuned } } });

    const user = makeKernel(add.def).setTuning({ cache });
    expect(await user.bestConfig([x, x])).toEqual(user.resolveConfig(tuned));
    const before = ctx.device.stats().pipelinesCreated;
    const [out] = await user.run([x, x]);
    const created = ctx.device.stats().pipelinesCreated - before;
    // The tuned config's pipeline is the one that call built: asking for it again builds nothing.
    const [again] = await user.run([x, x], { config: tuned });
    expect(ctx.device.stats().pipelinesCreated - before).toBe(created);
    expect(maxAbsDiff(await (out ?? x).read(), addReference(xs, xs))).toBe(0);

    const eager = makeKernel(add.def).setTuning({ firstCall: 'autotune', cache: TuningCache.memory() });
    const y = ctx.device.tensor(randomF32(700, 22), [700]);
    const [viaTuning] = await eager.run([y, y]);
    expect(await viaTuning?.read()).toEqual(addReference(await y.read(), await y.read()));
    for (const t of [x, y, out, again, viaTuning]) t?.destroy();
  }, 60_000);
});
