#!/usr/bin/env node
// Generates the API reference (HTML, docs/api/) from the published packages' types with
// TypeDoc: one section per package, entry points as users import them.
//
// Usage: node scripts/build-api-docs.mjs
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = createRequire(join(ROOT, 'package.json')).resolve('typedoc/package.json').replace(/package\.json$/, 'bin/typedoc');
const result = spawnSync(process.execPath, [typedoc, '--options', join(ROOT, 'typedoc.json')], { cwd: ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
