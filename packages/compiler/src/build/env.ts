/**
 * State of one AST → IR build: which checked body the expressions belong to, what each
 * `let` was bound to (lets are inlined), and the funcs built so far.
 */
import type { Callee, Expr } from 'tessera-gpu-dsl/ast';
import type { CheckedBody } from 'tessera-gpu-dsl/check';
import type { FuncIR, TensorRef, Value } from '../ir/nodes.ts';

export interface BuildEnv {
  readonly body: CheckedBody;
  /** `let` bindings by symbol id: reading the name yields this value tree. */
  readonly lets: Map<string, Value>;
  /** The bounds of each range loop around the code being built, by its variable's id. */
  readonly ranges: Map<string, { readonly lo: Value; readonly hi: Value }>;
  /** The tensor an index expression's base names. */
  tensorOf(base: Expr): TensorRef;
  /** The IR of the func a hole callee calls (built once per specialisation). */
  funcFor(callee: Callee): FuncIR;
  /** Adds a func the compiler itself supplies (the random numbers' hash) to the kernel's funcs. */
  useFunc(f: FuncIR): void;
}
