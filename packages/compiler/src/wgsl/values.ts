/**
 * Elementwise values → WGSL expressions, evaluated at one element (`coords`, aligned to
 * the value's axes). The op tables are total over the IR's op unions, so an op added to
 * the IR without a WGSL spelling is a type error here.
 */
import type { BinaryOp, DType, IndexItem, LoopInfo, TensorRef, TileBound, UnaryOp, Value } from '../ir/nodes.ts';
import type { Dim } from '../ir/nodes.ts';
import { ident, mentions, offsetName, type EmitContext, type TileStorage } from './context.ts';
import { alignCoords, axisSize, dimExpr, linearIndex } from './shape.ts';
import { cacheName, isCachedRead } from './row-cache.ts';
import { uniformRef } from './names.ts';
import { operands, valueDepth } from '../ir/walk.ts';
import { swapLastTwo } from '../ir/transpose.ts';
import { positionText, storeShape } from '../ir/store-shape.ts';
import { arrayRead, arrayReadLane, atomicRead } from './ranged-access.ts';

/** WGSL type of a value in registers. */
export function wgslType(d: DType): string {
  return d;
}

/** WGSL element type of a tensor in a storage buffer (bool is stored as u32). */
export function storageType(d: DType): string {
  return d === 'bool' ? 'u32' : d;
}

/**
 * The WGSL name of a tensor's storage buffer. Prefixed, so a parameter may be called
 * anything (`u`, `lid`, `main`, `array`) without clashing with the shader's own names or
 * WGSL's reserved words.
 */
export function bufferName(t: { readonly name: string }): string {
  return `buf_${ident(t.name)}`;
}

const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN_NORMAL = 1.1754943508222875e-38;
/** The smallest magnitude f16 rounds to infinity. */
const F16_OVERFLOW = 65520;

/**
 * WGSL has no spelling for infinity or NaN, and a constant expression that yields one
 * (`1.0 / 0.0`, `bitcast<f32>(0x7f800000u)`) is a shader-creation error. A call to a
 * user-defined function is never a constant expression, so this helper gives the value
 * at run time; compilers still fold it after WGSL's checks.
 */
export const F32_BITS_HELPER = 'fn tessera_f32_bits(b: u32) -> f32 {\n  return bitcast<f32>(b);\n}';

function nonFinite(d: DType, n: number): string {
  const bits = Number.isNaN(n) ? '0x7fc00000u' : n > 0 ? '0x7f800000u' : '0xff800000u';
  return d === 'f32' ? `tessera_f32_bits(${bits})` : `${d}(tessera_f32_bits(${bits}))`;
}

/** Whether a float constant of dtype `d` is emitted through F32_BITS_HELPER. */
export function needsBitsHelper(d: DType, v: number | boolean): boolean {
  if (d !== 'f32' && d !== 'f16') return false;
  const n = Number(v);
  return !Number.isFinite(d === 'f32' ? Math.fround(n) : n) || (d === 'f16' && Math.abs(n) >= F16_OVERFLOW);
}

/**
 * A constant of dtype `d`. Floats are the value rounded to the dtype, as the interpreter
 * rounds them: a normal-range f32 is written as given (WGSL rounds it to the nearest
 * f32, like Math.fround); beyond FLT_MAX or in the subnormal range the exact f32 value is
 * written, since WGSL rejects the first and need not round the second the same way.
 */
export function literal(d: DType, v: number | boolean): string {
  if (d === 'bool') return v ? 'true' : 'false';
  const n = Number(v);
  if (d === 'f32' || d === 'f16') {
    if (needsBitsHelper(d, n)) return nonFinite(d, n);
    if (Object.is(n, -0)) return `${d}(-0.0)`;
    const a = Math.abs(n);
    const exact = d === 'f32' && (a > FLT_MAX || (a < FLT_MIN_NORMAL && a > 0)) ? Math.fround(n) : n;
    // String(1e21) is '1e+21': already a float literal, so no '.0' after it.
    const s = String(exact);
    const text = /[.eE]/.test(s) ? s : `${s}.0`;
    return `${d}(${text})`;
  }
  if (d === 'u32') return `${Math.trunc(n) >>> 0}u`;
  return `i32(${Math.trunc(n) | 0})`;
}

