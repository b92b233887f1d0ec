import { describe, expect, it } from 'vitest';
import { DeviceError, hasWebGPU, init, NoAdapterError } from 'tessera-gpu-runtime';
import { describeWebGPU, webgpu } from '../support/webgpu.ts';

describeWebGPU('device (real adapter)', (ctx) => {
  it('reports the adapter it chose: lavapipe here is a software adapter', () => {
    const info = ctx.device.info;
    expect(ctx.device.backend).toBe('webgpu');
    expect(info.backend).toBe('webgpu');
    if (`${info.vendor} ${info.architecture} ${info.description}`.toLowerCase().includes('llvmpipe') || info.vendor === 'mesa') {
      expect(info.software).toBe(true);
    }
    expect(info.name.length).toBeGreaterThan(0);
    expect(ctx.device.describe()).toContain(info.name);
    expect(ctx.device.describe()).not.toContain('\n');
  });

  it('requests the useful features and the adapter maximum limits', () => {
    const info = ctx.device.info;
    if (webgpu.ok) {
      for (const f of ['timestamp-query', 'subgroups', 'shader-f16']) {
        expect(info.features.includes(f)).toBe(webgpu.info.features.includes(f));
      }
      expect(info.limits).toEqual(webgpu.info.limits);
    }
    // Raised above WebGPU's default of 256 MiB wherever the adapter allows it.
    expect(info.limits.maxBufferSize).toBeGreaterThanOrEqual(256 * 2 ** 20);
    expect(ctx.device.gpu.limits.maxBufferSize).toBe(info.limits.maxBufferSize);
  });

  it('sync() resolves when nothing is pending and reports no errors', async () => {
    await ctx.device.sync();
    expect(ctx.device.takeErrors()).toEqual([]);
  });
});

describe('device (no GPU needed)', () => {
  const noAdapter = { requestAdapter: async () => null } as unknown as GPU;

  it("init({ backend: 'webgpu' }) throws NoAdapterError with install instructions when no adapter exists", async () => {
    const error = await init({ gpu: noAdapter, backend: 'webgpu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoAdapterError);
    if (!(error instanceof NoAdapterError)) return;
    expect(error.code).toBe('E_NO_ADAPTER');
    expect(error.hint).toContain('scripts/install-vulkan.sh');
    expect(error.hint).toContain('bookworm-backports');
    expect(error.message).toContain('No WebGPU adapter found');
  });

  it('init() falls back to the wasm backend with a one-line notice of why', async () => {
    const notices: string[] = [];
    const device = await init({ gpu: noAdapter, notice: (m) => notices.push(m) });
    try {
      expect(device.backend).toBe('wasm');
      expect(notices).toEqual([expect.stringMatching(/^tessera: no WebGPU adapter \(.*no adapter.*\); running kernels on the wasm backend \(CPU\)\.$/)]);
    } finally {
      device.dispose();
    }
  });

  it("init({ cpuBackend: 'interpreter' }) falls back to the interpreter with a one-line notice of why", async () => {
    const notices: string[] = [];
    const device = await init({ gpu: noAdapter, cpuBackend: 'interpreter', notice: (m) => notices.push(m) });
    expect(device.backend).toBe('interpreter');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^tessera: no WebGPU adapter \(.*no adapter.*\); running kernels on the interpreter backend \(CPU\)\.$/);
    expect(device.describe()).toMatch(/^interpreter: /);
    const t = device.tensor(new Float32Array([1, 2, 3]), [3]);
    expect(Array.from(await t.read())).toEqual([1, 2, 3]);
    expect(device.stats().liveBuffers).toBe(1);
    t.destroy();
    expect(device.stats().liveBuffers).toBe(0);
  });

  it('requireWebGPU turns the fallback off', async () => {
    const error = await init({ gpu: noAdapter, requireWebGPU: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoAdapterError);
  });

  it('hasWebGPU() says why not, without throwing', async () => {
    const result = await hasWebGPU({ gpu: noAdapter });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/no adapter/);
  });
});

describeWebGPU('device lifecycle', () => {
  it('dispose() is idempotent and a disposed device refuses work', async () => {
    const device = await init({ backend: 'webgpu' });
    device.dispose();
    device.dispose();
    expect(device.isDisposed).toBe(true);
    expect(() => device.zeros([4])).toThrow(DeviceError);
    await expect(device.sync()).rejects.toThrow(/disposed/);
  });
});
