/**
 * The checker's types. A value in a kernel is one of:
 * - a scalar (uniform across the workgroup: literals, scalar params, dims, range vars),
 * - a tile: a block of elements whose axes say where each dimension comes from
 *   (a tile loop's block, a whole dimension taken with `:`, or a broadcast unit axis),
 * - a tensor in global memory (a parameter or an output allocated by host code),
 * - a tile loop variable (`tm`), which only indexes tensors,
 * - and a few compile-time-only kinds (dtypes, shape lists).
 */
import type { ScalarType } from '../ast.ts';

export type Dim =
  | { readonly kind: 'sym'; readonly name: string }
  | { readonly kind: 'const'; readonly value: number };

/**
 * A tile loop `for tm in tile(M)`, or a grid loop `for b in grid(B)` (one program per
 * index: a tile loop whose block is always 1, its variable an i32 scalar); `id` is
 * unique within a kernel.
 */
export interface LoopInfo {
  readonly id: string;
  /** The variable's name as written (`tm`). */
  readonly name: string;
  readonly dim: Dim;
  /** Fixed by `block=` in the source; otherwise the config chooses. */
  readonly fixedBlock: number | undefined;
  /** Top-level loops form the launch grid; nested ones run sequentially in a workgroup. */
  readonly level: 'grid' | 'nested';
  /** `tile(…)` or `grid(…)`; grid loops are always part of the launch grid, with block 1. */
  readonly iter: 'tile' | 'grid';
  /**
   * Declared by `let bd = block_size(D)` (block-size.ts), and shared by every loop written
   * `tile(D, block=bd)`: its block axis also appears outside those loops (`zeros([tm, bd])`),
   * where it reads as the first tile (offset 0, `min(block, D)` valid elements).
   */
  readonly blockSize?: true;
}

export type Axis =
  | { readonly kind: 'block'; readonly loop: LoopInfo }
  | { readonly kind: 'full'; readonly dim: Dim }
  | { readonly kind: 'unit' };

export type Type =
  | { readonly kind: 'scalar'; readonly dtype: ScalarType }
  | { readonly kind: 'tile'; readonly dtype: ScalarType; readonly axes: readonly Axis[] }
  | { readonly kind: 'tensor'; readonly dtype: ScalarType; readonly dims: readonly Dim[]; readonly tensor: TensorInfo }
  | { readonly kind: 'loopVar'; readonly loop: LoopInfo }
  | { readonly kind: 'dtype'; readonly dtype: ScalarType }
  | { readonly kind: 'shape'; readonly axes: readonly Axis[]; readonly dims: readonly Dim[] | undefined }
  | { readonly kind: 'void' }
  /** The type of an expression that already produced a diagnostic: silences follow-ups. */
  | { readonly kind: 'error' };

/** A tensor in global memory. */
export interface TensorInfo {
  readonly name: string;
  readonly role: 'input' | 'output';
  /** Parameter position (inputs) or result position (outputs, assigned at `return`). */
  index: number;
  readonly dtype: ScalarType;
  readonly dims: readonly Dim[];
  /** The buffer starts zero-filled: allocated with zeros(), or accumulated into with atomics. */
  zeroInit: boolean;
}

export const ERROR: Type = { kind: 'error' };

export function dimEquals(a: Dim, b: Dim): boolean {
  return a.kind === 'sym' ? b.kind === 'sym' && a.name === b.name : b.kind === 'const' && a.value === b.value;
}

export function dimText(d: Dim): string {
  return d.kind === 'sym' ? d.name : String(d.value);
}

export function axisEquals(a: Axis, b: Axis): boolean {
  if (a.kind === 'block') return b.kind === 'block' && a.loop.id === b.loop.id;
  if (a.kind === 'full') return b.kind === 'full' && dimEquals(a.dim, b.dim);
  return b.kind === 'unit';
}

export function axisText(a: Axis): string {
  switch (a.kind) {
    case 'block': return a.loop.name;
    case 'full': return `:${dimText(a.dim)}`;
    case 'unit': return '1';
  }
}

export function shapeText(axes: readonly Axis[]): string {
  return `[${axes.map(axisText).join(', ')}]`;
}

export function typeText(t: Type): string {
  switch (t.kind) {
    case 'scalar': return t.dtype;
    case 'tile': return `${t.dtype} tile ${shapeText(t.axes)}`;
    case 'tensor': return `${t.dtype}[${t.dims.map(dimText).join(', ')}] tensor`;
    case 'loopVar': return `tile index '${t.loop.name}'`;
    case 'dtype': return `dtype ${t.dtype}`;
    case 'shape': return `shape ${shapeText(t.axes)}`;
    case 'void': return 'nothing';
    case 'error': return '<error>';
  }
}

/** Element type and axes of a scalar or tile value; undefined for other kinds. */
export function valueShape(t: Type): { dtype: ScalarType; axes: readonly Axis[] } | undefined {
  if (t.kind === 'scalar') return { dtype: t.dtype, axes: [] };
  if (t.kind === 'tile') return { dtype: t.dtype, axes: t.axes };
  return undefined;
}

export function makeValue(dtype: ScalarType, axes: readonly Axis[]): Type {
  return axes.length === 0 ? { kind: 'scalar', dtype } : { kind: 'tile', dtype, axes };
}

export const isFloat = (d: ScalarType): boolean => d === 'f32' || d === 'f16';
export const isInt = (d: ScalarType): boolean => d === 'i32' || d === 'u32';

/**
 * The axes of a gather (a read indexed by integer tiles): the union, in order, of the
 * axes each index item contributes — an axis several items share appears once, and
 * those items vary together along it. `positions[i][j]` is where item i's axis j lands.
 */
export function unionAxes(items: readonly (readonly Axis[])[]): { axes: Axis[]; positions: number[][] } {
  const axes: Axis[] = [];
  const positions = items.map((item) => item.map((a) => {
    const at = axes.findIndex((x) => axisEquals(x, a));
    if (at >= 0) return at;
    axes.push(a);
    return axes.length - 1;
  }));
  return { axes, positions };
}
