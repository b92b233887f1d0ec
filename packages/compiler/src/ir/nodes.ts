/**
 * The tile IR: what a checked kernel becomes before lowering to a backend (WGSL, or the
 * interpreter's JavaScript). Readonly plain data; each node has a string `kind`.
 *
 * Values are expression trees over tiles. A value's `type` gives its element dtype and
 * its axes; a value with no axes is a scalar, uniform across the workgroup. Values are
 * pure and may be evaluated at any element, any number of times: `let` bindings are
 * inlined, so `exp(x - m)` used twice is computed twice. Reductions, scans and `@` are
 * the exception: the `hoistMaterializations` pass turns each into a `materialize`
 * statement (computed once, into workgroup memory or registers) read back through a
 * `mat` value.
 *
 * Statements run in order, once per tile of the launch grid (one workgroup per tile on
 * WebGPU).
 */
import type { Axis, DerivedDim, Dim, IndexBound, LoopInfo } from 'tessera-gpu-dsl/check';
import type { Span } from 'tessera-gpu-dsl/ast';

export type { Axis, DerivedDim, Dim, IndexBound, LoopInfo };
export type DType = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

export interface VType {
  readonly dtype: DType;
  /** Empty for a scalar. */
  readonly axes: readonly Axis[];
}

/** A tensor in global memory: a kernel input or an output. */
export interface TensorRef {
  readonly name: string;
  readonly role: 'input' | 'output';
  /** Position among inputs (tensor parameters only) or among outputs. */
  readonly index: number;
  readonly dtype: DType;
  readonly dims: readonly Dim[];
  readonly zeroInit: boolean;
  /** Where the kernel source declares it: its parameter, or the host `let` that allocates it. */
  readonly span?: Span;
}

/**
 * One subscript of a load or store: a tile variable's block, a whole dim, or a scalar.
 * Only in a store (a read of these is built as a masked gather, build-shift.ts):
 * - `shifted`: a block moved by an i32 scalar (`out[tm, A + tn]`: position `by` + the
 *   block's);
 * - `slice`: a bounded slice (`out[tm, A:A + B]`), a whole axis of `extent` elements at
 *   positions `from` + coordinate;
 * - `tile`: an integer index tile (a scatter, `out[ids[tt], :]`), read at the store's
 *   coordinates of the axes it has (ir/store-shape.ts).
 * Positions of these outside the tensor's dim are skipped.
 */
export type IndexItem =
  | { readonly kind: 'block'; readonly loop: LoopInfo }
  | { readonly kind: 'shifted'; readonly loop: LoopInfo; readonly by: Value }
  | { readonly kind: 'full' }
  | { readonly kind: 'slice'; readonly from: Value; readonly extent: Dim }
  | { readonly kind: 'tile'; readonly value: Value }
  | { readonly kind: 'scalar'; readonly value: Value };

/**
 * One subscript of a gather: the coordinate of one of the result's axes (a tile variable's
 * block: offset + coordinate; ':': the coordinate), a scalar, or an integer tile whose
 * axes are result axes `axes` (it is read at those coordinates). Tile values are clamped
 * into the dim; a gather from an empty dim reads 0. An axis with `by` (a bounded slice,
 * `x[tm, a:b]`: `by` is `a`) is at the coordinate plus `by`, and reads 0 where that
 * position is outside the dim.
 */
export type GatherIndex =
  | { readonly kind: 'axis'; readonly axis: number; readonly by?: Value }
  | { readonly kind: 'scalar'; readonly value: Value }
  | { readonly kind: 'tile'; readonly value: Value; readonly axes: readonly number[] };

