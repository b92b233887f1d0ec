/**
 * Long rows in one pass (the `rowCache` knob). A kernel that reads whole rows
 * (`x[tm, :]`) normally streams them from global memory once per use — softmax reads x
 * three times (max, sum of exponentials, output). With `rowCache = CAP`, when every
 * cached row is at most CAP long (checked at run time, a workgroup-uniform branch), the
 * workgroup first copies its rows into workgroup memory and every later read of them
 * hits that copy; longer rows take the streaming path, so any shape still works.
 */
import type { DType, IndexItem, KernelIR, LoopInfo, Stmt, TensorRef, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';
import type { EmitContext } from './context.ts';
import { dimExpr } from './shape.ts';
import { bufferName } from './values.ts';
import { arrayRead } from './ranged-access.ts';

/** A tensor read as whole rows of one grid loop's block: `x[tm, :]`. */
export interface CachedRows {
  readonly tensor: TensorRef;
  readonly loop: LoopInfo;
}

function rowsPattern(index: readonly IndexItem[], k: KernelIR): LoopInfo | undefined {
  const [a, b] = index;
  if (index.length !== 2 || a?.kind !== 'block' || b?.kind !== 'full') return undefined;
  return k.grid.some((l) => l.id === a.loop.id) ? a.loop : undefined;
}

/** The input tensors the kernel reads as whole rows (candidates for the row cache). */
export function cacheableRows(k: KernelIR): CachedRows[] {
  const found = new Map<string, CachedRows>();
  const visit = (v: Value): void => {
    if (v.kind === 'load' && v.tensor.role === 'input') {
      const loop = rowsPattern(v.index, k);
      if (loop) found.set(v.tensor.name, { tensor: v.tensor, loop });
    }
    operands(v).forEach(visit);
  };
  // Only the top level of the body: reads inside nested loops may index other rows.
  const walk = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) stmtValues(s).forEach(visit);
  };
  walk(k.body);
  return [...found.values()];
}

export function isCachedRead(ctx: EmitContext, t: TensorRef, index: readonly IndexItem[]): boolean {
  const cached = ctx.rowCache?.get(t.name);
  return cached !== undefined && rowsPattern(index, ctx.kernel)?.id === cached.loop.id;
}

export const cacheName = (t: TensorRef): string => `rc_${bufferName(t)}`;

const storage = (d: DType): string => (d === 'bool' ? 'u32' : d);

/**
 * Emits `if (rows fit) { fill; body(cached) } else { body(streaming) }`. `body` is called
 * twice and must emit the same statements each time.
 */
export function emitWithRowCache(ctx: EmitContext, rows: readonly CachedRows[], cap: number, body: () => void): void {
  const fits = rows.map((r) => `${dimExpr(r.tensor.dims[1] ?? { kind: 'const', value: 0 })} <= ${cap}`).join(' && ');
  ctx.open(`if (${fits}) {`);
  for (const r of rows) {
    const block = ctx.block(r.loop);
    const name = cacheName(r.tensor);
    ctx.declareWorkgroup(name, `array<${storage(r.tensor.dtype)}, ${block * cap}>`);
    const cols = dimExpr(r.tensor.dims[1] ?? { kind: 'const', value: 0 });
    const rowsDim = dimExpr(r.loop.dim);
    const off = `off_${r.loop.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const e = ctx.fresh('rc');
    // Rows past the tensor's end are filled with zeros, like a masked load.
    ctx.open(`for (var ${e} = lid; ${e} < ${block} * ${cols}; ${e} += ${ctx.config.workgroupSize}) {`);
    ctx.line(`let ${e}_r = ${e} / ${cols};`);
    ctx.line(`let ${e}_c = ${e} % ${cols};`);
    ctx.line(`let ${e}_ok = ${off} + ${e}_r < ${rowsDim};`);
    ctx.line(`${name}[${e}_r * ${cap} + ${e}_c] = select(${storage(r.tensor.dtype)}(0), ${arrayRead(ctx, r.tensor, `select(0, (${off} + ${e}_r) * ${cols} + ${e}_c, ${e}_ok)`)}, ${e}_ok);`);
    ctx.close();
  }
  ctx.barrier();
  ctx.rowCache = new Map(rows.map((r) => [r.tensor.name, { loop: r.loop, cap }]));
  body();
  ctx.rowCache = undefined;
  ctx.reopen('} else {');
  body();
  ctx.close();
}
