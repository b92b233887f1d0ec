/**
 * The suites that run on SwiftShader, in a child vitest started by
 * test/swiftshader/swiftshader.test.ts with VK_ICD_FILENAMES set (see test/support/swiftshader.ts).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import workspace from '../../vitest.config.ts';

// The workspace config resolves the packages' sources; this one picks the suites.
export default mergeConfig(workspace, defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/swiftshader/*.suite.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One worker: SwiftShader spreads each dispatch over the cores itself.
    fileParallelism: false,
  },
}));
