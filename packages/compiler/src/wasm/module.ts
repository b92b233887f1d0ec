/**
 * Assembles the WebAssembly module for one kernel and one config (see artifact.ts):
 * the run function binds tensors, dims and scalars from the argument block to locals,
 * places scratch buffers, then decodes each tile index of [begin, end) into grid-loop
 * offsets (row-major, last grid loop fastest, as the other backends number tiles) and
 * runs the body.
 */
import type { DType, FuncIR, KernelIR, LoopInfo } from '../ir/nodes.ts';
import type { KernelConfig } from '../config/config.ts';
import { symbolicDims } from '../ir/dims.ts';
import { encodeModule, type FuncDef, type ValType } from './encoder.ts';
import { I } from './instr.ts';
import { IMPORTS } from './imports.ts';
import { literal } from './ops.ts';
import { countedLoop, dimExpr } from './shape.ts';
import { rowLoop } from './row-loop.ts';
import { emitStmts, minI32 } from './stmts.ts';
import { FnBuilder, WasmContext, wasmType } from './context.ts';
import type { WasmFeatures } from './features.ts';
import type { WasmSlots } from './artifact.ts';

const RUN_PARAMS: readonly ValType[] = ['i32', 'i32', 'i32', 'i32'];
const ARGS = 0;
const BEGIN = 1;
const END = 2;
const SCRATCH = 3;

export interface EmittedModule {
  readonly bytes: Uint8Array;
  readonly slots: WasmSlots;
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
}

function scalarLoad(d: DType, slot: number): number[] {
  return [...I.localGet(ARGS), ...(wasmType(d) === 'f32' ? I.f32Load(slot * 4) : I.i32Load(slot * 4))];
}

function emitFunc(ctx: WasmContext, f: FuncIR): FuncDef {
  const saved = new Map(ctx.locals);
  const savedFn = ctx.fn;
  ctx.locals.clear();
  ctx.inFunc = true;
  ctx.fn = new FnBuilder(f.params.map((p) => wasmType(p.dtype)));
  f.params.forEach((p, i) => ctx.locals.set(p.id, { kind: 'scalar', local: i, dtype: p.dtype }));
  // Falling off the end returns zero, as the other backends do.
  const body = [...emitStmts(ctx, f.body), ...literal(f.result, 0)];
  const def: FuncDef = { type: { params: ctx.fn.params, results: [wasmType(f.result)] }, locals: ctx.fn.locals, body };
  ctx.fn = savedFn;
  ctx.inFunc = false;
  ctx.locals.clear();
  for (const [k, v] of saved) ctx.locals.set(k, v);
  return def;
}

/**
 * The statements run per tile: the kernel body, or, where the tile's rows are independent
 * (row-loop.ts), the body once per in-bounds row of the tile, the row loop's locals then
 * holding that row (offset and a count of 1).
 */
function tileBody(ctx: WasmContext, k: KernelIR, grid: readonly { readonly loop: LoopInfo; readonly offset: number; readonly count: number }[]): number[] {
  const rows = rowLoop(k);
  const tile = rows && grid.find((g) => g.loop.id === rows.id);
  if (!rows || !tile) return emitStmts(ctx, k.body);
  const offset = ctx.fn.local('i32');
  const count = ctx.fn.local('i32');
  ctx.loops.set(rows.id, { offset, count });
  ctx.rowLoop = rows.id;
  const body = countedLoop(ctx, I.localGet(tile.count), (r) => [
    ...I.localGet(tile.offset), ...r, ...I.i32Add, ...I.localSet(offset),
    ...I.i32Const(1), ...I.localSet(count),
    ...emitStmts(ctx, k.body),
  ]);
  ctx.rowLoop = undefined;
  ctx.loops.set(rows.id, tile);
  return body;
}

