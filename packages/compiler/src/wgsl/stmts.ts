/**
 * Tile IR statements → WGSL statements inside the entry point. Every statement is
 * executed by the whole workgroup in uniform control flow, so barriers may appear
 * anywhere: elementwise work over a tile is spread across invocations with a strided
 * loop, and anything written to workgroup memory is fenced by barriers.
 */
import type { Axis, IndexItem, Stmt, TensorRef, Value } from '../ir/nodes.ts';
import { ident, offsetName, type EmitContext } from './context.ts';
import { emitReduce } from './reduce.ts';
import { dimExpr, emitDecompose, linearIndex, maskExpr, sizeExpr, staticSize } from './shape.ts';
import { emitValue, literal, tensorAccess, wgslType } from './values.ts';

/** Runs `each(coords)` for every element of a tile of shape `axes`, spread over the workgroup. */
export function forEachElement(ctx: EmitContext, axes: readonly Axis[], each: (coords: string[], mask: string) => void): void {
  const total = sizeExpr(ctx, axes);
  const e = ctx.fresh('e');
  ctx.open(`for (var ${e} = lid; ${e} < ${total}; ${e} += ${ctx.config.workgroupSize}) {`);
  const coords = emitDecompose(ctx, axes, e);
  each(coords, maskExpr(axes, coords));
  ctx.close();
}

function storeAxes(index: readonly IndexItem[], t: TensorRef): Axis[] {
  const axes: Axis[] = [];
  for (const [i, item] of index.entries()) {
    const dim = t.dims[i];
    if (item.kind === 'block') axes.push({ kind: 'block', loop: item.loop });
    else if (item.kind === 'full' && dim) axes.push({ kind: 'full', dim });
  }
  return axes;
}

function emitStore(ctx: EmitContext, s: Stmt & { kind: 'store' }): void {
  if (s.atomic) {
    ctx.unsupported('atomic_add', 'store the result with out[...] = … instead');
  }
  const axes = storeAxes(s.index, s.tensor);
  const name = ident(s.tensor.name);
  forEachElement(ctx, axes, (coords, mask) => {
    const { index } = tensorAccess(ctx, s.tensor, s.index, coords);
    const v = emitValue(ctx, s.value, alignToValue(coords, s.value));
    const stored = s.tensor.dtype === 'bool' ? `select(0u, 1u, ${v})` : v;
    if (mask) ctx.open(`if (${mask}) {`);
    ctx.line(`${name}[${index}] = ${stored};`);
    if (mask) ctx.close();
  });
}

/** A value narrower than the loop shape reads the trailing coordinates (broadcast). */
function alignToValue(coords: readonly string[], v: Value): string[] {
  const n = v.type.axes.length;
  return coords.slice(coords.length - n).map((c, i) => (v.type.axes[i]?.kind === 'unit' ? '0' : c));
}

/** A tile local lives in a workgroup array; a scalar local in a WGSL `var`. */
function emitDeclare(ctx: EmitContext, id: string, init: Value): void {
  const name = ident(id);
  const axes = init.type.axes;
  if (axes.length === 0) {
    ctx.locals.set(id, { name, storage: undefined });
    ctx.line(`var ${name}: ${wgslType(init.type.dtype)} = ${emitValue(ctx, init, [])};`);
    return;
  }
  const size = staticSize(ctx, axes);
  if (size === undefined) {
    ctx.unsupported(`a tile variable with a whole (':') dimension`, 'declare tile variables over tile loop blocks, e.g. zeros([tm, tn], f32)');
  }
  const storage = { name: `tile_${name}`, axes, dtype: init.type.dtype };
  ctx.declareWorkgroup(storage.name, `array<${wgslType(init.type.dtype)}, ${size}>`);
  emitTileWrite(ctx, storage, init);
  ctx.locals.set(id, { name: storage.name, storage });
}

function emitTileWrite(ctx: EmitContext, storage: { name: string; axes: readonly Axis[] }, value: Value): void {
  // Other invocations may still read the old contents at other elements: fence first.
  ctx.line('workgroupBarrier();');
  forEachElement(ctx, storage.axes, (coords) => {
    ctx.line(`${storage.name}[${linearIndex(ctx, storage.axes, coords)}] = ${emitValue(ctx, value, alignToValue(coords, value))};`);
  });
  ctx.line('workgroupBarrier();');
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
  for (const s of stmts) emitStmt(ctx, s);
}

function emitStmt(ctx: EmitContext, s: Stmt): void {
  switch (s.kind) {
    case 'store': return emitStore(ctx, s);
    case 'materialize': {
      const v = s.value;
      if (v.kind === 'reduce') return emitReduce(ctx, s.id, v);
      return ctx.unsupported(v.kind === 'dot' ? "'@'" : v.kind === 'scan' ? 'cumsum' : v.kind, 'coming to the WGSL backend');
    }
    case 'declare': return emitDeclare(ctx, s.id, s.init);
    case 'assign': {
      const local = ctx.locals.get(s.id);
      if (!local) return ctx.unsupported(`assigning an undeclared local ${s.id}`, 'this is an internal error');
      if (local.storage) return emitTileWrite(ctx, local.storage, s.value);
      ctx.line(`${local.name} = ${emitValue(ctx, s.value, [])};`);
      return;
    }
    case 'tileLoop': {
      const b = ctx.block(s.loop);
      const pid = `pid_${ident(s.loop.id)}`;
      ctx.open(`for (var ${pid} = 0; ${pid} < (${dimExpr(s.loop.dim)} + ${b - 1}) / ${b}; ${pid}++) {`);
      ctx.line(`let ${offsetName(s.loop)} = ${pid} * ${b};`);
      emitStmts(ctx, s.body);
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
      emitStmts(ctx, s.body);
      ctx.close();
      return;
    }
    case 'if': {
      const cond = uniformScalar(ctx, s.cond, 'u32');
      ctx.open(`if (${cond}) {`);
      emitStmts(ctx, s.then);
      if (s.otherwise.length > 0) {
        ctx.reopen('} else {');
        emitStmts(ctx, s.otherwise);
      }
      ctx.close();
      return;
    }
    case 'return':
      ctx.line(`return ${emitValue(ctx, s.value, [])};`);
      return;
  }
}

export { literal, offsetName };
