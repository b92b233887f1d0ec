/**
 * Runs handed to workers through their mailboxes (mailbox.ts): a worker idle between
 * calls is parked there, gets the runs of modules it has without a message, still gets
 * messages (a new kernel's module, probes) promptly while parked, and computes the same
 * results as every other path — checked against an f64 softmax on ragged shapes, with
 * the calling thread claiming no tile so the workers' results are the whole answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Device } from 'tessera-gpu';
import { resolveWasmConfig, simdProbe } from 'tessera-gpu-compiler';
import { softmax } from '../../examples/softmax.ts';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { randomF32 } from '../support/random.ts';
import { softmaxRef, worstError } from './softmax-check.ts';
import type { WasmBackend } from '../../packages/runtime/src/wasm/executor.ts';
import { BOX, STATE, type Mailbox, type MailRun } from '../../packages/runtime/src/wasm/mailbox.ts';

type Exports = Awaited<ReturnType<WasmBackend['prepare']>>['exports'];
interface PoolWorkerView { readonly mailbox: Mailbox }
interface PoolView { readonly workers: readonly PoolWorkerView[]; validates(bytes: Uint8Array): Promise<boolean> }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Until every worker is parked in its mailbox (a worker leaves it briefly every PARK_MS). */
async function allParked(pool: PoolView): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    if (pool.workers.every((w) => Atomics.load(w.mailbox.words, BOX.state) === STATE.parked)) return true;
    await sleep(2);
  }
  return false;
}

describe('wasm worker mailboxes', () => {
  let device: Device;
  let backend: WasmBackend;
  let pool: PoolView;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 3 });
    backend = device.wasm!;
    pool = (backend as unknown as { pool: PoolView }).pool;
  });
  afterAll(() => device.dispose());

  it('has two workers, parked in their mailboxes while idle', async () => {
    expect(pool.workers.length).toBe(2);
    expect(await allParked(pool)).toBe(true);
  });

  it('hands runs to parked workers without a message, and the workers alone give the right results', async () => {
    const ir = softmax.prepared().ir;
    const config = resolveWasmConfig(ir, { blocks: { tm: 3 }, threads: 3 });
    const compiled = await backend.prepare(ir, config);
    const own = compiled.exports;
    // One call first, so both workers have the module (its first run is a message).
    const x0 = randomF32(30 * 20, 1, 4);
    for (const o of await softmax.run([device.tensor(x0, [30, 20])], { config: { blocks: { tm: 3 }, threads: 3 } })) o.destroy();
    let handed = 0;
    const undo = pool.workers.map((w) => {
      const tryRun = w.mailbox.tryRun.bind(w.mailbox);
      w.mailbox.tryRun = (r: MailRun): boolean => {
        const got = tryRun(r);
        if (got) handed++;
        return got;
      };
      return () => { w.mailbox.tryRun = tryRun; };
    });
    // The calling thread claims no tile: the workers run them all.
    (compiled as { exports: Exports }).exports = { run: () => 0, scratch: own.scratch };
    try {
      for (const [m, n] of [[7, 13], [61, 130], [100, 257]] as const) {
        const x = randomF32(m * n, m + n, 4);
        const xt = device.tensor(x, [m, n]);
        for (let call = 0; call < 3; call++) {
          expect(await allParked(pool)).toBe(true);
          const [out] = await softmax.run([xt], { config: { blocks: { tm: 3 }, threads: 3 } });
          expect(worstError(await out!.read(), softmaxRef(x, m, n)), `${m}x${n} call ${call}`).toBeLessThan(1e-6);
          out!.destroy();
        }
      }
      // Both workers were parked before each of the 9 calls.
      expect(handed).toBe(18);
    } finally {
      (compiled as { exports: Exports }).exports = own;
      for (const u of undo) u();
    }
  });

  it('gets messages while parked: a new kernel\'s module and probes, then back-to-back calls', async () => {
    expect(await allParked(pool)).toBe(true);
    expect(await pool.validates(simdProbe())).toBe(true);
    const [m, n] = [45, 67];
    const x = randomF32(m * n, 5, 3);
    const g = randomF32(n, 6);
    const b = randomF32(n, 7);
    const args = [device.tensor(x, [m, n]), device.tensor(g, [n]), device.tensor(b, [n]), 1e-5] as const;
    const want = layernormReference(x, g, b, m, n, 1e-5);
    expect(await allParked(pool)).toBe(true);
    for (let call = 0; call < 40; call++) {
      const [out] = await layernorm.run([...args], { config: { blocks: { tm: 1 + (call % 4) }, threads: 3 } });
      expect(worstError(await out!.read(), want), `call ${call}`).toBeLessThan(1e-4);
      out!.destroy();
    }
  });
});
