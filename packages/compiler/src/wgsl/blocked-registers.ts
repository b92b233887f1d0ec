/**
 * Tile locals kept in the registers of a register-blocked `@` (dot-blocked.ts): the
 * output accumulator of attention, `acc = acc * alpha + p @ v[bh, tn, :]`, carried
 * across the key loop. The product's plan (blocked-plan.ts) gives each invocation a
 * tr×tc block of the [R, C] result; when every access to the local is at the elements an
 * invocation owns under that plan, the local can live there for its whole life:
 *
 *   the fused product accumulates into it (fuseDotAccumulate, layout.ts aliases);
 *   elementwise statements over its shape (its `zeros` initialisation, the final
 *   `out[…] = acc / l`) visit the owned elements of the plan instead of a strided loop.
 *
 * Otherwise the accumulator is read from and written back to workgroup memory around
 * every product: 2·tr·tc accesses per invocation per step, each a gather or scatter on
 * a CPU adapter.
 *
 * Needs the plan in one pass (rowsPerPass = tr), so all tr·tc sums are live at once.
 */
import type { Axis, KernelIR, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues, walkStmts } from '../ir/walk.ts';
import type { BlockedDotPlan } from './blocked-plan.ts';
import type { EmitContext } from './context.ts';
import { maskExpr } from './shape.ts';

export interface BlockedLocal {
  /** The `@` whose plan owns the local's elements. */
  readonly dot: string;
  readonly plan: BlockedDotPlan;
  readonly axes: readonly Axis[];
}

type SameAxes = (a: readonly Axis[], b: readonly Axis[]) => boolean;

/**
 * Locals (by id) that live in a blocked product's registers. `aliases` maps each fused
 * blocked `@` to the local it accumulates into (layout.ts addBlockedDots).
 */
export function blockedRegisterLocals(
  k: KernelIR, plans: ReadonlyMap<string, BlockedDotPlan>, aliases: ReadonlyMap<string, string>, sameAxes: SameAxes,
): Map<string, BlockedLocal> {
  const out = new Map<string, BlockedLocal>();
  const declared = new Map<string, readonly Axis[]>();
  walkStmts(k.body, (s) => {
    if (s.kind === 'declare') declared.set(s.id, s.init.type.axes);
  });
  for (const [dot, local] of aliases) {
    const plan = plans.get(dot);
    const axes = declared.get(local);
    if (!plan || !axes || plan.rowsPerPass !== plan.tr) continue;
    // Two products accumulating into one local would need the same plan: keep it simple.
    if ([...out.values()].some((b) => b.axes === axes)) continue;
    out.set(local, { dot, plan, axes });
  }
  const disqualify = (vs: readonly Value[], keep?: (id: string) => boolean): void => {
    const visit = (v: Value): void => {
      if (v.kind === 'local' && !(keep?.(v.id) ?? false)) out.delete(v.id);
      operands(v).forEach(visit);
    };
    vs.forEach(visit);
  };
  // A read is at an owned element only directly in an elementwise statement over the
  // local's own shape (not through a transpose, view or gather, which move coordinates).
  const direct = (v: Value, axes: readonly Axis[]): void => {
    if (v.kind === 'transpose' || v.kind === 'view' || v.kind === 'gather') return disqualify(operands(v));
    if (v.kind === 'local') {
      const b = out.get(v.id);
      if (b && !sameAxes(b.axes, axes)) out.delete(v.id);
    }
    operands(v).forEach((o) => direct(o, axes));
  };
  walkStmts(k.body, (s: Stmt) => {
    switch (s.kind) {
      case 'store': return stmtValues(s).forEach((v) => direct(v, storeShape(s)));
      case 'declare': return direct(s.init, s.init.type.axes);
      // `%acc = @m` of its own product reads nothing; any other value is read at owned elements.
      case 'assign': return direct(s.value, declared.get(s.id) ?? []);
      case 'materialize': {
        const v = s.value;
        // The product seeds its sums from its accumulator at the elements it owns.
        if (v.kind === 'dot') {
          disqualify([v.a, v.b]);
          if (v.acc) disqualify([v.acc], (id) => out.get(id)?.dot === s.id);
          return;
        }
        return disqualify(operands(v));
      }
      default: return disqualify(stmtValues(s));
    }
  });
  return out;
}

