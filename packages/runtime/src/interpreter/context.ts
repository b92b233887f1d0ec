/**
 * State of one JavaScript emission: the lines being written, the buffers the run
 * allocates up front (tile locals, materialized values, dot scratch), the scalar `let`s
 * of the function being written, and where each local and materialized value lives.
 */
import { blockOf, CodeWriter, type Axis, type DType, type KernelConfig, type KernelIR, type LoopInfo } from 'tessera-gpu-compiler';
import { InterpreterUnsupportedError } from './errors.ts';
import type { Span } from 'tessera-gpu-dsl';
import { jsIdent } from './names.ts';

/**
 * Where a local or materialized value lives: a JS variable (no axes) or a typed array
 * laid out row-major over `axes` with block-sized strides.
 */
export interface Storage {
  readonly name: string;
  readonly axes: readonly Axis[];
  readonly dtype: DType;
}

export class JsContext extends CodeWriter {
  /** `const NAME = new …Array(size);` lines, run once per run before the grid. */
  readonly allocations: string[] = [];
  /** Scalar locals of the function being written, declared at its top. */
  scalarLets = new Set<string>();
  readonly mats = new Map<string, Storage>();
  readonly locals = new Map<string, Storage>();
  inFunc = false;
  /** The kernel statement being emitted (for InterpreterUnsupportedError); none inside a func. */
  span: Span | undefined = undefined;

  constructor(
    readonly kernel: KernelIR,
    readonly config: KernelConfig,
    /** Emit the traced variant: every store is also recorded. */
    readonly trace: boolean,
  ) {
    super();
  }

  /** As CodeWriter.capture, and a func body also gets its own scalar lets. */
  override capture(): () => string {
    const savedLets = this.scalarLets;
    this.scalarLets = new Set();
    const restore = super.capture();
    return () => {
      this.scalarLets = savedLets;
      return restore();
    };
  }

  block(loop: LoopInfo): number {
    return blockOf(this.config, loop);
  }

  unsupported(what: string, hint: string): never {
    throw new InterpreterUnsupportedError(this.kernel.name, what, hint, this.span);
  }
}

/** A JS identifier fragment from an IR id or name (`tm#3` → `tm_3`); see names.ts. */
export const ident = jsIdent;

export const offsetName = (loop: LoopInfo): string => `o_${ident(loop.id)}`;
/** Number of in-bounds elements of the loop's current block (less than the block at a ragged edge). */
export const countName = (loop: LoopInfo): string => `n_${ident(loop.id)}`;
export const dimName = (name: string): string => `D_${ident(name)}`;
export const paramName = (name: string): string => `P_${ident(name)}`;
export const tensorName = (t: { readonly role: 'input' | 'output'; readonly index: number }): string =>
  `T_${t.role === 'input' ? 'i' : 'o'}${t.index}`;
