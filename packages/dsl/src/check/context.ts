/**
 * State shared by the checker's passes over one kernel: the diagnostics so far, the type
 * of every expression, what every identifier resolves to, and the lexical scopes.
 */
import type { Callee, Expr, ForStmt, Ident, IndexItem, Span, VarDecl } from '../ast.ts';
import { SCALAR_TYPES } from '../ast.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DimArith } from '../dim-arith.ts';
import { fillTemplate } from '../diagnostics/catalogue-entry.ts';
import { CHECK_CODES, type CheckCode } from './check-codes.ts';
import type { Dim, LoopInfo, TensorInfo, Type } from './types.ts';
import type { CheckedFunc, LoopShape } from './checked.ts';
import type { IndexBound } from './index-bounds.ts';

/** Funcs already checked (per argument dtypes) and the chain of calls being checked now. */
export interface FuncEnv {
  readonly cache: Map<object, Map<string, CheckedFunc>>;
  /**
   * The funcs being checked, outermost first. By identity, not by name: two different
   * funcs may share a name (a wrapper named like the func it wraps is not recursion).
   */
  readonly stack: { readonly def: object; readonly name: string }[];
  nextKey: number;
}

export function newFuncEnv(): FuncEnv {
  return { cache: new Map(), stack: [], nextKey: 0 };
}

export type SymbolInfo =
  | { readonly kind: 'tensor'; readonly tensor: TensorInfo; readonly span: Span }
  | { readonly kind: 'scalarParam'; readonly name: string; readonly type: Type; readonly span: Span }
  | { readonly kind: 'dim'; readonly name: string; readonly span: Span }
  | { readonly kind: 'loop'; readonly loop: LoopInfo; readonly span: Span }
  /** The variable of a grid loop: the program's index along it, an i32 scalar. */
  | { readonly kind: 'gridVar'; readonly loop: LoopInfo; readonly span: Span }
  /** `let bd = block_size(D)`: a block size the config picks; an i32 scalar as a value. */
  | { readonly kind: 'blockSize'; readonly loop: LoopInfo; readonly span: Span }
  | { readonly kind: 'rangeVar'; readonly name: string; readonly id: string; readonly type: Type; readonly span: Span }
  | { readonly kind: 'local'; readonly name: string; readonly id: string; readonly mutable: boolean; type: Type; readonly span: Span };

interface Binding {
  readonly symbol: SymbolInfo;
  used: boolean;
}

export class Scope {
  private readonly names = new Map<string, Binding>();
  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
  declareHere(name: string, symbol: SymbolInfo): Binding {
    const b: Binding = { symbol, used: false };
    this.names.set(name, b);
    return b;
  }
  /** Every name visible from here, innermost first (for "did you mean"). */
  visibleNames(): string[] {
    return [...this.names.keys(), ...(this.parent?.visibleNames() ?? [])];
  }
  ownBindings(): IterableIterator<[string, Binding]> {
    return this.names.entries();
  }
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<Expr, Type>();
  readonly resolved = new Map<Ident, SymbolInfo>();
  readonly calledFuncs = new Map<Callee, CheckedFunc>();
  private nextId = 0;
  scope: Scope = new Scope(undefined);
  /** Every binding ever made, to warn about unused ones at the end. */
  private readonly allBindings: { name: string; binding: Binding }[] = [];

