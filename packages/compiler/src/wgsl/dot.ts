/**
 * `@` in WGSL. A product over the micro-tile shape (layout.ts) runs as a register-tiled
 * matmul:
 *
 *   for each step of C elements of the contraction (one step per tile loop block, or
 *   ⌈K/C⌉ steps of C = kChunk over a ':' dim):
 *     stage a's [BM, C] and b's [C, BN] tiles in workgroup memory (stageA / stageB),
 *       cooperatively, k-major, with w-wide vector loads when the row length allows;
 *     barrier;
 *     each invocation accumulates its TM×TN registers over the step, `unroll` k at a
 *       time: TM a values and TN b values per k, TM·TN fma;
 *     (the next step's staging starts with a barrier.)
 *
 * A transposed b (`q @ transpose(k[tn, :])`) has k contiguous, like a: unstaged, it is
 * read in place the way a is (vectors along k when `unroll` covers them), never copied.
 *
 * With broadcastA, the invocations of a subgroup (which share their TM rows of a) each
 * load one of those rows at each k and subgroupBroadcast gives every invocation all TM:
 * one load per invocation instead of TM (KernelConfig.broadcastA says when it is valid).
 *
 * An operand that is not staged is read from global memory inside the k loop. That is
 * the better choice when all invocations read the same elements (BM = TM for a): the
 * address is uniform, and on CPU adapters a uniform load is one scalar load broadcast
 * to all lanes, where a staged read is a gather.
 *
 * Ragged edges: rows and columns past the tensor are clamped to its last row/column
 * (their results are never stored), and the k loop stops at the tensor's end, so the
 * inner loop has no masks. Vector loads need the row length to be a multiple of w; that
 * is a runtime property, so a scalar copy of the loop runs when it is not.
 *
 * Any other `@` (a result shape other than the micro-tile's) is computed into a workgroup
 * array: in register blocks per invocation when its size is static and the workgroup
 * divides it (dot-blocked.ts), else one element per invocation at a time.
 */
import type { Axis, Value } from '../ir/nodes.ts';
import { ident, offsetName, type EmitContext, type RegStorage, type WgStorage } from './context.ts';
import { plainLoad, sameAxes, transposedLoad, type MicroTile } from './layout.ts';
import { forEachOwned, forEachOwnedLooped, ownedCol, ownedRow } from './microtile.ts';
import { dimExpr, emitDecompose, linearIndex, staticSize } from './shape.ts';
import { emitValue, matrixOffset, readTensor } from './values.ts';
import { arrayRead } from './ranged-access.ts';
import { emitBlockedDot } from './dot-blocked.ts';

type Dot = Value & { kind: 'dot' };

export function emitDot(ctx: EmitContext, id: string, v: Dot): void {
  const micro = ctx.layout.micro;
  if (micro && sameAxes(v.type.axes, micro.axes)) emitMicroDot(ctx, id, v, micro);
  else if (!emitBlockedDot(ctx, id, v)) emitGenericDot(ctx, id, v);
}

/** The contraction axis: its length in this tile and how its local coordinate maps to the tensor. */
export interface Contraction {
  /** Elements per step. */
  readonly chunk: number;
  /** Steps loop over the axis (':' dim) or a single step (a tile loop's block). */
  readonly looped: boolean;
  /** Elements of the axis in this tile (may exceed the chunk only when looped). */
  readonly extent: string;
  /** Global index of local coordinate 0. */
  readonly base: string;
}

export function contraction(ctx: EmitContext, k: Axis | undefined): Contraction {
  if (k?.kind === 'block') {
    const b = ctx.block(k.loop);
    return { chunk: b, looped: false, extent: `${dimExpr(k.loop.dim)} - ${offsetName(k.loop)}`, base: offsetName(k.loop) };
  }
  if (k?.kind === 'full') return { chunk: ctx.config.kChunk, looped: true, extent: dimExpr(k.dim), base: '0' };
  return { chunk: 1, looped: false, extent: '1', base: '0' };
}

