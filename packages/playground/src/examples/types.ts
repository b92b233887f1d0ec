/**
 * A playground example: kernel source text, the shape it opens with, and a plain-JS
 * reference the result is checked against.
 */

/** What a reference sees: inputs by parameter name, and the bound symbolic dims. */
export interface ReferenceArgs {
  readonly tensors: Readonly<Record<string, Float32Array>>;
  readonly scalars: Readonly<Record<string, number>>;
  readonly dims: Readonly<Record<string, number>>;
}

export interface Example {
  readonly id: string;
  readonly title: string;
  /** Kernel source as the `kernel` tag would see it (no holes). */
  readonly source: string;
  /** The file under examples/ this mirrors, if any (test/playground checks they agree). */
  readonly mirrors?: string;
  /** Starting value of each symbolic dim. */
  readonly dims: Readonly<Record<string, number>>;
  /** Values of scalar parameters (fixed: they are not random inputs). */
  readonly scalars?: Readonly<Record<string, number>>;
  /** Largest acceptable absolute difference from the reference. */
  readonly tolerance: number;
  /** The expected outputs, in result order. */
  reference(args: ReferenceArgs): Float32Array[];
}

export function input(args: ReferenceArgs, name: string): Float32Array {
  const t = args.tensors[name];
  if (t === undefined) throw new Error(`reference: no input named '${name}'`);
  return t;
}

export function dim(args: ReferenceArgs, name: string): number {
  const d = args.dims[name];
  if (d === undefined) throw new Error(`reference: no dim named '${name}'`);
  return d;
}

export function scalar(args: ReferenceArgs, name: string): number {
  const s = args.scalars[name];
  if (s === undefined) throw new Error(`reference: no scalar named '${name}'`);
  return s;
}
