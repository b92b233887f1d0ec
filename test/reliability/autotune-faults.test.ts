/**
 * Autotuning under faults: a device lost mid-search ends it with a typed DeviceError
 * (not a "best" config from the few trials before); a search where most configs failed
 * says so in `warnings`; a cache location that cannot be read or written (a file where
 * a folder should be, a folder where the file should be, a NUL in the path) costs the
 * cache entry, never the search result.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CacheError, DeviceError, init, makeKernel, TuningCache } from 'tessera-gpu-runtime';
import { add } from '../../examples/add.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { randomF32 } from '../support/random.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-cache-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeWebGPU('autotune under faults', (ctx) => {
  it('a device lost during the search ends it with DeviceError(lost)', async () => {
    const device = await init({ backend: 'webgpu' });
    const n = 4099;
    const x = device.tensor(randomF32(n, 1), [n]);
    const k = makeKernel(add.def);
    let trials = 0;
    const outcome = await k.autotune([x, x], {
      cache: false, maxConfigs: 12, onWarning: () => {},
      onProgress: (p) => {
        if (p.phase === 'search' && ++trials === 2) device.gpu.destroy();
      },
    }).then((r) => r, (e: unknown) => e);
    expect(outcome).toBeInstanceOf(DeviceError);
    expect((outcome as DeviceError).kind).toBe('lost');
    expect((outcome as DeviceError).message.match(/device lost/g)?.length).toBe(1);
    device.dispose();
  }, 60_000);

  it('a search where every config failed says so', async () => {
    const n = 1000;
    const x = ctx.device.tensor(randomF32(n, 2), [n]);
    const told: string[] = [];
    const result = await makeKernel(add.def).autotune([x, x], {
      cache: false, maxConfigs: 4, onWarning: (m) => told.push(m),
      reference: () => Promise.resolve([new Float32Array(n).fill(1234)]),
    });
    expect(result.bestMs).toBeNull();
    expect(result.failures).toBe(result.configsTried);
    expect(result.failures).toBeGreaterThan(0);
    expect(result.warnings.join('\n')).toMatch(/every config tried failed \(\d+ mismatch\)/);
    expect(told).toEqual(result.warnings);
    x.destroy();
  }, 60_000);

  it('a healthy search has no warnings', async () => {
    const n = 1000;
    const x = ctx.device.tensor(randomF32(n, 3), [n]);
    const result = await makeKernel(add.def).autotune([x, x], { cache: TuningCache.memory(), maxConfigs: 3, onWarning: () => {} });
    expect(result.bestMs).toBeGreaterThan(0);
    expect(result.failures).toBe(0);
    expect(result.warnings).toEqual([]);
    x.destroy();
  }, 60_000);

  it('a read-only store: the search result is returned, the failed write is a warning', async () => {
    const n = 1000;
    const x = ctx.device.tensor(randomF32(n, 5), [n]);
    const readOnly = (): Promise<never> => Promise.reject(Object.assign(new Error("EROFS: read-only file system, open '/ro/autotune.json'"), { code: 'EROFS' }));
    const cache = new TuningCache({ location: '/ro/autotune.json', get: readOnly, put: readOnly, all: readOnly, clear: readOnly });
    const told: string[] = [];
    const result = await makeKernel(add.def).autotune([x, x], { cache, maxConfigs: 3, onWarning: (m) => told.push(m) });
    expect(result.bestMs).toBeGreaterThan(0);
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(/read-only.*tuning without it/);
    expect(told[1]).toMatch(/read-only.*not saved/);
    x.destroy();
  }, 60_000);

  const fileInTheWay = join(scratch, 'a-file');
  writeFileSync(fileInTheWay, 'not a folder');
  const folderInTheWay = join(scratch, 'a-folder.json');
  mkdirSync(folderInTheWay);
  const locations: [string, string, RegExp][] = [
    ['the cache folder is a file', join(fileInTheWay, 'autotune.json'), /folder on the path is a file/],
    ['the cache file is a folder', folderInTheWay, /is a directory/],
    ['the path holds a NUL byte', join(scratch, 'bad\0name.json'), /not a valid file name/],
  ];
  for (const [what, path, reason] of locations) {
    it(`${what}: the result is returned, the cache failure is a warning`, async () => {
      const n = 1000;
      const x = ctx.device.tensor(randomF32(n, 4), [n]);
      const told: string[] = [];
      const result = await makeKernel(add.def).autotune([x, x], {
        cache: TuningCache.file(path, { onWarning: () => {} }), maxConfigs: 3, onWarning: (m) => told.push(m),
      });
      expect(result.bestMs).toBeGreaterThan(0);
      expect(result.results.length).toBeGreaterThan(0);
      expect(result.warnings).toEqual(told);
      expect(told.length).toBeGreaterThan(0);
      for (const m of told) expect(m).toMatch(reason);
      expect(told.some((m) => /not saved/.test(m))).toBe(true);
      // Used directly, the cache throws one typed error naming the file.
      const direct = await TuningCache.file(path).entries().then(() => undefined, (e: unknown) => e);
      expect(direct).toBeInstanceOf(CacheError);
      expect((direct as CacheError).message).toMatch(reason);
      x.destroy();
    }, 60_000);
  }
});
