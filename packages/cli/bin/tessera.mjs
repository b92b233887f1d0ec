#!/usr/bin/env node
// The `tessera` command. Kernel files it loads may be TypeScript: tsx's ESM loader runs
// them as they are. Installed, the command runs its built JavaScript (dist/); in the
// Tessera repository, where src/ is present, it runs the sources with the packages
// resolved to their sources too (the `tessera-source` export condition).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

const fromSource = existsSync(new URL('../src/main.ts', import.meta.url));
if (fromSource) register('./source-conditions.mjs', import.meta.url);
registerTsx();
const { runFromProcess } = fromSource ? await import('../src/main.ts') : await import('../dist/main.js');
await runFromProcess();
