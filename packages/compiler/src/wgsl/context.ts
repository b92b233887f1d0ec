/**
 * State of one WGSL emission: the lines being written, the module-scope declarations
 * (workgroup arrays, helper functions) collected along the way, and where each
 * materialized value and local lives.
 */
import type { Axis, DType, KernelIR, LoopInfo, TensorRef } from '../ir/nodes.ts';
import { blockOf, type KernelConfig } from '../config/config.ts';
import type { DeviceLimits } from '../config/validate.ts';
import { TesseraError } from 'tessera-gpu-dsl/errors';
import type { Span } from 'tessera-gpu-dsl/ast';
import { CodeWriter } from '../codegen/code-writer.ts';
import { wgslIdent } from './names.ts';
import { analyzeLayout, type Layout } from './layout.ts';
import type { ScanWindow } from './scan.ts';
import { PendingStores } from './storage-hazards.ts';
import { rowOwnedKernel } from './row-owned.ts';

/** Where a materialized value or a tile local lives: a workgroup array with these axes. */
export interface WgStorage {
  readonly kind: 'workgroup';
  readonly name: string;
  readonly axes: readonly Axis[];
  readonly dtype: DType;
  /**
   * Only part of the tile is held at a time (a scan over a whole dim, in chunks): along
   * axis `axis`, the array holds `size` elements starting at coordinate `base`.
   */
  readonly window?: { readonly axis: number; readonly base: string; readonly size: number };
}

/**
 * A tile in registers: each invocation holds the elements of its micro-tile (see
 * layout.ts) in a function-scope array, read only by statements that iterate over the
 * owned elements (EmitContext.owned says which element is being emitted).
 */
export interface RegStorage {
  readonly kind: 'registers';
  readonly name: string;
  readonly axes: readonly Axis[];
  readonly dtype: DType;
  /**
   * A workgroup copy, rewritten after every write of the registers, for readers outside
   * the owner's elements (a `@` operand; layout.ts mirroredLocals).
   */
  readonly mirror?: WgStorage;
  /**
   * Whose ownership the registers follow: the micro-tile's (undefined) or a blocked
   * `@`'s plan (its id; blocked-registers.ts). They are read only under the same one.
   */
  readonly owner?: string;
}

export type TileStorage = WgStorage | RegStorage;

export class UnsupportedError extends TesseraError {
  /** Where the construct is in the kernel source, when the statement is known. */
  readonly span: Span | undefined;
  constructor(kernel: string, what: string, hint: string, span?: Span) {
    const at = span ? ` at kernel:${span.start.line}:${span.start.col}` : '';
    super('TSR3002', `kernel '${kernel}'${at}: ${what} is not supported by the WGSL backend`, hint);
    this.span = span;
  }
}

export class EmitContext extends CodeWriter {
  /** `var<workgroup>` declarations, by name. */
  readonly workgroupVars = new Map<string, string>();
  /** Helper functions (erf, …) by name. */
  readonly helpers = new Map<string, string>();
  readonly mats = new Map<string, TileStorage>();
  /** Locals: scalars are WGSL `var`s (storage undefined); tiles live in workgroup arrays or registers. */
  readonly locals = new Map<string, { readonly name: string; readonly storage: TileStorage | undefined }>();
  usesF16 = false;
  /** Emitting a device function: per-invocation scalar code, no workgroup. */
  inFunc = false;
  /** Outputs stored since the last storageBarrier() (storage-hazards.ts). */
  readonly pendingStores = new PendingStores();
  /**
   * While emitting owned elements of the micro-tile (layout.ts): the element's index in
   * the register arrays (a constant when unrolled, an expression in a loop), and the
   * copies register tiles are read through in a loop (see microtile.ts). Register tiles
   * can only be read then.
   */
  owned: { readonly index: string; readonly copies: ReadonlyMap<string, string>; readonly owner?: string } | undefined = undefined;
  /** While the consumers of a windowed scan are emitted: the window they iterate over (scan.ts). */
  scanWindow: ScanWindow | undefined = undefined;
  /**
   * Loops whose block coordinates are known to be in bounds where the current value is
   * emitted (inside a store's mask): loads along them need no mask of their own.
   */
  inBounds: ReadonlySet<string> | undefined = undefined;
  /**
   * While the inner (column) loop of a row walk is emitted (stmts.ts forEachRowElement,
   * reduce.ts): workgroup-memory reads whose index does not involve the column
   * coordinates are read once per row, into `let`s emitted before the loop.
   */
  rowInvariant: { readonly columns: string[]; readonly lets: Map<string, string> } | undefined = undefined;
  /** While a vector store's lanes are emitted: how a load reads its lane of a loaded vector (vector-store.ts). */
  loadOverride: ((t: TensorRef) => string) | undefined = undefined;
  /** While a serial scan's consumers are emitted: materialized values held in a per-invocation variable (scan-serial.ts). */
  matOverride: ReadonlyMap<string, string> | undefined = undefined;
  /** While the row-cached copy of the body is emitted: the cached tensors (row-cache.ts). */
  rowCache: ReadonlyMap<string, { readonly loop: LoopInfo; readonly cap: number }> | undefined = undefined;
  /** Which tiles live in registers, which tensors are read in vectors, which take atomics. */
  readonly layout: Layout;
  /** Every invocation reads only the workgroup memory it writes: no barriers (row-owned.ts). */
  readonly rowOwned: boolean;

