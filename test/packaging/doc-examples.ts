/**
 * The TypeScript examples of the user-facing docs, as modules a user project can
 * type-check. Each doc's ```ts blocks are one module, in order (a later block may use
 * what an earlier one defined, as a reader does); their imports are hoisted and merged,
 * and `kernel`, `func` and `init` are imported when a doc's blocks use them unimported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './project.ts';

/** Docs whose examples must type-check in a user project, relative to the repository root. */
export function userDocs(): string[] {
  const docs = ['README.md', 'docs/language.md'];
  for (const name of readdirSync(join(ROOT, 'docs'))) if (/^getting-started.*\.md$/.test(name)) docs.push(`docs/${name}`);
  for (const folder of ['dsl', 'compiler', 'runtime', 'tessera', 'cli']) docs.push(`packages/${folder}/README.md`);
  return docs;
}

export function tsBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  for (const m of markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)) blocks.push(m[1] ?? '');
  return blocks;
}

/** One module holding a doc's examples; undefined when the doc has none. */
export function docModule(doc: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(ROOT, doc), 'utf8');
  } catch {
    return undefined;
  }
  const blocks = tsBlocks(text);
  if (blocks.length === 0) return undefined;
  const imports = new Map<string, Set<string>>();
  const bodies: string[] = [];
  const declared = new Set<string>();
  for (const block of blocks) {
    const body = block.replace(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';\s*$/gm, (_all, typeOnly: string | undefined, names: string, from: string) => {
      const set = imports.get(from) ?? new Set<string>();
      for (const n of names.split(',').map((s) => s.trim()).filter((s) => s !== '')) set.add(typeOnly === undefined || n.startsWith('type ') ? n : `type ${n}`);
      imports.set(from, set);
      return '';
    });
    // A block that defines a name an earlier block defined (two takes on one example) is
    // checked in its own scope.
    const names = [...body.matchAll(/^(?:export\s+)?(?:const|let|function|class)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1] ?? '');
    const clash = names.some((n) => declared.has(n));
    for (const n of names) declared.add(n);
    bodies.push(clash ? `{\n${body}\n}` : body);
  }
  const main = imports.get('tessera-gpu') ?? new Set<string>();
  const all = bodies.join('\n');
  for (const name of ['kernel', 'func', 'init']) if (new RegExp(`\\b${name}\\b`).test(all) && ![...main].some((n) => n === name)) main.add(name);
  if (main.size > 0) imports.set('tessera-gpu', main);
  const header = [...imports].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`);
  return `// Examples of ${doc}, checked as a user project checks them.\n${header.join('\n')}\n${bodies.map((b, i) => `// --- example ${i + 1}\n${b}`).join('\n')}\nexport {};\n`;
}
