/** The conformance suite on the WebGPU adapter. */
import { it } from 'vitest';
import { kernelFromSource } from '@tessera/dsl';
import { makeKernel } from '@tessera/runtime';
import { ALL_CASES } from './cases.ts';
import { expectClose } from './check.ts';
import { describeWebGPU } from '../support/webgpu.ts';

describeWebGPU('conformance: WebGPU', (ctx) => {
  for (const c of ALL_CASES) {
    it(c.name, async () => {
      const k = makeKernel(kernelFromSource(c.source));
      const d = ctx.device;
      for (const config of c.configs) {
        for (const size of c.sizes) {
          const s = size();
          const inputs = s.inputs.map((i) => d.tensor(i.data, [...i.shape], i.dtype));
          const outs = await k.run([...inputs, ...s.scalars], { config });
          for (const [o, want] of s.expected.entries()) {
            const got = await outs[o]?.read();
            expectClose(got ?? [], want, c.atol, c.rtol, `${c.name} ${JSON.stringify(config)} shapes ${JSON.stringify(s.inputs.map((i) => i.shape))} output ${o}`);
          }
          for (const t of [...inputs, ...outs]) t.destroy();
        }
      }
    }, 60_000);
  }
});