export function emitWasmModule(k: KernelIR, config: KernelConfig, features: WasmFeatures, opts: { readonly shared: boolean }): EmittedModule {
  const run = new FnBuilder(RUN_PARAMS);
  const ctx = new WasmContext(k, config, features, run);
  const dims = [...symbolicDims(k)];
  const inputs = k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : []));
  const scalars = k.params.flatMap((p) => (p.kind === 'scalar' ? [{ name: p.name, dtype: p.dtype }] : []));
  // Dims first: the scratch function declares the same locals in the same order, so the
  // size expressions (which read only dims) are valid in both.
  for (const d of dims) ctx.dims.set(d, run.local('i32'));
  const prologue: number[] = [];
  let slot = 0;
  for (const t of inputs) {
    const l = run.local('i32');
    ctx.tensors.set(`i${t.index}`, l);
    prologue.push(...I.localGet(ARGS), ...I.i32Load(slot++ * 4), ...I.localSet(l));
  }
  for (const t of k.outputs) {
    const l = run.local('i32');
    ctx.tensors.set(`o${t.index}`, l);
    prologue.push(...I.localGet(ARGS), ...I.i32Load(slot++ * 4), ...I.localSet(l));
  }
  const dimLoads: number[] = [];
  for (const d of dims) dimLoads.push(...I.localGet(ARGS), ...I.i32Load(slot++ * 4), ...I.localSet(ctx.dims.get(d) ?? 0));
  for (const s of scalars) {
    const l = run.local(wasmType(s.dtype));
    ctx.params.set(s.name, l);
    prologue.push(...scalarLoad(s.dtype, slot++), ...I.localSet(l));
  }

  const funcBase = IMPORTS.length + 2;
  k.funcs.forEach((f, i) => ctx.funcs.set(f.key, funcBase + i));
  const funcDefs = k.funcs.map((f) => emitFunc(ctx, f));

  // Grid: per loop, its block count, offset and in-bounds count.
  const gridLocals = k.grid.map((loop) => {
    const offset = run.local('i32');
    const count = run.local('i32');
    ctx.loops.set(loop.id, { offset, count });
    return { loop, offset, count, blocks: run.local('i32'), b: ctx.block(loop) };
  });
  // A declared block size's axis outside its loops reads as the first tile
  // (LoopInfo.blockSize); a loop over it binds locals of its own (stmts.ts).
  for (const loop of k.loops) {
    if (!loop.blockSize) continue;
    const offset = run.local('i32');
    const count = run.local('i32');
    ctx.loops.set(loop.id, { offset, count });
    prologue.push(...I.i32Const(0), ...I.localSet(offset), ...minI32(ctx, I.i32Const(ctx.block(loop)), dimExpr(ctx, loop.dim)), ...I.localSet(count));
  }
  for (const g of gridLocals) {
    prologue.push(...dimExpr(ctx, g.loop.dim), ...I.i32Const(g.b - 1), ...I.i32Add, ...I.i32Const(g.b), ...I.i32DivU, ...I.localSet(g.blocks));
  }
  const body = tileBody(ctx, k, gridLocals);

  const t = run.local('i32');
  const rem = run.local('i32');
  const decode: number[] = [...I.localGet(t), ...I.localSet(rem)];
  for (const g of [...gridLocals].reverse()) {
    decode.push(
      ...I.localGet(rem), ...I.localGet(g.blocks), ...I.i32RemU, ...I.i32Const(g.b), ...I.i32Mul, ...I.localSet(g.offset),
      ...I.localGet(rem), ...I.localGet(g.blocks), ...I.i32DivU, ...I.localSet(rem),
      ...minI32(ctx, I.i32Const(g.b), [...dimExpr(ctx, g.loop.dim), ...I.localGet(g.offset), ...I.i32Sub]), ...I.localSet(g.count),
    );
  }
  // Scratch buffers one after another from the thread's scratch address.
  const place: number[] = [];
  const cursor = run.local('i32');
  place.push(...I.localGet(SCRATCH), ...I.localSet(cursor));
  for (const s of ctx.scratch) place.push(...I.localGet(cursor), ...I.localTee(s.ptr), ...s.bytes, ...I.i32Add, ...I.localSet(cursor));

  // Tiles are claimed one at a time from the call's counter (artifact.ts), so a thread
  // that is descheduled or slow holds up only the tile it is on, not a fixed share.
  const counter = 4 * (inputs.length + k.outputs.length + dims.length + scalars.length);
  const done = counter + 4;
  const mine = run.local('i32');
  const tileLoop = [
    ...I.block(), ...I.loop(),
    ...I.localGet(BEGIN), ...I.localGet(ARGS), ...I.i32Const(1), ...I.i32AtomicRmwAdd(counter), ...I.i32Add, ...I.localTee(t),
    ...I.localGet(END), ...I.i32GeS, ...I.brIf(1),
    // Counted when claimed (a tile's body may branch straight to the next claim); a run
    // that traps reports nothing, so the count is only read once the run returns.
    ...I.localGet(mine), ...I.i32Const(1), ...I.i32Add, ...I.localSet(mine),
    ...decode, ...body,
    ...I.br(0), ...I.end, ...I.end,
  ];
  // The tiles this thread ran go to the done count in one add (after its last tile's
  // stores, which the atomic add orders before it); the add that completes the grid wakes
  // the caller waiting on that word, so a call ends when its tiles do, not when every
  // thread has reported back.
  const report = [
    ...I.localGet(mine), ...I.if(),
    ...I.localGet(ARGS), ...I.localGet(mine), ...I.i32AtomicRmwAdd(done), ...I.localGet(mine), ...I.i32Add,
    ...I.localGet(END), ...I.localGet(BEGIN), ...I.i32Sub, ...I.i32Eq, ...I.if(),
    ...I.localGet(ARGS), ...I.i32Const(-1), ...I.memoryAtomicNotify(done), ...I.drop,
    ...I.end, ...I.end,
  ];
  // The count is returned too: the caller times its own share to size later calls' thread counts.
  const runDef: FuncDef = {
    type: { params: RUN_PARAMS, results: ['i32'] }, locals: run.locals, export: 'run',
    body: [...dimLoads, ...prologue, ...place, ...tileLoop, ...report, ...I.localGet(mine)],
  };

  const sizes = new FnBuilder(RUN_PARAMS);
  for (let i = 0; i < dims.length; i++) sizes.local('i32');
  let total: number[] = I.f64Const(0);
  for (const s of ctx.scratch) total = [...total, ...s.bytesF64, ...I.f64Add];
  const scratchDef: FuncDef = { type: { params: RUN_PARAMS, results: ['f64'] }, locals: sizes.locals, export: 'scratch', body: [...dimLoads, ...total] };

  const bytes = encodeModule({
    memory: { module: 'env', name: 'memory', initialPages: 1, maximumPages: 65536, shared: opts.shared },
    imports: IMPORTS,
    funcs: [runDef, scratchDef, ...funcDefs],
  });
  return {
    bytes,
    slots: { inputs: inputs.length, outputs: k.outputs.length, dims, scalars },
    simd: ctx.usedSimd,
    relaxedSimd: ctx.usedRelaxedSimd,
  };
}
