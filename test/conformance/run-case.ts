/** Runs one conformance case on a device (WebGPU or interpreter): every config, every size. */
import { kernelFromSource } from 'tessera-gpu-dsl';
import { makeKernel, type Device } from 'tessera-gpu-runtime';
import type { ConformanceCase } from './cases.ts';
import { expectClose } from './check.ts';

/** `subset`: only the first config at the last (largest ragged) size — every construct, once. */
export async function runCase(c: ConformanceCase, d: Device, opts: { readonly subset?: boolean } = {}): Promise<void> {
  const k = makeKernel(kernelFromSource(c.source));
  const configs = opts.subset === true ? c.configs.slice(0, 1) : c.configs;
  const sizes = opts.subset === true ? c.sizes.slice(-1) : c.sizes;
  for (const config of configs) {
    for (const size of sizes) {
      const s = size();
      const inputs = s.inputs.map((i) => d.tensor(i.data, [...i.shape], i.dtype));
      const outs = await k.run([...inputs, ...s.scalars], { config });
      for (const [o, want] of s.expected.entries()) {
        const got = await outs[o]?.read();
        expectClose(got ?? [], want, c.atol, c.rtol, `${c.name} on ${d.backend} ${JSON.stringify(config)} shapes ${JSON.stringify(s.inputs.map((i) => i.shape))} output ${o}`);
      }
      for (const t of [...inputs, ...outs]) t.destroy();
    }
  }
}
