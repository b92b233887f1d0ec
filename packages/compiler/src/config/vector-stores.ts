/**
 * Which stores the WGSL backend writes in vectors (wgsl/vector-store.ts): an f32 store
 * whose last subscript is a block along the tensor's last (contiguous) dim — `out[tn]`,
 * `out[tm, tn]`, `out[b, tm, tn]` — and whose value is elementwise over loads of f32
 * tensors at the store's own subscripts, or of 1-D tensors at its last block (a
 * broadcast row such as a bias), plus scalars, constants and elementwise ops; when the
 * last block is a multiple of the vector width. Tiles of more than one dim take the
 * vector path at run time only when the last dim is a multiple of the width (every row
 * then starts on a vector boundary). Decided on the IR and the config alone, so the
 * defaults, the config space and the layout agree.
 */
import type { Dim, IndexItem, KernelIR, LoopInfo, Stmt, TensorRef, Value } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';
import { blockOf } from './block.ts';
import { layoutDot } from './dots.ts';
import { operands, walkStmts } from '../ir/walk.ts';

export type Store = Stmt & { kind: 'store' };

const sameDim = (a: Dim | undefined, b: Dim): boolean => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** A subscript list as a comparable key: blocks by loop, scalars by their IR. */
export function indexKey(index: readonly IndexItem[]): string {
  return JSON.stringify(index.map((i) => (i.kind === 'block' ? `b:${i.loop.id}` : i.kind === 'scalar' ? `s:${JSON.stringify(i.value)}` : 'full')));
}

/** The store's vector loop when it qualifies whatever the config (see the file comment). */
function candidateLoop(s: Store, k: KernelIR): LoopInfo | undefined {
  const last = s.index[s.index.length - 1];
  if (s.atomic || s.tensor.dtype !== 'f32' || last?.kind !== 'block' || s.index.length !== s.tensor.dims.length) return undefined;
  if (!sameDim(s.tensor.dims[s.tensor.dims.length - 1], last.loop.dim)) return undefined;
  // Leading subscripts: blocks or scalars (no ':' rows, which row walks cover).
  if (s.index.slice(0, -1).some((i) => i.kind === 'full')) return undefined;
  // Tiles of `@` kernels are laid out over micro-tiles (layout.ts): only 1-D stores there.
  if (s.index.length > 1 && layoutDot(k)) return undefined;
  return elementwiseOver(s.value, s.index, last.loop) ? last.loop : undefined;
}

/** The store's loop when it is written in vectors under config `c`, else undefined. */
export function vectorLoop(s: Store, k: KernelIR, c: KernelConfig): LoopInfo | undefined {
  const loop = candidateLoop(s, k);
  return loop && c.vectorWidth > 1 && blockOf(c, loop) % c.vectorWidth === 0 ? loop : undefined;
}

/** Whether a load reads whole vectors alongside the store at `index` (see the file comment). */
function vectorLoad(v: Value & { kind: 'load' }, index: readonly IndexItem[], loop: LoopInfo): boolean {
  const t = v.tensor;
  if (t.dtype !== 'f32' || !sameDim(t.dims[t.dims.length - 1], loop.dim) || v.index.length !== t.dims.length) return false;
  const [only] = v.index;
  const row = v.index.length === 1 && only?.kind === 'block' && only.loop.id === loop.id;
  return row || indexKey(v.index) === indexKey(index);
}

/** Whether `v` is elementwise and reads tensors only as vector loads (vectorLoad). */
function elementwiseOver(v: Value, index: readonly IndexItem[], loop: LoopInfo): boolean {
  switch (v.kind) {
    case 'const': case 'dim': case 'param': return true;
    case 'load': return vectorLoad(v, index, loop);
    case 'unary': case 'binary': case 'select': case 'cast': case 'fill': case 'call':
      return operands(v).every((o) => elementwiseOver(o, index, loop));
    default: return false;
  }
}

/** The loads of `v` by tensor name (each tensor is read one way in a vector store). */
export function loadedTensors(v: Value, out: Map<string, Value & { kind: 'load' }>): Map<string, Value & { kind: 'load' }> {
  if (v.kind === 'load') out.set(v.tensor.name, v);
  operands(v).forEach((o) => loadedTensors(o, out));
  return out;
}

/** Tensors the kernel's vector stores read or write: declared as arrays of vectors of the config's width. */
export function vectorStoreTensors(k: KernelIR, c: KernelConfig): Set<string> {
  const names = new Set<string>();
  for (const s of stores(k.body)) {
    if (!vectorLoop(s, k, c)) continue;
    names.add(s.tensor.name);
    for (const name of loadedTensors(s.value, new Map()).keys()) names.add(name);
  }
  return names;
}

/** Whether the kernel has stores that could be written in vectors (the vectorWidth knob matters then). */
export function hasVectorStores(k: KernelIR): boolean {
  return stores(k.body).some((s) => candidateLoop(s, k) !== undefined);
}

/**
 * The block loops, in subscript order, of the kernel's first store that could be written
 * in vectors over a tile of more than one dim (`out[tm, tn]` → [tm, tn]), else undefined.
 */
export function tiledVectorStoreLoops(k: KernelIR): LoopInfo[] | undefined {
  const s = stores(k.body).find((x) => x.index.length > 1 && candidateLoop(x, k) !== undefined);
  return s?.index.flatMap((i) => (i.kind === 'block' ? [i.loop] : []));
}

function stores(stmts: readonly Stmt[]): Store[] {
  const out: Store[] = [];
  walkStmts(stmts, (s) => {
    if (s.kind === 'store') out.push(s);
  });
  return out;
}
