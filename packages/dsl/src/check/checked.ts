/**
 * What the checker hands the compiler: the AST plus everything the checker learnt about
 * it. The compiler trusts this (it never re-derives a type), so every expression of a
 * kernel without errors has an entry in `types`.
 */
import type { Callee, Expr, FnDecl, ForStmt, Ident, IndexItem, ScalarType, Stmt, VarDecl } from '../ast.ts';
import type { DerivedDim } from '../dim-arith.ts';
import type { SymbolInfo } from './context.ts';
import type { IndexBound } from './index-bounds.ts';
import type { Dim, LoopInfo, TensorInfo, Type } from './types.ts';

export type KernelParam =
  | { readonly kind: 'tensor'; readonly tensor: TensorInfo }
  | { readonly kind: 'scalar'; readonly name: string; readonly dtype: ScalarType };

/** Where a symbolic dim's value comes from at call time: `params[param].shape[axis]`. */
export interface DimBinding {
  readonly name: string;
  readonly param: number;
  readonly axis: number;
}

/** A `for` statement: a tile or grid loop (one LoopInfo per variable) or a scalar range loop. */
export type LoopShape =
  | { readonly kind: 'tile'; readonly loops: readonly LoopInfo[] }
  | { readonly kind: 'grid'; readonly loops: readonly LoopInfo[] }
  | { readonly kind: 'range'; readonly varId: string; readonly dtype: ScalarType };

export interface CheckedBody {
  readonly types: ReadonlyMap<Expr, Type>;
  readonly resolved: ReadonlyMap<Ident, SymbolInfo>;
  readonly funcs: ReadonlyMap<Callee, CheckedFunc>;
  readonly loops: ReadonlyMap<ForStmt, LoopShape>;
  readonly decls: ReadonlyMap<VarDecl, SymbolInfo>;
  /** The extent of each bounded slice (`x[a:b]`): a whole axis of that dim (slice.ts). */
  readonly slices: ReadonlyMap<IndexItem, Dim>;
  /**
   * Scalar subscripts made of dims and literals (index-bounds.ts): the runtime checks them
   * against the sizes when the kernel is called, so they are in range while it runs.
   */
  readonly indexBounds: ReadonlyMap<Expr, IndexBound>;
}

export interface CheckedKernel extends CheckedBody {
  readonly fn: FnDecl;
  readonly name: string;
  /** Parameters in declared order. */
  readonly params: readonly KernelParam[];
  readonly outputs: readonly TensorInfo[];
  readonly dims: readonly DimBinding[];
  /** Dims computed from `dims` when the kernel is called (`A + B` in `f32[M, A + B]`). */
  readonly derived: readonly DerivedDim[];
  /** The top-level tile or grid loop. */
  readonly gridLoop: ForStmt;
  /**
   * The launch grid: the loops of the top-level loop and, while a grid loop's body is
   * only `let`s and one tile or grid loop, that loop's too (see launchNest in kernel.ts).
   */
  readonly grid: readonly LoopInfo[];
  /** Block sizes declared with `let bd = block_size(D)`: config knobs, used by loops or not. */
  readonly blockSizes: readonly LoopInfo[];
  /** The code of one program (workgroup): the innermost grid loop's body, after the lets before it. */
  readonly body: readonly Stmt[];
}

/** A `func` device function, checked for the argument dtypes it is called with. */
export interface CheckedFunc extends CheckedBody {
  readonly fn: FnDecl;
  readonly name: string;
  /** Unique per (func, parameter dtypes): the name its code is emitted under. */
  readonly key: string;
  readonly params: readonly { readonly name: string; readonly dtype: ScalarType; readonly id: string }[];
  readonly result: ScalarType;
}
