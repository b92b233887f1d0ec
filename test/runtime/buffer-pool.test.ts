/**
 * The reuse pool's bound (buffer-pool.ts): a released buffer that does not fit evicts the
 * buffers released longest ago, so the pool follows the sizes in use now.
 */
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../packages/runtime/src/buffer-pool.ts';

/** Enough of a GPUBuffer for the pool: its size, usage and whether it was destroyed. */
function fakeBuffer(size: number, usage = 1): GPUBuffer & { destroyed: boolean } {
  const b = { size, usage, destroyed: false, destroy: () => { b.destroyed = true; } };
  return b as unknown as GPUBuffer & { destroyed: boolean };
}

describe('BufferPool', () => {
  it('takes back a buffer of the same size and usage only', () => {
    const pool = new BufferPool(1000);
    const a = fakeBuffer(100);
    expect(pool.give(a)).toBe(true);
    expect(pool.take(100, 2)).toBeUndefined();
    expect(pool.take(99, 1)).toBeUndefined();
    expect(pool.take(100, 1)).toBe(a);
    expect(pool.take(100, 1)).toBeUndefined();
    expect(pool.size).toBe(0);
  });

  it('evicts the oldest buffers when a released one does not fit', () => {
    const pool = new BufferPool(1000);
    const old = [fakeBuffer(300), fakeBuffer(301), fakeBuffer(302)];
    for (const b of old) expect(pool.give(b)).toBe(true);
    const fresh = fakeBuffer(500);
    expect(pool.give(fresh)).toBe(true);
    // 300 and 301 made room (903 + 500 > 1000 until 302 alone is left); 302 stays.
    expect(old.map((b) => b.destroyed)).toEqual([true, true, false]);
    expect(pool.size).toBe(2);
    expect(pool.take(300, 1)).toBeUndefined();
    expect(pool.take(302, 1)).toBe(old[2]);
    expect(pool.take(500, 1)).toBe(fresh);
  });

  it('a buffer taken and given back counts as released now', () => {
    const pool = new BufferPool(1000);
    const [a, b] = [fakeBuffer(400), fakeBuffer(401)];
    pool.give(a);
    pool.give(b);
    expect(pool.take(400, 1)).toBe(a);
    pool.give(a);
    pool.give(fakeBuffer(402));
    expect([a.destroyed, b.destroyed]).toEqual([false, true]);
  });

  it('refuses a buffer larger than the whole pool and keeps what it has', () => {
    const pool = new BufferPool(1000);
    const kept = fakeBuffer(600);
    pool.give(kept);
    expect(pool.give(fakeBuffer(1001))).toBe(false);
    expect(kept.destroyed).toBe(false);
    expect(pool.size).toBe(1);
  });

  it('destroy() destroys every kept buffer', () => {
    const pool = new BufferPool(1000);
    const bs = [fakeBuffer(10), fakeBuffer(10), fakeBuffer(20)];
    bs.forEach((b) => pool.give(b));
    pool.destroy();
    expect(bs.every((b) => b.destroyed)).toBe(true);
    expect(pool.size).toBe(0);
    expect(pool.take(10, 1)).toBeUndefined();
  });
});