export type UnaryOp =
  | 'neg' | 'not' | 'abs' | 'bitnot'
  | 'exp' | 'exp2' | 'log' | 'log2' | 'sqrt' | 'rsqrt' | 'sin' | 'cos' | 'tan' | 'tanh'
  | 'sigmoid' | 'erf' | 'floor' | 'ceil' | 'round';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow' | 'min' | 'max'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or'
  /**
   * Bitwise, on i32/u32 (operands and result of one dtype). Shifts take their amount mod
   * 32, as WGSL does; `shr` is arithmetic on i32 and logical on u32.
   */
  | 'bitand' | 'bitor' | 'bitxor' | 'shl' | 'shr';

export type TileBound = 'begin' | 'end' | 'block_size';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'argmax' | 'argmin';

export type Value =
  | { readonly kind: 'const'; readonly type: VType; readonly value: number | boolean }
  /** A symbolic dim's runtime size (i32 scalar). */
  | { readonly kind: 'dim'; readonly name: string; readonly type: VType }
  /** A scalar kernel parameter. */
  | { readonly kind: 'param'; readonly name: string; readonly type: VType }
  /** The program's index along a grid loop (`b` in `for b in grid(B)`): an i32 scalar, uniform per workgroup. */
  | { readonly kind: 'gridIndex'; readonly loop: LoopInfo; readonly type: VType }
  /** The current value of a local: a `var`, a `let` snapshot, a range-loop variable, a func parameter. */
  | { readonly kind: 'local'; readonly id: string; readonly type: VType }
  | { readonly kind: 'load'; readonly tensor: TensorRef; readonly index: readonly IndexItem[]; readonly type: VType }
  /** A tensor read indexed by integer tiles: `table[ids[tt], :]` is [tt, :D]. */
  | { readonly kind: 'gather'; readonly tensor: TensorRef; readonly index: readonly GatherIndex[]; readonly type: VType }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly x: Value; readonly type: VType }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: Value; readonly b: Value; readonly type: VType }
  | { readonly kind: 'select'; readonly cond: Value; readonly a: Value; readonly b: Value; readonly type: VType }
  | { readonly kind: 'cast'; readonly x: Value; readonly type: VType }
  /**
   * A 2-D tile with its axes swapped: element (i, j) is x's (j, i); of a 3-D tile, the last
   * two axes swap (element (b, i, j) is x's (b, j, i)). Elementwise: it only moves coordinates.
   */
  | { readonly kind: 'transpose'; readonly x: Value; readonly type: VType }
  /**
   * The same elements with unit axes added or removed (`m[:, None]`, squeeze, reshape):
   * x's axis i reads the result's coordinate `from[i]`, or 0 where `from[i]` is -1 (a
   * unit axis the view removed). Elementwise, like transpose.
   */
  | { readonly kind: 'view'; readonly x: Value; readonly from: readonly number[]; readonly type: VType }
  /** `tn.index`: an i32 tile along the loop's block axis, each element its position in the dim (tile offset + coordinate). */
  | { readonly kind: 'position'; readonly loop: LoopInfo; readonly type: VType }
  /**
   * An i32 scalar about the loop's current tile: `begin` (its offset), `end` (one past its
   * last valid position: min(begin + block, dim)), `block_size` (the block).
   */
  | { readonly kind: 'tileBound'; readonly loop: LoopInfo; readonly bound: TileBound; readonly type: VType }
  /** A scalar broadcast to a tile shape (zeros, full). */
  | { readonly kind: 'fill'; readonly value: Value; readonly type: VType }
  | { readonly kind: 'call'; readonly func: FuncIR; readonly args: readonly Value[]; readonly type: VType }
  /** Reduce along `axis`; `axis: 'all'` reduces every axis. */
  | { readonly kind: 'reduce'; readonly op: ReduceOp; readonly x: Value; readonly axis: number | 'all'; readonly keepdim: boolean; readonly type: VType }
  | { readonly kind: 'scan'; readonly op: 'cumsum'; readonly x: Value; readonly axis: number; readonly type: VType }
  /**
   * Matrix product of two 2-D tiles, accumulated in f32 (or a batch of them, 3-D tiles
   * [b, m, k] @ [b, k, n], which lowerBatchedDot turns into 2-D products before any backend
   * sees it). With `acc` (same type as the
   * result) the value is `acc + a @ b`, as Triton's `tl.dot(a, b, acc)`; the
   * fuseDotAccumulate pass sets it so the product accumulates into the accumulator.
   */
  | { readonly kind: 'dot'; readonly a: Value; readonly b: Value; readonly acc?: Value; readonly type: VType }
  /** The result of a `materialize` statement. */
  | { readonly kind: 'mat'; readonly id: string; readonly type: VType };

