/**
 * What the `kernel` and `func` tags return: the source, the parsed AST and the
 * diagnostics, computed eagerly (parsing is cheap) and never thrown from the tag.
 * Later stages call `assertNoErrors(def)` before they use `ast`.
 */
import type { FnDecl } from './ast.ts';
import type { Diagnostic, SourceOrigin } from './diagnostics/diagnostic.ts';

/** The kernel text as diagnostics show it: holes rendered as `${0}`, `${1}`, … */
export interface KernelSource {
  readonly text: string;
  /** Where the template sits in the user's file, when it could be found. */
  readonly origin: SourceOrigin | undefined;
}

/**
 * What a `${…}` hole may hold: a finite number or a boolean (compile-time constants), or
 * a `func` (callable as `${relu}(x)`). Anything else given at run time (from JavaScript,
 * or through a cast) becomes a diagnostic at the hole.
 */
export type HoleValue = number | boolean | FuncDef;

interface Def {
  /** The fn's name, or `<anonymous>` when the source has none. */
  readonly name: string;
  readonly source: KernelSource;
  /** `undefined` whenever `diagnostics` holds an error. */
  readonly ast: FnDecl | undefined;
  /** Errors and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** The hole values, by index (`${0}` is `holes[0]`). */
  readonly holes: readonly HoleValue[];
}

/** A device function, made with func`fn relu(x: f32) -> f32 { … }`. */
export interface FuncDef extends Def {
  readonly kind: 'func';
}

/** A kernel, made with kernel`fn name(…) -> … { … }`. */
export interface KernelDef extends Def {
  readonly kind: 'kernel';
}

function isDefLike(v: unknown, kind: 'func' | 'kernel'): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const source: unknown = Reflect.get(v, 'source');
  return (
    Reflect.get(v, 'kind') === kind &&
    typeof Reflect.get(v, 'name') === 'string' &&
    Array.isArray(Reflect.get(v, 'diagnostics')) &&
    typeof source === 'object' &&
    source !== null &&
    typeof Reflect.get(source, 'text') === 'string'
  );
}

/** Structural, so funcs made by another copy of this package (bundles) still count. */
export function isFuncDef(v: unknown): v is FuncDef {
  return isDefLike(v, 'func');
}

export function isKernelDef(v: unknown): v is KernelDef {
  return isDefLike(v, 'kernel');
}
