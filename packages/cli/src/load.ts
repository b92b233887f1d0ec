/**
 * Loading the kernels of a user's TypeScript module (tsx runs it) and picking one by its
 * export name or its `fn` name. Before anything is imported, the path must be a regular
 * file of a module type: a directory, a FIFO or /dev/zero would otherwise fail deep in
 * the loader or block it forever.
 */
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KernelError, type Kernel } from 'tessera-gpu-runtime';
import { KernelSyntaxError } from 'tessera-gpu-dsl';
import { KernelSourceFailure, ModuleLoadFailure } from './failure.ts';
import { loadKernelFilesAsEsm } from './esm-kernels.ts';
import { UsageError } from './io.ts';

export interface LoadedKernel {
  readonly exportName: string;
  readonly kernel: Kernel;
}

const MODULE_EXTENSIONS = ['.ts', '.mts', '.tsx', '.js', '.mjs'];
/** Far above any kernel module; a bigger "module" is a mistake (a data file, a binary). */
const MAX_MODULE_BYTES = 16 * 2 ** 20;

function isKernel(v: unknown): v is Kernel {
  return typeof v === 'function' &&
    typeof (v as { kernelName?: unknown }).kernelName === 'string' &&
    typeof (v as { run?: unknown }).run === 'function' &&
    typeof (v as { wgsl?: unknown }).wgsl === 'function';
}

/** The path of a kernel module, or a UsageError saying what is wrong with it. */
async function modulePath(file: string, cwd: string, command: string): Promise<string> {
  if (file.includes('\0')) throw new UsageError('the <file> path contains a NUL character', command);
  const path = resolve(cwd, file);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? 'unreadable')}`, command);
  }
  if (info.isDirectory()) throw new UsageError(`${file} is a directory; give the .ts module that exports your kernels`, command);
  if (!info.isFile()) throw new UsageError(`${file} is not a regular file (a device, FIFO or socket); give the .ts module that exports your kernels`, command);
  if (!MODULE_EXTENSIONS.includes(extname(path).toLowerCase())) {
    throw new UsageError(`${file} is not a module: expected a file ending in ${MODULE_EXTENSIONS.join(', ')}`, command);
  }
  if (info.size > MAX_MODULE_BYTES) throw new UsageError(`${file} is ${Math.round(info.size / 2 ** 20)} MiB, too large for a kernel module (at most ${MAX_MODULE_BYTES / 2 ** 20} MiB)`, command);
  return path;
}

export async function loadKernels(file: string | undefined, cwd: string, command: string): Promise<LoadedKernel[]> {
  if (file === undefined) throw new UsageError('missing <file>: the .ts module that exports your kernels', command);
  const path = await modulePath(file, cwd, command);
  loadKernelFilesAsEsm();
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadFailure(file, error);
  }
  const found: LoadedKernel[] = [];
  for (const [exportName, value] of Object.entries(mod)) if (isKernel(value)) found.push({ exportName, kernel: value });
  if (found.length === 0) throw new UsageError(`${file} exports no kernels (export const k = kernel\`…\`)`, command);
  return found;
}

export function pickKernel(kernels: readonly LoadedKernel[], name: string | undefined, file: string, command: string): LoadedKernel {
  const names = kernels.map((k) => (k.exportName === k.kernel.kernelName ? k.exportName : `${k.exportName} (fn ${k.kernel.kernelName})`)).join(', ');
  let hit: LoadedKernel | undefined;
  if (name === undefined) {
    hit = kernels.length === 1 ? kernels[0] : undefined;
    if (hit === undefined) throw new UsageError(`${file} exports several kernels; choose one with --kernel NAME: ${names}`, command);
  } else {
    hit = kernels.find((k) => k.exportName === name) ?? kernels.find((k) => k.kernel.kernelName === name);
    if (hit === undefined) throw new UsageError(`no kernel '${name}' in ${file}; it exports: ${names}`, command);
  }
  checkSource(hit.kernel);
  return hit;
}

/** Parses and checks the kernel now, so source errors are reported at the user's file. */
function checkSource(kernel: Kernel): void {
  try {
    kernel.prepared();
  } catch (error) {
    if (error instanceof KernelError || error instanceof KernelSyntaxError) throw new KernelSourceFailure(error.diagnostics, kernel.def.source, error);
    throw error;
  }
}
