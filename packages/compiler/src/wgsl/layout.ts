/**
 * Layout analysis, once per kernel and config, before any WGSL is written: where each
 * tile lives, and how global buffers are typed.
 *
 * The micro-tile layout. The result tile [BM, BN] of the kernel's `@` (config/dots.ts)
 * is split over the workgroup: invocation (ty, tx) of a (BM/TM)×(BN/TN) grid owns TM
 * rows `ty*TM + i` and TN columns in groups of w = vectorWidth, `(g*TX + tx)*w + c`
 * (group g, lane c). Every elementwise statement over exactly that shape visits the
 * owned elements (unrolled), not the generic strided loop, so a tile that is only ever
 * read and written there can live in registers: each invocation keeps its TM×TN
 * elements in a function-scope array indexed by constants.
 *
 * A tile local or `@` result of that shape lives in registers unless something reads it
 * at elements the reading invocation does not own: a reduction, scan or `@` operand,
 * or an elementwise statement over any other shape (a broadcast into a bigger store).
 * Those stay in workgroup memory, and the generic path handles them.
 *
 * A fused accumulation (`@m = dot(a, b, acc=%x)` then `%x = @m`, from fuseDotAccumulate)
 * with both in registers aliases `@m` to `%x`'s registers: the product accumulates in
 * place and the copy disappears.
 */
import type { Axis, KernelIR, LoopInfo, Stmt, Value } from '../ir/nodes.ts';
import type { KernelConfig } from '../config/config.ts';
import { axisLength, blockOf } from '../config/block.ts';
import { dotSites, layoutDot } from '../config/dots.ts';
import { operands, stmtValues, walkStmts } from '../ir/walk.ts';
import { storeShape } from '../ir/store-shape.ts';
import { blockedDotPlan, type BlockedDotPlan } from './blocked-plan.ts';
import { blockedRegisterLocals, type BlockedLocal } from './blocked-registers.ts';
import { vectorStoreTensors } from '../config/vector-stores.ts';
import { ROW_VECTOR, rowVectorTensors } from '../config/row-vectors.ts';

export interface MicroTile {
  /** The result axes of the `@`: [block rows, block cols]. */
  readonly axes: readonly Axis[];
  readonly rows: LoopInfo;
  readonly cols: LoopInfo;
  readonly bm: number;
  readonly bn: number;
  readonly tm: number;
  readonly tn: number;
  /** Invocations along the columns: BN / TN (the thread grid is threadsY × threadsX). */
  readonly threadsX: number;
  readonly threadsY: number;
  /** Width of an owned column group. */
  readonly w: number;
}

export interface Layout {
  readonly micro: MicroTile | undefined;
  readonly registerLocals: ReadonlySet<string>;
  readonly registerMats: ReadonlySet<string>;
  /**
   * Reductions along the micro-tile's columns (`max(s, axis=1)` of a [tm, tn] tile): each
   * invocation folds its owned elements in registers and the row's invocations combine
   * their partials (reduce-micro.ts), so their operand may stay in registers.
   */
  readonly rowReduces: ReadonlySet<string>;
  /**
   * Register locals that a `@` also reads as an operand (attention's `p @ v`): kept in
   * registers for everything else, with a workgroup-memory copy written after each
   * assignment for the product, which reads elements other invocations own.
   */
  readonly mirroredLocals: ReadonlySet<string>;
  /** `@m` → the local whose registers (or, for a blocked `@`, workgroup array) it accumulates into. */
  readonly aliases: ReadonlyMap<string, string>;
  /** `@m` → how its invocations share the result out, for products computed in register blocks (dot-blocked.ts). */
  readonly blockedDots: ReadonlyMap<string, BlockedDotPlan>;
  /** Tile locals living in a blocked `@`'s registers (blocked-registers.ts), by id. */
  readonly blockedLocals: ReadonlyMap<string, BlockedLocal>;
  /** Input tensors declared as arrays of vectors of this width (read by the `@` in vectors). */
  readonly vectorTensors: ReadonlyMap<string, number>;
  /** Outputs that take atomic adds: declared `array<atomic<…>>`. */
  readonly atomicTensors: ReadonlySet<string>;
}

