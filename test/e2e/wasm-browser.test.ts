/**
 * The wasm backend in Chromium: a page bundles tessera-gpu (esbuild, browser platform)
 * and runs a matmul on `init({ backend: 'wasm' })`, checked against a plain-JS
 * reference in the page. Served once cross-origin isolated (COOP/COEP headers: shared
 * memory, Web Workers) and once without (no SharedArrayBuffer: the single-threaded
 * fallback). Skips when there is no `chromium` on PATH.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium, type Launched } from '../../packages/playground/e2e/browser.ts';

const chromiumPath = findChromium();

interface PageResult {
  description?: string; maxError?: number; threads?: number; isolated?: boolean; error?: string;
  relaxedSimd?: boolean; moduleRelaxed?: boolean; fusedSum?: number;
}

/**
 * Chromium has relaxed SIMD on by default (since 114): the probe must find it, on the
 * calling thread and, on the isolated page, in every worker, and the matmul's module
 * must use `f32x4.relaxed_madd`, whose sum may fuse (2⁻²⁶) or round twice (0).
 */
function expectRelaxed(r: PageResult): void {
  expect(r.relaxedSimd).toBe(true);
  expect(r.moduleRelaxed).toBe(true);
  expect(r.description).toContain('SIMD128 + relaxed SIMD');
  expect([0, 2 ** -26]).toContain(r.fusedSum);
}

const HTML = '<!doctype html><meta charset="utf-8"><title>tessera wasm</title><script type="module" src="app.js"></script>';

(chromiumPath === undefined ? describe.skip : describe)('wasm backend in Chromium', () => {
  let server: Server | undefined;
  let base = '';
  let launched: Launched | undefined;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [new URL('./wasm-page/entry.ts', import.meta.url).pathname],
      bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error',
      conditions: ['tessera-source'],
      // Node-only pieces sit behind runtime checks; the page never reaches them.
      external: ['node:*', 'webgpu'],
    });
    const js = bundle.outputFiles[0]?.text ?? '';
    server = createServer((req, res) => {
      const isolated = req.url?.startsWith('/isolated/') ?? false;
      const headers: Record<string, string> = isolated
        ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
        : {};
      if (req.url?.endsWith('/app.js')) res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(js);
      else res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(HTML);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    launched = await launchChromium(chromiumPath ?? 'chromium');
  }, 120_000);

  afterAll(async () => {
    await launched?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function runPage(path: string): Promise<PageResult> {
    if (!launched) throw new Error('no browser');
    const page = await launched.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${base}${path}`);
      await page.waitForFunction(() => (globalThis as { __wasmResult?: unknown }).__wasmResult !== undefined, undefined, { timeout: 60_000 });
      const r = await page.evaluate(() => (globalThis as { __wasmResult?: unknown }).__wasmResult) as PageResult;
      expect(errors).toEqual([]);
      return r;
    } finally {
      await page.close();
    }
  }

  it('runs a kernel on wasm threads over shared memory on a cross-origin-isolated page', async () => {
    const r = await runPage('/isolated/');
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(true);
    expect(r.description).toMatch(/^wasm: .*shared memory/);
    expect(r.threads ?? 0).toBeGreaterThanOrEqual(1);
    expect(r.maxError ?? Infinity).toBeLessThan(1e-4);
    expectRelaxed(r);
  }, 90_000);

  it('falls back to one thread without SharedArrayBuffer and computes the same', async () => {
    const r = await runPage('/plain/');
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(false);
    expect(r.description).toMatch(/1 thread, no SharedArrayBuffer/);
    expect(r.maxError ?? Infinity).toBeLessThan(1e-4);
    expectRelaxed(r);
  }, 90_000);
});
