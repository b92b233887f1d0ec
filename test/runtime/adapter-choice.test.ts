/**
 * Choosing an adapter by name under Node: listDawnAdapters() reads dawn.node's adapters,
 * init({ adapter }) opens the one whose name contains the text (any case), a run on it
 * computes what the JS reference does, and an unknown name is a NoAdapterError naming
 * what is there. (SwiftShader, a second driver, needs the loader's environment set before
 * the process starts: test/cli/cli.test.ts covers it through `tessera devices`.)
 */
import { describe, expect, it } from 'vitest';
import { init, listDawnAdapters, NoAdapterError } from 'tessera-gpu-runtime';
import { add, addReference } from '../../examples/add.ts';
import { randomF32 } from '../support/random.ts';
import { requireWebGPU, webgpu } from '../support/webgpu.ts';

(webgpu.ok || requireWebGPU ? describe : describe.skip)('init({ adapter })', { timeout: 60_000 }, () => {
  it('lists the adapters and opens one by a part of its name in another case; a kernel runs on it', async () => {
    const listed = await listDawnAdapters();
    if (!listed.ok) throw new Error(listed.reason);
    const [first] = listed.adapters;
    if (first === undefined) throw new Error('dawn.node listed no adapter');
    const part = first.name.split(' ')[0]?.toUpperCase() ?? first.name;
    const exact = await init({ backend: 'webgpu', adapter: first.name });
    const device = await init({ backend: 'webgpu', adapter: part });
    try {
      expect(device.info).toEqual(exact.info);
      const n = 1001;
      const [xs, ys] = [randomF32(n, 1), randomF32(n, 2)];
      const [out] = await add.run([device.tensor(xs, [n]), device.tensor(ys, [n])], { device });
      expect(Array.from(await (out?.read() ?? Promise.resolve(new Float32Array(0))))).toEqual(Array.from(addReference(xs, ys)));
    } finally {
      device.dispose();
      exact.dispose();
    }
  });

  it('an adapter nobody has is a NoAdapterError that names the ones there are', async () => {
    const listed = await listDawnAdapters();
    if (!listed.ok) throw new Error(listed.reason);
    const error = await init({ backend: 'webgpu', adapter: 'no-such-gpu-9000' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NoAdapterError);
    const message = (error as NoAdapterError).message;
    expect(message).toContain("no adapter named 'no-such-gpu-9000'");
    for (const a of listed.adapters) expect(message).toContain(`'${a.name}'`);
  });
});
