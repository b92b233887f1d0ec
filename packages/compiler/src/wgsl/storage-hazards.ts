/**
 * Ordering of global-memory accesses inside one workgroup. The invocations of a workgroup
 * share the statements of a tile but not the elements: a row stored by one element loop
 * and then summed by a reduction is read by other invocations than those that wrote it,
 * and WGSL orders those accesses only across a `storageBarrier()`. The emitter tracks
 * which output tensors have been stored since the last such barrier (and by which
 * statements) and puts one before a statement that reads any of them — except where a
 * statement reads back exactly the elements it stores itself (`out[tm, tn] = out[tm, tn] * 2`
 * in a loop), which the same invocation wrote.
 */
import type { IndexItem, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';

/** Output tensors stored since the last storage barrier, with the statements that stored them. */
export class PendingStores {
  private readonly writers = new Map<string, Set<Stmt>>();

  /** Whether `s` reads an element another invocation may have stored since the last barrier. */
  hazard(s: Stmt): boolean {
    if (this.writers.size === 0) return false;
    for (const read of readsOf(s)) {
      const writers = this.writers.get(read.tensor);
      if (writers === undefined) continue;
      const ownElement = s.kind === 'store' && !s.atomic && s.tensor.name === read.tensor && writers.size === 1 && writers.has(s) &&
        read.index !== undefined && sameIndex(read.index, s.index);
      if (!ownElement) return true;
    }
    return false;
  }

  /** After a storage barrier: every earlier store is visible to the whole workgroup. */
  clear(): void {
    this.writers.clear();
  }

  /** Records the stores of `s` and of the statements nested in it. */
  record(s: Stmt): void {
    for (const w of storesIn(s)) {
      const set = this.writers.get(w.tensor.name) ?? new Set<Stmt>();
      set.add(w);
      this.writers.set(w.tensor.name, set);
    }
  }

  /**
   * The state for a nested body (loop or branch): nothing from before it, whose reads were
   * fenced before the compound statement; for a loop, its own stores, which a later
   * iteration may read. `restore` puts the outer state back afterwards: a barrier inside a
   * branch that may not run fences nothing for what follows.
   */
  enter(body: readonly Stmt[], isLoop: boolean): Map<string, Set<Stmt>> {
    const outer = new Map([...this.writers].map(([k, v]) => [k, new Set(v)]));
    this.writers.clear();
    if (isLoop) for (const s of body) this.record(s);
    return outer;
  }

  restore(outer: Map<string, Set<Stmt>>): void {
    this.writers.clear();
    for (const [k, v] of outer) this.writers.set(k, v);
  }
}

interface Read {
  readonly tensor: string;
  /** The subscripts of an elementwise load; undefined for a gather. */
  readonly index: readonly IndexItem[] | undefined;
}

/** Every global read of `s`, nested statements included. */
function readsOf(s: Stmt): Read[] {
  const out: Read[] = [];
  const visit = (v: Value): void => {
    const stack: Value[] = [v];
    while (stack.length > 0) {
      const x = stack.pop();
      if (x === undefined) break;
      if (x.kind === 'load') out.push({ tensor: x.tensor.name, index: x.index });
      if (x.kind === 'gather') out.push({ tensor: x.tensor.name, index: undefined });
      stack.push(...operands(x));
    }
  };
  const walk = (st: Stmt): void => {
    for (const v of stmtValues(st)) visit(v);
    for (const nested of nestedStmts(st)) walk(nested);
  };
  walk(s);
  return out;
}

function storesIn(s: Stmt): (Stmt & { kind: 'store' })[] {
  if (s.kind === 'store') return [s];
  return nestedStmts(s).flatMap(storesIn);
}

function nestedStmts(s: Stmt): readonly Stmt[] {
  if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') return s.body;
  if (s.kind === 'if') return [...s.then, ...s.otherwise];
  return [];
}

/** Same subscripts made only of tile blocks and whole dims (scalar subscripts never match). */
function sameIndex(a: readonly IndexItem[], b: readonly IndexItem[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    if (y === undefined || x.kind !== y.kind) return false;
    if (x.kind === 'full') return true;
    return x.kind === 'block' && y.kind === 'block' && x.loop.id === y.loop.id;
  });
}