const UNARY: Record<UnaryOp, (x: string, d: DType) => string> = {
  neg: (x) => `(-${x})`,
  not: (x) => `(!${x})`,
  bitnot: (x) => `(~${x})`,
  abs: (x) => `abs(${x})`,
  exp: (x) => `exp(${x})`,
  exp2: (x) => `exp2(${x})`,
  log: (x) => `log(${x})`,
  log2: (x) => `log2(${x})`,
  sqrt: (x) => `sqrt(${x})`,
  rsqrt: (x) => `inverseSqrt(${x})`,
  sin: (x) => `sin(${x})`,
  cos: (x) => `cos(${x})`,
  tan: (x) => `tan(${x})`,
  tanh: (x) => `tanh(${x})`,
  sigmoid: (x, d) => `(${d}(1) / (${d}(1) + exp(-${x})))`,
  erf: (x, d) => `tessera_erf_${d}(${x})`,
  floor: (x) => `floor(${x})`,
  ceil: (x) => `ceil(${x})`,
  round: (x) => `round(${x})`,
};

const INFIX: Partial<Record<BinaryOp, string>> = {
  add: '+', sub: '-', mul: '*', div: '/', mod: '%',
  eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', and: '&&', or: '||',
  bitand: '&', bitor: '|', bitxor: '^',
};

