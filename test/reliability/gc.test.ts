/**
 * Outputs dropped without destroy() are freed once collected: a child process run with
 * --expose-gc makes thousands of 256 KB outputs, never destroys them, and forces
 * collections; the device's live buffer count (and on WebGPU the RSS) stays bounded.
 * Before the FinalizationRegistry, liveBuffers grew by one per call.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allBackends } from '../runtime/all-backends.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/gc-child.ts', import.meta.url));

interface Report {
  readonly before: { readonly live: number; readonly rss: number };
  readonly after: { readonly live: number; readonly rss: number };
  readonly maxLive: number;
  readonly checked: number;
}

describe('tensors dropped without destroy() are freed by garbage collection', () => {
  for (const backend of allBackends) {
    it(`on ${backend}: 600 dropped 256 KB outputs leave the live buffer count flat`, async () => {
      const calls = 600;
      const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, backend, String(calls), String(65536)],
        { cwd: ROOT, maxBuffer: 1 << 20, timeout: 120_000 });
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '';
      const report = JSON.parse(line) as Report;
      expect(report.checked).toBe(Math.ceil(calls / 500));
      // Without collection-time frees this would be before + 600.
      expect(report.after.live - report.before.live).toBeLessThanOrEqual(10);
      expect(report.maxLive - report.before.live).toBeLessThan(250);
      // 600 × 256 KB is 150 MB if nothing were freed.
      expect(report.after.rss - report.before.rss).toBeLessThan(120 * 2 ** 20);
    }, 150_000);
  }
});
