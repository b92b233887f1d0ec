/**
 * Typed AST statements → tile IR statements. `let` bindings are inlined (values are pure
 * trees), except a `let` that reads a `var`: it is snapshotted into a local, since the var
 * may change before the let is read.
 */
import type { AssignOp, Block, Stmt as AstStmt } from 'tessera-gpu-dsl/ast';
import { InternalCompilerError } from 'tessera-gpu-dsl/errors';
import type { BinaryOp, Stmt, Value } from '../ir/nodes.ts';
import { gatherValues, indexValues } from '../ir/walk.ts';
import { applyBinary, buildIndex, buildValue, coerce, fitToRank, vtypeOf } from './build-value.ts';
import type { BuildEnv } from './env.ts';
import { guardStore, guardedSubscripts } from './index-guard.ts';

const COMPOUND: Readonly<Record<Exclude<AssignOp, '='>, BinaryOp>> = {
  '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '&=': 'bitand', '|=': 'bitor', '^=': 'bitxor', '<<=': 'shl', '>>=': 'shr',
};

export function buildBlock(env: BuildEnv, block: Block | readonly AstStmt[]): Stmt[] {
  const stmts = 'stmts' in block ? block.stmts : block;
  const out: Stmt[] = [];
  for (const s of stmts) {
    const first = out.length;
    buildStmt(env, s, out);
    for (let i = first; i < out.length; i++) {
      const built = out[i];
      if (built && !built.span) out[i] = { ...built, span: s.span };
    }
  }
  return out;
}

function readsLocal(v: Value): boolean {
  switch (v.kind) {
    case 'local': return true;
    case 'const': case 'dim': case 'param': case 'gridIndex': case 'mat': case 'position': case 'tileBound': return false;
    case 'load': return indexValues(v.index).some(readsLocal);
    case 'gather': return gatherValues(v.index).some(readsLocal);
    case 'unary': case 'cast': case 'transpose': case 'view': return readsLocal(v.x);
    case 'fill': return readsLocal(v.value);
    case 'binary': case 'dot': return readsLocal(v.a) || readsLocal(v.b);
    case 'select': return readsLocal(v.cond) || readsLocal(v.a) || readsLocal(v.b);
    case 'call': return v.args.some(readsLocal);
    case 'reduce': case 'scan': return readsLocal(v.x);
  }
}

function buildStmt(env: BuildEnv, s: AstStmt, out: Stmt[]): void {
  switch (s.kind) {
    case 'decl': {
      const sym = env.body.decls.get(s);
      // `let bd = block_size(D)` declares a config knob: nothing runs (block-size.ts in the checker).
      if (sym?.kind === 'blockSize') return;
      if (!sym || sym.kind !== 'local') throw new InternalCompilerError(`building IR: declaration of '${s.name}'`);
      const init = buildValue(env, s.init);
      if (!s.mutable && !readsLocal(init)) {
        env.lets.set(sym.id, init);
        return;
      }
      out.push({ kind: 'declare', id: sym.id, name: s.name, init });
      return;
    }
    case 'assign': {
      const target = s.target;
      let rhs = buildValue(env, s.value);
      if (target.kind === 'ident') {
        const sym = env.body.resolved.get(target);
        if (!sym || sym.kind !== 'local') throw new InternalCompilerError(`building IR: assignment to '${target.name}'`);
        const type = vtypeOf(env.body, target);
        rhs = fitToRank(rhs, type.axes.length);
        const current: Value = { kind: 'local', id: sym.id, type };
        const value = s.op === '=' ? coerce(rhs, type.dtype) : applyBinary(COMPOUND[s.op], current, rhs, { dtype: type.dtype, axes: type.axes });
        out.push({ kind: 'assign', id: sym.id, value });
        return;
      }
      if (target.kind !== 'index') throw new InternalCompilerError('building IR: assignment target');
      const tensor = env.tensorOf(target.base);
      const index = buildIndex(env, target);
      const type = vtypeOf(env.body, target);
      rhs = fitToRank(rhs, type.axes.length);
      // A moved or sliced subscript reads back through a masked gather (build-shift.ts).
      const current: Value = index.some((i) => i.kind === 'shifted' || i.kind === 'slice') ? buildValue(env, target) : { kind: 'load', tensor, index, type };
      const value = s.op === '=' ? coerce(rhs, type.dtype) : applyBinary(COMPOUND[s.op], current, rhs, type);
      out.push(guardStore({ kind: 'store', tensor, index, value, atomic: false }, guardedSubscripts(env, target, tensor, index)));
      return;
    }
    case 'exprStmt': {
      const e = s.expr;
      if (e.kind === 'call' && e.callee.kind === 'named' && e.callee.name === 'atomic_add') {
        const [target, v] = e.args;
        if (target?.kind === 'index' && v) {
          const type = vtypeOf(env.body, target);
          const tensor = env.tensorOf(target.base);
          const index = buildIndex(env, target);
          const store = { kind: 'store', tensor, index, value: coerce(fitToRank(buildValue(env, v), type.axes.length), type.dtype), atomic: true } as const;
          out.push(guardStore(store, guardedSubscripts(env, target, tensor, index)));
          return;
        }
      }
      throw new InternalCompilerError('building IR: expression statement');
    }
    case 'for': {
      const shape = env.body.loops.get(s);
      if (!shape) throw new InternalCompilerError('building IR: unchecked loop');
      // Grid loops only form the launch grid (build-kernel.ts); the checker allows no other.
      if (shape.kind === 'grid') throw new InternalCompilerError('building IR: a grid loop inside a program');
      if (shape.kind === 'range') {
        const [a, b] = s.iter.args;
        const lo: Value = b && a ? buildValue(env, a) : { kind: 'const', type: { dtype: shape.dtype, axes: [] }, value: 0 };
        const hiExpr = b ?? a;
        if (!hiExpr) throw new InternalCompilerError('building IR: range bounds');
        const bounds = { lo: coerce(lo, shape.dtype), hi: coerce(buildValue(env, hiExpr), shape.dtype) };
        env.ranges.set(shape.varId, bounds);
        out.push({ kind: 'rangeLoop', id: shape.varId, dtype: shape.dtype, ...bounds, body: buildBlock(env, s.body) });
        return;
      }
      // Several variables in one nested `for` nest as loops in the order written.
      let body = buildBlock(env, s.body);
      for (const loop of [...shape.loops].reverse()) body = [{ kind: 'tileLoop', loop, body }];
      out.push(...body);
      return;
    }
    case 'if': {
      const otherwise = !s.otherwise ? [] : s.otherwise.kind === 'if' ? buildBlock(env, [s.otherwise]) : buildBlock(env, s.otherwise);
      out.push({ kind: 'if', cond: buildValue(env, s.cond), then: buildBlock(env, s.then), otherwise });
      return;
    }
    case 'block':
      out.push(...buildBlock(env, s));
      return;
    case 'return':
      if (s.value) out.push({ kind: 'return', value: buildValue(env, s.value) });
      return;
  }
}
