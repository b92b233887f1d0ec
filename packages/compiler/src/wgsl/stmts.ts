/**
 * Tile IR statements → WGSL statements inside the entry point. Every statement is
 * executed by the whole workgroup in uniform control flow, so barriers may appear
 * anywhere: elementwise work over a tile is spread across invocations (each takes its
 * owned elements over the micro-tile shape, see layout.ts; a strided loop otherwise),
 * and anything written to workgroup memory is fenced by barriers.
 */
import type { Axis, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';
import { atomicAdd } from './atomics.ts';
import { emitColumnLoop, ident, offsetName, type EmitContext, type RegStorage, type TileStorage, type WgStorage } from './context.ts';
import { emitDot } from './dot.ts';
import { sameAxes, storeAxes } from './layout.ts';
import { forEachOwned, forEachOwnedLooped } from './microtile.ts';
import { forEachBlockOwned } from './blocked-registers.ts';
import { emitVectorStores } from './vector-store.ts';
import { elementShape, newGroup, tryJoin, type ElementGroup, type ElementStmt } from './element-groups.ts';
import { emitReduce, emitReduces, foldsWith, type ReduceItem } from './reduce.ts';
import { emitMicroRowReduce } from './reduce-micro.ts';
import { emitScan, windowCoords } from './scan.ts';
import { axisSize, dimExpr, emitDecompose, linearIndex, maskExpr, rowLanes, sizeExpr, staticAxisSize, staticSize } from './shape.ts';
import { emitValue, literal, movedMask, tensorAccess, wgslType } from './values.ts';
import { arrayWrite, atomicUpdate } from './ranged-access.ts';


/**
 * Runs `each(coords)` for every element of a tile of shape `axes`, spread over the
 * workgroup: over the micro-tile shape, each invocation takes its owned elements (so
 * register tiles can be read); otherwise a strided loop.
 */
export function forEachElement(
  ctx: EmitContext, axes: readonly Axis[], each: (coords: string[], mask: string) => void,
  opts: { readonly writesRegisters?: boolean; readonly reads?: readonly Value[] } = {},
): void {
  const blocked = ctx.inFunc ? undefined : [...ctx.layout.blockedLocals.values()].find((b) => sameAxes(b.axes, axes));
  if (blocked) return forEachBlockOwned(ctx, blocked, registerTilesRead(ctx, opts.reads ?? []), opts.writesRegisters ?? false, each);
  const micro = ctx.layout.micro;
  if (micro && !ctx.inFunc && sameAxes(axes, micro.axes)) {
    // Writing a register tile needs constant indices: unrolled. Anything else loops
    // over the owned elements, reading register tiles through copies (microtile.ts).
    if (opts.writesRegisters) forEachOwned(ctx, micro, (coords, mask) => each(coords, mask));
    else forEachOwnedLooped(ctx, micro, registerTilesRead(ctx, opts.reads ?? []), each);
    return;
  }
  const window = ctx.scanWindow;
  if (window && sameAxes(axes, window.axes)) {
    const e = ctx.fresh('e');
    ctx.open(`for (var ${e} = lid; ${e} < ${staticSize(ctx, axes.filter((_, i) => i !== window.axis)) ?? 1} * ${window.size}; ${e} += ${ctx.config.workgroupSize}) {`);
    const { coords, valid } = windowCoords(ctx, window, e);
    each(coords, valid);
    ctx.close();
    return;
  }
  if (forEachRowElement(ctx, axes, each)) return;
  const total = sizeExpr(ctx, axes);
  const e = ctx.fresh('e');
  ctx.open(`for (var ${e} = lid; ${e} < ${total}; ${e} += ${ctx.config.workgroupSize}) {`);
  const coords = emitDecompose(ctx, axes, e);
  each(coords, maskExpr(axes, coords));
  ctx.close();
}

/**
 * Tiles of whole rows of run-time length (`[tm, :N]`): the rows are shared out as in a
 * reduction (shape.ts rowLanes), each row walked by its lanes in a strided loop. This
 * avoids splitting a linear index by the run-time row length (an integer division per
 * element, which a CPU adapter cannot vectorise), and each invocation revisits the
 * elements whose partial sums it computed. Returns false for any other shape.
 */
function forEachRowElement(ctx: EmitContext, axes: readonly Axis[], each: (coords: string[], mask: string) => void): boolean {
  const last = axes[axes.length - 1];
  const lead = axes.slice(0, -1);
  const rows = staticSize(ctx, lead);
  if (!last || staticAxisSize(ctx, last) !== undefined || rows === undefined) return false;
  const { lanes, perPass } = rowLanes(rows, ctx.config.workgroupSize, ctx.config.reduction === 'serial');
  const [r0, r, c] = [ctx.fresh('r'), ctx.fresh('r'), ctx.fresh('c')];
  ctx.open(`for (var ${r0} = 0; ${r0} < ${rows}; ${r0} += ${perPass}) {`);
  ctx.line(`let ${r} = ${r0} + lid / ${lanes};`);
  // The row's own mask (a ragged last block of rows) is tested once, outside the column loop.
  const coords = [...emitDecompose(ctx, lead, r), c];
  const rowMask = [rows % perPass !== 0 ? `${r} < ${rows}` : '', maskExpr(axes, coords)].filter((m) => m !== '').join(' && ');
  if (rowMask) ctx.open(`if (${rowMask}) {`);
  emitColumnLoop(ctx, `for (var ${c} = lid % ${lanes}; ${c} < ${axisSize(ctx, last)}; ${c} += ${lanes}) {`, [c], () => each(coords, ''));
  if (rowMask) ctx.close();
  ctx.close();
  return true;
}

/** The register arrays that evaluating `values` reads. */
function registerTilesRead(ctx: EmitContext, values: readonly Value[]): string[] {
  const names = new Set<string>();
  const visit = (v: Value): void => {
    const storage = v.kind === 'local' ? ctx.locals.get(v.id)?.storage : v.kind === 'mat' ? ctx.mats.get(v.id) : undefined;
    if (storage?.kind === 'registers') names.add(storage.name);
    operands(v).forEach(visit);
  };
  values.forEach(visit);
  return [...names];
}

/** The store of one element at tile coordinates `coords`, under `mask`. */
export function storeElement(ctx: EmitContext, s: Stmt & { kind: 'store' }, coords: readonly string[], mask: string): void {
  const { index } = tensorAccess(ctx, s.tensor, s.index, coords);
  // The value is computed under the store's mask, so every block coordinate of the store
  // is in bounds there: loads along the same loops (broadcasting aligns them to the same
  // coordinates) skip their own masks.
  const saved = ctx.inBounds;
  ctx.inBounds = new Set(storeAxes(s).flatMap((a) => (a.kind === 'block' ? [a.loop.id] : [])));
  const v = emitValue(ctx, s.value, alignToValue(coords, s.value));
  ctx.inBounds = saved;
  // A moved block (out[tm, A + tn]), a slice or a scatter also skips the positions outside the tensor's dim.
  const moved = movedMask(ctx, s.tensor, s.index, coords);
  const guard = [mask, moved].filter((m) => m !== '').join(' && ');
  if (guard) ctx.open(`if (${guard}) {`);
  if (s.atomic) ctx.line(`${atomicAdd(ctx, s.tensor, index, v)};`);
  else if (ctx.layout.atomicTensors.has(s.tensor.name)) ctx.line(`${atomicUpdate(ctx, s.tensor, 'atomicStore', index, s.tensor.dtype === 'f32' ? `bitcast<u32>(${v})` : v)};`);
  else {
    // A tensor written in vectors elsewhere (vector-store.ts) is an array of vectors: write the component.
    const w = ctx.layout.vectorTensors.get(s.tensor.name);
    const value = s.tensor.dtype === 'bool' ? `select(0u, 1u, ${v})` : v;
    ctx.line(`${w === undefined ? arrayWrite(ctx, s.tensor, index, value) : arrayWrite(ctx, s.tensor, `(${index}) / ${w}`, value, `(${index}) % ${w}`)};`);
  }
  if (guard) ctx.close();
}

/** A value narrower than the loop shape reads the trailing coordinates (broadcast). */
export function alignToValue(coords: readonly string[], v: Value): string[] {
  const n = v.type.axes.length;
  return coords.slice(coords.length - n).map((c, i) => (v.type.axes[i]?.kind === 'unit' ? '0' : c));
}

/**
 * A tile local lives in a workgroup array or in registers (layout.ts); a scalar local in
 * a WGSL `var`. Declares the storage; the caller writes the initial value (a tile is
 * written by its element group, see emitStmts).
 */
function allocateLocal(ctx: EmitContext, id: string, init: Value): TileStorage | undefined {
  const name = ident(id);
  const axes = init.type.axes;
  if (axes.length === 0) {
    ctx.locals.set(id, { name, storage: undefined });
    ctx.line(`var ${name}: ${wgslType(init.type.dtype)} = ${emitValue(ctx, init, [])};`);
    return undefined;
  }
  const size = staticSize(ctx, axes);
  if (size === undefined) {
    ctx.unsupported(`a tile variable with a whole (':') dimension`, 'declare tile variables over tile loop blocks, e.g. zeros([tm, tn], f32)');
  }
  const blocked = ctx.layout.blockedLocals.get(id);
  if (blocked) {
    const n = blocked.plan.tr * blocked.plan.tc;
    const storage: RegStorage = { kind: 'registers', name: `breg_${name}`, axes, dtype: init.type.dtype, owner: blocked.dot };
    ctx.line(`var ${storage.name}: array<${wgslType(init.type.dtype)}, ${n}>;`);
    ctx.locals.set(id, { name: storage.name, storage });
    return storage;
  }
  const micro = ctx.layout.micro;
  if (micro && ctx.layout.registerLocals.has(id)) {
    const mirror: WgStorage | undefined = ctx.layout.mirroredLocals.has(id) ? { kind: 'workgroup', name: `tile_${name}`, axes, dtype: init.type.dtype } : undefined;
    if (mirror) ctx.declareWorkgroup(mirror.name, `array<${wgslType(init.type.dtype)}, ${size}>`);
    const storage: RegStorage = { kind: 'registers', name: `reg_${name}`, axes, dtype: init.type.dtype, ...(mirror ? { mirror } : {}) };
    ctx.line(`var ${storage.name}: array<${wgslType(init.type.dtype)}, ${micro.tm * micro.tn}>;`);
    ctx.locals.set(id, { name: storage.name, storage });
    return storage;
  }
  const storage: WgStorage = { kind: 'workgroup', name: `tile_${name}`, axes, dtype: init.type.dtype };
  ctx.declareWorkgroup(storage.name, `array<${wgslType(init.type.dtype)}, ${size}>`);
  ctx.locals.set(id, { name: storage.name, storage });
  return storage;
}

/** Where local `id` lives, or will once declared (the layout decides registers). */
function storageOf(ctx: EmitContext, s: Stmt, id: string): 'workgroup' | 'registers' | 'scalar' | undefined {
  if (s.kind === 'declare') {
    if (s.init.type.axes.length === 0) return 'scalar';
    return (ctx.layout.micro && ctx.layout.registerLocals.has(id)) || ctx.layout.blockedLocals.has(id) ? 'registers' : 'workgroup';
  }
  const local = ctx.locals.get(id);
  if (!local) return undefined;
  return local.storage?.kind ?? 'scalar';
}

/**
 * The target and value of an element group member at element `coords`. A tile local in
 * `promoted` is written to its per-element variable (promotedLocals) instead of its array.
 */
function emitElement(ctx: EmitContext, s: ElementStmt, coords: string[], mask: string, promoted: ReadonlyMap<string, Promoted>): void {
  if (s.kind === 'store') return storeElement(ctx, s, coords, mask);
  const value = s.kind === 'declare' ? s.init : s.value;
  const held = promoted.get(s.id);
  const storage = held?.storage ?? ctx.locals.get(s.id)?.storage;
  if (!storage) return ctx.unsupported(`writing the undeclared tile local ${s.id}`, 'this is an internal error');
  const index = storage.kind === 'registers' ? ctx.owned?.index ?? '0' : linearIndex(ctx, storage.axes, coords);
  const target = held ? held.name : `${storage.name}[${index}]`;
  const write = `${target} = ${emitValue(ctx, value, alignToValue(coords, value))};`;
  // A tile along a declared block size outlives its loop's tiles (an accumulator [tm, bd]):
  // a ragged tile updates only its valid columns, and the others keep what earlier tiles
  // gave them. (Elsewhere a column past the dim is never read, so it is left unmasked.)
  const guard = s.kind === 'assign' ? maskExpr(storage.axes.map((a) => (a.kind === 'block' && a.loop.blockSize ? a : { kind: 'unit' })), coords) : '';
  if (!guard) return ctx.line(write);
  ctx.open(`if (${guard}) {`);
  ctx.line(write);
  ctx.close();
}

/** A tile local held in a per-element variable while its element group runs. */
interface Promoted { readonly name: string; readonly storage: WgStorage }

/**
 * The workgroup tile locals an element group writes and touches more than once: each is
 * held in a function-scope variable for the element being computed (loaded once unless
 * the group declares it, written back once), since every read of it in the group is at
 * that element (element-groups.ts). Without this every update is a store to and a load
 * from workgroup memory, which a CPU adapter compiles as a scatter and a gather per
 * lane; LLVM cannot forward one to the next, and a kernel of 256 updates of one tile
 * variable took ~12 s to compile on lavapipe against ~0.5 s with the variable.
 */
function promotedLocals(ctx: EmitContext, group: ElementGroup): { id: string; storage: WgStorage; declared: boolean }[] {
  const out: { id: string; storage: WgStorage; declared: boolean }[] = [];
  for (const id of group.writtenLocals) {
    const storage = ctx.locals.get(id)?.storage;
    if (storage?.kind !== 'workgroup' || storage.window) continue;
    let uses = 0;
    const count = (v: Value): void => {
      if (v.kind === 'local' && v.id === id) uses++;
      operands(v).forEach(count);
    };
    for (const s of group.stmts) {
      if (s.kind !== 'store' && s.id === id) uses++;
      stmtValues(s).forEach(count);
    }
    const declared = group.stmts.some((s) => s.kind === 'declare' && s.id === id);
    // One write and one read gain nothing from the variable (a load and a store either way).
    if (uses >= 3 || (declared && uses >= 2)) out.push({ id, storage, declared });
  }
  return out;
}

/**
 * One loop for the statements of an element group (element-groups.ts). Writes of tile
 * locals in workgroup memory are fenced on both sides: other invocations may still read
 * the old contents at other elements before, and read the new ones after.
 */
function emitElementGroup(ctx: EmitContext, group: ElementGroup): void {
  const shape = group.shape;
  if (shape.kind === 'vectors') {
    const stores = group.stmts.flatMap((s) => (s.kind === 'store' ? [s] : []));
    emitVectorStores(ctx, stores, (s, coords, mask) => storeElement(ctx, s, coords, mask));
    return;
  }
  const fenced = group.writtenLocals.size > 0;
  if (fenced) ctx.barrier();
  const reads = group.stmts.flatMap((s) => stmtValues(s));
  const promote = promotedLocals(ctx, group);
  forEachElement(ctx, shape.axes, (coords, mask) => {
    const promoted = new Map<string, Promoted>();
    for (const { id, storage, declared } of promote) {
      const name = ctx.fresh(`el_${ident(id)}`);
      const ty = wgslType(storage.dtype);
      ctx.line(declared ? `var ${name}: ${ty};` : `var ${name}: ${ty} = ${storage.name}[${linearIndex(ctx, storage.axes, coords)}];`);
      promoted.set(id, { name, storage });
    }
    // Reads of a promoted local (all at this element, element-groups.ts) see its variable.
    const saved = new Map([...promoted.keys()].map((id) => [id, ctx.locals.get(id)]));
    for (const [id, p] of promoted) ctx.locals.set(id, { name: p.name, storage: undefined });
    try {
      for (const s of group.stmts) emitElement(ctx, s, coords, mask, promoted);
    } finally {
      for (const [id, local] of saved) if (local) ctx.locals.set(id, local);
    }
    for (const p of promoted.values()) ctx.line(`${p.storage.name}[${linearIndex(ctx, p.storage.axes, coords)}] = ${p.name};`);
  }, { writesRegisters: shape.writesRegisters, reads });
  if (fenced) ctx.barrier();
  for (const s of group.stmts) if (s.kind !== 'store') publishMirror(ctx, s.id);
}

/**
 * Copies a mirrored register local (layout.ts mirroredLocals) to its workgroup array
 * after a write: one loop over the owned elements, fenced (the copy's previous contents
 * may still be read by a product, and the next product reads the new ones).
 */
function publishMirror(ctx: EmitContext, id: string): void {
  const storage = ctx.locals.get(id)?.storage;
  const micro = ctx.layout.micro;
  if (storage?.kind !== 'registers' || !storage.mirror || !micro) return;
  const mirror = storage.mirror;
  ctx.barrier();
  forEachOwnedLooped(ctx, micro, [storage.name], (coords) => {
    const copy = ctx.owned?.copies.get(storage.name) ?? storage.name;
    ctx.line(`${mirror.name}[${linearIndex(ctx, mirror.axes, coords)}] = ${copy}[${ctx.owned?.index ?? '0'}];`);
  });
  ctx.barrier();
}

/**
 * A condition or loop bound read from memory is not provably uniform to WGSL's analysis,
 * though every invocation computes the same value; broadcasting it through
 * workgroupUniformLoad makes the uniformity explicit (and barriers inside legal).
 */
function uniformScalar(ctx: EmitContext, v: Value, wgslTy: string): string {
  if (ctx.inFunc || isTriviallyUniform(v)) return emitValue(ctx, v, []);
  const slot = ctx.fresh(`uni_${wgslTy}_`);
  ctx.declareWorkgroup(slot, wgslTy);
  const tmp = ctx.fresh('u');
  ctx.open('if (lid == 0) {');
  ctx.line(`${slot} = ${wgslTy === 'u32' ? `select(0u, 1u, ${emitValue(ctx, v, [])})` : emitValue(ctx, v, [])};`);
  ctx.close();
  ctx.line(`let ${tmp} = workgroupUniformLoad(&${slot});`);
  return wgslTy === 'u32' ? `(${tmp} != 0u)` : tmp;
}

function isTriviallyUniform(v: Value): boolean {
  switch (v.kind) {
    case 'const': case 'dim': case 'param': return true;
    case 'unary': case 'cast': return isTriviallyUniform(v.x);
    case 'binary': return isTriviallyUniform(v.a) && isTriviallyUniform(v.b);
    default: return false;
  }
}

export function emitStmts(ctx: EmitContext, stmts: readonly Stmt[]): void {
  let group: ElementGroup | undefined;
  // The group's statements are emitted together: an error there points at its first.
  let groupSpan = ctx.span;
  const flush = (): void => {
    const outer = ctx.span;
    ctx.span = groupSpan;
    if (group) emitElementGroup(ctx, group);
    ctx.span = outer;
    group = undefined;
  };
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (!s) continue;
    const outer = ctx.span;
    ctx.span = s.span ?? outer;
    if (!ctx.inFunc && ctx.pendingStores.hazard(s)) {
      // s reads elements of an output that other invocations stored above.
      flush();
      ctx.line('storageBarrier();');
      ctx.pendingStores.clear();
    }
    if (s.kind === 'materialize' && s.value.kind === 'scan') {
      flush();
      // A scan over a whole dim is computed in chunks, each consumed by the stores
      // that follow it before the next chunk: it takes those statements along.
      const taken = emitScan(ctx, s.id, s.value, stmts.slice(i + 1), emitStmts, storeElement);
      for (const t of stmts.slice(i + 1, i + 1 + taken)) ctx.pendingStores.record(t);
      i += taken;
      ctx.span = outer;
      continue;
    }
    const fused = s.kind === 'materialize' && s.value.kind === 'reduce' ? fusedReduces(ctx, stmts, i) : undefined;
    if (fused) {
      // Reductions of the same rows in one walk; the stores and local writes between them follow it.
      flush();
      emitReduces(ctx, fused.items);
      for (const t of stmts.slice(i, fused.end)) if (t.kind === 'materialize') ctx.pendingStores.record(t);
      const deferred = stmts.slice(i, fused.end).filter((t) => t.kind !== 'materialize');
      emitStmts(ctx, deferred);
      i = fused.end - 1;
      ctx.span = outer;
      continue;
    }
    const shape = s.kind === 'store' || s.kind === 'declare' || s.kind === 'assign' ? elementShape(ctx, s, (id) => storageOf(ctx, s, id)) : undefined;
    if (!shape || (s.kind !== 'store' && s.kind !== 'declare' && s.kind !== 'assign')) {
      flush();
      ctx.span = s.span ?? outer;
      emitStmt(ctx, s);
      ctx.pendingStores.record(s);
      ctx.span = outer;
      continue;
    }
    const isWorkgroup = (id: string): boolean => storageOf(ctx, s, id) === 'workgroup';
    if (!group || !tryJoin(group, s, shape, isWorkgroup)) {
      flush();
      group = newGroup(shape);
      groupSpan = s.span ?? outer;
      tryJoin(group, s, shape, isWorkgroup);
    }
    if (s.kind === 'declare') allocateLocal(ctx, s.id, s.init);
    // Emitted with its group at the next flush, before anything that reads what it stores.
    ctx.pendingStores.record(s);
    ctx.span = outer;
  }
  flush();
}