export function sameAxes(a: readonly Axis[], b: readonly Axis[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    if (!y || x.kind !== y.kind) return false;
    if (x.kind === 'block' && y.kind === 'block') return x.loop.id === y.loop.id;
    if (x.kind === 'full' && y.kind === 'full') return x.dim.kind === y.dim.kind && (x.dim.kind === 'sym' ? x.dim.name === (y.dim.kind === 'sym' ? y.dim.name : '') : x.dim.value === (y.dim.kind === 'const' ? y.dim.value : -1));
    return true;
  });
}

/** The shape of a store's iteration: its block, ':' and slice subscripts, or a scatter's union (ir/store-shape.ts). */
export function storeAxes(s: Stmt & { kind: 'store' }): Axis[] {
  return [...storeShape(s.tensor, s.index).axes];
}

/**
 * A dot operand the backend can load itself (in vectors): an f32 input read at blocks /
 * ':' along its last two dims, after any scalar subscripts (`a[tm, tk]`, or `a[b, tm, tk]`
 * — one matrix of a batch, whose rows are as contiguous as a 2-D tensor's).
 */
export function plainLoad(v: Value): (Value & { kind: 'load' }) | undefined {
  if (v.kind !== 'load' || v.tensor.dtype !== 'f32' || v.tensor.role !== 'input' || v.tensor.dims.length < 2) return undefined;
  const lead = v.index.length - 2;
  return v.index.every((i, p) => (p < lead ? i.kind === 'scalar' : i.kind !== 'scalar')) ? v : undefined;
}

/**
 * A `@` b operand read as `transpose(b[tn, tk])`: a plainLoad whose rows run along the
 * product's columns, so k is its contiguous dim (like a's) and it is read in place.
 */
export function transposedLoad(v: Value): (Value & { kind: 'load' }) | undefined {
  return v.kind === 'transpose' ? plainLoad(v.x) : undefined;
}

function reads(v: Value, out: { locals: string[]; mats: string[] }): void {
  if (v.kind === 'local') out.locals.push(v.id);
  if (v.kind === 'mat') out.mats.push(v.id);
  operands(v).forEach((o) => reads(o, out));
}

