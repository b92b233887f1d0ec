/**
 * A device keeps the GPU object it was made from alive. dawn.node frees a Dawn instance
 * when its GPU object is collected, even while devices made from it still run (the process
 * then dies in Dawn's event processing), so `init({ gpu: create([]) })` with no other
 * reference must still work through any number of garbage collections. Runs in a child
 * process with --expose-gc, so a crash shows as its exit status.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWebGPU } from '../support/webgpu.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describeWebGPU('GPU entry point lifetime', () => {
  it('a device made from an unreferenced GPU object survives forced collections', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/runtime/entry-lifetime.child.ts'], {
      cwd: root, encoding: 'utf8', timeout: 120_000,
    });
    const output = `${child.stdout}${child.stderr}`;
    expect(child.status, `signal ${child.signal}\n${output.slice(-3000)}`).toBe(0);
    expect(output).toContain('entry-lifetime: ok');
  }, 150_000);
});
