/** The same conformance suite on the interpreter backend (no WebGPU needed). */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { init, type Device } from 'tessera-gpu-runtime';
import { ALL_CASES } from './all-cases.ts';
import { runCase } from './run-case.ts';

describe('conformance: interpreter', () => {
  let device: Device | undefined;
  beforeAll(async () => {
    device = await init({ backend: 'interpreter' });
  });
  afterAll(() => device?.dispose());
  for (const c of ALL_CASES) {
    it(c.name, async () => {
      if (!device) throw new Error('no device');
      await runCase(c, device);
    });
  }
});