const BINARY: Record<BinaryOp, (a: string, b: string) => string> = {
  ...(Object.fromEntries(Object.entries(INFIX).map(([op, sym]) => [op, (a: string, b: string) => `(${a} ${sym} ${b})`])) as Record<BinaryOp, (a: string, b: string) => string>),
  pow: (a, b) => `pow(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  // WGSL shifts by a u32 and takes a runtime amount mod 32, but a constant amount of 32
  // or more is a shader-creation error: the explicit mask makes every amount mean the same.
  shl: (a, b) => `(${a} << (u32(${b}) & 31u))`,
  shr: (a, b) => `(${a} >> (u32(${b}) & 31u))`,
};

/** erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7); WGSL has no erf builtin. */
function erfHelper(d: DType): string {
  return `fn tessera_erf_${d}(x: ${d}) -> ${d} {
  let t = 1.0 / (1.0 + 0.3275911 * abs(f32(x)));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-f32(x) * f32(x));
  return ${d}(sign(f32(x)) * y);
}`;
}

/**
 * Tint stops parsing at a fixed nesting depth ("maximum parser recursive depth reached":
 * about 120 nested `+`, 60 unary minus or 120 chained `let`s once inlined). So every
 * SPILL_DEPTH levels of a value tree, the subtree is written to a `let` first and read by
 * name: the WGSL nesting stays under SPILL_DEPTH levels whatever the source's depth.
 * Ordinary expressions are far shallower and are emitted inline as before.
 */
const SPILL_DEPTH = 16;
const spillCount = new WeakMap<EmitContext, number>();
const depthOf = valueDepth;

function spilled(ctx: EmitContext, child: Value, text: string): string {
  if (operands(child).length === 0 || depthOf(child) % SPILL_DEPTH !== 0) return text;
  const n = spillCount.get(ctx) ?? 0;
  spillCount.set(ctx, n + 1);
  // `_s…`: safe user names start with a letter, mangled ones with `_m_`.
  const name = `_s${n}`;
  ctx.line(`let ${name} = ${text};`);
  return name;
}

/** `literal(d, v)` in a shader being emitted: registers F32_BITS_HELPER where the constant needs it. */
export function constant(ctx: EmitContext, d: DType, v: number | boolean): string {
  if (needsBitsHelper(d, v)) ctx.helpers.set('f32_bits', F32_BITS_HELPER);
  return literal(d, v);
}

export function emitValue(ctx: EmitContext, v: Value, coords: readonly string[]): string {
  const at = (child: Value): string => spilled(ctx, child, emitValue(ctx, child, alignCoords(coords, child.type.axes)));
  switch (v.kind) {
    case 'const':
      return constant(ctx, v.type.dtype, v.value);
    case 'dim': return uniformRef(v.name);
    case 'param': return uniformRef(v.name);
    // A grid loop's block is 1, so its tile offset is the program's index.
    case 'gridIndex': return offsetName(v.loop);
    case 'local': {
      const local = ctx.locals.get(v.id);
      if (!local) return ident(v.id);
      if (!local.storage) return local.name;
      return readTile(ctx, local.storage, coords, `%${v.id}`);
    }
    case 'mat': {
      const held = ctx.matOverride?.get(v.id);
      if (held !== undefined) return held;
      const m = ctx.mats.get(v.id);
      if (!m) return ctx.unsupported(`reading @${v.id} before it is computed`, 'this is an internal error');
      return readTile(ctx, m, coords, `@${v.id}`);
    }
    case 'load': return ctx.loadOverride?.(v.tensor) ?? emitLoad(ctx, v.tensor, v.index, coords);
    case 'gather': return emitGather(ctx, v, coords);
    case 'unary': {
      if (v.op === 'erf') ctx.helpers.set(`erf_${v.type.dtype}`, erfHelper(v.type.dtype));
      return UNARY[v.op](at(v.x), v.type.dtype);
    }
    case 'binary': return BINARY[v.op](at(v.a), at(v.b));
    case 'select': return `select(${at(v.b)}, ${at(v.a)}, ${at(v.cond)})`;
    case 'cast': {
      const x = at(v.x);
      const to = v.type.dtype;
      if (to === 'bool') return `(${x} != ${literal(v.x.type.dtype, 0)})`;
      if (v.x.type.dtype === 'bool') return `select(${literal(to, 0)}, ${literal(to, 1)}, ${x})`;
      return `${to}(${x})`;
    }
    // Each axis keeps its coordinate; only their order changes.
    case 'transpose': return emitValue(ctx, v.x, swapLastTwo(coords, '0'));
    case 'view': return emitValue(ctx, v.x, v.from.map((f) => (f < 0 ? '0' : coords[f] ?? '0')));
    case 'position': return `(${offsetName(v.loop)} + ${coords[0] ?? '0'})`;
    case 'tileBound': return tileBound(ctx, v.loop, v.bound);
    case 'fill': return at(v.value);
    case 'call': return `${ident(v.func.key)}(${v.args.map(at).join(', ')})`;
    case 'reduce':
    case 'scan':
    case 'dot':
      return ctx.unsupported(`a ${v.kind} inside an expression`, 'this is an internal error: materializations are hoisted first');
  }
}

/** `tn.begin`, `tn.end` (the ragged last tile ends at the dim), `tn.block_size`. */
function tileBound(ctx: EmitContext, loop: LoopInfo, bound: TileBound): string {
  const block = ctx.block(loop);
  switch (bound) {
    case 'begin': return offsetName(loop);
    case 'end': return `min(${offsetName(loop)} + ${block}, ${dimExpr(loop.dim)})`;
    case 'block_size': return `i32(${block})`;
  }
}

/** One element of a tile in workgroup memory or registers, at `coords` (aligned to the reader). */
function readTile(ctx: EmitContext, t: TileStorage, coords: readonly string[], what: string): string {
  if (t.kind === 'registers' && ctx.owned === undefined && t.mirror) return readTile(ctx, t.mirror, coords, what);
  if (t.kind === 'registers') {
    if (ctx.owned === undefined || ctx.owned.owner !== t.owner) return ctx.unsupported(`reading register tile ${what} outside its owner's elements`, 'this is an internal error in the layout analysis');
    return `${ctx.owned.copies.get(t.name) ?? t.name}[${ctx.owned.index}]`;
  }
  const at = alignCoords(coords, t.axes);
  if (t.window) {
    const w = t.window;
    const local = at.map((c, i) => (i === w.axis ? `(${c} - ${w.base})` : c));
    const sizes = t.axes.map((a, i) => (i === w.axis ? String(w.size) : axisSize(ctx, a)));
    let expr = '';
    t.axes.forEach((a, i) => {
      if (a.kind === 'unit') return;
      const c = local[i] ?? '0';
      expr = expr === '' ? c : `(${expr}) * ${sizes[i] ?? '1'} + ${c}`;
    });
    return `${t.name}[${expr === '' ? '0' : expr}]`;
  }
  const read = `${t.name}[${linearIndex(ctx, t.axes, at)}]`;
  const hoist = ctx.rowInvariant;
  if (!hoist || mentions(read, hoist.columns)) return read;
  const name = hoist.lets.get(read) ?? ctx.fresh('row_');
  hoist.lets.set(read, name);
  return name;
}

