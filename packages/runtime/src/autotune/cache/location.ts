/**
 * Where the Node tuning cache lives by default. The environment is read here, at the one
 * place that picks a default; everything else takes the path as an option (STYLE.md 13).
 * No node: imports, so the public index can export this to browser bundles too.
 */

export interface CacheEnvironment {
  readonly XDG_CACHE_HOME?: string | undefined;
  readonly LOCALAPPDATA?: string | undefined;
  readonly HOME?: string | undefined;
  readonly USERPROFILE?: string | undefined;
}

/** $XDG_CACHE_HOME/tessera/autotune.json, else ~/.cache/tessera/autotune.json (%LOCALAPPDATA% on Windows). */
export function defaultCacheFile(env: CacheEnvironment = process.env, platform: string = process.platform): string {
  const sep = platform === 'win32' ? '\\' : '/';
  const join = (...parts: string[]): string => parts.map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p)).join(sep);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(xdg, 'tessera', 'autotune.json');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'tessera', 'autotune.json');
  return join(env.HOME || env.USERPROFILE || '.', '.cache', 'tessera', 'autotune.json');
}