function storeShape(s: Stmt & { kind: 'store' }): Axis[] {
  const axes: Axis[] = [];
  for (const [i, item] of s.index.entries()) {
    const dim = s.tensor.dims[i];
    if (item.kind === 'block') axes.push({ kind: 'block', loop: item.loop });
    else if (item.kind === 'full' && dim) axes.push({ kind: 'full', dim });
  }
  return axes;
}

/** Tile row of owned row `i` and tile column of owned column `j` under `plan` (as dot-blocked.ts lays them out). */
export function blockedRow(plan: BlockedDotPlan, i: number | string): string {
  return plan.gy > 1 ? `bd_y * ${plan.tr} + ${i}` : `${i}`;
}

export function blockedColumn(plan: BlockedDotPlan, j: number | string): string {
  if (typeof j === 'number') {
    const group = Math.floor(j / plan.w) * plan.gx;
    const start = group === 0 ? 'bd_x' : `(${group} + bd_x)`;
    return plan.w === 1 ? start : `${start} * ${plan.w} + ${j % plan.w}`;
  }
  if (plan.w === 1) return `(${j}) * ${plan.gx} + bd_x`;
  return `((${j}) / ${plan.w} * ${plan.gx} + bd_x) * ${plan.w} + (${j}) % ${plan.w}`;
}

/** The invocation's place in the plan's grid: `bd_y` (when there are several rows of invocations) and `bd_x`. */
export function emitBlockedCoords(ctx: EmitContext, plan: BlockedDotPlan): void {
  if (plan.gy > 1) ctx.line(`let bd_y = lid / ${plan.gx};`);
  ctx.line(`let bd_x = lid % ${plan.gx};`);
}

/**
 * Runs `each` for every element an invocation owns under a blocked local's plan, in a
 * scope of its own. Writing the registers needs constant indices (unrolled); reading
 * them runs one loop over the elements through a copy (microtile.ts says why).
 */
export function forEachBlockOwned(ctx: EmitContext, b: BlockedLocal, registerTiles: readonly string[], writes: boolean, each: (coords: string[], mask: string) => void): void {
  const { plan } = b;
  ctx.open(`{ // the ${plan.gy * plan.tr}×${plan.gx * plan.tc} tile of @${b.dot}'s registers: ${plan.tr}×${plan.tc} per invocation`);
  emitBlockedCoords(ctx, plan);
  const n = plan.tr * plan.tc;
  const run = (index: string, coords: string[]): void => {
    ctx.owned = { index, copies, owner: b.dot };
    try {
      each(coords, maskExpr(b.axes, coords));
    } finally {
      ctx.owned = undefined;
    }
  };
  const copies = new Map<string, string>();
  if (writes) {
    for (let r = 0; r < n; r++) run(String(r), [`(${blockedRow(plan, Math.floor(r / plan.tc))})`, `(${blockedColumn(plan, r % plan.tc)})`]);
  } else {
    for (const name of registerTiles) {
      const copy = ctx.fresh(`${name}_c`);
      ctx.line(`var ${copy} = ${name};`);
      copies.set(name, copy);
    }
    const r = ctx.fresh('bd_e');
    ctx.open(`for (var ${r} = 0; ${r} < ${n}; ${r}++) {`);
    const [row, col] = [ctx.fresh('bd_row'), ctx.fresh('bd_col')];
    ctx.line(`let ${row} = ${blockedRow(plan, `${r} / ${plan.tc}`)};`);
    ctx.line(`let ${col} = ${blockedColumn(plan, `${r} % ${plan.tc}`)};`);
    run(r, [row, col]);
    ctx.close();
  }
  ctx.close();
}
