/**
 * Resolved configs remembered for the call path (runtime/src/kernel/config-memo.ts):
 * equal plain inputs share one frozen result, the caller's own input stays theirs,
 * failures and inputs that are not plain data are resolved (and rejected) every time —
 * and a wasm kernel called with a config that was fine, then bad ones, then the first
 * changed in place, runs or fails as each asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, init, kernel, type Device } from 'tessera-gpu';
import { memoConfig } from '../../packages/runtime/src/kernel/config-memo.ts';

const scale = kernel`
fn scale(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) { for tn in tile(N) { out[tm, tn] = x[tm, tn] * 2.0; } }
  return out;
}`;
const ir = scale.prepared().ir;

describe('memoConfig', () => {
  it('resolves equal plain inputs once and hands back one frozen copy', () => {
    let calls = 0;
    const input = { blocks: { tm: 8, tn: 16 } };
    const resolve = () => {
      calls++;
      return { blocks: input.blocks, threads: 2 };
    };
    const a = memoConfig(ir, 'test-plain', input, resolve);
    const b = memoConfig(ir, 'test-plain', { blocks: { tm: 8, tn: 16 } }, resolve);
    expect(calls).toBe(1);
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.blocks)).toBe(true);
    // The caller's object was copied, not frozen: it can still change, and a changed input is a new key.
    expect(Object.isFrozen(input.blocks)).toBe(false);
    input.blocks.tm = 4;
    expect(memoConfig(ir, 'test-plain', input, resolve).blocks.tm).toBe(4);
    expect(calls).toBe(2);
  });

  it('keeps backends apart and never remembers a failure', () => {
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('bad config');
    };
    for (let i = 0; i < 3; i++) expect(() => memoConfig(ir, 'test-fail', { unroll: 3 }, failing)).toThrow('bad config');
    expect(calls).toBe(3);
    const one = memoConfig(ir, 'test-a', { unroll: 2 }, () => ({ backend: 'a' }));
    const other = memoConfig(ir, 'test-b', { unroll: 2 }, () => ({ backend: 'b' }));
    expect([one.backend, other.backend]).toEqual(['a', 'b']);
  });

  it('resolves inputs that are not plain data on every call', () => {
    const odd: unknown[] = [
      { blocks: { tm: () => 8 } }, { blocks: { tm: NaN } }, { blocks: { tm: Infinity } }, { blocks: { tm: 8n } },
      { blocks: { tm: undefined } }, Object.defineProperty({}, 'unroll', { get: () => 2, enumerable: true }),
      new (class Config { unroll = 2; })(), { [Symbol('k')]: 1 }, null,
    ];
    for (const input of odd) {
      let calls = 0;
      for (let i = 0; i < 2; i++) memoConfig(ir, 'test-odd', input as never, () => ({ n: ++calls }));
      expect(calls, String(input)).toBe(2);
    }
  });
});

describe('a wasm kernel called with changing configs', () => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 2 });
  });
  afterAll(() => device.dispose());

  it('runs right under each config, and rejects a bad one every time', async () => {
    const [m, n] = [37, 45];
    const xs = Float32Array.from({ length: m * n }, (_, i) => Math.sin(i * 0.37) * 5 + 0.25);
    const x = device.tensor(xs, [m, n]);
    const config = { blocks: { tm: 8, tn: 16 } };
    const check = async (c: typeof config) => {
      const out = await (await scale.run([x], { config: c }))[0]!.read();
      for (let i = 0; i < xs.length; i++) expect(out[i]).toBe(Math.fround((xs[i] ?? 0) * 2));
    };
    await check(config);
    for (let i = 0; i < 2; i++) {
      await expect(scale.run([x], { config: { blocks: { tm: 0, tn: 16 } } })).rejects.toBeInstanceOf(ConfigError);
      await expect(scale.run([x], { config: { blocks: { tm: () => 8 } } as never })).rejects.toBeInstanceOf(ConfigError);
    }
    config.blocks.tm = 4;
    await check(config);
    expect(Object.isFrozen(config.blocks)).toBe(false);
  });
});
