/**
 * The checker's entry point for a kernel. A kernel body has host code around exactly one
 * top-level tile or grid loop:
 *
 *   let out = empty([M, N], f32);     // host: allocate outputs
 *   for (tm, tn) in tile([M, N]) { … } // device: one workgroup per tile
 *   return out;                         // host: hand the outputs back
 *
 * A top-level grid loop (`for b in grid(B) { … }`) launches one program per index; when
 * its body is only `let`s and one tile or grid loop, that loop's tiles join the launch
 * grid too (launchNest).
 *
 * Parameters bind symbolic dims (`x: f32[M, N]` binds M and N); the device code is checked
 * by stmt.ts.
 */
import type { FnDecl, ForStmt, Span, Stmt } from '../ast.ts';
import { dimExprText } from '../ast.ts';
import { dimArithNames } from '../dim-arith.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { CheckedKernel, DimBinding, KernelParam } from './checked.ts';
import { CheckContext, newFuncEnv } from './context.ts';
import { typeExpr } from './expr.ts';
import { checkFor, parallelChild } from './stmt.ts';
import { declareBlockSize, isBlockSizeCall } from './block-size.ts';
import { ERROR, dimText, type Dim, type LoopInfo, type TensorInfo } from './types.ts';

export interface CheckResult {
  /** Present when the kernel has no errors (warnings allowed). */
  readonly kernel: CheckedKernel | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function checkKernel(fn: FnDecl, holes: readonly unknown[]): CheckResult {
  const ctx = new CheckContext(holes, newFuncEnv());
  const { params, dims } = declareParams(ctx, fn);
  const outputs: TensorInfo[] = [];
  let gridLoop: ForStmt | undefined;
  let tileLoopCount = 0;
  let returned = false;

  for (const s of fn.body.stmts) {
    if (s.kind === 'for' && isTileLoopAttempt(s)) {
      // A misspelt iterator (`tiles(N)`) is still meant as the tile loop: checkFor says
      // what is wrong with it, and it counts, so no "found 0 tile loops" follows.
      tileLoopCount++;
      if (tileLoopCount === 1) gridLoop = s;
      checkFor(ctx, s, 'host');
    } else if (s.kind === 'decl') {
      checkHostDecl(ctx, s);
    } else if (s.kind === 'return') {
      returned = true;
      checkReturn(ctx, fn, s, outputs);
    } else {
      ctx.report('TSR2015', s.span, describeStmt(s));
    }
  }
  if (tileLoopCount !== 1) ctx.report('TSR2014', tileLoopCount === 0 ? fn.nameSpan : fn.body.span, tileLoopCount);
  if (!returned && fn.results.length > 0) ctx.report('TSR2017', closingBrace(fn), fn.results.length, 0);
  // After an error, parts of the body went unchecked (a loop whose header is wrong, an
  // allocation that failed), so "never written" and "never used" would mostly be
  // follow-ups of that error rather than news: report them once the errors are fixed.
  const hasErrors = ctx.diagnostics.some((d) => d.severity === 'error');
  if (!hasErrors) {
    for (const o of outputs) {
      if (!ctx.written.has(o)) ctx.report('TSR2042', fn.nameSpan, o.name);
    }
    ctx.warnUnused();
  }
  const nest = gridLoop ? launchNest(ctx, gridLoop) : undefined;
  if (hasErrors || !gridLoop || !nest) return { kernel: undefined, diagnostics: ctx.diagnostics };
  return {
    diagnostics: ctx.diagnostics,
    kernel: {
      fn, name: fn.name, params, outputs, dims, derived: [...ctx.derived].map(([name, arith]) => ({ name, arith })), gridLoop, grid: nest.grid, blockSizes: ctx.blockSizes, body: nest.body,
      types: ctx.types, resolved: ctx.resolved, funcs: ctx.calledFuncs, loops: ctx.loops, decls: ctx.decls, slices: ctx.slices, indexBounds: ctx.indexBounds,
    },
  };
}

/**
 * The launch grid and one program's code: the top-level loop's loops, then, while the
 * loop is a grid loop whose body is `let`s and one tile or grid loop, that loop's too.
 * The program runs the lets (which only name values) and then the innermost body.
 */
function launchNest(ctx: CheckContext, top: ForStmt): { grid: LoopInfo[]; body: Stmt[] } | undefined {
  const grid: LoopInfo[] = [];
  const body: Stmt[] = [];
  for (let loop: ForStmt | undefined = top; loop;) {
    const shape = ctx.loops.get(loop);
    if (!shape || shape.kind === 'range') return undefined;
    grid.push(...shape.loops);
    const child: ForStmt | undefined = shape.kind === 'grid' ? parallelChild(loop.body) : undefined;
    body.push(...loop.body.stmts.filter((st) => st !== child));
    loop = child;
  }
  return { grid, body };
}

/** A top-level `for` over anything but range(…): meant as the tile (or grid) loop. */
function isTileLoopAttempt(s: ForStmt): boolean {
  return s.iter.callee.kind === 'hole' || s.iter.callee.name !== 'range';
}

function declareParams(ctx: CheckContext, fn: FnDecl): { params: KernelParam[]; dims: DimBinding[] } {
  const params: KernelParam[] = [];
  const dims: DimBinding[] = [];
  const seen = new Set<string>();
  let tensorIndex = 0;
  for (const [pi, p] of fn.params.entries()) {
    if (seen.has(p.name)) {
      ctx.report('TSR2036', p.span, p.name);
      continue;
    }
    seen.add(p.name);
    if (!p.type.dims) {
      params.push({ kind: 'scalar', name: p.name, dtype: p.type.dtype });
      ctx.declare(p.name, { kind: 'scalarParam', name: p.name, type: { kind: 'scalar', dtype: p.type.dtype }, span: p.span }, p.span, true);
      continue;
    }
    // The parser admits dim arithmetic in result types only: a parameter's dims are names or numbers.
    const tdims: Dim[] = p.type.dims.map((d) => (d.kind === 'constDim' ? { kind: 'const', value: d.value } : { kind: 'sym', name: dimExprText(d) }));
    const tensor: TensorInfo = { name: p.name, role: 'input', index: tensorIndex++, dtype: p.type.dtype, dims: tdims, zeroInit: false };
    params.push({ kind: 'tensor', tensor });
    for (const [axis, d] of p.type.dims.entries()) {
      if (d.kind !== 'symDim' || dims.some((b) => b.name === d.name)) continue;
      dims.push({ name: d.name, param: pi, axis });
      ctx.scope.declareHere(d.name, { kind: 'dim', name: d.name, span: d.span });
    }
    ctx.declare(p.name, { kind: 'tensor', tensor, span: p.span }, p.span, true);
  }
  // A result dim that no parameter binds has no size at call time. Report it where the
  // result type names it, then declare it anyway so that `empty([M], f32)` and
  // `tile(M)` do not each add an "unknown name" on top.
  for (const r of fn.results) {
    for (const d of r.dims ?? []) {
      if (d.kind === 'exprDim') {
        const unbound = dimArithNames(d.arith).filter((n) => !dims.some((b) => b.name === n) && ctx.scope.lookup(n)?.symbol.kind !== 'dim');
        for (const n of unbound) {
          ctx.report('TSR2026', d.span, n);
          // Declared anyway, as below, so that the allocation's `N + K` adds no "unknown name".
          if (!ctx.scope.lookup(n)) ctx.scope.declareHere(n, { kind: 'dim', name: n, span: d.span });
        }
        ctx.derived.set(d.text, d.arith);
        continue;
      }
      if (d.kind !== 'symDim' || dims.some((b) => b.name === d.name)) continue;
      const known = ctx.scope.lookup(d.name)?.symbol;
      if (known?.kind === 'dim') continue;
      ctx.report('TSR2026', d.span, d.name);
      if (!known) ctx.scope.declareHere(d.name, { kind: 'dim', name: d.name, span: d.span });
    }
  }
  return { params, dims };
}

function checkHostDecl(ctx: CheckContext, s: Stmt & { kind: 'decl' }): void {
  if (isBlockSizeCall(s.init)) return declareBlockSize(ctx, s, s.init, 'host');
  const t = typeExpr(ctx, s.init, 'host');
  if (t.kind !== 'tensor' || t.tensor.role !== 'output') {
    if (t.kind !== 'error') ctx.report('TSR2015', s.span, 'computing a value');
    // Still declare the name (with the error type, which silences follow-ups), so that
    // its uses do not each report "unknown name".
    ctx.declare(s.name, { kind: 'local', name: s.name, id: ctx.freshId(`${s.name}_`), mutable: false, type: ERROR, span: s.nameSpan }, s.nameSpan, false);
    return;
  }
  const tensor: TensorInfo = { ...t.tensor, name: s.name };
  const sym = { kind: 'tensor' as const, tensor, span: s.nameSpan };
  ctx.declare(s.name, sym, s.nameSpan, false);
  ctx.decls.set(s, sym);
}

function checkReturn(ctx: CheckContext, fn: FnDecl, s: Stmt & { kind: 'return' }, outputs: TensorInfo[]): void {
  const items = !s.value ? [] : s.value.kind === 'tuple' ? s.value.items : [s.value];
  if (items.length !== fn.results.length) {
    ctx.report('TSR2017', s.span, fn.results.length, items.length);
    return;
  }
  for (const [i, item] of items.entries()) {
    const sym = item.kind === 'ident' ? ctx.resolve(item) : undefined;
    if (sym?.kind === 'local' && sym.type.kind === 'error') continue;
    if (!sym || sym.kind !== 'tensor' || sym.tensor.role !== 'output') {
      ctx.report('TSR2018', item.span, item.kind === 'ident' ? `'${item.name}'` : 'this expression');
      continue;
    }
    const declared = fn.results[i];
    const tensor = sym.tensor;
    const declaredText = declared ? `${declared.dtype}[${(declared.dims ?? []).map(dimExprText).join(', ')}]` : '?';
    const actualText = `${tensor.dtype}[${tensor.dims.map(dimText).join(', ')}]`;
    if (declaredText !== actualText) ctx.report('TSR2019', item.span, i, declaredText, actualText);
    tensor.index = i;
    outputs.push(tensor);
  }
}

/** The body's closing `}`: where the missing `return` belongs. */
function closingBrace(fn: FnDecl): Span {
  const end = fn.body.span.end;
  return { start: { offset: end.offset - 1, line: end.line, col: Math.max(1, end.col - 1) }, end };
}

function describeStmt(s: Stmt): string {
  switch (s.kind) {
    case 'assign': return 'an assignment';
    case 'for': return 'a loop other than the top-level tile or grid loop';
    case 'if': return "'if'";
    case 'exprStmt': return 'an expression';
    case 'block': return 'a block';
    case 'decl': return 'a declaration';
    case 'return': return "'return'";
  }
}
