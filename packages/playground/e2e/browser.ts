/**
 * For tests: Debian's `chromium` driven by playwright-core, with WebGPU on. Headless
 * chromium on a machine without a GPU exposes SwiftShader as a fallback adapter once
 * `--enable-unsafe-webgpu` is given. `npx playwright install` cannot download browsers
 * here, so the system package is the browser.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `command -v chromium`, in Node; `chromium-browser` is the name on some distributions. */
export function findChromium(path = process.env['PATH'] ?? ''): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    for (const dir of path.split(delimiter)) {
      if (dir === '') continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export interface Launched {
  readonly browser: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time: IndexedDB starts empty and nothing leaks between runs. */
export async function launchChromium(executablePath: string): Promise<Launched> {
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport: { width: 1440, height: 900 },
  });
  return {
    browser: context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Re-exported so tests outside this package need no playwright-core of their own. */
export type { Page } from 'playwright-core';
