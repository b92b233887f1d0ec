/**
 * Which stores the WGSL backend writes in vectors (wgsl/vector-store.ts): a 1-D f32
 * store whose value reads only 1-D f32 tensors at the store's own block, plus scalars,
 * constants and elementwise ops, when the block is a multiple of the vector width.
 * Decided on the IR and the config alone, so the defaults, the config space and the
 * layout agree.
 */
import type { KernelIR, LoopInfo, Stmt, TensorRef, Value } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';
import { blockOf } from './block.ts';
import { operands, walkStmts } from '../ir/walk.ts';

export type Store = Stmt & { kind: 'store' };

/** The store's loop when it qualifies whatever the config (1-D f32, elementwise over its own block). */
function candidateLoop(s: Store): LoopInfo | undefined {
  const [item] = s.index;
  if (s.atomic || s.tensor.dtype !== 'f32' || s.tensor.dims.length !== 1 || s.index.length !== 1 || item?.kind !== 'block') return undefined;
  return ofLoopLength(s.tensor, item.loop) && elementwiseOver(s.value, item.loop) ? item.loop : undefined;
}

/** A 1-D tensor as long as `loop`'s dim: the store's bounds check then covers whole vectors of it. */
function ofLoopLength(t: TensorRef, loop: LoopInfo): boolean {
  const [dim] = t.dims;
  return t.dims.length === 1 && dim !== undefined && JSON.stringify(dim) === JSON.stringify(loop.dim);
}

/** The store's loop when it is written in vectors under config `c`, else undefined. */
export function vectorLoop(s: Store, c: KernelConfig): LoopInfo | undefined {
  const loop = candidateLoop(s);
  return loop && c.vectorWidth > 1 && blockOf(c, loop) % c.vectorWidth === 0 ? loop : undefined;
}

/** Whether `v` is elementwise and reads tensors only as 1-D f32 loads at `loop`'s block. */
function elementwiseOver(v: Value, loop: LoopInfo): boolean {
  switch (v.kind) {
    case 'const': case 'dim': case 'param': return true;
    case 'load': {
      const [item] = v.index;
      return v.tensor.dtype === 'f32' && ofLoopLength(v.tensor, loop) && item?.kind === 'block' && item.loop.id === loop.id;
    }
    case 'unary': case 'binary': case 'select': case 'cast': case 'fill': case 'call':
      return operands(v).every((o) => elementwiseOver(o, loop));
    default: return false;
  }
}

export function loadedTensors(v: Value, out: Map<string, TensorRef>): Map<string, TensorRef> {
  if (v.kind === 'load') out.set(v.tensor.name, v.tensor);
  operands(v).forEach((o) => loadedTensors(o, out));
  return out;
}

/** Tensors the kernel's vector stores read or write: declared as arrays of vectors of the config's width. */
export function vectorStoreTensors(k: KernelIR, c: KernelConfig): Set<string> {
  const names = new Set<string>();
  for (const s of stores(k.body)) {
    if (!vectorLoop(s, c)) continue;
    names.add(s.tensor.name);
    for (const name of loadedTensors(s.value, new Map()).keys()) names.add(name);
  }
  return names;
}

/** Whether the kernel has stores that could be written in vectors (the vectorWidth knob matters then). */
export function hasVectorStores(k: KernelIR): boolean {
  return stores(k.body).some((s) => candidateLoop(s) !== undefined);
}

function stores(stmts: readonly Stmt[]): Store[] {
  const out: Store[] = [];
  walkStmts(stmts, (s) => {
    if (s.kind === 'store') out.push(s);
  });
  return out;
}
