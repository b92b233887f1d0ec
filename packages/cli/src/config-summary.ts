/**
 * Configs in a few words for tables: `tm=64 tn=64 microTile=8x8 stageA=true`. Nested
 * `blocks` print by loop variable, pairs as AxB. Against a base config (the default),
 * only the knobs that differ are shown, which is what tells two rows apart.
 */

/** The config's knobs as `name=value` words, in the config's own order. */
export function configWords(config: unknown): string[] {
  if (typeof config !== 'object' || config === null) return [];
  const words: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (name === 'blocks' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [loop, block] of Object.entries(value)) words.push(`${loop}=${String(block)}`);
    } else if (Array.isArray(value)) {
      words.push(`${name}=${value.map(String).join('x')}`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [sub, v] of Object.entries(value)) words.push(`${name}.${sub}=${JSON.stringify(v)}`);
    } else {
      words.push(`${name}=${String(value)}`);
    }
  }
  return words;
}

/** `configWords(config)` without the words `base` shares; `as default` when none remain. */
export function configSummary(config: unknown, base?: unknown): string {
  const words = configWords(config);
  if (base === undefined) return words.join(' ');
  const shared = new Set(configWords(base));
  const differing = words.filter((w) => !shared.has(w));
  return differing.length === 0 ? 'as default' : differing.join(' ');
}
