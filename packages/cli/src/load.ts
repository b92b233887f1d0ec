/**
 * Loading the kernels of a user's TypeScript module (tsx runs it) and picking one by its
 * export name or its `fn` name.
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Kernel } from 'tessera-gpu-runtime';
import { UsageError } from './io.ts';

export interface LoadedKernel {
  readonly exportName: string;
  readonly kernel: Kernel;
}

function isKernel(v: unknown): v is Kernel {
  return typeof v === 'function' &&
    typeof (v as { kernelName?: unknown }).kernelName === 'string' &&
    typeof (v as { run?: unknown }).run === 'function' &&
    typeof (v as { wgsl?: unknown }).wgsl === 'function';
}

export async function loadKernels(file: string | undefined, cwd: string, command: string): Promise<LoadedKernel[]> {
  if (file === undefined) throw new UsageError('missing <file>: the .ts module that exports your kernels', command);
  const path = resolve(cwd, file);
  try {
    await access(path);
  } catch {
    throw new UsageError(`cannot read ${file}`, command);
  }
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const found: LoadedKernel[] = [];
  for (const [exportName, value] of Object.entries(mod)) if (isKernel(value)) found.push({ exportName, kernel: value });
  if (found.length === 0) throw new UsageError(`${file} exports no kernels (export const k = kernel\`…\`)`, command);
  return found;
}

export function pickKernel(kernels: readonly LoadedKernel[], name: string | undefined, file: string, command: string): LoadedKernel {
  const names = kernels.map((k) => (k.exportName === k.kernel.kernelName ? k.exportName : `${k.exportName} (fn ${k.kernel.kernelName})`)).join(', ');
  if (name === undefined) {
    const only = kernels[0];
    if (kernels.length === 1 && only !== undefined) return only;
    throw new UsageError(`${file} exports several kernels; choose one with --kernel NAME: ${names}`, command);
  }
  const hit = kernels.find((k) => k.exportName === name) ?? kernels.find((k) => k.kernel.kernelName === name);
  if (hit === undefined) throw new UsageError(`no kernel '${name}' in ${file}; it exports: ${names}`, command);
  return hit;
}