  constructor(
    readonly kernel: KernelIR,
    readonly config: KernelConfig,
    readonly limits: DeviceLimits,
    /** Tensors bound as several ranges (ranges.ts): name → range count; absent ones take one binding. */
    readonly ranges: ReadonlyMap<string, number> = new Map(),
  ) {
    super();
    this.layout = analyzeLayout(kernel, config);
    this.rowOwned = rowOwnedKernel(kernel, config);
  }

  body(): string {
    return this.text();
  }

  block(loop: LoopInfo): number {
    return blockOf(this.config, loop);
  }

  /**
   * A workgroup barrier, unless the line just written is one: statements each fence
   * their workgroup-memory traffic on both sides, and two fences with nothing between
   * them cost two rendezvous of the workgroup for the work of one. None where each
   * invocation owns the workgroup memory it touches (row-owned.ts).
   */
  barrier(): void {
    if (!this.rowOwned && !this.lastLineIs('workgroupBarrier();')) this.line('workgroupBarrier();');
  }

  declareWorkgroup(name: string, wgslType: string): void {
    this.workgroupVars.set(name, `var<workgroup> ${name}: ${wgslType};`);
  }

  /** The source span of the statement being emitted (for UnsupportedError). */
  span: Span | undefined = undefined;

  unsupported(what: string, hint: string): never {
    throw new UnsupportedError(this.kernel.name, what, hint, this.span);
  }
}

/**
 * Emits a loop over the columns of one row: `header` opens it, `body` writes its
 * contents and names (through `columns`) any coordinates it derives from the column.
 * Workgroup-memory reads in the body that depend on none of the column coordinates (per-row
 * statistics such as a row max) are hoisted out of the loop by readTile.
 */
export function emitColumnLoop(ctx: EmitContext, header: string, columns: readonly string[], body: (addColumns: (names: readonly string[]) => void) => void): void {
  const done = ctx.capture();
  const saved = ctx.rowInvariant;
  const hoist = { columns: [...columns], lets: new Map<string, string>() };
  ctx.rowInvariant = hoist;
  ctx.open(header);
  body((names) => hoist.columns.push(...names));
  ctx.close();
  ctx.rowInvariant = saved;
  const loop = done();
  for (const [expr, name] of hoist.lets) ctx.line(`let ${name} = ${expr};`);
  ctx.insert(loop);
}

/** Whether WGSL expression `expr` mentions any of the identifiers `names`. */
export function mentions(expr: string, names: readonly string[]): boolean {
  return names.some((n) => new RegExp(`\\b${n}\\b`).test(expr));
}

/** A WGSL identifier from a loop or local id (`tm#3` → `tm_3`); see names.ts. */
export const ident = wgslIdent;

export const offsetName = (loop: LoopInfo): string => `off_${ident(loop.id)}`;
