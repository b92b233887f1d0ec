/**
 * Checking of statements inside the tile loop (device code) and inside device functions.
 * Host code (outside the top-level tile loop) is checked in kernel.ts.
 */
import type { Assign, Block, Expr, ForStmt, IfStmt, ScalarType, Stmt, VarDecl } from '../ast.ts';
import { assertNever } from '../ast.ts';
import type { CheckContext, SymbolInfo } from './context.ts';
import { BROADCAST_HINT, broadcastAxes, broadcastsTo } from './broadcast.ts';
import { adoptLiteral, isAbstractLiteral, reportCompoundScatter, reportUnknownName, typeExpr, type Mode } from './expr.ts';
import { constInt } from './call.ts';
import { reportLiteralMisfit } from './literal-range.ts';
import { checkCompoundBitwise, isCompoundBitwise, isCompoundShift } from './bitwise.ts';
import { arithDim } from './dim-of.ts';
import { blockSizeLoop, declareBlockSize, isBlockSizeCall } from './block-size.ts';
import {
  ERROR, dimEquals, dimText, isFloat, isInt, makeValue, shapeText, typeText, valueShape,
  type Axis, type Dim, type LoopInfo, type Type,
} from './types.ts';

/** In a func body: the declared result dtype, for `return`. */
export interface FuncScope {
  readonly result: ScalarType;
}

export function checkBlock(ctx: CheckContext, block: Block, mode: Mode, func?: FuncScope): void {
  ctx.pushScope();
  for (const s of block.stmts) checkStmt(ctx, s, mode, func);
  ctx.popScope();
}

export function checkStmt(ctx: CheckContext, s: Stmt, mode: Mode, func?: FuncScope): void {
  switch (s.kind) {
    case 'decl': return checkDecl(ctx, s, mode);
    case 'assign': return checkAssign(ctx, s, mode);
    case 'for': return checkFor(ctx, s, mode, func);
    case 'if': return checkIf(ctx, s, mode, func);
    case 'block': return checkBlock(ctx, s, mode, func);
    case 'exprStmt': {
      const t = typeExpr(ctx, s.expr, mode);
      const isAtomic = s.expr.kind === 'call' && s.expr.callee.kind === 'named' && s.expr.callee.name === 'atomic_add';
      if (!isAtomic && t.kind !== 'error') ctx.report('TSR2046', s.span);
      return;
    }
    case 'return': {
      if (mode !== 'func' || !func) {
        ctx.report('TSR2016', s.span, "'return'", 'return the outputs after the tile loop, in host code', 'the tile loop');
        return;
      }
      if (!s.value) {
        ctx.report('TSR2034', s.span, 'this function');
        return;
      }
      const t = typeExpr(ctx, s.value, mode);
      const v = valueShape(t);
      if (t.kind !== 'error' && (!v || v.axes.length > 0 || !fitsDtype(s.value, v.dtype, func.result))) {
        ctx.report('TSR2020', s.value.span, typeText(t), `the ${func.result} result`, `return one ${func.result} scalar; convert with ${func.result}(…)`);
      } else if (t.kind !== 'error') reportLiteralMisfit(ctx, s.value, func.result);
      return;
    }
    default:
      return assertNever(s, 'statement');
  }
}

/** Whether a value of `dtype` (from `e`) may be stored where `target` is expected. */
export function fitsDtype(e: Expr, dtype: ScalarType, target: ScalarType): boolean {
  if (dtype === target) return true;
  return isAbstractLiteral(e) && adoptLiteral(e, target).ok;
}

function checkDecl(ctx: CheckContext, s: VarDecl, mode: Mode): void {
  if (isBlockSizeCall(s.init)) return declareBlockSize(ctx, s, s.init, mode);
  const t = typeExpr(ctx, s.init, mode);
  let type: Type = t;
  if (t.kind !== 'error' && !valueShape(t)) {
    reportNotAValue(ctx, s.init, t);
    type = ERROR;
  }
  // A literal that meets nothing is an i32 (`let big = 3000000000;` does not fit one).
  if (type.kind === 'scalar' && type.dtype === 'i32' && reportLiteralMisfit(ctx, s.init, 'i32')) type = ERROR;
  // `var x = 0;` would make x an i32 forever; that is what the literal says.
  const sym = { kind: 'local' as const, name: s.name, id: ctx.freshId(`${s.name}_`), mutable: s.mutable, type, span: s.nameSpan };
  ctx.declare(s.name, sym, s.nameSpan, true);
  ctx.decls.set(s, sym);
}