/** How the k loop reads one operand. */
interface Operand {
  readonly value: Value;
  /** Which of the operand's axes is the contraction (a: 1, b: 0). */
  readonly kAxis: 0 | 1;
  /** Set when the backend loads the tensor itself (an f32 input matrix, layout.ts plainLoad). */
  readonly load: (Value & { kind: 'load' }) | undefined;
  /** Where the loaded matrix starts in the tensor, as `offset + ` ('' for a 2-D tensor). */
  readonly at: string;
  /**
   * b only: the load is transposed (`transpose(b[tn, tk])`), so the tensor's rows run
   * along the product's columns and k is contiguous, as in a: read like a, in place.
   */
  readonly kRows: boolean;
  /** Vector width the tensor is declared with, if any. */
  readonly w: number | undefined;
  readonly staged: boolean;
  /** Workgroup array for the staged tile. */
  readonly tile: string;
  /**
   * Elements per element of the staged tile's array: it holds vectors of the elements
   * one invocation reads together at one k (a's TM rows, b's column groups of w).
   */
  readonly sw: number;
}

function operand(ctx: EmitContext, m: MicroTile, id: string, value: Value, kAxis: 0 | 1, staged: boolean): Operand {
  const transposed = kAxis === 0 ? transposedLoad(value) : undefined;
  const load = plainLoad(value) ?? transposed;
  const w = load ? ctx.layout.vectorTensors.get(load.tensor.name) : undefined;
  const sw = kAxis === 1 ? (m.tm % 4 === 0 ? 4 : m.tm % 2 === 0 ? 2 : 1) : m.w;
  const at = load ? matrixOffset(ctx, load.tensor, load.index) : '';
  return { value, kAxis, load, w, staged, tile: `${kAxis === 1 ? 'dot_a' : 'dot_b'}_${id}`, sw, at, kRows: transposed !== undefined };
}

const vecType = (w: number): string => (w === 1 ? 'f32' : `vec${w}<f32>`);

/** Assigns element `slot` (a linear index into the staged tile) of `op`'s workgroup array. */
function stageElement(op: Operand, slot: string): string {
  return op.sw === 1 ? `${op.tile}[${slot}]` : `${op.tile}[(${slot}) / ${op.sw}][(${slot}) % ${op.sw}]`;
}

/** The loaded matrix's dims (the tensor's last two) as WGSL. */
function dims(op: Operand & { load: Value & { kind: 'load' } }): { d0: string; d1: string } {
  const [d0, d1] = op.load.tensor.dims.slice(-2);
  return { d0: d0 ? dimExpr(d0) : '1', d1: d1 ? dimExpr(d1) : '1' };
}

/** Global offset of the matrix's subscript `i` (0: rows, 1: columns) at local coordinate 0. */
function subscriptBase(op: Operand & { load: Value & { kind: 'load' } }, i: number): string {
  const item = op.load.index[op.load.index.length - 2 + i];
  return item?.kind === 'block' ? offsetName(item.loop) : '0';
}

