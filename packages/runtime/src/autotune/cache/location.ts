/**
 * Where the Node tuning cache lives by default. A pure function of the environment it is
 * given: the Node platform (platform/node.ts) and the CLI pass the process's, so nothing
 * here reads globals (STYLE.md 13), and browser bundles can include it.
 */

export interface CacheEnvironment {
  /** A directory for Tessera's cache files; wins over the others. */
  readonly TESSERA_CACHE_DIR?: string | undefined;
  readonly XDG_CACHE_HOME?: string | undefined;
  readonly LOCALAPPDATA?: string | undefined;
  readonly HOME?: string | undefined;
  readonly USERPROFILE?: string | undefined;
}

/**
 * $TESSERA_CACHE_DIR/autotune.json, else $XDG_CACHE_HOME/tessera/autotune.json, else
 * ~/.cache/tessera/autotune.json (%LOCALAPPDATA%\tessera\autotune.json on Windows).
 */
export function defaultCacheFile(env: CacheEnvironment, platform = 'linux'): string {
  const sep = platform === 'win32' ? '\\' : '/';
  const join = (...parts: string[]): string => parts.map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p)).join(sep);
  const own = env.TESSERA_CACHE_DIR;
  if (own !== undefined && own !== '') return join(own, 'autotune.json');
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(xdg, 'tessera', 'autotune.json');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'tessera', 'autotune.json');
  return join(env.HOME || env.USERPROFILE || '.', '.cache', 'tessera', 'autotune.json');
}
