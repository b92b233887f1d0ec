/**
 * `tessera --version`: this CLI's version and the compiler's, which decides the generated
 * code (and so whether tuned configs carry over). The CLI's own version is read from the
 * package.json one folder above this file, where it is both in the repository and in an
 * installed package.
 */
import { readFileSync } from 'node:fs';
import { COMPILER_VERSION } from 'tessera-gpu-runtime';

function ownVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const v = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function versionLine(): string {
  return `tessera ${ownVersion()} (tessera-gpu-cli; compiler ${COMPILER_VERSION}, node ${process.versions.node})`;
}
