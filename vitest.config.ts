/**
 * Tests run on the packages' TypeScript sources, with no build step: the workspace
 * packages' `exports` (and the runtime's `#platform` import) have a `tessera-source`
 * condition pointing at src/, which the type check (tsconfig.base.json customConditions),
 * vitest (here), tsx (scripts/bootstrap.mjs puts --conditions in NODE_OPTIONS) and the
 * playground's Vite config select. Without it they resolve dist/, as an installed package
 * does (test/packaging builds and installs it that way).
 */
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const SOURCE_CONDITION = 'tessera-source';

// Node processes the tests start (the CLI, cache writers) resolve the sources too.
const flag = `--conditions=${SOURCE_CONDITION}`;
const nodeOptions = process.env['NODE_OPTIONS'] ?? '';
if (!nodeOptions.split(/\s+/).includes(flag)) process.env['NODE_OPTIONS'] = `${nodeOptions} ${flag}`.trim();

export default defineConfig({
  // GPU tests share 2 cores with Dawn's and lavapipe's threads (and, on a busy machine, other
  // work): vitest's 5 s/10 s defaults fail healthy tests there. Tests that need longer say so.
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions], externalConditions: [SOURCE_CONDITION] } },
});
