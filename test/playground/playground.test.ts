/**
 * The playground end to end, in Debian's chromium with WebGPU on SwiftShader: build the
 * app, serve it, pick matmul (softmax while matmul's WGSL is not there yet), run it against
 * the JS reference, break the syntax and see the diagnostic at its line, type shapes that
 * are not sizes and see why, autotune with the runtime's tuner and see the chart and the
 * tuned config's run, reload and get the tuned config back from the runtime's IndexedDB
 * cache, widen and copy the WGSL; then load the page from the dev server
 * (`npm run playground`) too. Leaves a screenshot in
 * test/playground/__screenshots__/ (git-ignored).
 *
 * Skips when there is no `chromium` on PATH (bootstrap installs it as root on Debian),
 * unless TESSERA_REQUIRE_WEBGPU=1, which makes that a failure.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium, type Launched, type Page } from '../../packages/playground/e2e/browser.ts';
import { buildAndServe, startDevServer, type Served } from '../../packages/playground/e2e/serve.ts';

const requireWebGPU = process.env['TESSERA_REQUIRE_WEBGPU'] === '1';
const chromiumPath = findChromium();
const SHOTS = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const NO_CHROMIUM = 'no `chromium` on PATH (Debian: apt-get install chromium; `npm test` does it when run as root)';

if (chromiumPath === undefined) {
  if (requireWebGPU) {
    describe('browser playground', () => {
      it('needs chromium (TESSERA_REQUIRE_WEBGPU=1)', () => {
        throw new Error(`${NO_CHROMIUM}; or unset TESSERA_REQUIRE_WEBGPU`);
      });
    });
  } else {
    describe.skip(`browser playground [skipped: ${NO_CHROMIUM}]`, () => {
      it('runs', () => undefined);
    });
  }
} else {
  playgroundSuite(chromiumPath);
}

function playgroundSuite(executable: string): void {
  describe('browser playground', () => {
    let served: Served | undefined;
    let launched: Launched | undefined;
    let page: Page | undefined;
    const pageErrors: string[] = [];
    let picked = '';

    const p = (): Page => {
      if (page === undefined) throw new Error('the page did not open (see beforeAll)');
      return page;
    };

    beforeAll(async () => {
      served = await buildAndServe();
      launched = await launchChromium(executable);
      page = await launched.browser.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 60_000);

    afterAll(async () => {
      await launched?.close();
      await served?.close();
    });

    it('loads and finds a WebGPU adapter', async (ctx) => {
      if (served === undefined) throw new Error('no server');
      await p().goto(served.url);
      const adapter = p().locator('#adapter[data-ready]');
      await adapter.waitFor({ timeout: 30_000 });
      const text = (await adapter.textContent()) ?? '';
      if ((await adapter.getAttribute('data-ready')) !== 'yes') {
        if (!requireWebGPU) ctx.skip(`chromium has no WebGPU adapter here: ${text}`);
        throw new Error(`chromium found no WebGPU adapter: ${text}`);
      }
      expect(text).toMatch(/^webgpu: /);
    }, 40_000);

    it('picks matmul (softmax while matmul has no WGSL yet) and shows its WGSL or a clean error', async () => {
      picked = (await pickExample(p(), 'matmul')) ? 'matmul' : 'softmax';
      if (picked === 'softmax') {
        const error = (await p().locator('#wgsl-error').textContent()) ?? '';
        expect(error).toMatch(/^Cannot compile this kernel: /);
        expect(error).not.toMatch(/\n\s+at /); // a message, not a stack trace
        expect(await pickExample(p(), 'softmax')).toBe(true);
      }
      expect(await wgslText(p())).toContain('@compute');
      // Small shapes keep SwiftShader quick: one input per symbolic dim.
      const dims: Record<string, number> = picked === 'matmul' ? { M: 64, K: 32, N: 48 } : { M: 48, N: 300 };
      expect((await p().locator('[data-dim]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dim')))).sort()).toEqual(Object.keys(dims).sort());
      for (const [d, v] of Object.entries(dims)) {
        const input = p().locator(`[data-dim="${d}"]`);
        await input.fill(String(v));
        await input.dispatchEvent('change');
      }
    }, 20_000);

    it('runs it and matches the reference', async () => {
      await p().locator('#run').click();
      const result = p().locator('[data-testid=median-ms], [data-testid=run-error]').first();
      await result.waitFor({ timeout: 30_000 });
      expect(await p().locator('[data-testid=run-error]').count(), await p().locator('#result').textContent() ?? '').toBe(0);
      const error = Number(await p().locator('[data-testid=max-error]').getAttribute('data-value'));
      expect(error).toBeLessThan(picked === 'matmul' ? 1e-3 : 1e-6);
      expect(Number(await p().locator('[data-testid=median-ms]').getAttribute('data-value'))).toBeGreaterThan(0);
      expect(await p().locator('#result').textContent()).toContain(picked === 'matmul' ? 'f32[64, 48]' : 'f32[48, 300]');
    }, 40_000);

    it('shows a syntax error at its line as you type, and clears it on undo', async () => {
      // Line 4 of both kernels is inside the tile loop; `let = 1;` lacks a name.
      await p().locator('.cm-content .cm-line').nth(3).click();
      await p().keyboard.press('Home');
      await p().keyboard.type('let = 1; ');
      const problem = p().locator('#problems li.error').first();
      await problem.waitFor({ timeout: 5_000 });
      expect(await problem.getAttribute('data-line')).toBe('4');
      expect(await p().locator('.cm-content .cm-line').nth(3).locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
      expect(await p().locator('#run').isEnabled()).toBe(true);
      await p().keyboard.press('Control+z');
      await p().locator('#problems li').first().waitFor({ state: 'detached', timeout: 5_000 });
      expect(await p().locator('#example').inputValue()).toBe(picked);
    }, 20_000);

    it('refuses shapes that are not sizes with a message instead of running the old shape', async () => {
      const input = p().locator('[data-dim="M"]');
      const before = await input.inputValue();
      for (const [text, message] of [['0', /M must be at least 1 \(got 0\)/], ['-3', /M must be at least 1/], ['', /M is empty/], ['99999999', /M must be at most 16777216/]] as const) {
        await input.fill(text);
        await input.dispatchEvent('change');
        expect(await p().locator('#shape-error').isVisible()).toBe(true);
        expect(await p().locator('#shape-error').textContent()).toMatch(message);
        await p().locator('#run').click();
        await p().locator('[data-testid=run-error]').waitFor({ timeout: 5_000 });
        expect(await p().locator('[data-testid=run-error]').textContent()).toMatch(message);
      }
      // Sizes that are whole numbers but make a tensor larger than the adapter's buffers.
      await input.fill('16000000');
      await input.dispatchEvent('change');
      await p().locator('#run').click();
      await p().locator('[data-testid=run-error]').waitFor({ timeout: 5_000 });
      expect(await p().locator('[data-testid=run-error]').textContent()).toMatch(/^Shape: .* more than this adapter's largest buffer/);
      await input.fill(before);
      await input.dispatchEvent('change');
      expect(await p().locator('#shape-error').isHidden()).toBe(true);
    }, 30_000);

    it('autotunes with the runtime tuner, charts every config, and runs the tuned config', async () => {
      await p().locator('#result').evaluate((el) => el.replaceChildren());
      await p().locator('#budget').selectOption('few');
      await p().locator('#tune').click();
      await p().locator('#tune-status.ok, #tune-status.error').first().waitFor({ timeout: 120_000 });
      const status = (await p().locator('#tune-status').textContent()) ?? '';
      expect(status).toMatch(/^best: .* \(\d+ of \d+ configs, .*\) · saved to indexeddb:/);
      const bars = await p().locator('#chart svg rect.chart-bar').count();
      expect(bars).toBeGreaterThan(1);
      expect(await p().locator('#chart svg rect.chart-bar.best').count()).toBe(1);
      // The run panel shows the tuned config's result, checked against the reference.
      await p().locator('[data-testid=median-ms], [data-testid=run-error]').first().waitFor({ timeout: 30_000 });
      expect(await p().locator('[data-testid=run-error]').count()).toBe(0);
      const error = Number(await p().locator('[data-testid=max-error]').getAttribute('data-value'));
      expect(error).toBeLessThan(picked === 'matmul' ? 1e-3 : 1e-6);
      const shownConfig = (await p().locator('[data-testid=run-config] .value').textContent()) ?? '';
      const bestWords = (/^best: (.*?) at /.exec(status) ?? [])[1] ?? '';
      if (bestWords !== 'the default config') for (const word of bestWords.split(' ')) expect(shownConfig.split(' ')).toContain(word);
      mkdirSync(SHOTS, { recursive: true });
      await p().screenshot({ path: `${SHOTS}playground-tuned.png` });
    }, 180_000);

    it('loads the tuned config from the runtime cache (IndexedDB) after a reload', async () => {
      const url = p().url();
      expect(url).toContain('#k='); // the share link: source and shape in the hash
      await p().reload();
      await p().locator('#tune-status.ok').waitFor({ timeout: 30_000 });
      expect(await p().locator('#tune-status').textContent()).toMatch(/^tuned config from the cache: .* \(tuned .*, quick\)$/);
      expect(await p().locator('#example').inputValue()).toBe(picked);
      expect(await p().locator('[data-dim="M"]').inputValue()).toBe(picked === 'matmul' ? '64' : '48'); // shape from the hash
      // The tuned config runs and is still right.
      await p().locator('#run').click();
      await p().locator('[data-testid=median-ms], [data-testid=run-error]').first().waitFor({ timeout: 30_000 });
      const error = Number(await p().locator('[data-testid=max-error]').getAttribute('data-value'));
      expect(error).toBeLessThan(picked === 'matmul' ? 1e-3 : 1e-6);
    }, 40_000);

    it('times the same kernel on every backend (WebGPU, wasm, interpreter), each checked', async () => {
      await p().locator('#compare').click();
      const rows = p().locator('[data-testid=backends] tbody tr');
      await p().waitForFunction(() => {
        const trs = Array.from(document.querySelectorAll('[data-testid=backends] tbody tr'));
        return trs.length === 3 && trs.every((tr) => !(tr.textContent ?? '').includes('running…'));
      }, undefined, { timeout: 60_000 });
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-backend')))).toEqual(['webgpu', 'wasm', 'interpreter']);
      const tol = picked === 'matmul' ? 1e-3 : 1e-6;
      const cells = await rows.evaluateAll((trs) => trs.map((tr) => ({
        text: tr.textContent ?? '',
        ms: tr.querySelector('[data-ms]')?.getAttribute('data-ms') ?? null,
        error: tr.querySelector('[data-error]')?.getAttribute('data-error') ?? null,
      })));
      // WebGPU and the interpreter run everywhere the page does; wasm too unless the browser lacks what it needs.
      for (const [i, c] of cells.entries()) {
        if (i === 1 && c.ms === null) {
          expect(c.text).toMatch(/not available: /);
          continue;
        }
        // WebGPU times with timestamp queries; the CPU backends' wall clock is coarsened in browsers.
        if (i === 0) expect(Number(c.ms), c.text).toBeGreaterThan(0);
        else expect(c.text).toMatch(/\d µs|\d ms|< clock tick/);
        expect(Number(c.error), c.text).toBeLessThan(tol);
      }
    }, 90_000);

    it('widens the WGSL pane and copies the shader; links to the docs', async () => {
      const card = p().locator('#wgsl-card');
      const narrow = (await card.boundingBox())?.width ?? 0;
      await p().locator('#wgsl-wide').click();
      expect(await p().locator('main.layout.wide-wgsl').count()).toBe(1);
      expect(await p().locator('#wgsl-wide').getAttribute('aria-pressed')).toBe('true');
      const wide = (await card.boundingBox())?.width ?? 0;
      expect(wide).toBeGreaterThan(narrow * 1.3);
      await launched?.browser.grantPermissions(['clipboard-read', 'clipboard-write']);
      await p().locator('#wgsl-copy').click();
      await p().locator('#wgsl-copy:text("Copied")').waitFor({ timeout: 5_000 });
      const copied = await p().evaluate(() => navigator.clipboard.readText());
      expect(copied).toContain('@compute');
      expect(copied.split('\n').length).toBeGreaterThan(10); // the whole shader, lines kept
      expect(await p().locator('a#docs').getAttribute('href')).toMatch(/docs\/language\.md$/);
      mkdirSync(SHOTS, { recursive: true });
      await p().screenshot({ path: `${SHOTS}playground.png` });
      await p().locator('#wgsl-wide').click();
      expect(await p().locator('main.layout.wide-wgsl').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    }, 30_000);

    it('works from the dev server too (npm run playground)', async () => {
      const dev = await startDevServer();
      const devPage = await launched?.browser.newPage();
      if (devPage === undefined) throw new Error('no browser');
      const errors: string[] = [];
      devPage.on('pageerror', (e) => errors.push(e.message));
      try {
        await devPage.goto(dev.url);
        await devPage.locator('#adapter[data-ready="yes"]').waitFor({ timeout: 30_000 });
        await devPage.locator('#wgsl-card[data-state="ok"]').waitFor({ timeout: 15_000 });
        expect(errors).toEqual([]);
      } finally {
        await devPage.close();
        await dev.close();
      }
    }, 60_000);
  });
}

/** Picks an example; true when its WGSL compiled, false when the page shows why not. */
async function pickExample(page: Page, id: string): Promise<boolean> {
  await page.locator('#example').selectOption(id);
  const card = page.locator(`#wgsl-card[data-kernel="${id}"][data-state]`);
  await card.waitFor({ timeout: 10_000 });
  return (await card.getAttribute('data-state')) === 'ok';
}

async function wgslText(page: Page): Promise<string> {
  return (await page.locator('#wgsl .cm-content').textContent()) ?? '';
}