/** `let d = x;` with x a tensor, a dtype, a tile variable, …: only values can be bound. */
function reportNotAValue(ctx: CheckContext, e: Expr, t: Type): void {
  const what = e.kind === 'ident' ? e.name
    : e.kind === 'call' ? `${e.callee.name}(…)`
    : e.kind === 'list' ? '[…]' : typeText(t);
  switch (t.kind) {
    case 'tensor':
      return ctx.report('TSR2038', e.span, what, 'tensor', `read a tile of it instead: ${what}[…] with one index per dimension`);
    case 'loopVar':
      return ctx.report('TSR2038', e.span, what, 'tile variable', `tile variables only index tensors: ${what} in x[${what}]`);
    case 'dtype':
      return ctx.report('TSR2038', e.span, what, 'dtype', 'dtypes are arguments (zeros([tm], f32)) or casts (f32(x))');
    case 'shape':
      return ctx.report('TSR2038', e.span, what, 'shape list', 'shape lists are arguments: zeros([tm, tn], f32)');
    case 'void':
      return ctx.report('TSR2038', e.span, what, 'call without a value', 'call it as a statement');
    default:
      return ctx.report('TSR2038', e.span, what, t.kind, 'bind scalars and tiles only');
  }
}

/** Why a name that is not a var cannot be assigned to. */
const NOT_ASSIGNABLE: Record<Exclude<SymbolInfo['kind'], 'local'>, string> = {
  tensor: 'it is a tensor; store into a tile of it with out[…] = …',
  scalarParam: 'it is a scalar parameter',
  dim: 'it is a dimension, fixed by the arguments',
  loop: 'it is a tile variable',
  gridVar: 'it is a grid loop variable',
  rangeVar: 'it is a loop variable',
  blockSize: 'it is a block size, chosen by the config',
};

function checkAssign(ctx: CheckContext, s: Assign, mode: Mode): void {
  const vt = typeExpr(ctx, s.value, mode);
  const target = s.target;
  let targetType: Type;
  if (target.kind === 'ident') {
    const sym = ctx.scope.lookup(target.name)?.symbol;
    if (!sym) {
      reportUnknownName(ctx, target);
      return;
    }
    if (sym.kind !== 'local') {
      ctx.report('TSR2003', target.span, target.name, NOT_ASSIGNABLE[sym.kind]);
      return;
    }
    if (!sym.mutable) {
      ctx.report('TSR2002', target.span, target.name);
      return;
    }
    // Reading for a compound assignment counts as a use; a plain store does not.
    if (s.op !== '=') ctx.touch(target.name);
    ctx.resolved.set(target, sym);
    targetType = ctx.setType(target, sym.type);
  } else if (target.kind === 'index') {
    targetType = typeExpr(ctx, target, mode);
    const base = ctx.types.get(target.base);
    if (base?.kind === 'tensor' && base.tensor.role === 'input') {
      ctx.report('TSR2047', target.base.span, base.tensor.name);
      return;
    }
    if (reportCompoundScatter(ctx, target, s.op)) return;
    if (base?.kind === 'tensor') ctx.written.add(base.tensor);
  } else {
    ctx.report('TSR2003', target.span, 'this expression', 'only variables and tensor elements can be assigned');
    return;
  }
  if (vt.kind === 'error' || targetType.kind === 'error') return;
  const tv = valueShape(targetType);
  const vv = valueShape(vt);
  if (!tv || !vv) {
    ctx.report('TSR2020', s.value.span, typeText(vt), typeText(targetType), 'assign a scalar or tile');
    return;
  }
  if (isCompoundBitwise(s.op) && !checkCompoundBitwise(ctx, s, targetType, vt, tv.dtype, vv.dtype)) return;
  let resultDtype = vv.dtype;
  let resultAxes = vv.axes;
  if (s.op !== '=') {
    const b = broadcastAxes(tv.axes, vv.axes);
    if (!b.ok) {
      ctx.report('TSR2005', s.span, shapeText(tv.axes), shapeText(vv.axes), b.why, BROADCAST_HINT);
      return;
    }
    resultAxes = b.axes;
    // A shift keeps the dtype of the value shifted, whatever its amount's (bitwise.ts).
    if (isCompoundShift(s.op) || (vv.dtype !== tv.dtype && fitsDtype(s.value, vv.dtype, tv.dtype))) resultDtype = tv.dtype;
  }
  const dtypeFits = resultDtype === tv.dtype || fitsDtype(s.value, resultDtype, tv.dtype);
  const shapeFits = broadcastsTo(resultAxes, tv.axes);
  if (dtypeFits && shapeFits) {
    // The value is converted to the target's dtype; a shift amount is taken mod 32.
    if (!isCompoundShift(s.op)) reportLiteralMisfit(ctx, s.value, tv.dtype);
    return;
  }
  if (target.kind === 'ident') {
    // A var keeps the type of its initial value: say what that was and how to start it.
    ctx.report('TSR2029', s.span, target.name, typeText(targetType), typeText(makeValue(resultDtype, resultAxes)),
      varFixHint(target.name, tv, { dtype: resultDtype, axes: resultAxes }));
    return;
  }
  ctx.report('TSR2020', s.value.span, typeText(vt), typeText(targetType),
    dtypeFits ? 'the value must broadcast to the indexed shape' : `convert with ${tv.dtype}(…)`);
}

