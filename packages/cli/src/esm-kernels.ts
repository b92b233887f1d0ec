/**
 * Kernel modules are ES modules, wherever they sit. tsx gives a `.ts` file the format of
 * its package scope, so in a plain npm project (package.json without "type": "module")
 * a kernel file would load as CommonJS, where its `import` of the ESM-only tessera
 * packages fails (ERR_REQUIRE_CYCLE_MODULE). This resolve hook, registered after tsx's
 * and so consulted first, loads the user's own `.ts`/`.tsx` files as ESM; packages in
 * node_modules and `.cts` files keep the format they declare.
 */
import { register } from 'node:module';

const HOOK = `
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.format !== 'commonjs' || !resolved.url.startsWith('file:')) return resolved;
  const path = new URL(resolved.url).pathname;
  if (path.includes('/node_modules/') || !/\\.tsx?$/.test(path)) return resolved;
  return { ...resolved, format: 'module' };
}
`;

let registered = false;

export function loadKernelFilesAsEsm(): void {
  if (registered) return;
  registered = true;
  // A data: URL keeps the hook inside this file: nothing to ship or resolve beside it.
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
