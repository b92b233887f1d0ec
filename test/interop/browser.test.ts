/**
 * The TF.js MLP block with Tessera kernels in Debian's chromium (WebGPU on SwiftShader):
 * a small page of its own (test/interop/browser), served by Vite's dev server, runs the
 * fused block and the pure TF.js block and the test compares them. Skips without
 * `chromium` on PATH, unless TESSERA_REQUIRE_WEBGPU=1.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, defaultClientConditions, type ViteDevServer } from 'vite';
import { findChromium, launchChromium, type Launched } from '../../packages/playground/e2e/browser.ts';
import { freePort } from '../../packages/playground/e2e/serve.ts';
import { nodeBuiltinStubs } from '../../packages/playground/vite-node-stubs.ts';
import type { InteropOutcome } from './browser/main.ts';

const requireWebGPU = process.env['TESSERA_REQUIRE_WEBGPU'] === '1';
const chromiumPath = findChromium();
const ROOT = fileURLToPath(new URL('./browser/', import.meta.url));

const suite = chromiumPath !== undefined || requireWebGPU ? describe : describe.skip;

suite('Tessera kernels in a TF.js page (chromium)', () => {
  let server: ViteDevServer | undefined;
  let launched: Launched | undefined;
  let url = '';

  beforeAll(async () => {
    if (chromiumPath === undefined) throw new Error('no `chromium` on PATH (TESSERA_REQUIRE_WEBGPU=1)');
    const port = await freePort();
    server = await createServer({
      root: ROOT,
      configFile: false,
      logLevel: 'error',
      plugins: [nodeBuiltinStubs()],
      resolve: { conditions: ['tessera-source', ...defaultClientConditions] },
      optimizeDeps: { exclude: ['webgpu'] },
      server: { port, strictPort: true, host: '127.0.0.1', watch: null, hmr: false },
    });
    await server.listen();
    url = `http://127.0.0.1:${port}/`;
    launched = await launchChromium(chromiumPath);
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  it('runs the fused MLP block on TF.js\'s device and matches the pure TF.js block', async () => {
    if (launched === undefined) throw new Error('chromium did not start');
    const page = await launched.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __interop?: unknown }).__interop !== undefined, undefined, { timeout: 150_000 });
    const outcome = await page.evaluate(() => (window as unknown as { __interop: InteropOutcome }).__interop);
    expect(outcome.error).toBeUndefined();
    expect(outcome.ok).toBe(true);
    expect(outcome.adopted).toBe(true);
    expect(outcome.maxValue).toBeGreaterThan(0.1);
    expect(outcome.maxError).toBeLessThan(2e-4);
    expect(errors).toEqual([]);
  }, 180_000);
});
