/**
 * Which stores the WGSL backend writes in vectors (wgsl/vector-store.ts): an f32 store
 * whose last subscript is a block along the tensor's last (contiguous) dim — `out[tn]`,
 * `out[tm, tn]`, `out[b, tm, tn]` — when that block is a multiple of the vector width,
 * or a whole row `out[tm, :]` after block subscripts (wgsl/row-vector-store.ts); and
 * whose value is elementwise over loads of f32 tensors at the store's own subscripts, or
 * of 1-D tensors at its last subscript (a broadcast row such as a bias or a gain), plus
 * per-row values (tiles with a unit last axis, such as a row max), scalars, constants and
 * elementwise ops. Tiles of more than one dim take the
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

/** Along what a store is written in vectors: the block of its last subscript, or a whole row. */
export type VectorAlong =
  | { readonly kind: 'block'; readonly loop: LoopInfo }
  | { readonly kind: 'row'; readonly dim: Dim };

/** What the store is written in vectors along when it qualifies whatever the config (see the file comment). */
function candidate(s: Store, k: KernelIR): VectorAlong | undefined {
  const last = s.index[s.index.length - 1];
  const dim = s.tensor.dims[s.tensor.dims.length - 1];
  if (s.atomic || s.tensor.dtype !== 'f32' || !last || !dim || s.index.length !== s.tensor.dims.length) return undefined;
  // Slices and scatters test each position against the dim: element by element.
  if (s.index.some((i) => i.kind === 'slice' || i.kind === 'tile')) return undefined;
  // Tiles of `@` kernels are laid out over micro-tiles (layout.ts): only 1-D stores there.
  if (s.index.length > 1 && layoutDot(k)) return undefined;
  const lead = s.index.slice(0, -1);
  let along: VectorAlong;
  if (last.kind === 'block' && sameDim(dim, last.loop.dim) && lead.every((i) => i.kind !== 'full')) along = { kind: 'block', loop: last.loop };
  // A whole row after block subscripts: the rows are shared out as a reduction's are.
  else if (last.kind === 'full' && lead.length > 0 && lead.every((i) => i.kind === 'block')) along = { kind: 'row', dim };
  else return undefined;
  return elementwiseOver(s.value, s.index, along, s.index.length) ? along : undefined;
}

/** What the store is written in vectors along under config `c`, else undefined. */
export function vectorAlong(s: Store, k: KernelIR, c: KernelConfig): VectorAlong | undefined {
  const along = candidate(s, k);
  // Row-cached rows are read from workgroup memory (row-cache.ts), element by element.
  if (!along || c.vectorWidth === 1 || (along.kind === 'row' && c.rowCache > 0)) return undefined;
  return along.kind === 'row' || blockOf(c, along.loop) % c.vectorWidth === 0 ? along : undefined;
}

/** The store's loop when it is written in vectors along a block under config `c`, else undefined. */
export function vectorLoop(s: Store, k: KernelIR, c: KernelConfig): LoopInfo | undefined {
  const along = vectorAlong(s, k, c);
  return along?.kind === 'block' ? along.loop : undefined;
}

const alongDim = (a: VectorAlong): Dim => (a.kind === 'block' ? a.loop.dim : a.dim);

/** Whether a load reads whole vectors alongside the store at `index` (see the file comment). */
function vectorLoad(v: Value & { kind: 'load' }, index: readonly IndexItem[], along: VectorAlong): boolean {
  const t = v.tensor;
  if (t.dtype !== 'f32' || !sameDim(t.dims[t.dims.length - 1], alongDim(along)) || v.index.length !== t.dims.length) return false;
  const [only] = v.index;
  const row = v.index.length === 1 && (along.kind === 'block' ? only?.kind === 'block' && only.loop.id === along.loop.id : only?.kind === 'full');
  return row || indexKey(v.index) === indexKey(index);
}

/**
 * Whether `v` is elementwise and reads tensors only as vector loads (vectorLoad), and
 * tiles only as per-row values (no extent along the last axis of a `rank`-D store).
 */
function elementwiseOver(v: Value, index: readonly IndexItem[], along: VectorAlong, rank: number): boolean {
  switch (v.kind) {
    case 'const': case 'dim': case 'param': return true;
    case 'load': return vectorLoad(v, index, along);
    case 'local': case 'mat': {
      const axes = v.type.axes;
      return axes.length < rank || axes[axes.length - 1]?.kind === 'unit';
    }
    case 'unary': case 'binary': case 'select': case 'cast': case 'fill': case 'call':
      return operands(v).every((o) => elementwiseOver(o, index, along, rank));
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
    if (!vectorAlong(s, k, c)) continue;
    names.add(s.tensor.name);
    for (const name of loadedTensors(s.value, new Map()).keys()) names.add(name);
  }
  return names;
}

/** Whether the kernel has stores that could be written in vectors (the vectorWidth knob matters then). */
export function hasVectorStores(k: KernelIR): boolean {
  return stores(k.body).some((s) => candidate(s, k) !== undefined);
}

/** Whether the kernel has 1-D stores that could be written in vectors (`out[tn]`): its 1-D tiles default to 4 elements per invocation. */
export function hasFlatVectorStores(k: KernelIR): boolean {
  return stores(k.body).some((s) => s.index.length === 1 && candidate(s, k) !== undefined);
}

/**
 * The block loops, in subscript order, of the kernel's first store over grid tiles that
 * could be written in vectors over more than one dim (`out[tm, tn]` → [tm, tn]), else undefined.
 */
export function tiledVectorStoreLoops(k: KernelIR): LoopInfo[] | undefined {
  // Only tiles of the launch grid: a nested loop's block is sized by widenNestedLoops (config.ts).
  const overGrid = (x: Store): boolean => x.index.every((i) => i.kind !== 'block' || i.loop.level === 'grid');
  const s = stores(k.body).find((x) => x.index.length > 1 && overGrid(x) && candidate(x, k)?.kind === 'block');
  return s?.index.flatMap((i) => (i.kind === 'block' ? [i.loop] : []));
}

function stores(stmts: readonly Stmt[]): Store[] {
  const out: Store[] = [];
  walkStmts(stmts, (s) => {
    if (s.kind === 'store') out.push(s);
  });
  return out;
}