function emitMicroDot(ctx: EmitContext, id: string, v: Dot, m: MicroTile): void {
  const cfg = ctx.config;
  const kc = contraction(ctx, v.a.type.axes[1]);
  const a = operand(ctx, m, id, v.a, 1, cfg.stageA);
  const b = operand(ctx, m, id, v.b, 0, cfg.stageB);
  const n = m.tm * m.tn;

  // Where the sums accumulate: an aliased accumulator's registers, the result's own
  // registers, or scratch registers copied to workgroup memory at the end.
  const alias = ctx.layout.aliases.get(id);
  const aliasStorage = alias !== undefined ? ctx.locals.get(alias)?.storage : undefined;
  let target: string;
  if (aliasStorage?.kind === 'registers') {
    target = aliasStorage.name;
  } else {
    target = ctx.layout.registerMats.has(id) ? `mat_${id}` : `dacc_${id}`;
    // Zeroed explicitly: inside a loop the declaration runs once per iteration, and a
    // declaration without an initializer is not reset on every adapter (lavapipe keeps
    // the previous iteration's sums).
    ctx.line(`var ${target}: array<f32, ${n}> = array<f32, ${n}>();`);
    const acc = v.acc;
    if (acc) forEachOwned(ctx, m, (coords, _mask, r) => ctx.line(`${target}[${r}] = ${emitValue(ctx, acc, coords)};`));
  }
  for (const op of [a, b]) {
    if (op.staged) ctx.declareWorkgroup(op.tile, `array<${vecType(op.sw)}, ${(kc.chunk * (op.kAxis === 1 ? m.bm : m.bn)) / op.sw}>`);
  }

  ctx.open(`{ // @${id}: ${m.bm}×${m.bn} tile, ${m.tm}×${m.tn} per invocation, k in steps of ${kc.chunk}${a.staged ? ', a staged' : ''}${b.staged ? ', b staged' : ''}`);
  emitDirectBases(ctx, m, a, b, kc);
  const vectorized = [a, b].filter((op): op is Operand & { load: Value & { kind: 'load' }; w: number } => op.load !== undefined && op.w !== undefined);
  // w-wide loads of a row need its length to be a multiple of w (the runtime pads
  // buffers, not rows): checked at run time, the same in every invocation, so uniform.
  // Row lengths known at compile time decide the check here: one version of the loop.
  const known = vectorized.every((op) => /^\d+$/.test(dims(op).d1));
  const staticOk = known && vectorized.every((op) => Number(dims(op).d1) % op.w === 0);
  const vecOk = known ? undefined : [...new Set(vectorized.map((op) => `${dims(op).d1} % ${op.w} == 0`))].join(' && ');
  if (vecOk) ctx.line(`let d_vec = ${vecOk};`);
  if (kc.looped) ctx.open(`for (var d_k0 = 0; d_k0 < ${kc.extent}; d_k0 += ${kc.chunk}) {`);
  else ctx.line('let d_k0 = 0;');
  ctx.line(`let d_kn = min(${kc.chunk}, ${kc.extent} - d_k0);`);
  // Only the code that touches a vector-declared tensor has two versions.
  const inBoth = (emit: (vec: boolean) => void, needed: boolean): void => {
    if (!vecOk || !needed) return emit(staticOk && needed);
    ctx.open('if (d_vec) {');
    emit(true);
    ctx.reopen('} else {');
    emit(false);
    ctx.close();
  };
  const staged = [a, b].filter((op) => op.staged);
  if (staged.length > 0) {
    // Invocations may still be reading the previous step's tiles.
    ctx.barrier();
    inBoth((vec) => staged.forEach((op) => emitStage(ctx, m, op, kc, vec)), staged.some((op) => op.w !== undefined));
    ctx.barrier();
  }
  const tail = needsKTail(kc, cfg.unroll);
  inBoth((vec) => emitKLoop(ctx, m, a, b, target, vec, tail), [a, b].some((op) => !op.staged && op.w !== undefined));
  if (kc.looped) ctx.close();
  ctx.close();

  if (aliasStorage?.kind === 'registers') return;
  if (ctx.layout.registerMats.has(id)) {
    const storage: RegStorage = { kind: 'registers', name: target, axes: v.type.axes, dtype: 'f32' };
    ctx.mats.set(id, storage);
    return;
  }
  const storage: WgStorage = { kind: 'workgroup', name: `mat_${id}`, axes: v.type.axes, dtype: 'f32' };
  ctx.declareWorkgroup(storage.name, `array<f32, ${m.bm * m.bn}>`);
  ctx.barrier();
  forEachOwnedLooped(ctx, m, [target], (coords) => {
    const owned = ctx.owned;
    ctx.line(`${storage.name}[${linearIndex(ctx, storage.axes, coords)}] = ${owned?.copies.get(target) ?? target}[${owned?.index ?? '0'}];`);
  });
  ctx.barrier();
  ctx.mats.set(id, storage);
}

