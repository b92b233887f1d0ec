#!/usr/bin/env node
// The `tessera` command. The CLI and the kernel files it loads are TypeScript: tsx's ESM
// loader runs them as they are, with no build step.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src/main.ts');
await runFromProcess();
