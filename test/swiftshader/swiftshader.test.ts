/**
 * Runs the SwiftShader suites (test/swiftshader/*.suite.ts) in a child vitest whose
 * VK_ICD_FILENAMES names SwiftShader's ICD, so `npm test` checks the WGSL backend on two
 * different Vulkan drivers. Skipped, with the reason, where SwiftShader is not installed
 * (and failing instead under TESSERA_REQUIRE_WEBGPU=1, like the lavapipe suites).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { swiftShaderIcd } from '../support/swiftshader.ts';
import { requireWebGPU } from '../support/webgpu.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const icd = swiftShaderIcd();

function runChild(manifest: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
    const child = spawn(process.execPath, [vitest, 'run', '--config', 'test/swiftshader/vitest.config.ts', '--reporter=dot'], {
      cwd: root,
      env: { ...process.env, VK_ICD_FILENAMES: manifest, TESSERA_REQUIRE_WEBGPU: '1', XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

if (icd === undefined && !requireWebGPU) {
  describe.skip('SwiftShader [skipped: no SwiftShader ICD (install chromium, or set TESSERA_SWIFTSHADER_ICD)]', () => {
    it('conformance subset', () => undefined);
  });
} else {
  describe('SwiftShader', () => {
    it('passes the conformance subset in a child process', async () => {
      if (icd === undefined) throw new Error('No SwiftShader ICD: install chromium, or set TESSERA_SWIFTSHADER_ICD (TESSERA_REQUIRE_WEBGPU=1).');
      const { code, output } = await runChild(icd);
      // The child's own report names any failing case.
      expect(code, output.replace(/\x1b\[[0-9;]*m/g, '').slice(-6000)).toBe(0);
    }, 900_000);
  });
}