  readonly loops = new Map<ForStmt, LoopShape>();
  readonly decls = new Map<VarDecl, SymbolInfo>();
  readonly slices = new Map<IndexItem, Dim>();
  /** Block sizes declared with `let bd = block_size(D)`, in order (block-size.ts). */
  readonly blockSizes: LoopInfo[] = [];
  /** Dims computed from others (`A + B` in a result type or a shape), by canonical text. */
  readonly derived = new Map<string, DimArith>();
  /** Scalar subscripts fixed by the dims, checked when the kernel is called (index-bounds.ts). */
  readonly indexBounds = new Map<Expr, IndexBound>();
  /** Output tensors stored into somewhere (an output never written is an error). */
  readonly written = new Set<TensorInfo>();
  /** Tile loops around the statement being checked, outermost first. */
  readonly enclosingLoops: LoopInfo[] = [];
  /**
   * The constructs around the statement being checked, innermost last, as a diagnostic
   * names them ('a tile loop', 'a range loop', 'an if', 'a grid loop'): where a grid
   * loop may not go, this says what it was found inside.
   */
  readonly nesting: string[] = [];
  /**
   * Tile and grid variables of loops that have ended, with where they were declared: a
   * use after the loop gets its own diagnostic instead of "unknown name".
   */
  readonly endedLoopVars = new Map<string, Span>();

  constructor(
    /** The values of the `${…}` holes of the body being checked. */
    readonly holes: readonly unknown[],
    /** Shared across a kernel and every func it calls. */
    readonly funcEnv: FuncEnv,
  ) {}

  /** Adds a diagnostic made elsewhere (a func's, re-pointed at its call). */
  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  report(code: CheckCode, span: Span, ...args: (string | number)[]): void {
    const entry = CHECK_CODES[code];
    this.diagnostics.push({
      code,
      severity: entry.severity,
      message: fillTemplate(entry.message, args),
      hint: fillTemplate(entry.hint, args),
      span,
    });
  }

  /**
   * A unique id for a declaration; the compiler turns ids into WGSL identifiers, so they
   * must not start with `__` (reserved in WGSL), which `_` or `_x` followed by the `_`
   * separator would give.
   */
  freshId(prefix: string): string {
    return `${prefix.startsWith('_') ? `v${prefix}` : prefix}${this.nextId++}`;
  }

  pushScope(): void {
    this.scope = new Scope(this.scope);
  }
  popScope(): void {
    if (this.scope.parent) this.scope = this.scope.parent;
  }

  /** Declares a name in the current scope, warning when it shadows an earlier one. */
  declare(name: string, symbol: SymbolInfo, span: Span, warnUnused: boolean): void {
    // A name that hides a dtype would change what `zeros([tm], f32)` means. Bind it to
    // the error type, which silences every use of it, so this is the only diagnostic.
    if (SCALAR_TYPES.some((d) => d === name)) {
      this.report('TSR2049', span, name);
      this.scope.declareHere(name, { kind: 'local', name, id: this.freshId(`${name}_`), mutable: true, type: { kind: 'error' }, span });
      return;
    }
    if (name === 'inf' || name === 'nan') {
      this.report('TSR2057', span, name, name === 'inf' ? 'infinity' : 'NaN');
      this.scope.declareHere(name, { kind: 'local', name, id: this.freshId(`${name}_`), mutable: true, type: { kind: 'error' }, span });
      return;
    }
    const earlier = this.scope.lookup(name);
    if (earlier && earlier.symbol.kind !== 'dim') {
      const at = earlier.symbol.span.start;
      this.report('TSR2902', span, name, `${at.line}:${at.col}`);
    }
    const binding = this.scope.declareHere(name, symbol);
    if (warnUnused && !name.startsWith('_')) this.allBindings.push({ name, binding });
  }

  resolve(id: Ident): SymbolInfo | undefined {
    const b = this.scope.lookup(id.name);
    if (!b) return undefined;
    b.used = true;
    this.resolved.set(id, b.symbol);
    return b.symbol;
  }

  /** Marks a name as used without resolving a particular identifier node. */
  touch(name: string): void {
    const b = this.scope.lookup(name);
    if (b) b.used = true;
  }

  warnUnused(): void {
    for (const { name, binding } of this.allBindings) {
      if (!binding.used) this.report('TSR2901', binding.symbol.span, name);
    }
  }

  setType(e: Expr, t: Type): Type {
    this.types.set(e, t);
    return t;
  }
}
