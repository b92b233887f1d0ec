#!/usr/bin/env node
// Builds the published packages and packs each into a tarball, as it would be published:
// `pnpm pack` applies publishConfig (dist-only exports, no tessera-source condition) and
// turns workspace: ranges into versions. Then `npm publish --dry-run` checks each tarball
// (nothing is published). Publish for real with `npm publish <tarball>` or `pnpm publish`.
//
// Usage: node scripts/pack-packages.mjs [OUT_DIR]   (default: dist-packages/)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackages, PUBLISHED } from './build-packages.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(ROOT, 'dist-packages'));
mkdirSync(out, { recursive: true });
buildPackages();
const local = join(ROOT, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const pnpm = existsSync(local) ? [process.execPath, local] : ['pnpm'];
for (const folder of PUBLISHED) {
  const printed = execFileSync(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', out], { cwd: join(ROOT, 'packages', folder), encoding: 'utf8' });
  const tarball = printed.trim().split('\n').pop()?.trim() ?? '';
  execFileSync('npm', ['publish', '--dry-run', '--offline', tarball], { cwd: out, stdio: ['ignore', 'ignore', 'inherit'] });
  process.stdout.write(`${tarball}\n`);
}
