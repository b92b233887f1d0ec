/**
 * specializeDims: symbolic dims replaced by their values at a call. Run only for kernels
 * that need it — a tile local or materialized tile with a whole dimension of symbolic size
 * (`var acc = zeros([tm, D], f32)` with D a head dim), which WGSL must size at compile
 * time — and only for those dims. Every other dim stays a uniform, so one shader still
 * serves every shape that shares the specialised values; the runtime caches one artifact
 * per value (kernel.ts), so an attention kernel called with head dims 32, 64 and 80
 * compiles three shaders, each once.
 */
import type { Axis, KernelIR, Stmt } from '../ir/nodes.ts';
import { walkStmts } from '../ir/walk.ts';

/** The symbolic dims a WGSL lowering needs as constants (sorted; empty for most kernels). */
export function dimsNeedingValues(k: KernelIR): string[] {
  const names = new Set<string>();
  const scan = (axes: readonly Axis[]): void => {
    for (const a of axes) if (a.kind === 'full' && a.dim.kind === 'sym') names.add(a.dim.name);
  };
  walkStmts(k.body, (s: Stmt) => {
    if (s.kind === 'declare') scan(s.init.type.axes);
    if (s.kind === 'materialize' && (s.value.kind === 'dot' || s.value.kind === 'reduce')) scan(s.value.type.axes);
  });
  return [...names].sort();
}

/**
 * `k` with each dim in `values` made constant: dims of axes, loops and tensors, and the
 * dim's value where the kernel reads it as a scalar. The IR is plain data, so this is a
 * structural copy; shared nodes stay shared (a `let` used twice is one node).
 */
export function specializeDims(k: KernelIR, values: Readonly<Record<string, number>>): KernelIR {
  const has = (name: unknown): name is string => typeof name === 'string' && Object.hasOwn(values, name);
  const seen = new Map<object, unknown>();
  const copy = (x: unknown): unknown => {
    if (typeof x !== 'object' || x === null) return x;
    const done = seen.get(x);
    if (done !== undefined) return done;
    let out: unknown;
    if (Array.isArray(x)) {
      out = x.map(copy);
    } else {
      const o = x as Readonly<Record<string, unknown>>;
      if (o['kind'] === 'sym' && has(o['name'])) out = { kind: 'const', value: values[o['name']] };
      else if (o['kind'] === 'dim' && has(o['name'])) out = { kind: 'const', type: copy(o['type']), value: values[o['name']] };
      else out = Object.fromEntries(Object.entries(o).map(([key, v]) => [key, copy(v)]));
    }
    seen.set(x, out);
    return out;
  };
  // The copy has the same shape as the IR, with only Dim and dim-value nodes replaced by
  // nodes of the same unions; TypeScript cannot follow a structural copy, hence the cast.
  return copy(k) as KernelIR;
}