function varFixHint(name: string, was: { dtype: ScalarType; axes: readonly Axis[] }, now: { dtype: ScalarType; axes: readonly Axis[] }): string {
  if (now.axes.length > was.axes.length || !broadcastsTo(now.axes, was.axes)) {
    const init = now.axes.every((a) => a.kind === 'block')
      ? `zeros(${shapeText(now.axes)}, ${now.dtype})` : `a value of shape ${shapeText(now.axes)}`;
    return `start ${name} with the shape it will hold, e.g. var ${name} = ${init};`;
  }
  const lit = isFloat(now.dtype) ? '0.0' : '0';
  return `start ${name} with a ${now.dtype} value (var ${name} = ${was.axes.length === 0 ? lit : `zeros(${shapeText(was.axes)}, ${now.dtype})`}), or convert the new value with ${was.dtype}(…)`;
}

function checkIf(ctx: CheckContext, s: IfStmt, mode: Mode, func?: FuncScope): void {
  const t = typeExpr(ctx, s.cond, mode);
  if (t.kind !== 'error' && !(t.kind === 'scalar' && t.dtype === 'bool')) {
    ctx.report('TSR2021', s.cond.span, typeText(t));
  }
  ctx.nesting.push('an if');
  checkBlock(ctx, s.then, mode, func);
  if (s.otherwise?.kind === 'if') checkIf(ctx, s.otherwise, mode, func);
  else if (s.otherwise) checkBlock(ctx, s.otherwise, mode, func);
  ctx.nesting.pop();
}

/**
 * Tile loops (`tile(M)`, `tile([M, N], block=64)`), grid loops (`grid(B)`) and scalar
 * loops (`range(a, b)`). `parallel`: the loop is part of the launch grid — the top-level
 * loop, or the loop a grid loop's body consists of (see parallelChild).
 */
export function checkFor(ctx: CheckContext, s: ForStmt, mode: Mode, func?: FuncScope, parallel = mode === 'host'): void {
  const iter = s.iter;
  const name = iter.callee.kind === 'named' ? iter.callee.name : iter.callee.name;
  if (name === 'range') return checkRange(ctx, s, mode, func);
  if ((name !== 'tile' && name !== 'grid') || iter.callee.kind !== 'named') {
    ctx.report('TSR2022', iter.span, name);
    return;
  }
  if (mode === 'func') {
    ctx.report('TSR2016', iter.span, `a ${name} loop`, 'device functions work on scalars; loop with range(a, b)', 'a device function');
    return;
  }
  if (name === 'grid') return checkGrid(ctx, s, parallel);
  const loops = tileLoops(ctx, s, parallel ? 'grid' : 'nested', 'tile');
  if (!loops) return;
  ctx.loops.set(s, { kind: 'tile', loops });
  ctx.pushScope();
  for (const [i, v] of s.vars.entries()) {
    const loop = loops[i];
    if (loop) ctx.declare(v.name, { kind: 'loop', loop, span: v.span }, v.span, true);
  }
  ctx.enclosingLoops.push(...loops);
  ctx.nesting.push('a tile loop');
  for (const st of s.body.stmts) checkStmt(ctx, st, 'device', func);
  ctx.nesting.pop();
  ctx.enclosingLoops.length -= loops.length;
  ctx.popScope();
  for (const v of s.vars) ctx.endedLoopVars.set(v.name, v.span);
}

/**
 * The loop a grid loop's body consists of, when it is only `let`s followed by one tile
 * or grid loop: that loop joins the launch grid (its tiles run in parallel, one program
 * each). Any other tile loop inside a grid loop runs sequentially, as a nested loop.
 */
