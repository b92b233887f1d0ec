/**
 * Elementwise f32 values four elements at a time: `emitVector` computes an f32 value at
 * four consecutive positions of the innermost element loop (lanes vc … vc+3) as one
 * f32x4. Loads and tile reads contiguous along that axis are one v128.load; a value that
 * does not vary along it is computed once and splatted; + - * / min max abs neg sqrt
 * floor ceil round and exp (a polynomial, below) are lane ops; `where` on an f32
 * comparison is a bitselect. Anything else is computed per lane by the scalar code and
 * assembled with replace_lane, so every f32 value has a vector form.
 */
import type { Axis, BinaryOp, IndexItem, TensorRef, Value } from '../ir/nodes.ts';
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import { alignCoords, axisSize, linearIndex } from './shape.ts';
import { atLaneZero, emitValue, hoisted, laneLoad, tensorIndex } from './values.ts';
import { reused } from './reuse.ts';
import { expF32x4 } from './exp.ts';
import type { Storage, WasmContext } from './context.ts';

/** Does `v`, evaluated at `coords`, read the coordinate `vc`? */
export function varies(v: Value, coords: readonly Bytes[], vc: Bytes): boolean {
  const at = (child: Value): boolean => varies(child, alignCoords(coords, child.type.axes), vc);
  switch (v.kind) {
    case 'const': case 'dim': case 'param': case 'gridIndex': return false;
    case 'local': case 'mat': case 'load': case 'gather': return coords.includes(vc) || (v.kind === 'load' && v.index.some((i) => i.kind === 'scalar' && varies(i.value, [], vc)));
    case 'transpose': return coords.includes(vc);
    case 'view': return varies(v.x, v.from.map((f) => (f < 0 ? I.i32Const(0) : coords[f] ?? I.i32Const(0))), vc);
    case 'position': return coords[0] === vc;
    case 'tileBound': return false;
    case 'unary': case 'cast': return at(v.x);
    case 'binary': return at(v.a) || at(v.b);
    case 'select': return at(v.cond) || at(v.a) || at(v.b);
    case 'fill': return at(v.value);
    case 'call': return v.args.some(at);
    case 'reduce': case 'scan': case 'dot': return true;
  }
}

export const F32 = (v: Value): boolean => v.type.dtype === 'f32';

/** The tensor subscript position reading coordinate `vc`, when it is the last (contiguous) one and the only one. */
export function contiguousLoad(t: TensorRef, index: readonly IndexItem[], coords: readonly Bytes[], vc: Bytes): boolean {
  let axis = 0;
  let found = -1;
  for (const [i, item] of index.entries()) {
    if (item.kind === 'scalar') continue;
    if (coords[axis++] === vc) {
      if (found >= 0) return false;
      found = i;
    }
  }
  return found === t.dims.length - 1 && index.length === t.dims.length;
}

/** A tile buffer read at coords is contiguous in `vc` when vc is its last (non-unit) axis only. */
function contiguousTile(s: Storage & { kind: 'tile' }, coords: readonly Bytes[], vc: Bytes): boolean {
  const c = alignCoords(coords, s.axes);
  const last = s.axes.length - 1;
  return c.indexOf(vc) === last && c.lastIndexOf(vc) === last && s.axes[last]?.kind !== 'unit';
}

/** Lanes vc … vc+3 of an f32 tile buffer, when they are contiguous in it. */
function tileVector(ctx: WasmContext, s: Storage & { kind: 'tile' }, coords: readonly Bytes[], vc: Bytes): number[] | undefined {
  if (s.dtype !== 'f32' || !contiguousTile(s, coords, vc)) return undefined;
  return laneLoad(ctx, I.localGet(s.ptr), linearIndex(ctx, s.axes, atLaneZero(alignCoords(coords, s.axes), vc)), vc);
}

function perLane(ctx: WasmContext, v: Value, coords: readonly Bytes[], vc: Bytes): number[] {
  const out: number[] = [...I.f32Const(0), ...V.f32x4Splat];
  for (let lane = 0; lane < 4; lane++) {
    const shifted = lane === 0 ? vc : [...vc, ...I.i32Const(lane), ...I.i32Add];
    const laneCoords = coords.map((c) => (c === vc ? shifted : c));
    out.push(...emitValue(ctx, v, laneCoords), ...V.f32x4ReplaceLane(lane));
  }
  return out;
}

const LANE_BINARY: Partial<Record<BinaryOp, Bytes>> = {
  add: V.f32x4Add, sub: V.f32x4Sub, mul: V.f32x4Mul, div: V.f32x4Div, min: V.f32x4Min, max: V.f32x4Max,
};
const LANE_COMPARE: Partial<Record<BinaryOp, Bytes>> = {
  eq: V.f32x4Eq, ne: V.f32x4Ne, lt: V.f32x4Lt, le: V.f32x4Le, gt: V.f32x4Gt, ge: V.f32x4Ge,
};

