/**
 * The compiler's version, as in its package.json (a test keeps the two equal). Tuning
 * caches key on it: a new version may lower kernels differently, so configs re-tune.
 * A constant rather than a JSON import, so the built package needs nothing outside dist/.
 */
export const COMPILER_VERSION = '0.4.0';
