/**
 * Device functions: `func` templates called from kernels (or from other funcs) through a
 * `${…}` hole. A func is written on scalars and applied to tiles element by element. It
 * is checked once per set of argument dtypes, in its own context (its diagnostics refer
 * to its own source), and the result is cached.
 */
import type { Call, FnDecl, ScalarType, TypeExpr } from '../ast.ts';
import { dimExprText } from '../ast.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { BROADCAST_HINT, broadcastAxes } from './broadcast.ts';
import type { CheckedFunc } from './checked.ts';
import { CheckContext } from './context.ts';
import type { Mode } from './expr.ts';
import { checkBlock, fitsDtype, returnsOnEveryPath } from './stmt.ts';
import { reportLiteralMisfit } from './literal-range.ts';
import { ERROR, makeValue, shapeText, typeText, valueShape, type Axis, type Type } from './types.ts';

/** The shape of what `func\`…\`` produces, as far as the checker needs it. */
export interface FuncLike {
  readonly kind: 'func';
  readonly name: string;
  readonly ast: FnDecl | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly holes: readonly unknown[];
}

export function isFuncLike(v: unknown): v is FuncLike {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'func' && 'ast' in v;
}

export function checkFuncCall(ctx: CheckContext, e: Call, argTypes: readonly Type[], _mode: Mode): Type {
  if (e.callee.kind !== 'hole') return ERROR;
  const fdef = ctx.holes[e.callee.hole];
  if (!isFuncLike(fdef)) return ERROR; // the parser already reported the hole
  const name = fdef.name;
  const firstError = fdef.diagnostics.find((d) => d.severity === 'error');
  if (!fdef.ast || firstError) {
    ctx.report('TSR2032', e.callee.span, name);
    return ERROR;
  }
  const params = fdef.ast.params;
  if (params.length !== e.args.length) {
    ctx.report('TSR2031', e.span, name, params.length, e.args.length);
    return ERROR;
  }
  let axes: readonly Axis[] = [];
  const argDtypes: ScalarType[] = [];
  for (const [i, p] of params.entries()) {
    const t = argTypes[i];
    const arg = e.args[i];
    const v = t ? valueShape(t) : undefined;
    if (!v || !arg) {
      ctx.report('TSR2007', arg?.span ?? e.span, name, `a scalar or tile for '${p.name}'`, t ? typeText(t) : '?',
        t?.kind === 'tensor' ? `pass a tile of the tensor, e.g. ${arg?.kind === 'ident' ? arg.name : 'x'}[tm]` : 'pass a scalar or a tile');
      return ERROR;
    }
    if (p.type.dims) {
      // Reported at the call: the span of the parameter is in the func's own source.
      ctx.report('TSR2033', e.callee.span, `parameter '${p.name}' of '${name}'`, `a tensor (${typeExprText(p.type)})`);
      return ERROR;
    }
    if (!fitsDtype(arg, v.dtype, p.type.dtype)) {
      ctx.report('TSR2007', arg.span, name, `${p.type.dtype} for '${p.name}'`, typeText(t ?? ERROR), `convert with ${p.type.dtype}(…)`);
      return ERROR;
    }
    if (reportLiteralMisfit(ctx, arg, p.type.dtype)) return ERROR;
    argDtypes.push(p.type.dtype);
    const b = broadcastAxes(axes, v.axes);
    if (!b.ok) {
      ctx.report('TSR2005', e.span, shapeText(axes), shapeText(v.axes), b.why, BROADCAST_HINT);
      return ERROR;
    }
    axes = b.axes;
  }
  const checked = checkFunc(ctx, fdef, e);
  if (!checked) return ERROR;
  ctx.calledFuncs.set(e.callee, checked);
  return makeValue(checked.result, axes);
}

function checkFunc(ctx: CheckContext, fdef: FuncLike, call: Call): CheckedFunc | undefined {
  const fn = fdef.ast;
  if (!fn) return undefined;
  const env = ctx.funcEnv;
  const sigKey = fn.params.map((p) => p.type.dtype).join(',');
  const cached = env.cache.get(fdef)?.get(sigKey);
  if (cached) return cached;
  if (env.stack.some((f) => f.def === fdef)) {
    ctx.report('TSR2030', call.callee.span, fn.name, [...env.stack.map((f) => f.name), fn.name].join(' → '));
    return undefined;
  }
  const result = fn.results[0];
  if (fn.results.length !== 1 || !result || result.dims) {
    const what = fn.results.length > 1 ? `${fn.results.length} results` : result ? `a tensor (${typeExprText(result)})` : 'missing';
    ctx.report('TSR2033', call.callee.span, `the result of '${fn.name}'`, what);
    return undefined;
  }
  env.stack.push({ def: fdef, name: fn.name });
  const fctx = new CheckContext(fdef.holes, env);
  const params = fn.params.map((p) => {
    const id = fctx.freshId(`${p.name}_`);
    fctx.declare(p.name, { kind: 'local', name: p.name, id, mutable: false, type: { kind: 'scalar', dtype: p.type.dtype }, span: p.span }, p.span, false);
    return { name: p.name, dtype: p.type.dtype, id };
  });
  checkBlock(fctx, fn.body, 'func', { result: result.dtype });
  if (!returnsOnEveryPath(fn.body)) fctx.report('TSR2034', fn.nameSpan, fn.name);
  env.stack.pop();
  const errors = fctx.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) fctx.warnUnused();
  // The func's diagnostics point into the func's own source, which the caller's
  // formatter does not have: re-point them at the call, keeping the code, and say where
  // in the func they are.
  for (const d of fctx.diagnostics) {
    const at = d.span.start;
    ctx.add({ ...d, message: `in func '${fn.name}' (${at.line}:${at.col}): ${d.message}`, span: call.callee.span });
  }
  if (errors.length > 0) return undefined;
  const checked: CheckedFunc = {
    fn, name: fn.name, key: `${fn.name}_${env.nextKey++}`, params, result: result.dtype,
    types: fctx.types, resolved: fctx.resolved, funcs: fctx.calledFuncs, loops: fctx.loops, decls: fctx.decls, slices: fctx.slices, indexBounds: fctx.indexBounds,
  };
  let bySig = env.cache.get(fdef);
  if (!bySig) env.cache.set(fdef, (bySig = new Map()));
  bySig.set(sigKey, checked);
  return checked;
}

function typeExprText(t: TypeExpr): string {
  const dims = t.dims?.map(dimExprText);
  return dims ? `${t.dtype}[${dims.join(', ')}]` : t.dtype;
}
