#!/usr/bin/env node
// Builds the publishable packages (dsl, compiler, runtime, tessera, cli) to dist/: ESM
// JavaScript and .d.ts, by `tsc -b tsconfig.build.json` (project references, so each
// package is compiled once, in dependency order, and only again when its sources change).
//
// tsc rewrites `./x.ts` to `./x.js` in emitted JavaScript (rewriteRelativeImportExtensions)
// but leaves type-only imports in .d.ts files as written; they are rewritten here, so a
// published declaration file names only files that are published.
//
// The compiler's source fingerprint (scripts/compiler-fingerprint.mjs) is brought up to
// date first, so a published compiler always names the code it holds.
//
// Usage: node scripts/build-packages.mjs [--clean]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFingerprint } from './compiler-fingerprint.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PUBLISHED = ['dsl', 'compiler', 'runtime', 'tessera', 'cli'];

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarationFiles(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}

/** `from './x.ts'` / `import('./x.ts')` in a declaration file → `.js` (relative specifiers only). */
export function rewriteDeclarationSpecifiers(text) {
  return text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g, '$1$2$3.js$2');
}

export function buildPackages({ clean = false } = {}) {
  if (clean) for (const p of PUBLISHED) rmSync(join(ROOT, 'packages', p, 'dist'), { recursive: true, force: true });
  // The tuning cache's compiler fingerprint must describe the sources being built.
  writeFingerprint();
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -b tsconfig.build.json failed (exit ${result.status ?? result.signal})`);
  for (const p of PUBLISHED) {
    for (const file of declarationFiles(join(ROOT, 'packages', p, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      const rewritten = rewriteDeclarationSpecifiers(text);
      if (rewritten !== text) writeFileSync(file, rewritten);
    }
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildPackages({ clean: process.argv.includes('--clean') });
  } catch (error) {
    process.stderr.write(`build-packages: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
