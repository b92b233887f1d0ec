/**
 * Drops the workgroup barriers of an entry point's body that order nothing. Each
 * statement fences its workgroup-memory traffic on both sides (context.ts barrier()),
 * which is simple and always right but leaves barriers between statements that share no
 * workgroup array, or only read one: attention's shader (software default config) has 14,
 * of which 7 order a write against another invocation's access. On a software adapter every barrier is a switch
 * between the workgroup's invocations that the driver compiles as a coroutine suspend
 * point, with every live value spilled around it: attention's shader compiled ~1.5 s
 * faster on lavapipe with none (wrong, but it shows the cost).
 *
 * A barrier is needed only if an access after it (before the next barrier) conflicts with
 * one before it (since the last barrier kept): a write and any access of the same array.
 * The pass walks the body's lines in order with the arrays read and written on each side
 * of the barrier it has not yet decided on; the first conflicting access keeps it, the
 * next barrier with none replaces it. `workgroupBarrier` orders workgroup memory only
 * (storage traffic has its own `storageBarrier`, storage-hazards.ts), so nothing else
 * matters.
 *
 * Control flow is taken conservatively: loops and scopes without barriers are straight
 * code (their accesses all count); a loop with barriers is walked with what its last
 * iteration may leave behind (a first walk finds that, the second decides); a branch with
 * barriers keeps all of them. The body is Tessera's own output (one statement per line,
 * blocks open with a line ending in `{` and close with `}`); anything else (a helper
 * function that touches workgroup memory, say) keeps every barrier.
 */

const BARRIER = 'workgroupBarrier();';

/** Arrays accessed on one side of a barrier; `all` stands for "any of them, either way". */
interface Accesses {
  readonly reads: Set<string>;
  readonly writes: Set<string>;
  all: boolean;
}

interface State {
  /** Since the last kept barrier, up to the undecided one (or now, when there is none). */
  before: Accesses;
  /** Since the undecided barrier. */
  after: Accesses;
  /** Line of the barrier not yet known to be needed. */
  pending: number | undefined;
  readonly keep: Set<number>;
}

type Node =
  | { readonly kind: 'line'; readonly at: number }
  | { readonly kind: 'block'; readonly at: number; readonly loop: boolean; readonly branch: boolean; readonly children: readonly Node[]; readonly barriers: boolean };

const none = (): Accesses => ({ reads: new Set(), writes: new Set(), all: false });
const unknown = (): Accesses => ({ reads: new Set(), writes: new Set(), all: true });
const join = (a: Accesses, b: Accesses): Accesses => ({ reads: new Set([...a.reads, ...b.reads]), writes: new Set([...a.writes, ...b.writes]), all: a.all || b.all });
const within = (a: Accesses, b: Accesses): boolean => b.all || (!a.all && [...a.reads].every((x) => b.reads.has(x)) && [...a.writes].every((x) => b.writes.has(x)));

/** The body without the barriers that order nothing; `arrays` are the workgroup arrays' names. */
export function elideBarriers(body: string, arrays: readonly string[]): string {
  const lines = body.split('\n');
  const code = lines.map((l) => l.replace(/\/\/.*$/, '').trim());
  const tree = parse(code);
  if (tree === undefined) return body;
  const state: State = { before: none(), after: none(), pending: undefined, keep: new Set() };
  const names = arrays.map((n): Name => ({
    name: n,
    mention: new RegExp(`(^|[^A-Za-z0-9_])${n}(?![A-Za-z0-9_])`),
    pointer: new RegExp(`&\\s*${n}(?![A-Za-z0-9_])`),
    assigned: new RegExp(`^${n}(?![A-Za-z0-9_])`),
  }));
  walk(tree, state, code, names);
  // A barrier still undecided at the end orders nothing after it: dropped.
  return lines.filter((_, i) => code[i] !== BARRIER || state.keep.has(i)).join('\n');
}

/** Blocks of the body by their braces; undefined where they do not pair up as expected. */
function parse(code: readonly string[]): Node[] | undefined {
  const stack: { at: number; children: Node[] }[] = [{ at: -1, children: [] }];
  for (let i = 0; i < code.length; i++) {
    const c = code[i] ?? '';
    const top = stack[stack.length - 1];
    if (!top) return undefined;
    if (c === '}') {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent || top.at < 0) return undefined;
      const header = code[top.at] ?? '';
      const loop = /^(for|while|loop)\b/.test(header);
      const branch = !loop && header !== '{';
      const barriers = containsBarrier(top.children, code);
      parent.children.push({ kind: 'block', at: top.at, loop, branch, children: top.children, barriers });
    } else if (c.startsWith('}') && c.endsWith('{')) {
      // `} else {`: part of the branch block already open.
      top.children.push({ kind: 'line', at: i });
    } else if (c.endsWith('{')) {
      stack.push({ at: i, children: [] });
    } else {
      top.children.push({ kind: 'line', at: i });
    }
  }
  return stack.length === 1 ? stack[0]?.children : undefined;
}