/** An f32 value at lanes vc … vc+3 of the innermost loop (see the file comment). */
export function emitVector(ctx: WasmContext, v: Value, coords: readonly Bytes[], vc: Bytes): number[] {
  if (!F32(v)) return ctx.unsupported(`a ${v.type.dtype} value in an f32 vector`, 'this is an internal error');
  ctx.usedSimd = true;
  if (!varies(v, coords, vc)) {
    const scalar = emitValue(ctx, v, coords);
    if (scalar.length <= 3) return [...scalar, ...V.f32x4Splat];
    // Loop-invariant: computed once before the vector loop (it reads only outer coordinates).
    return [...hoisted(ctx, 'v128', [...scalar, ...V.f32x4Splat])];
  }
  const kept = reused(ctx, v);
  if (kept) return tileVector(ctx, kept, coords, vc) ?? perLane(ctx, v, coords, vc);
  const at = (child: Value): number[] => emitVector(ctx, child, alignCoords(coords, child.type.axes), vc);
  switch (v.kind) {
    case 'load':
      if (v.tensor.dtype === 'f32' && contiguousLoad(v.tensor, v.index, coords, vc)) {
        return laneLoad(ctx, ctx.tensor(v.tensor), tensorIndex(ctx, v.tensor, v.index, atLaneZero(coords, vc)), vc);
      }
      break;
    case 'local': case 'mat': {
      const s = v.kind === 'local' ? ctx.locals.get(v.id) : ctx.mats.get(v.id);
      const read = s?.kind === 'tile' ? tileVector(ctx, s, coords, vc) : undefined;
      if (read) return read;
      break;
    }
    case 'unary': {
      if (!F32(v.x)) break;
      const x = at(v.x);
      switch (v.op) {
        case 'neg': return [...x, ...V.f32x4Neg];
        case 'abs': return [...x, ...V.f32x4Abs];
        case 'sqrt': return [...x, ...V.f32x4Sqrt];
        case 'floor': return [...x, ...V.f32x4Floor];
        case 'ceil': return [...x, ...V.f32x4Ceil];
        case 'round': return [...x, ...V.f32x4Nearest];
        case 'exp': return vectorExp(ctx, x);
        default: break;
      }
      break;
    }
    case 'binary': {
      if (v.op === 'div' && F32(v.a) && F32(v.b) && ctx.vectorPrelude && !varies(v.b, alignCoords(coords, v.b.type.axes), vc)) {
        return [...at(v.a), ...byReciprocal(ctx, emitValue(ctx, v.b, alignCoords(coords, v.b.type.axes)))];
      }
      const op = LANE_BINARY[v.op];
      if (op && F32(v.a) && F32(v.b)) return [...at(v.a), ...at(v.b), ...op];
      break;
    }
    case 'select': {
      const c = v.cond;
      const cmp = c.kind === 'binary' ? LANE_COMPARE[c.op] : undefined;
      if (c.kind === 'binary' && cmp && F32(c.a) && F32(c.b)) {
        const cc = alignCoords(coords, c.type.axes);
        const mask = [...emitVector(ctx, c.a, alignCoords(cc, c.a.type.axes), vc), ...emitVector(ctx, c.b, alignCoords(cc, c.b.type.axes), vc), ...cmp];
        return [...at(v.a), ...at(v.b), ...mask, ...V.bitselect];
      }
      break;
    }
    case 'fill': if (F32(v.value)) return at(v.value); break;
    default: break;
  }
  return perLane(ctx, v, coords, vc);
}

/** e^x for f32x4 (exp.ts), its constants splatted once before the vector loop. */
function vectorExp(ctx: WasmContext, x: Bytes): number[] {
  return expF32x4(ctx, x, (c) => constVector(ctx, c));
}

/**
 * Division by a divisor that is the same for the whole vector loop (softmax's row sum):
 * a multiply by its reciprocal, computed once before the loop (f32x4.div costs several
 * times a multiply). The divisor is scaled by m (2^64 below 2^-64 in magnitude, 2^-64
 * above 2^64, else 1) so that 1/(b·m) is a normal f32, and the product is multiplied by m
 * again: a / b = (a · (1/(b·m))) · m, within 1.5 ulp of the quotient wherever it is a
 * normal f32 (0, Infinity and NaN divisors give what division gives).
 */
function byReciprocal(ctx: WasmContext, b: Bytes): number[] {
  const big = 2 ** 64;
  const small = 2 ** -64;
  const mag = [...b, ...I.f32Abs];
  const m = hoisted(ctx, 'f32', [
    ...I.f32Const(big), ...I.f32Const(small), ...I.f32Const(1), ...mag, ...I.f32Const(big), ...I.f32Gt, ...I.select,
    ...mag, ...I.f32Const(small), ...I.f32Lt, ...I.select,
  ]);
  const recip = hoisted(ctx, 'v128', [...I.f32Const(1), ...b, ...m, ...I.f32Mul, ...I.f32Div, ...V.f32x4Splat]);
  return [...recip, ...V.f32x4Mul, ...hoisted(ctx, 'v128', [...m, ...V.f32x4Splat]), ...V.f32x4Mul];
}

/** An f32 constant in every lane: splatted once before the vector loop when there is one. */
function constVector(ctx: WasmContext, c: number): Bytes {
  return hoisted(ctx, 'v128', [...I.f32Const(c), ...V.f32x4Splat]);
}
