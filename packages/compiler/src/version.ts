import { COMPILER_SOURCE_HASH } from './fingerprint.ts';

/**
 * The compiler's version, as in its package.json (a test keeps the two equal).
 * A constant rather than a JSON import, so the built package needs nothing outside dist/.
 */
export const COMPILER_VERSION = '0.4.0';

/**
 * What tuned configs were measured with: the version and a hash of the compiler's sources
 * (fingerprint.ts, generated), so lowering code that changes within a version counts too.
 * A tuning cache entry from another fingerprint is tuned again once; a pinned one still serves.
 */
export const COMPILER_FINGERPRINT = `${COMPILER_VERSION}+${COMPILER_SOURCE_HASH}`;
