/** The conformance suite on the wasm backend, with its worker threads on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Device } from 'tessera-gpu-runtime';
import { ALL_CASES } from './all-cases.ts';
import { runCase } from './run-case.ts';

describe('conformance: wasm', () => {
  let device: Device | undefined;
  beforeAll(async () => {
    // At least two threads even on a one-core machine, so every case also runs split.
    device = await init({ backend: 'wasm', threads: 2 });
  });
  afterAll(() => device?.dispose());
  it('runs on two threads over shared memory', () => {
    expect(device?.backend).toBe('wasm');
    expect(device?.info.description).toMatch(/2 threads, shared memory/);
  });
  for (const c of ALL_CASES) {
    it(c.name, async () => {
      if (!device) throw new Error('no device');
      await runCase(c, device);
    });
  }
});