function containsBarrier(nodes: readonly Node[], code: readonly string[]): boolean {
  return nodes.some((n) => (n.kind === 'line' ? code[n.at] === BARRIER : n.barriers));
}

/** A workgroup array's name and how a line mentions it, takes its address, or assigns to it (as the target's start). */
interface Name { readonly name: string; readonly mention: RegExp; readonly pointer: RegExp; readonly assigned: RegExp }

function walk(nodes: readonly Node[], s: State, code: readonly string[], names: readonly Name[]): void {
  for (const n of nodes) {
    const c = code[n.at] ?? '';
    if (n.kind === 'line') {
      if (c === BARRIER) barrier(s, n.at);
      else access(s, c, names);
      continue;
    }
    if (!n.barriers || (!n.loop && !n.branch)) {
      // Straight code: a loop or branch without barriers, or a plain scope.
      access(s, c, names);
      walk(n.children, s, code, names);
    } else if (n.loop && !names.some((x) => x.mention.test(c))) {
      loopWithBarriers(n, s, code, names);
    } else {
      // A branch (or a loop whose bounds live in workgroup memory) with barriers inside: keep them all.
      access(s, c, names);
      keepPending(s);
      keepAll(n.children, s, code);
      s.before = unknown();
    }
  }
}

/**
 * The body runs after what came before the loop or after its own last iteration: walked
 * once from "anything" to learn what an iteration leaves behind, then from that and what
 * came before. The second walk stands only if its iteration leaves no more than the first
 * assumed; else the first walk's (more cautious) decisions do.
 */
function loopWithBarriers(n: Node & { kind: 'block' }, s: State, code: readonly string[], names: readonly Name[]): void {
  access(s, code[n.at] ?? '', names);
  keepPending(s);
  const first: State = { before: unknown(), after: none(), pending: undefined, keep: new Set() };
  walk(n.children, first, code, names);
  keepPending(first);
  const tail = first.before;
  const second: State = { before: join(s.before, tail), after: none(), pending: undefined, keep: new Set() };
  walk(n.children, second, code, names);
  keepPending(second);
  const chosen = within(second.before, tail) ? second : first;
  for (const k of chosen.keep) s.keep.add(k);
  // After the loop: its last iteration's tail, or (no iteration) what came before.
  s.before = join(s.before, chosen.before);
}

function barrier(s: State, at: number): void {
  if (s.pending !== undefined) s.before = join(s.before, s.after);
  s.pending = at;
  s.after = none();
}

function keepPending(s: State): void {
  if (s.pending === undefined) return;
  s.keep.add(s.pending);
  s.pending = undefined;
  s.before = s.after;
  s.after = none();
}

function keepAll(nodes: readonly Node[], s: State, code: readonly string[]): void {
  for (const n of nodes) {
    if (n.kind === 'line' && code[n.at] === BARRIER) s.keep.add(n.at);
    if (n.kind === 'block') keepAll(n.children, s, code);
  }
}

/** Records line `c`'s accesses, first keeping the undecided barrier if one conflicts with what came before it. */
function access(s: State, c: string, names: readonly Name[]): void {
  const reads: string[] = [];
  const writes: string[] = [];
  // The assignment's target: what stands before its `=` (not `==`, `<=`, `>=`, `!=`).
  const eq = /(?<![=!<>])=(?!=)/.exec(c);
  const target = eq ? c.slice(0, eq.index).trim() : '';
  // A line with a block of its own (`if (…) { … }`) may write anything it names.
  const inlineBlock = c.includes('{');
  for (const x of names) {
    if (!x.mention.test(c)) continue;
    const writesIt = inlineBlock || x.pointer.test(c) || x.assigned.test(target);
    if (writesIt) writes.push(x.name);
    reads.push(x.name);
  }
  if (reads.length === 0) return;
  const conflicts = (a: Accesses): boolean => a.all || writes.some((w) => a.reads.has(w) || a.writes.has(w)) || reads.some((r) => a.writes.has(r));
  if (s.pending !== undefined && conflicts(s.before)) keepPending(s);
  const side = s.pending !== undefined ? s.after : s.before;
  reads.forEach((r) => side.reads.add(r));
  writes.forEach((w) => side.writes.add(w));
}
