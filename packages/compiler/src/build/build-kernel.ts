/**
 * A checked kernel → its tile IR (before passes). The launch nest (the top-level tile or
 * grid loop, and the loops a grid loop's body consists of) becomes the grid; one
 * program's code becomes the IR body; host code has already been summarised by the
 * checker (outputs, dims).
 */
import type { Callee, Expr, Span } from 'tessera-gpu-dsl/ast';
import type { CheckedBody, CheckedFunc, CheckedKernel, LoopInfo, TensorInfo } from 'tessera-gpu-dsl/check';
import { InternalCompilerError } from 'tessera-gpu-dsl/errors';
import type { FuncIR, KernelIR, Stmt, TensorRef } from '../ir/nodes.ts';
import { buildBlock } from './build-stmt.ts';
import { outputsToZeroFill } from './zero-fill.ts';
import type { BuildEnv } from './env.ts';

export function buildKernelIR(k: CheckedKernel): KernelIR {
  const spans = declarationSpans(k);
  // Writable while the IR is built (zeroInit is settled last, see below), readonly after.
  const refs = new Map<TensorInfo, { -readonly [K in keyof TensorRef]: TensorRef[K] }>();
  const refOf = (t: TensorInfo): TensorRef => {
    let r = refs.get(t);
    if (!r) {
      const span = spans.get(t);
      r = { name: t.name, role: t.role, index: t.index, dtype: t.dtype, dims: t.dims, zeroInit: t.zeroInit, ...(span ? { span } : {}) };
      refs.set(t, r);
    }
    return r;
  };
  const funcs = new Map<string, FuncIR>();
  // Registered before the func that first calls it, as user funcs are.
  const useFunc = (f: FuncIR): void => {
    if (!funcs.has(f.key)) funcs.set(f.key, f);
  };
  const funcFor = (checked: CheckedFunc): FuncIR => {
    const existing = funcs.get(checked.key);
    if (existing) return existing;
    const env = makeEnv(checked, refOf, funcFor, useFunc);
    const ir: FuncIR = { key: checked.key, name: checked.name, params: checked.params, result: checked.result, body: buildBlock(env, checked.fn.body) };
    funcs.set(checked.key, ir);
    return ir;
  };
  const env = makeEnv(k, refOf, funcFor, useFunc);
  const body = buildBlock(env, k.body);
  // Decided on the built IR, then set on the refs before anyone sees them: every load and
  // store shares its output's ref, so one write updates all of them.
  const zeroFill = outputsToZeroFill(body, [...funcs.values()], k.outputs.map(refOf));
  for (const ref of refs.values()) if (zeroFill.has(ref)) ref.zeroInit = true;
  return {
    name: k.name,
    params: k.params.map((p) => (p.kind === 'tensor' ? { kind: 'tensor', tensor: refOf(p.tensor) } : p)),
    outputs: k.outputs.map(refOf),
    dims: k.dims,
    derivedDims: k.derived,
    indexBounds: [...k.indexBounds.values()],
    grid: k.grid,
    // Grid loops have no block to choose: they are not config knobs. A declared block size
    // is one, whether or not a loop uses it; loops sharing it appear once.
    loops: [...new Set([...k.grid.filter((l) => l.iter === 'tile'), ...nestedLoops(body), ...k.blockSizes])],
    body,
    funcs: [...funcs.values()],
  };
}

/** Where each tensor is declared: a parameter's span, or the name of the host `let` that allocates an output. */
function declarationSpans(k: CheckedKernel): Map<TensorInfo, Span> {
  const spans = new Map<TensorInfo, Span>();
  for (const p of k.params) {
    const decl = p.kind === 'tensor' ? k.fn.params.find((q) => q.name === p.tensor.name) : undefined;
    if (p.kind === 'tensor' && decl) spans.set(p.tensor, decl.span);
  }
  for (const sym of k.decls.values()) if (sym.kind === 'tensor') spans.set(sym.tensor, sym.span);
  return spans;
}

function makeEnv(
  body: CheckedBody,
  refOf: (t: TensorInfo) => TensorRef,
  funcFor: (f: CheckedFunc) => FuncIR,
  useFunc: (f: FuncIR) => void,
): BuildEnv {
  return {
    body,
    useFunc,
    lets: new Map(),
    ranges: new Map(),
    tensorOf(base: Expr): TensorRef {
      const sym = base.kind === 'ident' ? body.resolved.get(base) : undefined;
      if (sym?.kind !== 'tensor') throw new InternalCompilerError('building IR: indexed value is not a tensor');
      return refOf(sym.tensor);
    },
    funcFor(callee: Callee): FuncIR {
      const f = body.funcs.get(callee);
      if (!f) throw new InternalCompilerError(`building IR: unchecked func '${callee.kind === 'hole' ? callee.name : ''}'`);
      return funcFor(f);
    },
  };
}

function nestedLoops(stmts: readonly Stmt[]): LoopInfo[] {
  const out: LoopInfo[] = [];
  for (const s of stmts) {
    if (s.kind === 'tileLoop') out.push(s.loop, ...nestedLoops(s.body));
    else if (s.kind === 'rangeLoop') out.push(...nestedLoops(s.body));
    else if (s.kind === 'if') out.push(...nestedLoops(s.then), ...nestedLoops(s.otherwise));
  }
  return out;
}
