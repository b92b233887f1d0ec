/**
 * Node built-ins in the browser bundle. tessera-gpu-runtime serves Node and browsers from one
 * entry, so modules for Node only (Dawn, the on-disk tuning cache) can sit in the import
 * graph, importing `node:os`, `node:fs/promises`, … at the top; they are only *called*
 * under Node. Vite's own stand-in throws as soon as a named import is bound in the dev
 * server ("Cannot access node:os.homedir in client code"), which stops the whole page.
 * This plugin resolves each `node:*` import to a stub that exports exactly the names its
 * importer asks for, each a function that throws only when called.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const PREFIX = '\0tessera-node-stub:';

/** The names `source` imports from `id` (`import { a, b as c } from 'node:x'`). */
function importedNames(source: string, id: string): string[] {
  const names = new Set<string>();
  const quoted = id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const re = new RegExp(`import\\s+(?!type\\b)(?:[\\w$]+\\s*,\\s*)?\\{([^}]*)\\}\\s*from\\s*['"]${quoted}['"]`, 'g');
  for (const m of source.matchAll(re)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]?.trim();
      if (name !== undefined && /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default') names.add(name);
    }
  }
  return [...names].sort();
}

export function nodeBuiltinStubs(): Plugin {
  return {
    name: 'tessera:node-builtin-stubs',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!id.startsWith('node:') || importer === undefined) return null;
      let names: string[] = [];
      try {
        names = importedNames(readFileSync(importer.replace(/[?#].*$/, ''), 'utf8'), id);
      } catch {
        // a virtual importer: a stub with a default export only
      }
      return `${PREFIX}${id}?${names.join(',')}`;
    },
    load(resolved) {
      if (!resolved.startsWith(PREFIX)) return null;
      const [id = '', list = ''] = resolved.slice(PREFIX.length).split('?');
      const fail = (name: string): string =>
        `() => { throw new Error(${JSON.stringify(`${id}.${name} is Node-only and was called in a browser`)}); }`;
      const lines = list.split(',').filter((n) => n !== '').map((n) => `export const ${n} = ${fail(n)};`);
      return [...lines, 'export default {};'].join('\n');
    },
  };
}
