/** The conformance suite on the WebGPU adapter. */
import { it } from 'vitest';
import { ALL_CASES } from './all-cases.ts';
import { runCase } from './run-case.ts';
import { describeWebGPU } from '../support/webgpu.ts';

describeWebGPU('conformance: WebGPU', (ctx) => {
  for (const c of ALL_CASES) it(c.name, () => runCase(c, ctx.device), c.timeoutMs ?? 60_000);
});