/**
 * Per-invocation element offsets of the operands read from global memory in the k loop,
 * computed once: rows of a (clamped to the last row) and columns of b (clamped to the
 * last column, or the last whole vector).
 */
function emitDirectBases(ctx: EmitContext, m: MicroTile, a: Operand, b: Operand, kc: Contraction): void {
  if (!a.staged && a.load) {
    const { d0, d1 } = dims({ ...a, load: a.load });
    const row = subscriptBase({ ...a, load: a.load }, 0);
    if (ctx.config.broadcastA) {
      // This invocation loads rows (lane mod G) + j·G of its TM rows for the subgroup.
      const g = broadcastGroup(ctx, m);
      for (let j = 0; j < m.tm / g; j++) {
        ctx.line(`let d_aL${j} = ${a.at}min(${row} + mt_y * ${m.tm} + ${j * g} + i32(sg_id % ${g}u), ${d0} - 1) * ${d1} + ${kc.base};`);
      }
    } else {
      for (let i = 0; i < m.tm; i++) ctx.line(`let d_a${i} = ${a.at}min(${row} + ${ownedRow(i)}, ${d0} - 1) * ${d1} + ${kc.base};`);
    }
  }
  if (!b.staged && b.load && b.kRows) {
    // Rows of the tensor are b's columns (clamped to the last one); k runs along them.
    const { d0, d1 } = dims({ ...b, load: b.load });
    const col = subscriptBase({ ...b, load: b.load }, 0);
    for (let j = 0; j < m.tn; j++) ctx.line(`let d_b${j} = ${b.at}min(${col} + ${ownedCol(j)}, ${d0} - 1) * ${d1} + ${kc.base};`);
  } else if (!b.staged && b.load) {
    const { d1 } = dims({ ...b, load: b.load });
    const col = subscriptBase({ ...b, load: b.load }, 1);
    // The matrix's offset in the tensor is folded into the column offsets.
    for (let j = 0; j < m.tn; j++) ctx.line(`let d_b${j} = ${b.at}min(${col} + ${ownedCol(j)}, ${d1} - 1);`);
    if (b.w !== undefined) {
      for (let g = 0; g < m.tn / m.w; g++) ctx.line(`let d_bv${g} = ${b.at}min(${col} + ${ownedCol(g * m.w)}, ${d1} - ${b.w});`);
    }
  }
}

/**
 * broadcastA: how many lanes of a subgroup load a's rows — TM, or the smallest subgroup
 * size when that is less (then each lane loads TM / G rows).
 */
function broadcastGroup(ctx: EmitContext, m: MicroTile): number {
  return Math.min(m.tm, ctx.limits.subgroupMinSize ?? m.tm);
}

/**
 * Whether a step's k can end in fewer than `unroll` elements, so the unrolled loop needs a
 * one-at-a-time loop after it. Not when the contraction is a ':' dim of constant length
 * (attention's head dim) and both it and the chunk are multiples of the unroll: every
 * step, the last one included, is then a whole number of unrolled iterations. The tail
 * is a full copy of the inner loop, so leaving it out shortens the shader (and its
 * compile, seconds on a CPU adapter).
 */
function needsKTail(kc: Contraction, unroll: number): boolean {
  if (unroll <= 1) return false;
  if (!kc.looped || !/^\d+$/.test(kc.extent)) return true;
  return Number(kc.extent) % unroll !== 0 || kc.chunk % unroll !== 0;
}

/** The register accumulation over this step's k, `unroll` k at a time. `vec`: take the vector loads; `tail`: finish the step's last k one at a time. */
function emitKLoop(ctx: EmitContext, m: MicroTile, a: Operand, b: Operand, target: string, vec: boolean, tail: boolean): void {
  const u = ctx.config.unroll;
  ctx.line('var d_kk = 0;');
  ctx.open(`for (; d_kk + ${u} <= d_kn; d_kk += ${u}) {`);
  emitInner(ctx, m, a, b, target, u, vec);
  ctx.close();
  if (tail) {
    ctx.open('for (; d_kk < d_kn; d_kk++) {');
    emitInner(ctx, m, a, b, target, 1, false);
    ctx.close();
  }
}

