/**
 * Every entry of examples/checks.ts (what `npm run example` runs) passes its own check on
 * both backends, with the default config, at its ragged default size.
 */
import { expect, it } from 'vitest';
import { EXAMPLES, runCheck } from '../../examples/checks.ts';
import { describeOnBackends } from '../support/backends.ts';

describeOnBackends('example checks', (device) => {
  for (const check of EXAMPLES) {
    it(`${check.name}`, async () => {
      const c = check.make(device());
      // The reference must not be trivial: all-zero expectations would pass a no-op kernel.
      expect(c.expected.every((e) => e.some((v) => v !== 0))).toBe(true);
      expect(await runCheck(check, c)).toBeLessThanOrEqual(check.tolerance);
    }, 60_000);
  }
});