/**
 * A statement, with the span of the source statement it was built from (statements the
 * passes add take the span of the one they serve), so a backend that cannot lower it can
 * say where it is.
 */
export type Stmt = StmtNode & { readonly span?: Span };

type StmtNode =
  /** Declares a mutable local (a `var`, or a `let` that must be snapshotted) and sets it. */
  | { readonly kind: 'declare'; readonly id: string; readonly name: string; readonly init: Value }
  | { readonly kind: 'assign'; readonly id: string; readonly value: Value }
  /** Writes `value` (broadcast to the indexed shape) into a tensor; ragged edges are masked. */
  | { readonly kind: 'store'; readonly tensor: TensorRef; readonly index: readonly IndexItem[]; readonly value: Value; readonly atomic: boolean }
  /** A nested tile loop: runs its body once per block of `loop.dim`, in order. */
  | { readonly kind: 'tileLoop'; readonly loop: LoopInfo; readonly body: readonly Stmt[] }
  | { readonly kind: 'rangeLoop'; readonly id: string; readonly dtype: DType; readonly lo: Value; readonly hi: Value; readonly body: readonly Stmt[] }
  | { readonly kind: 'if'; readonly cond: Value; readonly then: readonly Stmt[]; readonly otherwise: readonly Stmt[] }
  /** Computes a reduction, scan or dot once; later `mat` values with the same id read it. */
  | { readonly kind: 'materialize'; readonly id: string; readonly value: Value }
  /** Only in func bodies. */
  | { readonly kind: 'return'; readonly value: Value };

/** A device function (`func`), specialised for its argument dtypes. Scalar only. */
export interface FuncIR {
  readonly key: string;
  readonly name: string;
  readonly params: readonly { readonly id: string; readonly name: string; readonly dtype: DType }[];
  readonly result: DType;
  readonly body: readonly Stmt[];
}

export type KernelParamIR =
  | { readonly kind: 'tensor'; readonly tensor: TensorRef }
  | { readonly kind: 'scalar'; readonly name: string; readonly dtype: DType };

export interface KernelIR {
  readonly name: string;
  readonly params: readonly KernelParamIR[];
  readonly outputs: readonly TensorRef[];
  /** Where each symbolic dim comes from: params[param].shape[axis]. */
  readonly dims: readonly { readonly name: string; readonly param: number; readonly axis: number }[];
  /**
   * Dims computed from `dims` when the kernel is called (`A + B` in `f32[M, A + B]`): each
   * is a symbolic dim named by its expression's text, read like any other dim.
   */
  readonly derivedDims: readonly DerivedDim[];
  /**
   * Scalar subscripts made of dims and literals (`x[N - 1]`): checked against the sizes
   * when the kernel is called, so every backend may address them unguarded. Other scalar
   * subscripts that may fall outside their dim are built as guarded reads and writes
   * (build/index-guard.ts).
   */
  readonly indexBounds: readonly IndexBound[];
  /**
   * The launch grid: one workgroup per combination of these loops' blocks. Tile loops
   * (`iter: 'tile'`) and grid loops (`iter: 'grid'`, always block 1: one program per index).
   */
  readonly grid: readonly LoopInfo[];
  /** Every tile loop, grid and nested, for config knobs (grid loops have none). */
  readonly loops: readonly LoopInfo[];
  readonly body: readonly Stmt[];
  readonly funcs: readonly FuncIR[];
}
