import type { KernelIR } from './nodes.ts';

/** Every symbolic dim of a kernel: those bound by parameters and any other a tensor names. */
export function symbolicDims(k: KernelIR): Set<string> {
  const names = new Set([...k.dims, ...k.derivedDims].map((d) => d.name));
  const tensors = [...k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : [])), ...k.outputs];
  for (const t of tensors) for (const d of t.dims) if (d.kind === 'sym') names.add(d.name);
  return names;
}