/**
 * An element of a tensor at linear index `i`, as an expression. A tensor the `@` reads
 * in vectors is declared as an array of vectors, and an atomic output as an array of
 * atomics (f32 as u32 bits): everything else reads them through here.
 */
export function readTensor(ctx: EmitContext, t: TensorRef, i: string): string {
  const w = ctx.layout.vectorTensors.get(t.name);
  if (w !== undefined) return arrayReadLane(ctx, t, `(${i}) / ${w}`, `(${i}) % ${w}`);
  if (ctx.layout.atomicTensors.has(t.name)) {
    return t.dtype === 'f32' ? `bitcast<f32>(${atomicRead(ctx, t, i)})` : atomicRead(ctx, t, i);
  }
  const element = arrayRead(ctx, t, i);
  return t.dtype === 'bool' ? `(${element} != 0u)` : element;
}

/**
 * Where the matrix of a `plainLoad` (layout.ts) starts: its leading subscripts are
 * scalars, so `a[b, tm, tk]` on [B, M, K] reads the matrix at element b·M·K. Returned as
 * that offset followed by ' + ', ready to prefix an index within the matrix, or '' for a
 * 2-D tensor.
 */
export function matrixOffset(ctx: EmitContext, t: TensorRef, index: readonly IndexItem[]): string {
  const lead = index.length - 2;
  if (lead <= 0) return '';
  let expr = '';
  for (let i = 0; i < lead; i++) {
    const item = index[i];
    const v = item?.kind === 'scalar' ? emitValue(ctx, item.value, []) : '0';
    const dim = t.dims[i];
    expr = i === 0 ? v : `(${expr}) * ${dim ? dimExpr(dim) : '1'} + ${v}`;
  }
  const [rows, cols] = t.dims.slice(lead).map((d) => dimExpr(d));
  return `(${expr}) * ${rows ?? '1'} * ${cols ?? '1'} + `;
}

/** Global element index of a tensor access, and its in-bounds mask. */
export function tensorAccess(
  ctx: EmitContext, t: TensorRef, index: readonly IndexItem[], coords: readonly string[],
): { index: string; mask: string } {
  const { at } = storeShape(t, index);
  const parts: string[] = [];
  const masks: string[] = [];
  for (const [i, item] of index.entries()) {
    const g = position(ctx, item, at[i] ?? [], coords);
    if (item.kind === 'block' && !ctx.inBounds?.has(item.loop.id)) masks.push(`${g} < ${dimExpr(item.loop.dim)}`);
    if (item.kind === 'shifted' || item.kind === 'slice' || item.kind === 'tile') masks.push(movedInside(ctx, t, i, g));
    const dim = t.dims[i];
    parts.push(i === 0 || !dim ? g : `* ${dimExpr(dim)} + ${g}`);
  }
  let linear = '';
  for (const p of parts) linear = linear === '' ? p : `(${linear}) ${p}`;
  return { index: linear === '' ? '0' : linear, mask: masks.join(' && ') };
}

/** The position subscript `item` gives along its dim (ir/store-shape.ts positionText). */
function position(ctx: EmitContext, item: IndexItem, at: readonly number[], coords: readonly string[]): string {
  return positionText(item, at, coords, { value: (v, c) => emitValue(ctx, v, c), offset: offsetName });
}

function movedInside(ctx: EmitContext, t: TensorRef, axis: number, g: string): string {
  return `${g} >= 0 && ${g} < ${dimExpr(t.dims[axis] ?? { kind: 'const', value: 1 })}`;
}

/** That every moved, sliced or index-tile position is inside the tensor's dim ('' when there is none). */
export function movedMask(ctx: EmitContext, t: TensorRef, index: readonly IndexItem[], coords: readonly string[]): string {
  const { at } = storeShape(t, index);
  const tests: string[] = [];
  for (const [i, item] of index.entries()) {
    if (item.kind === 'shifted' || item.kind === 'slice' || item.kind === 'tile') tests.push(movedInside(ctx, t, i, position(ctx, item, at[i] ?? [], coords)));
  }
  return tests.join(' && ');
}