/**
 * Copies an operand's tile for this step into workgroup memory, k-major (`[k][row]` for
 * a, `[k][col]` for b) so the inner loop reads consecutive rows/columns at one k.
 * Elements past the end of k are not written: the inner loop stops at `d_kn`.
 */
function emitStage(ctx: EmitContext, m: MicroTile, op: Operand, kc: Contraction, vec: boolean): void {
  const wg = ctx.config.workgroupSize;
  // k is the tensor's contiguous dim for a and a transposed b: those are copied like a,
  // [outer, k] with k fastest, so consecutive invocations read consecutive elements.
  const kFast = op.kAxis === 1 || op.kRows;
  const other = op.kAxis === 1 ? m.bm : m.bn;
  // The tile is [P, Q] in the tensor's axis order; Q is the tensor's contiguous dim.
  const [P, Q] = kFast ? [other, kc.chunk] : [kc.chunk, m.bn];
  const slot = (p: string, q: string): string => (kFast ? `(${q}) * ${other} + ${p}` : `(${p}) * ${other} + ${q}`);
  const kValid = (p: string, q: string): string => (kFast ? `${q} < d_kn` : `${p} < d_kn`);
  const w = vec && op.load && op.w !== undefined ? op.w : 1;
  const e = ctx.fresh('e');
  ctx.open(`for (var ${e} = lid; ${e} < ${(P * Q) / w}; ${e} += ${wg}) {`);
  ctx.line(`let d_p = ${e} / ${Q / w};`);
  ctx.line(`let d_q = (${e} % ${Q / w}) * ${w};`);
  ctx.open(`if (${kValid('d_p', 'd_q')}) {`);
  if (op.load) {
    const ld = { ...op, load: op.load };
    const { d0, d1 } = dims(ld);
    // Non-contraction coordinates clamp to the tensor (results there are discarded).
    const gp = kFast ? `min(${subscriptBase(ld, 0)} + d_p, ${d0} - 1)` : `${subscriptBase(ld, 0)} + d_k0 + d_p`;
    const gq = kFast ? `${subscriptBase(ld, 1)} + d_k0 + d_q` : `min(${subscriptBase(ld, 1)} + d_q, ${d1} - ${w})`;
    const index = `${op.at}(${gp}) * ${d1} + ${gq}`;
    if (w > 1) {
      ctx.line(`let d_v = ${arrayRead(ctx, op.load.tensor, `(${index}) / ${w}`)};`);
      // b's rows are stored as they are loaded: one vector per column group.
      if (!kFast && op.sw === w) ctx.line(`${op.tile}[(${slot('d_p', 'd_q')}) / ${w}] = d_v;`);
      else for (let c = 0; c < w; c++) ctx.line(`${stageElement(op, slot('d_p', `d_q + ${c}`))} = d_v[${c}];`);
    } else {
      ctx.line(`${stageElement(op, slot('d_p', 'd_q'))} = ${readTensor(ctx, op.load.tensor, index)};`);
    }
  } else {
    // Any elementwise operand: evaluate it at tile coordinates (its loads mask themselves).
    const coords = op.kAxis === 1 ? ['d_p', 'd_k0 + d_q'] : ['d_k0 + d_p', 'd_q'];
    ctx.line(`${stageElement(op, slot('d_p', 'd_q'))} = ${emitValue(ctx, op.value, coords)};`);
  }
  ctx.close();
  ctx.close();
}

