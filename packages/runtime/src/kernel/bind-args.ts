/**
 * Checks a kernel call's arguments against the kernel's signature and binds the symbolic
 * dims. Every mistake is an ArgumentError that names the parameter, what the signature
 * expects (with the dims bound so far) and what came.
 */
import type { Dim, KernelIR } from 'tessera-gpu-compiler';
import { nullRecord, ownValue } from 'tessera-gpu-dsl';
import { dimArithNames, evalDimArith } from 'tessera-gpu-dsl/check';
import { ArgumentError } from '../errors.ts';
import { indexBoundHint, outsideIndex } from './index-bounds.ts';
import type { Dims, Scalars } from '../bind.ts';

/** What the kernel sees of a tensor argument; satisfied by WebGPU and host tensors. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
}

export interface BoundArgs<T extends TensorLike> {
  readonly tensors: T[];
  readonly dims: Dims;
  readonly scalars: Scalars;
}

const shapeText = (dtype: string, shape: readonly (string | number)[]): string => `${dtype}[${shape.join(', ')}]`;

function expectedText(dtype: string, dims: readonly Dim[], bound: Readonly<Record<string, number>>): string {
  return shapeText(dtype, dims.map((d) => (d.kind === 'const' ? d.value : bound[d.name] !== undefined ? `${d.name}=${bound[d.name]}` : d.name)));
}

export function isTensorLike(v: unknown): v is TensorLike {
  return typeof v === 'object' && v !== null && Array.isArray((v as { shape?: unknown }).shape) && typeof (v as { dtype?: unknown }).dtype === 'string';
}

export function bindArgs<T extends TensorLike>(ir: KernelIR, args: readonly unknown[], isTensor: (v: unknown) => v is T): BoundArgs<T> {
  const signature = ir.params.map((p) => (p.kind === 'tensor' ? `${p.tensor.name}: ${expectedText(p.tensor.dtype, p.tensor.dims, {})}` : `${p.name}: ${p.dtype}`)).join(', ');
  if (args.length !== ir.params.length) {
    throw new ArgumentError(`${ir.name}(…)`, `${ir.params.length} argument(s) (${signature})`, `${args.length}`, `call it as ${ir.name}(${ir.params.map((p) => (p.kind === 'tensor' ? p.tensor.name : p.name)).join(', ')})`);
  }
  // No prototypes: dims and parameters may be called `constructor` or `__proto__`.
  const dims = nullRecord<number>();
  const boundBy = nullRecord<string>();
  const tensors: T[] = [];
  const scalars = nullRecord<number>();
  for (const [i, p] of ir.params.entries()) {
    const arg = args[i];
    if (p.kind === 'scalar') {
      if (typeof arg !== 'number' || !Number.isFinite(arg)) {
        throw new ArgumentError(p.name, `a finite number (${p.dtype})`, describe(arg), `pass a number for the scalar parameter '${p.name}'`, `kernel '${ir.name}'`);
      }
      if ((p.dtype === 'i32' || p.dtype === 'u32') && !Number.isInteger(arg)) {
        throw new ArgumentError(p.name, `an integer (${p.dtype})`, String(arg), 'round it, or declare the parameter as f32', `kernel '${ir.name}'`);
      }
      scalars[p.name] = arg;
      continue;
    }
    const t = p.tensor;
    if (!isTensor(arg)) {
      throw new ArgumentError(t.name, `a tensor ${expectedText(t.dtype, t.dims, dims)}`, describe(arg), 'create tensors with device.tensor(data, shape)', `kernel '${ir.name}'`);
    }
    const actual = shapeText(arg.dtype, arg.shape);
    if (arg.dtype !== t.dtype) {
      throw new ArgumentError(t.name, expectedText(t.dtype, t.dims, dims), actual, `convert the data to ${t.dtype}, or change the kernel's parameter type`, `kernel '${ir.name}'`);
    }
    if (arg.shape.length !== t.dims.length) {
      throw new ArgumentError(t.name, `${t.dims.length}-D tensor ${expectedText(t.dtype, t.dims, dims)}`, `${arg.shape.length}-D tensor ${actual}`, 'reshape the tensor or fix the parameter type', `kernel '${ir.name}'`);
    }
    for (const [axis, d] of t.dims.entries()) {
      const size = arg.shape[axis] ?? -1;
      if (d.kind === 'const') {
        if (size !== d.value) throw new ArgumentError(t.name, expectedText(t.dtype, t.dims, dims), actual, `dimension ${axis} is fixed to ${d.value} by the kernel signature`, `kernel '${ir.name}'`);
        continue;
      }
      const prev = dims[d.name];
      if (prev === undefined) {
        dims[d.name] = size;
        boundBy[d.name] = `'${t.name}' (dimension ${axis})`;
      } else if (prev !== size) {
        throw new ArgumentError(t.name, expectedText(t.dtype, t.dims, dims), actual, `${d.name} is ${prev}, bound by ${boundBy[d.name] ?? 'an earlier argument'}; all uses of ${d.name} must agree`, `kernel '${ir.name}'`);
      }
    }
    tensors.push(arg);
  }
  bindDerivedDims(ir, dims);
  const outside = outsideIndex(ir, (n) => ownValue(dims, n));
  if (outside) {
    throw new ArgumentError(outside.bound.text, outside.expected, outside.actual, indexBoundHint(outside), `kernel '${ir.name}'`);
  }
  for (const [name, size] of Object.entries(dims)) {
    // Both backends index with 32-bit integers (WGSL i32/u32 uniforms).
    if (size > MAX_DIM) {
      throw new ArgumentError(name, `a dim of at most ${MAX_DIM} (32-bit indices)`, String(size),
        `split the input so that ${name} fits`, `kernel '${ir.name}'`);
    }
  }
  return { tensors, dims, scalars };
}

const MAX_DIM = 2 ** 31 - 1;

/**
 * The sizes of dims written as arithmetic (`A + B` in `f32[M, A + B]`), from the dims the
 * arguments bound. A negative size or a division by zero is the caller's mistake: it
 * names the expression and the sizes it was computed from.
 */
function bindDerivedDims(ir: KernelIR, dims: Record<string, number>): void {
  for (const d of ir.derivedDims) {
    const r = evalDimArith(d.arith, (n) => ownValue(dims, n));
    const from = dimArithNames(d.arith).map((n) => `${n} = ${String(ownValue(dims, n))}`).join(', ');
    if (!('value' in r)) {
      throw new ArgumentError(d.name, 'a size computed from the arguments\' dims', r.why, `check the arguments' shapes (${from})`, `kernel '${ir.name}'`);
    }
    if (r.value < 0) {
      throw new ArgumentError(d.name, 'a size of at least 0', `${r.value} (${from})`, `the output dim ${d.name} must not be negative: check the arguments' shapes`, `kernel '${ir.name}'`);
    }
    dims[d.name] = r.value;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} (wrap it with device.tensor(data, shape))`;
  // Shaped like a tensor but not one (a plain object, or a Tensor of another copy of this
  // package): say so, rather than print a shape that reads like a match.
  if (isTensorLike(v)) return `an object with shape [${v.shape.join(', ')}] and dtype '${v.dtype}' that is not a Tensor of this runtime`;
  return typeof v === 'number' ? String(v) : typeof v;
}
