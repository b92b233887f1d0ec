/**
 * After the device is lost, calls fail fast with a typed error naming the kernel (no
 * hang), and a fresh init({ backend: 'webgpu' }) gives a device on which the same kernel works again.
 */
import { expect, it } from 'vitest';
import { DeviceError, init } from 'tessera-gpu';
import { add, addReference } from '../../examples/add.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { randomF32 } from '../support/random.ts';

describeWebGPU('device loss', () => {
  it('a lost device gives DeviceError(lost); a new device works', async () => {
    const first = await init({ backend: 'webgpu' });
    const xs = randomF32(1000, 1);
    const x = first.tensor(xs, [1000]);
    const y = first.tensor(xs, [1000]);
    await add.run([x, y]);
    first.gpu.destroy(); // what a driver reset looks like to the runtime
    await new Promise((r) => setTimeout(r, 50));
    const err = await add(x, y).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).kind).toBe('lost');
    expect((err as DeviceError).kernel).toBe('add');
    first.dispose();

    const second = await init({ backend: 'webgpu' });
    const x2 = second.tensor(xs, [1000]);
    const y2 = second.tensor(xs, [1000]);
    const [out] = await add.run([x2, y2]);
    expect(Array.from((await out?.read()) ?? [])).toEqual(Array.from(addReference(xs, xs)));
    second.dispose();
  });
});
