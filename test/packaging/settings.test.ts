/**
 * The library's conventions that need no device: the compiler version tuning caches key
 * on matches its package.json, the TESSERA_* variables parse (and bad values are named,
 * not guessed), the cache location honours TESSERA_CACHE_DIR, and the autotune progress
 * line says where the search is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILER_VERSION } from 'tessera-gpu-compiler';
import { defaultCacheFile } from 'tessera-gpu-runtime';
import { readEnvironment } from '../../packages/runtime/src/settings/environment.ts';
import { progressText } from '../../packages/runtime/src/autotune/progress-line.ts';
import { ROOT } from './project.ts';

describe('library settings', () => {
  it('COMPILER_VERSION is the compiler package version (bump both together)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', 'compiler', 'package.json'), 'utf8')) as { version: string };
    expect(COMPILER_VERSION).toBe(manifest.version);
  });

  it('reads TESSERA_AUTOTUNE_EFFORT, TESSERA_PRINT_WGSL and TESSERA_LOG', () => {
    expect(readEnvironment({})).toEqual({ problems: [] });
    expect(readEnvironment({ TESSERA_AUTOTUNE_EFFORT: 'full', TESSERA_PRINT_WGSL: '1', TESSERA_LOG: 'silent' }))
      .toEqual({ autotuneEffort: 'full', printWgsl: true, log: 'silent', problems: [] });
    expect(readEnvironment({ TESSERA_AUTOTUNE_EFFORT: ' Quick ', TESSERA_PRINT_WGSL: 'off' }))
      .toEqual({ autotuneEffort: 'quick', printWgsl: false, problems: [] });
  });

  it('names a bad value and what it accepts, and ignores it', () => {
    const env = readEnvironment({ TESSERA_AUTOTUNE_EFFORT: 'max', TESSERA_LOG: 'loud', TESSERA_PRINT_WGSL: 'sure' });
    expect(env.autotuneEffort).toBeUndefined();
    expect(env.log).toBeUndefined();
    expect(env.printWgsl).toBeUndefined();
    expect(env.problems).toEqual([
      'tessera: ignoring TESSERA_AUTOTUNE_EFFORT="max": expected one of none, quick, full',
      'tessera: ignoring TESSERA_LOG="loud": expected one of silent, warn, info, debug',
      'tessera: ignoring TESSERA_PRINT_WGSL="sure": expected 1 or 0',
    ]);
  });

  it('TESSERA_CACHE_DIR wins over XDG_CACHE_HOME and HOME', () => {
    expect(defaultCacheFile({ TESSERA_CACHE_DIR: '/srv/tessera/', XDG_CACHE_HOME: '/x', HOME: '/home/u' }, 'linux')).toBe('/srv/tessera/autotune.json');
    expect(defaultCacheFile({ TESSERA_CACHE_DIR: '', XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/x/tessera/autotune.json');
    expect(defaultCacheFile({ TESSERA_CACHE_DIR: 'C:\\cache' }, 'win32')).toBe('C:\\cache\\autotune.json');
  });

  it('the progress line shows configs tried, the best so far and the time left', () => {
    const best = { label: 'tm=4 workgroupSize=64', ms: 1.23456 };
    expect(progressText('softmax', { phase: 'search', tried: 3, budget: 40, elapsedMs: 2500, etaMs: 30_000, best }))
      .toBe('tessera: autotuning softmax: 3/40 configs, best 1.235 ms (tm=4 workgroupSize=64), 2.5 s, ~30.0 s left');
    expect(progressText('softmax', { phase: 'search', tried: 0, budget: 40, elapsedMs: 100, etaMs: null, best: undefined }))
      .toBe('tessera: autotuning softmax: 0/40 configs, no valid config yet, 0.1 s');
    expect(progressText('softmax', { phase: 'done', tried: 40, budget: 40, elapsedMs: 36_200, etaMs: 0, best }))
      .toBe('tessera: autotuned softmax: 40 configs in 36.2 s, best 1.235 ms (tm=4 workgroupSize=64)');
  });
});