/**
 * The reductions from `stmts[i]` on that can share its walk over the rows (reduce.ts
 * foldsWith), and the index after the last of them; undefined when there is none to fuse.
 * Plain stores and writes of tile or scalar locals may lie between them (they are emitted
 * after the walk, in order), when the later reductions read neither the tensors stored
 * nor the locals written; a later reduction may not read an earlier one's result. A
 * one-pass Welford step (count, sum, then the running count updated, then the squared
 * deviations from the tile's mean) so walks each column tile twice instead of three times.
 */
function fusedReduces(ctx: EmitContext, stmts: readonly Stmt[], i: number): { items: ReduceItem[]; end: number } | undefined {
  const s = stmts[i];
  if (ctx.inFunc || s?.kind !== 'materialize' || s.value.kind !== 'reduce' || ctx.layout.rowReduces.has(s.id)) return undefined;
  const items: ReduceItem[] = [{ id: s.id, v: s.value }];
  const stored = new Set<string>();
  const written = new Set<string>();
  let end = i + 1;
  for (let j = i + 1; j < stmts.length; j++) {
    const t = stmts[j];
    if (t?.kind === 'store' && !t.atomic && !ctx.layout.atomicTensors.has(t.tensor.name)) {
      stored.add(t.tensor.name);
      continue;
    }
    if (t?.kind === 'declare' || t?.kind === 'assign') {
      written.add(t.id);
      continue;
    }
    if (t?.kind !== 'materialize' || t.value.kind !== 'reduce' || ctx.layout.rowReduces.has(t.id)) break;
    const item = { id: t.id, v: t.value };
    const reads = readsOf(t.value.x);
    if (!foldsWith(ctx, items[0] ?? item, item) || items.some((it) => reads.mats.has(it.id)) || [...stored].some((n) => reads.tensors.has(n)) ||
        [...written].some((id) => reads.locals.has(id)) || ctx.pendingStores.hazard(t)) break;
    items.push(item);
    end = j + 1;
  }
  return items.length > 1 ? { items, end } : undefined;
}