/** `steps` k steps of the register accumulation, unrolled, starting at local k `d_kk`. */
function emitInner(ctx: EmitContext, m: MicroTile, a: Operand, b: Operand, target: string, steps: number, vec: boolean): void {
  const aw = vec && !a.staged && a.load && a.w !== undefined && steps % a.w === 0 ? a.w : 1;
  const bw = vec && !b.staged && b.load && !b.kRows && b.w !== undefined ? b.w : 1;
  // A transposed b is read along k like a: in vectors of k when `steps` covers them.
  const bkw = vec && !b.staged && b.load && b.kRows && b.w !== undefined && steps % b.w === 0 ? b.w : 1;
  for (let s = 0; s < steps; s++) {
    const k = s === 0 ? 'd_kk' : `d_kk + ${s}`;
    const broadcast = ctx.config.broadcastA && !a.staged && a.load !== undefined;
    const g = broadcast ? broadcastGroup(ctx, m) : 1;
    if (aw > 1 && s % aw === 0 && a.load) {
      if (broadcast) {
        for (let j = 0; j < m.tm / g; j++) ctx.line(`let d_avL${j}_${s} = ${arrayRead(ctx, a.load.tensor, `(d_aL${j} + d_k0 + ${k}) / ${aw}`)};`);
        for (let i = 0; i < m.tm; i++) ctx.line(`let d_av${i}_${s} = subgroupBroadcast(d_avL${Math.floor(i / g)}_${s}, ${i % g}u);`);
      } else {
        for (let i = 0; i < m.tm; i++) ctx.line(`let d_av${i}_${s} = ${arrayRead(ctx, a.load.tensor, `(d_a${i} + d_k0 + ${k}) / ${aw}`)};`);
      }
    } else if (broadcast && a.load) {
      for (let j = 0; j < m.tm / g; j++) ctx.line(`let d_aL${j}_${s} = ${readTensor(ctx, a.load.tensor, `d_aL${j} + d_k0 + ${k}`)};`);
    }
    if (a.staged && a.sw > 1) {
      // The invocation's TM rows at this k are contiguous: TM / sw vector reads.
      for (let g = 0; g < m.tm / a.sw; g++) ctx.line(`let d_sa${g}_${s} = ${a.tile}[(${k}) * ${m.bm / a.sw} + mt_y * ${m.tm / a.sw} + ${g}];`);
    }
    if (b.staged && b.sw > 1) {
      for (let g = 0; g < m.tn / b.sw; g++) ctx.line(`let d_sb${g}_${s} = ${b.tile}[(${k}) * ${m.bn / b.sw} + ${g * m.threadsX} + mt_x];`);
    }
    for (let i = 0; i < m.tm; i++) {
      let x: string;
      if (a.staged) x = a.sw > 1 ? `d_sa${Math.floor(i / a.sw)}_${s}[${i % a.sw}]` : `${a.tile}[(${k}) * ${m.bm} + ${ownedRow(i)}]`;
      else if (aw > 1) x = `d_av${i}_${s - (s % aw)}[${s % aw}]`;
      else if (broadcast) x = `subgroupBroadcast(d_aL${Math.floor(i / g)}_${s}, ${i % g}u)`;
      else if (a.load) x = readTensor(ctx, a.load.tensor, `d_a${i} + d_k0 + ${k}`);
      else x = emitValue(ctx, a.value, [ownedRow(i), `d_k0 + ${k}`]);
      ctx.line(`let d_a${i}_${s} = ${x};`);
    }
    if (bkw > 1 && s % bkw === 0 && b.load) {
      for (let j = 0; j < m.tn; j++) ctx.line(`let d_bk${j}_${s} = ${arrayRead(ctx, b.load.tensor, `(d_b${j} + d_k0 + ${k}) / ${bkw}`)};`);
    }
    if (bw > 1 && b.load) {
      const { d1 } = dims({ ...b, load: b.load });
      const kb = subscriptBase({ ...b, load: b.load }, 0);
      for (let g = 0; g < m.tn / bw; g++) ctx.line(`let d_bv${g}_${s} = ${arrayRead(ctx, b.load.tensor, `((${kb} + d_k0 + ${k}) * ${d1} + d_bv${g}) / ${bw}`)};`);
    }
    for (let j = 0; j < m.tn; j++) {
      let x: string;
      if (b.staged) x = b.sw > 1 ? `d_sb${Math.floor(j / b.sw)}_${s}[${j % b.sw}]` : `${b.tile}[(${k}) * ${m.bn} + ${ownedCol(j)}]`;
      else if (bw > 1) x = `d_bv${Math.floor(j / bw)}_${s}[${j % bw}]`;
      else if (bkw > 1) x = `d_bk${j}_${s - (s % bkw)}[${s % bkw}]`;
      else if (b.load && b.kRows) x = readTensor(ctx, b.load.tensor, `d_b${j} + d_k0 + ${k}`);
      else if (b.load) {
        const { d1 } = dims({ ...b, load: b.load });
        x = readTensor(ctx, b.load.tensor, `(${subscriptBase({ ...b, load: b.load }, 0)} + d_k0 + ${k}) * ${d1} + d_b${j}`);
      } else x = emitValue(ctx, b.value, [`d_k0 + ${k}`, ownedCol(j)]);
      ctx.line(`let d_b${j}_${s} = ${x};`);
    }
  }
  // Each accumulator is written once per `steps` k: a chain of fma through values
  // (`let`s), not `steps` writes. On CPU adapters every write to a loop-carried variable
  // costs a blend with the execution mask (and a spill round-trip for large tiles).
  for (let i = 0; i < m.tm; i++) {
    for (let j = 0; j < m.tn; j++) {
      const r = i * m.tn + j;
      let sum = `${target}[${r}]`;
      for (let s = 0; s < steps; s++) sum = `fma(d_a${i}_${s}, d_b${j}_${s}, ${sum})`;
      ctx.line(`${target}[${r}] = ${sum};`);
    }
  }
}

