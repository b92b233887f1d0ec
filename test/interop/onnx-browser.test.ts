/**
 * ONNX Runtime Web's WebGPU execution provider in Debian's chromium (WebGPU on
 * SwiftShader), with a Tessera kernel between two session runs on the session's own
 * GPUDevice: MatMul (ONNX Runtime) -> layernorm (Tessera) -> MatMul (ONNX Runtime), GPU
 * buffers all the way, checked in the page against a plain-JS reference
 * (test/interop/onnx-page). ONNX Runtime's own files are served from its package, as an
 * app would serve them; the page's code is bundled with esbuild. Skips without
 * `chromium` on PATH, unless TESSERA_REQUIRE_WEBGPU=1.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium, type Launched } from '../../packages/playground/e2e/browser.ts';
import type { OnnxPageResult } from './onnx-page/entry.ts';

const requireWebGPU = process.env['TESSERA_REQUIRE_WEBGPU'] === '1';
const chromiumPath = findChromium();
const ORT_DIST = dirname(createRequire(import.meta.url).resolve('onnxruntime-web/webgpu'));

/** The page maps the bare import the bundle keeps to ONNX Runtime's own ES module build. */
const HTML = `<!doctype html><meta charset="utf-8"><title>tessera + onnxruntime-web</title>
<script type="importmap">{"imports":{"onnxruntime-web/webgpu":"/ort/ort.webgpu.min.mjs"}}</script>
<script type="module" src="/app.js"></script>`;

const TYPES: Readonly<Record<string, string>> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };

(chromiumPath !== undefined || requireWebGPU ? describe : describe.skip)('ONNX Runtime Web WebGPU EP with a Tessera kernel (chromium)', () => {
  let server: Server | undefined;
  let base = '';
  let launched: Launched | undefined;

  beforeAll(async () => {
    if (chromiumPath === undefined) throw new Error('no `chromium` on PATH (TESSERA_REQUIRE_WEBGPU=1)');
    const bundle = await build({
      entryPoints: [new URL('./onnx-page/entry.ts', import.meta.url).pathname],
      bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error',
      conditions: ['tessera-source'],
      // Node-only pieces sit behind runtime checks; the page never reaches them.
      external: ['node:*', 'webgpu', 'onnxruntime-web/webgpu'],
    });
    const js = bundle.outputFiles[0]?.text ?? '';
    server = createServer((req, res) => {
      // Cross-origin isolated, as ONNX Runtime's threaded WebAssembly build expects.
      const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
      const url = req.url ?? '/';
      if (url === '/app.js') return void res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(js);
      if (url.startsWith('/ort/')) {
        const name = basename(url.slice('/ort/'.length).replace(/[?#].*$/, ''));
        const type = TYPES[name.slice(name.lastIndexOf('.'))];
        if (type === undefined) return void res.writeHead(404).end();
        readFile(join(ORT_DIST, name)).then(
          (body) => res.writeHead(200, { ...headers, 'Content-Type': type }).end(body),
          () => res.writeHead(404).end(),
        );
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(HTML);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    launched = await launchChromium(chromiumPath);
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('session output (GPU) -> Tessera layernorm on the session device -> session input, matches JS', async () => {
    if (launched === undefined) throw new Error('chromium did not start');
    const page = await launched.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(base);
      await page.waitForFunction(() => (globalThis as { __onnxResult?: unknown }).__onnxResult !== undefined, undefined, { timeout: 90_000 });
      const r = await page.evaluate(() => (globalThis as { __onnxResult?: unknown }).__onnxResult) as OnnxPageResult;
      expect(r.error, `stage: ${r.stage}`).toBeUndefined();
      expect(r.adapter).toMatch(/^WebGPU: /);
      expect(r.sameDevice).toBe(true);
      expect([r.firstLocation, r.tesseraLocation, r.secondLocation]).toEqual(['gpu-buffer', 'gpu-buffer', 'gpu-buffer']);
      expect(r.firstMaxError ?? Infinity).toBeLessThan(1e-4);
      expect(r.layernormMaxError ?? Infinity).toBeLessThan(1e-4);
      expect(r.maxValue ?? 0).toBeGreaterThan(0.5);
      expect(r.maxError ?? Infinity).toBeLessThan(1e-3);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
