/**
 * The host side of an interpreted run: which typed array holds each dtype, checking the
 * arguments against the kernel's signature before generated code touches them, and the
 * trace recorder the traced variant writes into.
 */
import type { DType, Dim, KernelIR, TensorRef } from 'tessera-gpu-compiler';
import { nullRecord, ownValue } from 'tessera-gpu-dsl';
import { InterpreterArgumentError } from './errors.ts';
import { indexBoundHint, outsideIndex } from '../kernel/index-bounds.ts';
import { symbolicDims } from './kernel.ts';
import { evalDimArith } from 'tessera-gpu-dsl/check';

/**
 * A tensor's elements on the host, laid out as in the GPU buffer: f32 → Float32Array,
 * f16 → Uint16Array of half bits, i32 → Int32Array, u32 → Uint32Array, bool → Uint32Array
 * of 0/1 (the GPU's storage) or, for convenience, Uint8Array of 0/1.
 */
export type HostArray = Float32Array | Uint16Array | Int32Array | Uint32Array | Uint8Array;

const ARRAY_FOR: Record<DType, readonly (abstract new (n: number) => HostArray)[]> = {
  f32: [Float32Array],
  f16: [Uint16Array],
  i32: [Int32Array],
  u32: [Uint32Array],
  bool: [Uint32Array, Uint8Array],
};

/** A zero-filled host array for `n` elements of dtype `d`. */
export function hostArray(d: DType, n: number): HostArray {
  switch (d) {
    case 'f32': return new Float32Array(n);
    case 'f16': return new Uint16Array(n);
    case 'i32': return new Int32Array(n);
    case 'u32': case 'bool': return new Uint32Array(n);
  }
}

export interface TileWrite {
  readonly tensor: string;
  /** Linear element index in the tensor. */
  readonly index: number;
  /** The value the element holds after the write (f16 as its value, bool as 0/1). */
  readonly value: number;
}

export interface TileTrace {
  /** Block index per grid loop, by loop name. */
  readonly tile: Record<string, number>;
  readonly writes: TileWrite[];
}

/** Collects writes per tile until `limit` writes in all. */
export class TraceRecorder {
  readonly traces: TileTrace[] = [];
  private count = 0;
  private current: TileTrace | undefined;

  constructor(private readonly limit: number) {}

  begin(tile: Record<string, number>): void {
    if (this.count >= this.limit) {
      this.current = undefined;
      return;
    }
    this.current = { tile, writes: [] };
    this.traces.push(this.current);
  }

  write(tensor: string, index: number, value: number): void {
    if (!this.current || this.count >= this.limit) return;
    this.current.writes.push({ tensor, index, value });
    this.count++;
  }
}

const dimText = (d: Dim): string => (d.kind === 'sym' ? d.name : String(d.value));

/**
 * Checks counts, dtypes and lengths of the arrays, the dims and the scalars; returns the
 * dims and scalars as the generated code reads them: by position (symbolicDims order,
 * scalar parameter order). Only own properties count: a dim called `constructor` is not
 * Object.prototype's.
 */
export function checkArguments(
  k: KernelIR,
  inputs: readonly HostArray[],
  outputs: readonly HostArray[],
  dims: Readonly<Record<string, number>>,
  scalars: Readonly<Record<string, number>>,
): { readonly dims: readonly number[]; readonly scalars: readonly number[] } {
  const bad = (what: string, hint: string): InterpreterArgumentError => new InterpreterArgumentError(k.name, what, hint);
  const tensors = k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : []));
  if (inputs.length !== tensors.length) throw bad(`expected ${tensors.length} input arrays, got ${inputs.length}`, 'pass one array per tensor parameter, in parameter order');
  if (outputs.length !== k.outputs.length) throw bad(`expected ${k.outputs.length} output arrays, got ${outputs.length}`, 'pass one preallocated array per output, in return order');

  const sizes = nullRecord<number>();
  const dimValues: number[] = [];
  const derived = new Map(k.derivedDims.map((d) => [d.name, d.arith]));
  for (const name of symbolicDims(k)) {
    const arith = derived.get(name);
    // A dim written as arithmetic (`A + B`) is computed from the others (bound first: the
    // parameters' dims come first in symbolicDims order).
    const computed = arith ? evalDimArith(arith, (n) => sizes[n]) : undefined;
    const n = computed && 'value' in computed ? computed.value : ownValue(dims, name);
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 2147483647) {
      throw bad(`dim ${name} is ${String(n)}`, 'give every symbolic dim as a non-negative integer in `dims`');
    }
    sizes[name] = n;
    dimValues.push(n);
  }
  const outside = outsideIndex(k, (n) => sizes[n]);
  if (outside) throw bad(`the index ${outside.bound.text} is ${outside.actual}; expected ${outside.expected}`, indexBoundHint(outside));
  const check = (t: TensorRef, a: HostArray | undefined): void => {
    const kinds = ARRAY_FOR[t.dtype];
    if (!a || !kinds.some((c) => a instanceof c)) {
      throw bad(`${t.role} '${t.name}' (${t.dtype}) is given as ${a?.constructor.name ?? 'nothing'}`, `pass a ${kinds.map((c) => c.name).join(' or ')} for ${t.dtype}`);
    }
    const n = t.dims.reduce((p, d) => p * (d.kind === 'sym' ? sizes[d.name] ?? 0 : d.value), 1);
    if (a.length !== n) {
      throw bad(`${t.role} '${t.name}' has ${a.length} elements; [${t.dims.map(dimText).join(', ')}] needs ${n}`, 'check the dims and the array sizes');
    }
  };
  tensors.forEach((t, i) => check(t, inputs[i]));
  k.outputs.forEach((t, i) => check(t, outputs[i]));
  const scalarValues: number[] = [];
  for (const p of k.params) {
    if (p.kind !== 'scalar') continue;
    const v = ownValue(scalars, p.name);
    if (typeof v !== 'number') throw bad(`scalar parameter '${p.name}' is ${String(v)}`, 'give every scalar parameter as a number in `scalars`');
    scalarValues.push(v);
  }
  return { dims: dimValues, scalars: scalarValues };
}
