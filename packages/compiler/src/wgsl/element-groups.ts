/**
 * Which consecutive statements share one elementwise loop. A store, or a write of a tile
 * local, over a tile of shape S is a loop over S's elements spread across the workgroup;
 * the element → invocation mapping depends only on S (and the config), so consecutive
 * statements over the same S can run in one loop, each element going through all of
 * them in order, instead of one loop per statement with barriers between them.
 *
 * That is the same computation when no element of the group reads what another
 * invocation wrote in the group: every tile local written in the group is read only at
 * the element being computed (its own shape, not through a transpose or a gather index),
 * and no tensor stored in the group is read by another of its statements. Anything else
 * ends the group, and so does any statement that is not elementwise (a reduction, `@`,
 * a loop, an `if`, a scalar update).
 *
 * Why it matters: on a software adapter each loop and barrier is compiled and run for
 * every statement, so a kernel of N updates generated N loops and N barriers (a 256-line
 * kernel took ~50 s to compile on lavapipe); with shared loops the generated WGSL grows
 * by a line or two per statement.
 */
import type { Axis, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';
import { indexKey, vectorAlong } from '../config/vector-stores.ts';
import type { EmitContext } from './context.ts';
import { sameAxes, storeAxes } from './layout.ts';
import { staticSize } from './shape.ts';

export type ElementStmt = Stmt & { kind: 'store' | 'declare' | 'assign' };

/** How a statement iterates: over `axes` (per element), or in vectors over a tile (by its subscripts). */
export type ElementShape =
  | { readonly kind: 'elements'; readonly axes: readonly Axis[]; readonly writesRegisters: boolean }
  | { readonly kind: 'vectors'; readonly loop: string };

export interface ElementGroup {
  readonly shape: ElementShape;
  readonly stmts: ElementStmt[];
  /** Tile locals written in workgroup memory, and tensors stored, by the group so far. */
  readonly writtenLocals: Set<string>;
  readonly storedTensors: Set<string>;
  /** Every tile local and tensor read so far, and whether each read was at the element being computed. */
  readonly reads: Map<string, boolean>;
}

/**
 * The iteration shape of `s` if it is an elementwise statement that can share a loop, else
 * undefined. `storageOf` says where a tile local lives (it may be declared earlier in
 * the same group, so the caller tracks that).
 */
export function elementShape(ctx: EmitContext, s: Stmt, storageOf: (id: string) => 'workgroup' | 'registers' | 'scalar' | undefined): ElementShape | undefined {
  if (ctx.inFunc) return undefined;
  switch (s.kind) {
    case 'store': {
      if (vectorStoreLoop(ctx, s)) return { kind: 'vectors', loop: vectorStoreLoop(ctx, s) ?? '' };
      return { kind: 'elements', axes: storeAxes(s), writesRegisters: false };
    }
    case 'declare': {
      const axes = s.init.type.axes;
      if (axes.length === 0 || staticSize(ctx, axes) === undefined) return undefined;
      return { kind: 'elements', axes, writesRegisters: storageOf(s.id) === 'registers' };
    }
    case 'assign': {
      const storage = storageOf(s.id);
      if (storage !== 'workgroup' && storage !== 'registers') return undefined;
      // `%x = @m` where @m accumulated in %x's own registers emits nothing.
      if (s.value.kind === 'mat' && ctx.layout.aliases.get(s.value.id) === s.id) return undefined;
      const axes = ctx.locals.get(s.id)?.storage?.axes;
      return axes ? { kind: 'elements', axes, writesRegisters: storage === 'registers' } : undefined;
    }
    default: return undefined;
  }
}

/**
 * The tile a store is written in vectors over (wgsl/vector-store.ts), as a key (its
 * subscripts), when it is: stores with the same key share one vector loop.
 */
export function vectorStoreLoop(ctx: EmitContext, s: Stmt & { kind: 'store' }): string | undefined {
  const along = vectorAlong(s, ctx.kernel, ctx.config);
  const w = ctx.config.vectorWidth;
  if (!along || ctx.layout.vectorTensors.get(s.tensor.name) !== w) return undefined;
  const inputs = loadedNames(s.value);
  return inputs.every((t) => ctx.layout.vectorTensors.get(t) === w) ? indexKey(s.index) : undefined;
}

function loadedNames(v: Value): string[] {
  const out: string[] = v.kind === 'load' ? [v.tensor.name] : [];
  for (const o of operands(v)) out.push(...loadedNames(o));
  return out;
}

export function sameShape(a: ElementShape, b: ElementShape): boolean {
  if (a.kind === 'vectors' && b.kind === 'vectors') return a.loop === b.loop;
  if (a.kind === 'elements' && b.kind === 'elements') return a.writesRegisters === b.writesRegisters && sameAxes(a.axes, b.axes);
  return false;
}

export function newGroup(shape: ElementShape): ElementGroup {
  return { shape, stmts: [], writtenLocals: new Set(), storedTensors: new Set(), reads: new Map() };
}

/**
 * Adds `s` to `group` if it may run in the group's loop (see the file comment); returns
 * whether it did. `isWorkgroupLocal` says whether a local lives in workgroup memory.
 */
export function tryJoin(group: ElementGroup, s: ElementStmt, shape: ElementShape, isWorkgroupLocal: (id: string) => boolean): boolean {
  if (!sameShape(group.shape, shape)) return false;
  const axes = shape.kind === 'elements' ? shape.axes : undefined;
  const reads = new Map<string, boolean>();
  for (const v of stmtValues(s)) collectReads(v, axes, true, reads);
  const writesLocal = s.kind !== 'store' && isWorkgroupLocal(s.id) ? s.id : undefined;
  const writesTensor = s.kind === 'store' ? `tensor:${s.tensor.name}` : undefined;
  // A read of something the group writes must be at the element being computed; a tensor
  // stored in the group must not be read by another of its statements at all.
  for (const [name, sameElement] of reads) {
    if (group.writtenLocals.has(name) && !sameElement) return false;
    if (group.storedTensors.has(name)) return false;
  }
  if (writesLocal !== undefined && group.reads.get(writesLocal) === false) return false;
  if (writesTensor !== undefined && group.reads.has(writesTensor)) return false;
  group.stmts.push(s);
  for (const [name, sameElement] of reads) group.reads.set(name, (group.reads.get(name) ?? true) && sameElement);
  if (writesLocal !== undefined) group.writtenLocals.add(writesLocal);
  if (writesTensor !== undefined) group.storedTensors.add(writesTensor);
  return true;
}

/**
 * Records the tile locals (by id) and tensors (`tensor:name`) `v` reads, each with whether
 * every read is at the element of `axes` being computed.
 */
function collectReads(v: Value, axes: readonly Axis[] | undefined, direct: boolean, out: Map<string, boolean>): void {
  const note = (name: string, same: boolean): void => {
    out.set(name, (out.get(name) ?? true) && same);
  };
  switch (v.kind) {
    case 'local':
      note(v.id, direct && axes !== undefined && sameAxes(v.type.axes, axes));
      return;
    case 'load': case 'gather':
      note(`tensor:${v.tensor.name}`, false);
      break;
    default: break;
  }
  // A transpose or a gather's subscripts read their operands at other elements.
  const childDirect = direct && v.kind !== 'transpose' && v.kind !== 'gather';
  for (const o of operands(v)) collectReads(o, axes, childDirect, out);
}
