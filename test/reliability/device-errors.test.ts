/**
 * Device errors read clearly on WebGPU: a loss reported for a kernel carries one prefix
 * (not "WebGPU lost error in kernel 'add': WebGPU lost error: …"), and dispose() while
 * reads are pending rejects them as kind 'disposed', not as an internal error.
 */
import { expect, it } from 'vitest';
import { DeviceError, init } from 'tessera-gpu';
import { add } from '../../examples/add.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { randomF32 } from '../support/random.ts';

describeWebGPU('device error messages', () => {
  it('a loss reported for a kernel has one prefix and keeps the loss detail', async () => {
    const d = await init({ backend: 'webgpu' });
    const x = d.tensor(randomF32(100, 1), [100]);
    await add(x, x);
    d.gpu.destroy();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 2; i++) {
      const e = await add(x, x).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(DeviceError);
      const error = e as DeviceError;
      expect(error.kind).toBe('lost');
      expect(error.kernel).toBe('add');
      expect(error.message.match(/WebGPU/g)?.length).toBe(1);
      expect(error.message).toMatch(/^WebGPU device lost in kernel 'add': the device was lost/);
      expect(error.detail).not.toMatch(/WebGPU/);
    }
    d.dispose();
  });

  it('dispose() with reads pending rejects them as kind "disposed"', async () => {
    const d = await init({ backend: 'webgpu' });
    const n = 1 << 20;
    const x = d.tensor(randomF32(n, 2), [n]);
    const [out] = await add.run([x, x]);
    if (!out) throw new Error('no output');
    const pending = [out.read(), x.read()];
    d.dispose();
    // dispose() destroys the GPUDevice at once, so neither mapping can complete.
    for (const p of pending) {
      const e = await p.then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(DeviceError);
      expect((e as DeviceError).kind).toBe('disposed');
    }
    const after = await out.read().then(() => undefined, (err: unknown) => err);
    expect((after as DeviceError).kind).toBe('disposed');
  });
});
