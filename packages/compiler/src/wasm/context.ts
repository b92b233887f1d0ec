/**
 * State of one WebAssembly lowering: the function being written (its locals), where each
 * tile local and materialized value lives, the scratch buffers the run needs, and the
 * locals holding dims, tensor addresses, scalar parameters and tile offsets.
 */
import { TesseraError } from 'tessera-gpu-dsl/errors';
import type { Span } from 'tessera-gpu-dsl/ast';
import { blockOf, type KernelConfig } from '../config/config.ts';
import type { Axis, DType, KernelIR, LoopInfo } from '../ir/nodes.ts';
import type { Bytes, ValType } from './encoder.ts';
import { I } from './instr.ts';
import type { WasmFeatures } from './features.ts';

/** A WebAssembly lowering cannot handle this IR construct. */
export class WasmUnsupportedError extends TesseraError {
  /** Where the construct is in the kernel source, when the statement is known. */
  readonly span: Span | undefined;
  constructor(kernel: string, what: string, hint: string, span?: Span) {
    const at = span ? ` at kernel:${span.start.line}:${span.start.col}` : '';
    super('TSR4101', `kernel '${kernel}'${at}: ${what} is not supported by the wasm backend`, hint);
    this.span = span;
  }
}

/**
 * Where a local or materialized value lives: a wasm local (scalar), or a tile buffer in
 * the thread's scratch memory, 4 bytes per element laid out row-major over `axes` with
 * block-sized strides (as the interpreter lays tiles out). `ptr` is the local holding
 * the buffer's address.
 */
export type Storage =
  | { readonly kind: 'scalar'; readonly local: number; readonly dtype: DType }
  | { readonly kind: 'tile'; readonly ptr: number; readonly axes: readonly Axis[]; readonly dtype: DType };

/** The wasm value type a dtype computes in: f16 values are held exactly in f32. */
export function wasmType(d: DType): ValType {
  return d === 'f32' || d === 'f16' ? 'f32' : 'i32';
}

/** A function being written: its parameter count and locals. */
export class FnBuilder {
  readonly locals: ValType[] = [];
  constructor(readonly params: readonly ValType[]) {}
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }
}

export interface LoopLocals {
  /** Element offset of the loop's current block. */
  readonly offset: number;
  /** In-bounds elements of the current block (fewer than the block at a ragged edge). */
  readonly count: number;
}

export class WasmContext {
  fn: FnBuilder;
  readonly locals = new Map<string, Storage>();
  readonly mats = new Map<string, Storage>();
  /** Scratch buffers of the run function: the local that gets the address, and the size in bytes (i32 code). */
  /**
   * Every scratch buffer: its pointer local, its size in bytes (i32, for placing it) and
   * the same size in f64 (for the `scratch` export: a product of blocks and dims that
   * overflows i32 must reach the runtime as the large number it is, not wrapped).
   */
  readonly scratch: { readonly ptr: number; readonly bytes: Bytes; readonly bytesF64: Bytes }[] = [];
  readonly loops = new Map<string, LoopLocals>();
  readonly dims = new Map<string, number>();
  readonly params = new Map<string, number>();
  /** Tensor address locals by `i<index>` / `o<index>`. */
  readonly tensors = new Map<string, number>();
  readonly funcs = new Map<string, number>();
  inFunc = false;
  /** The kernel statement being lowered (for WasmUnsupportedError); none inside a func. */
  span: Span | undefined = undefined;
  /**
   * While a vector loop body is generated: code run once before the loop, where values
   * that do not vary along the vector axis are computed (forEachElementVec places it).
   */
  vectorPrelude: number[] | undefined;
  /**
   * The grid loop whose tiles run one row at a time (row-loop.ts): inside the body its
   * block axis holds one row, so buffers give that axis a size of 1.
   */
  rowLoop: string | undefined = undefined;
  /** Some code used SIMD instructions (reported in the artifact). */
  usedSimd = false;
  /** Some code used relaxed SIMD instructions: the module validates only where they exist. */
  usedRelaxedSimd = false;

  constructor(
    readonly kernel: KernelIR,
    readonly config: KernelConfig,
    readonly features: WasmFeatures,
    run: FnBuilder,
  ) {
    this.fn = run;
  }

  block(loop: LoopInfo): number {
    return blockOf(this.config, loop);
  }

  unsupported(what: string, hint: string): never {
    throw new WasmUnsupportedError(this.kernel.name, what, hint, this.span);
  }

  loop(loop: LoopInfo): LoopLocals {
    const l = this.loops.get(loop.id);
    if (!l) return this.unsupported(`the tile variable '${loop.name}' outside its loop`, 'this is an internal error');
    return l;
  }

  dim(name: string): Bytes {
    const l = this.dims.get(name);
    if (l === undefined) return this.unsupported(`the dim '${name}'`, 'this is an internal error: every symbolic dim is bound');
    return I.localGet(l);
  }

  tensor(t: { readonly role: 'input' | 'output'; readonly index: number }): Bytes {
    const l = this.tensors.get(`${t.role === 'input' ? 'i' : 'o'}${t.index}`);
    if (l === undefined) return this.unsupported(`the tensor ${t.role} ${t.index}`, 'this is an internal error');
    return I.localGet(l);
  }

  /** Evaluates `x` once into a fresh local and builds code that reads it (possibly several times). */
  withTemp(t: ValType, x: Bytes, body: (get: Bytes) => Bytes): number[] {
    const l = this.fn.local(t);
    return [...x, ...I.localSet(l), ...body(I.localGet(l))];
  }
}