function emitLoad(ctx: EmitContext, t: TensorRef, index: readonly IndexItem[], coords: readonly string[]): string {
  if (isCachedRead(ctx, t, index)) {
    const cap = ctx.rowCache?.get(t.name)?.cap ?? 0;
    const raw = `${cacheName(t)}[(${coords[0] ?? '0'}) * ${cap} + ${coords[1] ?? '0'}]`;
    return t.dtype === 'bool' ? `(${raw} != 0u)` : raw;
  }
  const { index: i, mask } = tensorAccess(ctx, t, index, coords);
  // Masked lanes read element 0 (always in bounds when the tensor is non-empty) and
  // discard it, so a ragged tile never reads past the end of a buffer.
  if (!mask) return readTensor(ctx, t, i);
  return `select(${literal(t.dtype, 0)}, ${readTensor(ctx, t, `select(0, ${i}, ${mask})`)}, ${mask})`;
}

/** Whether a dim may be 0 at run time (a gather from it then has nothing to read). */
const mayBeEmpty = (d: Dim | undefined): boolean => d === undefined || d.kind === 'sym' || d.value <= 0;

/**
 * A gather at one element. Each subscript is the element's coordinate (a tile variable,
 * ':'), a scalar (masked when outside the dim), or an index tile read at the coordinates
 * of its axes and clamped into the dim: an out-of-range index reads the nearest end, as
 * WGSL's robust access would clamp. Masked lanes (past a ragged block edge, any lane when
 * an indexed dim is empty, or a scalar outside its dim) give 0. Their read is not redirected to element 0: WebGPU
 * keeps every access inside its buffer, the select discards the value, and a second
 * select on the index made SwiftShader's shader compiler stall for minutes on a gathered
 * `@` operand (`a[i, tm, tk] @ b`).
 */
function emitGather(ctx: EmitContext, v: Value & { kind: 'gather' }, coords: readonly string[]): string {
  const masks = new Set<string>();
  let linear = '';
  for (const [i, item] of v.index.entries()) {
    const dim = v.tensor.dims[i];
    const d = dim ? dimExpr(dim) : '1';
    let g: string;
    if (item.kind === 'axis') {
      const a = v.type.axes[item.axis];
      const c = coords[item.axis] ?? '0';
      if (a?.kind === 'block') {
        g = `(${offsetName(a.loop)} + ${c})`;
        if (!ctx.inBounds?.has(a.loop.id)) masks.add(`${g} < ${dimExpr(a.loop.dim)}`);
      } else {
        g = a?.kind === 'full' ? c : '0';
      }
      if (item.by) {
        // A bounded slice: positions outside the dim read 0.
        g = `(${emitValue(ctx, item.by, [])} + ${g})`;
        masks.add(`${g} >= 0 && ${g} < ${d}`);
      }
    } else if (item.kind === 'scalar') {
      // A run-time scalar outside the dim reads 0 (build/index-guard.ts): one unsigned
      // compare (a negative i32 reinterpreted as u32 is past every dim).
      g = emitValue(ctx, item.value, []);
      masks.add(`u32(${g}) < u32(${d})`);
    } else {
      const at = item.value.type.axes.map((ax, j) => (ax.kind === 'unit' ? '0' : coords[item.axes[j] ?? 0] ?? '0'));
      const x = emitValue(ctx, item.value, at);
      // A u32 index is clamped as u32: converted first, a large one would turn negative.
      g = item.value.type.dtype === 'u32' ? `i32(min(${x}, u32(${d} - 1)))` : `clamp(${x}, 0, ${d} - 1)`;
      if (mayBeEmpty(dim)) masks.add(`${d} > 0`);
    }
    linear = linear === '' ? g : `(${linear}) * ${d} + ${g}`;
  }
  const index = linear === '' ? '0' : linear;
  const mask = [...masks].join(' && ');
  if (!mask) return readTensor(ctx, v.tensor, index);
  return `select(${literal(v.tensor.dtype, 0)}, ${readTensor(ctx, v.tensor, index)}, ${mask})`;
}