export function parallelChild(body: Block): ForStmt | undefined {
  const last = body.stmts[body.stmts.length - 1];
  if (last?.kind !== 'for' || last.iter.callee.kind !== 'named') return undefined;
  if (last.iter.callee.name !== 'tile' && last.iter.callee.name !== 'grid') return undefined;
  return body.stmts.slice(0, -1).every((st) => st.kind === 'decl' && !st.mutable) ? last : undefined;
}

/** Why a grid loop cannot be where it is (inside the innermost construct around it). */
const GRID_NESTING_HINTS: Readonly<Record<string, string>> = {
  'a tile loop': 'grid loops are outermost: for b in grid(B) { for tm in tile(M) { … } }',
  'a range loop': 'grid loops are outermost: for b in grid(B) { for i in range(0, K) { … } }',
  'an if': 'every program runs the whole grid; branch inside it instead: for b in grid(B) { if … { … } }',
  'a grid loop': "a grid loop nests in a grid loop only as its whole body (after any lets): for b in grid(B) { for h in grid(H) { … } }, or write grid([B, H])",
};

/** `for b in grid(B)`: one program per index of B; `b` is an i32 scalar in the body. */
function checkGrid(ctx: CheckContext, s: ForStmt, parallel: boolean): void {
  if (!parallel) {
    const inside = ctx.nesting[ctx.nesting.length - 1] ?? 'a grid loop';
    ctx.report('TSR2050', s.iter.span, inside, GRID_NESTING_HINTS[inside] ?? 'put grid loops outermost');
    return;
  }
  const loops = tileLoops(ctx, s, 'grid', 'grid');
  if (!loops) return;
  ctx.loops.set(s, { kind: 'grid', loops });
  ctx.pushScope();
  for (const [i, v] of s.vars.entries()) {
    const loop = loops[i];
    if (loop) ctx.declare(v.name, { kind: 'gridVar', loop, span: v.span }, v.span, true);
  }
  const child = parallelChild(s.body);
  ctx.nesting.push('a grid loop');
  for (const st of s.body.stmts) {
    if (st === child) checkFor(ctx, st, 'device', undefined, true);
    else checkStmt(ctx, st, 'device');
  }
  ctx.nesting.pop();
  ctx.popScope();
  for (const v of s.vars) ctx.endedLoopVars.set(v.name, v.span);
}

/** The loops of `tile(…)` or `grid(…)` (one per variable); undefined after a diagnostic. */
function tileLoops(ctx: CheckContext, s: ForStmt, level: LoopInfo['level'], kind: LoopInfo['iter']): LoopInfo[] | undefined {
  const iter = s.iter;
  const arg = iter.args[0];
  for (const kw of iter.kwargs) {
    // A grid loop has no block: each index is one program.
    if (kw.name !== 'block' || kind === 'grid') {
      ctx.report('TSR2008', kw.span, kind, kw.name, kind === 'grid' ? 'none (a grid loop runs one program per index)' : 'block');
      return undefined;
    }
  }
  if (iter.args.length !== 1 || !arg) {
    ctx.report('TSR2007', iter.span, kind, 'one dim or a list of dims', `${iter.args.length} arguments`, `${kind}(M) or ${kind}([M, N])`);
    return undefined;
  }
  const dimExprs = arg.kind === 'list' ? arg.items : [arg];
  const dims: Dim[] = [];
  for (const d of dimExprs) {
    const sym = d.kind === 'ident' ? ctx.scope.lookup(d.name)?.symbol : undefined;
    if (d.kind === 'ident' && sym?.kind === 'dim') {
      ctx.resolve(d);
      ctx.setType(d, { kind: 'scalar', dtype: 'i32' });
      dims.push({ kind: 'sym', name: d.name });
    } else if (d.kind === 'number' && Number.isInteger(d.value) && d.value > 0) {
      dims.push({ kind: 'const', value: d.value });
    } else if (d.kind === 'binary' && arithDim(ctx, d)) {
      // Typed like any expression, so the names in it resolve (and count as used).
      typeExpr(ctx, d, 'host');
      dims.push(arithDim(ctx, d) ?? { kind: 'const', value: 1 });
    } else if (d.kind === 'ident' && !sym) {
      ctx.report('TSR2026', d.span, d.name);
      return undefined;
    } else {
      ctx.report('TSR2007', d.span, kind, 'a dimension name from the parameter types (M, N, …)', d.kind === 'ident' ? `'${d.name}'` : 'an expression', `${kind}(M) where M appears in a parameter type`);
      return undefined;
    }
  }
  if (s.vars.length !== dims.length) {
    const hint = kind === 'grid' ? 'for (b, h) in grid([B, H]) takes one variable per dimension' : 'for (tm, tn) in tile([M, N]) takes one variable per tiled dimension';
    ctx.report('TSR2023', s.span, s.vars.length, `${kind}(…)`, `${dims.length} ${kind === 'grid' ? 'grid' : 'tile'} variable(s)`, hint);
    return undefined;
  }
  const blockKw = iter.kwargs.find((k) => k.name === 'block');
  let fixedBlock: number | undefined;
  const declared = blockKw?.value.kind === 'ident' ? ctx.scope.lookup(blockKw.value.name)?.symbol : undefined;
  let shared: LoopInfo | undefined;
  if (blockKw && declared?.kind === 'blockSize' && blockKw.value.kind === 'ident') {
    ctx.resolve(blockKw.value);
    ctx.setType(blockKw.value, { kind: 'scalar', dtype: 'i32' });
    shared = blockSizeLoop(ctx, blockKw.value, declared.loop, dims, level);
    if (!shared) return undefined;
  } else if (blockKw && declared?.kind === 'local' && declared.type.kind === 'error') {
    // A block size whose declaration failed (reported there).
    return undefined;
  } else if (blockKw) {
    const v = constInt(blockKw.value);
    if (v === undefined) {
      ctx.report('TSR2024', blockKw.value.span, 'block', 'an expression');
      return undefined;
    }
    if (v <= 0 || (v & (v - 1)) !== 0) {
      ctx.report('TSR2025', blockKw.value.span, v);
      return undefined;
    }
    fixedBlock = v;
  }
  const loops: LoopInfo[] = [];
  for (const [i, dim] of dims.entries()) {
    const v = s.vars[i];
    if (!v) continue;
    for (const enclosing of ctx.enclosingLoops) {
      if (dimEquals(enclosing.dim, dim)) {
        ctx.report('TSR2041', v.span, dimText(dim), enclosing.name);
        return undefined;
      }
    }
    loops.push(shared ?? { id: ctx.freshId(`${v.name}#`), name: v.name, dim, fixedBlock: kind === 'grid' ? 1 : fixedBlock, level, iter: kind });
  }
  return loops;
}