/** A `@` outside the micro-tile layout: each element's dot product over k, strided over the workgroup. */
function emitGenericDot(ctx: EmitContext, id: string, v: Dot): void {
  const axes = v.type.axes;
  const size = staticSize(ctx, axes);
  if (size === undefined || axes.length !== 2) {
    return ctx.unsupported(`'@' with a whole (':') dimension in its result`, 'tile both result dims with tile loops, e.g. a[tm, :] @ b[:, tn]');
  }
  const kc = contraction(ctx, v.a.type.axes[1]);
  const storage: WgStorage = { kind: 'workgroup', name: `mat_${id}`, axes, dtype: 'f32' };
  ctx.declareWorkgroup(storage.name, `array<f32, ${size}>`);
  ctx.barrier();
  const e = ctx.fresh('e');
  ctx.open(`for (var ${e} = lid; ${e} < ${size}; ${e} += ${ctx.config.workgroupSize}) { // @${id}, generic`);
  const coords = emitDecompose(ctx, axes, e);
  const [ci, cj] = [coords[0] ?? '0', coords[1] ?? '0'];
  ctx.line(`var d_s = ${v.acc ? emitValue(ctx, v.acc, coords) : 'f32(0.0)'};`);
  // A block contraction stops at the tensor's end; a ':' one runs over the whole dim.
  const len = kc.looped ? kc.extent : `min(${kc.chunk}, ${kc.extent})`;
  ctx.open(`for (var d_kk = 0; d_kk < ${len}; d_kk++) {`);
  // k stops at the tensor's end, so loads along a block contraction need no mask of their own.
  const kAxis = v.a.type.axes[1];
  const saved = ctx.inBounds;
  if (kAxis?.kind === 'block') ctx.inBounds = new Set([...(saved ?? []), kAxis.loop.id]);
  ctx.line(`d_s = fma(${emitValue(ctx, v.a, [ci, 'd_kk'])}, ${emitValue(ctx, v.b, ['d_kk', cj])}, d_s);`);
  ctx.inBounds = saved;
  ctx.close();
  ctx.line(`${storage.name}[${linearIndex(ctx, axes, coords)}] = d_s;`);
  ctx.close();
  ctx.barrier();
  ctx.mats.set(id, storage);
}