/** The tensors, materialized results and locals a value reads. */
function readsOf(v: Value): { tensors: Set<string>; mats: Set<string>; locals: Set<string> } {
  const out = { tensors: new Set<string>(), mats: new Set<string>(), locals: new Set<string>() };
  const visit = (x: Value): void => {
    if (x.kind === 'load' || x.kind === 'gather') out.tensors.add(x.tensor.name);
    if (x.kind === 'mat') out.mats.add(x.id);
    if (x.kind === 'local') out.locals.add(x.id);
    operands(x).forEach(visit);
  };
  visit(v);
  return out;
}

function emitStmt(ctx: EmitContext, s: Stmt): void {
  switch (s.kind) {
    case 'store': return emitElementGroup(ctx, singleGroup(ctx, s));
    case 'materialize': {
      const v = s.value;
      switch (v.kind) {
        case 'reduce': return ctx.layout.rowReduces.has(s.id) ? emitMicroRowReduce(ctx, s.id, v) : emitReduce(ctx, s.id, v);
        case 'dot': return emitDot(ctx, s.id, v);
        case 'scan': return void emitScan(ctx, s.id, v, [], emitStmts, storeElement);
        default: return ctx.unsupported(`materializing ${v.kind}`, 'this is an internal error');
      }
    }
    case 'declare': {
      if (allocateLocal(ctx, s.id, s.init)) emitElementGroup(ctx, singleGroup(ctx, s));
      return;
    }
    case 'assign': {
      const local = ctx.locals.get(s.id);
      if (!local) return ctx.unsupported(`assigning an undeclared local ${s.id}`, 'this is an internal error');
      // `%x = @m` where @m accumulated in %x's own registers: nothing to copy.
      if (s.value.kind === 'mat' && ctx.layout.aliases.get(s.value.id) === s.id) return;
      if (local.storage) return emitElementGroup(ctx, singleGroup(ctx, s));
      ctx.line(`${local.name} = ${emitValue(ctx, s.value, [])};`);
      return;
    }
    case 'tileLoop': {
      const b = ctx.block(s.loop);
      const pid = `pid_${ident(s.loop.id)}`;
      ctx.open(`for (var ${pid} = 0; ${pid} < (${dimExpr(s.loop.dim)} + ${b - 1}) / ${b}; ${pid}++) {`);
      ctx.line(`let ${offsetName(s.loop)} = ${pid} * ${b};`);
      emitBody(ctx, s.body, true);
      ctx.close();
      return;
    }
    case 'rangeLoop': {
      const name = ident(s.id);
      const ty = wgslType(s.dtype);
      const lo = uniformScalar(ctx, s.lo, ty);
      const hi = uniformScalar(ctx, s.hi, ty);
      ctx.locals.set(s.id, { name, storage: undefined });
      ctx.open(`for (var ${name}: ${ty} = ${lo}; ${name} < ${hi}; ${name}++) {`);
      emitBody(ctx, s.body, true);
      ctx.close();
      return;
    }
    case 'if': {
      const cond = uniformScalar(ctx, s.cond, 'u32');
      ctx.open(`if (${cond}) {`);
      emitBody(ctx, s.then, false);
      if (s.otherwise.length > 0) {
        ctx.reopen('} else {');
        emitBody(ctx, s.otherwise, false);
      }
      ctx.close();
      return;
    }
    case 'return':
      ctx.line(`return ${emitValue(ctx, s.value, [])};`);
      return;
  }
}

/** A loop body or branch, with its own pending-store state (storage-hazards.ts). */
function emitBody(ctx: EmitContext, body: readonly Stmt[], isLoop: boolean): void {
  const outer = ctx.pendingStores.enter(body, isLoop);
  emitStmts(ctx, body);
  ctx.pendingStores.restore(outer);
}

/** A group of one statement (in a device function, or a tile whose shape no group takes). */
function singleGroup(ctx: EmitContext, s: ElementStmt): ElementGroup {
  const local = s.kind === 'store' ? undefined : { id: s.id, storage: ctx.locals.get(s.id)?.storage };
  const axes = s.kind === 'store' ? storeAxes(s) : local?.storage?.axes ?? [];
  const group = newGroup({ kind: 'elements', axes, writesRegisters: local?.storage?.kind === 'registers' });
  group.stmts.push(s);
  if (local?.storage?.kind === 'workgroup') group.writtenLocals.add(local.id);
  return group;
}

export { literal, offsetName };
