/**
 * Every read and write of a tensor's storage array goes through here, so a tensor bound
 * as several ranges (ranges.ts) is reached the same way as one bound whole.
 *
 * A tensor in one binding is accessed inline (`buf_x[i]`). A ranged tensor is declared as
 * one array per range (`tessera_r0_buf_x`, `tessera_r1_buf_x`, …) and accessed through a
 * helper function per kind of access that picks the range from the element index: one
 * compare for two ranges, one division for more. Array elements never straddle two
 * ranges (the step is a multiple of 16 bytes, the widest element, vec4<f32>), so vector
 * reads and writes at a range boundary are whole elements of one range.
 */
import type { TensorRef } from '../ir/nodes.ts';
import type { EmitContext } from './context.ts';
import { elementBytes, rangeStepBytes } from './ranges.ts';
import { bufferName, storageType } from './values.ts';

/** The element type an atomic output is declared with (WGSL has no float atomics: f32 is held as u32 bits). */
function atomicElementType(t: TensorRef): string {
  return t.dtype === 'i32' ? 'atomic<i32>' : 'atomic<u32>';
}

/** The WGSL element type of a tensor's storage array: a vector for a tensor read in vectors, an atomic for an atomic output. */
export function arrayElementType(ctx: EmitContext, t: TensorRef): string {
  const w = ctx.layout.vectorTensors.get(t.name);
  if (w !== undefined) return `vec${w}<${storageType(t.dtype)}>`;
  if (ctx.layout.atomicTensors.has(t.name)) return atomicElementType(t);
  return storageType(t.dtype);
}

/** Bytes per element of a tensor's storage array: a binding must cover the tensor's bytes rounded up to it. */
export function arrayStride(ctx: EmitContext, t: TensorRef): number {
  return elementBytes(t.dtype) * (ctx.layout.vectorTensors.get(t.name) ?? 1);
}

/** How many bindings `t` takes (1 unless it is ranged). */
export function rangesOf(ctx: EmitContext, t: TensorRef): number {
  return ctx.ranges.get(t.name) ?? 1;
}

/** The array of range `j` of a ranged tensor. */
export const rangeArray = (t: TensorRef, j: number): string => `tessera_r${j}_${bufferName(t)}`;

/** Array elements per range of a ranged tensor. */
function stepElements(ctx: EmitContext, t: TensorRef): number {
  return rangeStepBytes(ctx.limits) / arrayStride(ctx, t);
}

/**
 * Statements that run `body` on element `i` (an i32 in scope) of t's storage, given the
 * element as an lvalue (`buf_x[i]`, or the right range's element).
 */
export function onElement(ctx: EmitContext, t: TensorRef, body: (element: string) => string): string {
  const count = rangesOf(ctx, t);
  if (count <= 1) return `  ${body(`${bufferName(t)}[i]`)}`;
  const step = stepElements(ctx, t);
  const element = (j: number): string => `${rangeArray(t, j)}[${j === 0 ? 'i' : `i - ${j * step}`}]`;
  if (count === 2) return `  if (i < ${step}) {\n    ${body(element(0))}\n  } else {\n    ${body(element(1))}\n  }`;
  const cases = Array.from({ length: count }, (_, j) => `    ${j === count - 1 ? 'default' : `case ${j}`}: {\n      ${body(element(j))}\n    }`);
  return `  switch (i / ${step}) {\n${cases.join('\n')}\n  }`;
}

/**
 * A helper `fn <name>(i: i32<params>) -> <result>` whose body is `body` on element i,
 * registered once per tensor and kind; returns its name.
 */
function rangedHelper(ctx: EmitContext, t: TensorRef, kind: string, params: string, result: string | undefined, body: (element: string) => string): string {
  const name = `tessera_${kind}_${bufferName(t)}`;
  if (!ctx.helpers.has(name)) {
    ctx.helpers.set(name, `fn ${name}(i: i32${params})${result === undefined ? '' : ` -> ${result}`} {\n${onElement(ctx, t, body)}\n}`);
  }
  return name;
}

/** Array element `index` of t's storage (a vector for a tensor read in vectors), as an expression. */
export function arrayRead(ctx: EmitContext, t: TensorRef, index: string): string {
  if (rangesOf(ctx, t) <= 1) return `${bufferName(t)}[${index}]`;
  const helper = rangedHelper(ctx, t, 'load', '', arrayElementType(ctx, t), (e) => `return ${e};`);
  return `${helper}(i32(${index}))`;
}

/**
 * Component `lane` of vector element `index` of a tensor read in vectors, as an
 * expression. Ranged, the helper reads the one component: reading the whole vector and
 * taking a component would load four elements for one.
 */
export function arrayReadLane(ctx: EmitContext, t: TensorRef, index: string, lane: string): string {
  if (rangesOf(ctx, t) <= 1) return `${bufferName(t)}[${index}][${lane}]`;
  const helper = rangedHelper(ctx, t, 'load_lane', ', c: i32', storageType(t.dtype), (e) => `return ${e}[c];`);
  return `${helper}(i32(${index}), i32(${lane}))`;
}

/**
 * A statement (without `;`) writing `value` to array element `index` of t's storage, or,
 * with `lane`, to that component of the vector element.
 */
export function arrayWrite(ctx: EmitContext, t: TensorRef, index: string, value: string, lane?: string): string {
  if (rangesOf(ctx, t) <= 1) return `${bufferName(t)}[${index}]${lane === undefined ? '' : `[${lane}]`} = ${value}`;
  if (lane === undefined) {
    const helper = rangedHelper(ctx, t, 'store', `, v: ${arrayElementType(ctx, t)}`, undefined, (e) => `${e} = v;`);
    return `${helper}(i32(${index}), ${value})`;
  }
  const helper = rangedHelper(ctx, t, 'store_lane', `, c: i32, v: ${storageType(t.dtype)}`, undefined, (e) => `${e}[c] = v;`);
  return `${helper}(i32(${index}), i32(${lane}), ${value})`;
}

/** atomicLoad of element `index` of an atomic output (the stored bits: u32 for f32). */
export function atomicRead(ctx: EmitContext, t: TensorRef, index: string): string {
  if (rangesOf(ctx, t) <= 1) return `atomicLoad(&${bufferName(t)}[${index}])`;
  const helper = rangedHelper(ctx, t, 'atomic_load', '', t.dtype === 'i32' ? 'i32' : 'u32', (e) => `return atomicLoad(&${e});`);
  return `${helper}(i32(${index}))`;
}

/** A statement (without `;`) running atomic builtin `op` (atomicStore, atomicAdd) on element `index` with `value`. */
export function atomicUpdate(ctx: EmitContext, t: TensorRef, op: 'atomicStore' | 'atomicAdd', index: string, value: string): string {
  if (rangesOf(ctx, t) <= 1) return `${op}(&${bufferName(t)}[${index}], ${value})`;
  const helper = rangedHelper(ctx, t, op === 'atomicStore' ? 'atomic_store' : 'atomic_add_int', `, v: ${t.dtype === 'i32' ? 'i32' : 'u32'}`, undefined, (e) => `${op}(&${e}, v);`);
  return `${helper}(i32(${index}), ${value})`;
}