export function analyzeLayout(k: KernelIR, c: KernelConfig): Layout {
  const atomicTensors = new Set<string>();
  const vectorTensors = new Map<string, number>();
  const registerLocals = new Set<string>();
  const registerMats = new Set<string>();
  const aliases = new Map<string, string>();
  const dot = layoutDot(k);
  walkStmts(k.body, (s) => {
    if (s.kind === 'store' && s.atomic) atomicTensors.add(s.tensor.name);
  });
  for (const name of vectorStoreTensors(k, c)) vectorTensors.set(name, c.vectorWidth);
  for (const name of rowVectorTensors(k, c)) vectorTensors.set(name, ROW_VECTOR);
  if (!dot) {
    const blockedDots = addBlockedDots(k, c, undefined, vectorTensors, aliases);
    const blockedLocals = blockedRegisterLocals(k, blockedDots, aliases, sameAxes);
    return { micro: undefined, registerLocals, registerMats, rowReduces: new Set(), mirroredLocals: new Set(), aliases, blockedDots, blockedLocals, vectorTensors, atomicTensors };
  }

  const [tm, tn] = c.microTile;
  const bm = blockOf(c, dot.rows);
  const bn = blockOf(c, dot.cols);
  const micro: MicroTile = {
    axes: dot.value.type.axes, rows: dot.rows, cols: dot.cols, bm, bn, tm, tn,
    threadsX: bn / tn, threadsY: bm / tm, w: c.vectorWidth,
  };
  const isMicro = (axes: readonly Axis[]): boolean => sameAxes(axes, micro.axes);
  const rowReduces = new Set<string>();
  const mirrorCandidates = new Set<string>();

  // Candidates, then everything read where the reader does not own the element.
  const localAxes = new Map<string, readonly Axis[]>();
  const matCount = new Map<string, number>();
  walkStmts(k.body, (s) => {
    if (s.kind === 'declare') {
      localAxes.set(s.id, s.init.type.axes);
      if (isMicro(s.init.type.axes)) registerLocals.add(s.id);
    }
    if (s.kind === 'materialize' && s.value.kind === 'dot' && isMicro(s.value.type.axes)) registerMats.add(s.id);
  });
  const disqualify = (vs: readonly Value[]): void => {
    const r = { locals: [] as string[], mats: [] as string[] };
    vs.forEach((v) => reads(v, r));
    r.locals.forEach((id) => registerLocals.delete(id));
    r.mats.forEach((id) => registerMats.delete(id));
  };
  // A transpose reads its operand at swapped coordinates, and a gather's index tiles are
  // read at coordinates it maps: elements their reader need not own.
  const underTranspose = (v: Value): void => {
    if (v.kind === 'transpose' || v.kind === 'view' || v.kind === 'gather') disqualify(operands(v));
    operands(v).forEach(underTranspose);
  };
  walkStmts(k.body, (s) => {
    stmtValues(s).forEach(underTranspose);
    const r = { locals: [] as string[], mats: [] as string[] };
    stmtValues(s).forEach((v) => reads(v, r));
    r.mats.forEach((id) => matCount.set(id, (matCount.get(id) ?? 0) + 1));
    switch (s.kind) {
      case 'store': if (!isMicro(storeAxes(s))) disqualify(stmtValues(s)); break;
      case 'declare': if (!isMicro(s.init.type.axes)) disqualify([s.init]); break;
      case 'assign': if (!isMicro(localAxes.get(s.id) ?? [])) disqualify([s.value]); break;
      case 'materialize': {
        const v = s.value;
        if (v.kind === 'reduce' && microRowReduce(v, micro)) {
          // Read at owned elements only (reduce-micro.ts).
          rowReduces.add(s.id);
        } else if (v.kind === 'dot') {
          // A register local read whole as an operand gets a workgroup copy for the product.
          for (const op of [v.a, v.b]) {
            if (op.kind === 'local' && isMicro(op.type.axes)) mirrorCandidates.add(op.id);
            else disqualify([op]);
          }
          // A micro-tiled @ seeds its accumulator at owned elements; any other reads it anywhere.
          if (v.acc && !isMicro(v.type.axes)) disqualify([v.acc]);
        } else {
          disqualify(operands(v));
        }
        break;
      }
      default: disqualify(stmtValues(s));
    }
  });
  const mirroredLocals = new Set([...mirrorCandidates].filter((id) => registerLocals.has(id)));
  walkStmts(k.body, (s, stmts, i) => {
    const next = stmts[i + 1];
    if (s.kind !== 'materialize' || s.value.kind !== 'dot' || !registerMats.has(s.id)) return;
    const acc = s.value.acc;
    if (acc?.kind === 'local' && registerLocals.has(acc.id) && next?.kind === 'assign' && next.id === acc.id &&
        next.value.kind === 'mat' && next.value.id === s.id && matCount.get(s.id) === 1) {
      aliases.set(s.id, acc.id);
    }
  });

  if (c.vectorWidth > 1) {
    for (const d of dotSites(k)) {
      if (!isMicro(d.value.type.axes)) continue;
      for (const operand of [d.value.a, d.value.b]) {
        // A transposed b is read in vectors along k when staged, or when `unroll` covers
        // a vector (a scalar read of a vector-declared buffer costs more than a plain one).
        const vectorAlongK = c.stageB || c.unroll % c.vectorWidth === 0;
        const load = plainLoad(operand) ?? (operand === d.value.b && vectorAlongK ? transposedLoad(operand) : undefined);
        if (load) vectorTensors.set(load.tensor.name, c.vectorWidth);
      }
    }
  }
  const blockedDots = addBlockedDots(k, c, micro, vectorTensors, aliases);
  const blockedLocals = blockedRegisterLocals(k, blockedDots, aliases, sameAxes);
  return { micro, registerLocals, registerMats, rowReduces, mirroredLocals, aliases, blockedDots, blockedLocals, vectorTensors, atomicTensors };
}

/**
 * Whether reduction `v` folds the micro-tile's columns: a sum, max or min of a [BM, BN]
 * tile of the layout along axis 1 (keepdim or not), over a dtype subgroup operations and
 * `max` take. Such a reduction reads each element at its owner (reduce-micro.ts).
 */