function checkRange(ctx: CheckContext, s: ForStmt, mode: Mode, func?: FuncScope): void {
  const iter = s.iter;
  const types = iter.args.map((a) => typeExpr(ctx, a, mode));
  if (mode === 'host') {
    ctx.report('TSR2015', iter.span, 'a range loop');
    return;
  }
  if (iter.kwargs.length > 0 || iter.args.length < 1 || iter.args.length > 2) {
    ctx.report('TSR2007', iter.span, 'range', '(end) or (start, end)', `${iter.args.length} arguments`, 'range(0, K)');
    return;
  }
  let dtype: ScalarType = 'i32';
  for (const [i, t] of types.entries()) {
    if (t.kind === 'error') return;
    const a = iter.args[i];
    if (t.kind !== 'scalar' || !isInt(t.dtype)) {
      ctx.report('TSR2007', a?.span ?? iter.span, 'range', 'integer scalars', typeText(t), 'range(0, K)');
      return;
    }
    if (a && !isAbstractLiteral(a)) dtype = t.dtype;
  }
  if (s.vars.length !== 1) {
    ctx.report('TSR2023', s.span, s.vars.length, 'range(…)', '1 variable', 'a range loop has one variable: for i in range(0, K) { … }');
    return;
  }
  const v = s.vars[0];
  if (!v) return;
  const id = ctx.freshId(`${v.name}_`);
  ctx.loops.set(s, { kind: 'range', varId: id, dtype });
  ctx.pushScope();
  ctx.declare(v.name, { kind: 'rangeVar', name: v.name, id, type: makeValue(dtype, []), span: v.span }, v.span, true);
  ctx.nesting.push('a range loop');
  for (const st of s.body.stmts) checkStmt(ctx, st, mode, func);
  ctx.nesting.pop();
  ctx.popScope();
}

/** Whether every path through a func body ends in `return`. */
export function returnsOnEveryPath(block: Block): boolean {
  return block.stmts.some((s) => {
    if (s.kind === 'return') return true;
    if (s.kind === 'block') return returnsOnEveryPath(s);
    if (s.kind === 'if') {
      if (!s.otherwise) return false;
      const other = s.otherwise.kind === 'if' ? { kind: 'block' as const, stmts: [s.otherwise], span: s.span } : s.otherwise;
      return returnsOnEveryPath(s.then) && returnsOnEveryPath(other);
    }
    return false;
  });
}