export function microRowReduce(v: Value & { kind: 'reduce' }, micro: MicroTile): boolean {
  const d = v.x.type.dtype;
  return (v.op === 'sum' || v.op === 'max' || v.op === 'min') && v.axis === 1 && (d === 'f32' || d === 'i32' || d === 'u32') &&
    sameAxes(v.x.type.axes, micro.axes);
}

/**
 * The register-blocked `@`s (dot-blocked.ts, static result sizes outside the micro-tile),
 * returned with their plans (blocked-plan.ts) by `@` id: b operands their plan reads in vectors are declared as arrays of vectors of that
 * width, and a fused accumulation (`@m = dot(a, b, acc=x)` then `%l = @m`, %l a tile
 * local in workgroup memory of the product's shape) accumulates into %l's array: each
 * invocation reads x at the elements it computes before it writes them, so in place is
 * safe, and the copy disappears.
 */
function addBlockedDots(k: KernelIR, c: KernelConfig, micro: MicroTile | undefined, vectorTensors: Map<string, number>, aliases: Map<string, string>): Map<string, BlockedDotPlan> {
  const blockedDots = new Map<string, BlockedDotPlan>();
  const matCount = new Map<string, number>();
  const localAxes = new Map<string, readonly Axis[]>();
  walkStmts(k.body, (s) => {
    const r = { locals: [] as string[], mats: [] as string[] };
    stmtValues(s).forEach((v) => reads(v, r));
    r.mats.forEach((id) => matCount.set(id, (matCount.get(id) ?? 0) + 1));
    if (s.kind === 'declare') localAxes.set(s.id, s.init.type.axes);
  });
  walkStmts(k.body, (s, stmts, i) => {
    if (s.kind !== 'materialize' || s.value.kind !== 'dot') return;
    const axes = s.value.type.axes;
    if ((micro && sameAxes(axes, micro.axes)) || axes.length !== 2) return;
    const [rows, cols] = axes.map((a) => axisLength(c, a));
    if (rows === undefined || cols === undefined) return;
    const plan = blockedDotPlan(rows, cols, c.workgroupSize, c.vectorWidth, c.broadcastA);
    if (!plan) return;
    blockedDots.set(s.id, plan);
    const load = plainLoad(s.value.b);
    const declared = load ? vectorTensors.get(load.tensor.name) : undefined;
    if (load && plan.w > 1 && (declared === undefined || declared === plan.w)) vectorTensors.set(load.tensor.name, plan.w);
    const next = stmts[i + 1];
    if (s.value.acc && next?.kind === 'assign' && next.value.kind === 'mat' && next.value.id === s.id && matCount.get(s.id) === 1 &&
        sameAxes(localAxes.get(next.id) ?? [], axes)) {
      aliases.set(s.id, next.id);
    }
  });
  return blockedDots;
}

/**
 * Bytes of workgroup memory the kernel's tiles take under config `c`: tile locals and
 * materialized values (reductions, scans, `@` results) that the layout does not keep in
 * registers. An estimate made before any WGSL is written — operand staging and the
 * emitter's small scratch arrays are left out — for choosing default blocks that fit.
 */
export function workgroupTileBytes(k: KernelIR, c: KernelConfig): number {
  const layout = analyzeLayout(k, c);
  // A runtime dim counts 1: an estimate (such tiles are windowed or streamed, not held).
  const size = (axes: readonly Axis[]): number => axes.reduce((n, a) => n * (axisLength(c, a) ?? 1), 1);
  const bytes = (t: { readonly dtype: string; readonly axes: readonly Axis[] }): number => (t.axes.length === 0 ? 0 : size(t.axes) * (t.dtype === 'f16' ? 2 : 4));
  let total = 0;
  const walk = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'declare') {
        const inRegisters = layout.registerLocals.has(s.id) || layout.blockedLocals.has(s.id);
        if (!inRegisters || layout.mirroredLocals.has(s.id)) total += bytes(s.init.type);
      }
      if (s.kind === 'materialize' && !layout.registerMats.has(s.id) && !layout.aliases.has(s.id)) total += bytes(s.value.type);
      if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') walk(s.body);
      if (s.kind === 'if') {
        walk(s.then);
        walk(s.otherwise);
      }
    }
  };
  walk(k.body);
  return total;
}
