/**
 * foldConstants: an operation whose operands are all constants becomes one constant,
 * computed here with the semantics both backends give it at run time (f32 results
 * rounded by Math.fround; integer division and conversions as WGSL defines them).
 *
 * Why: WGSL evaluates an expression over constants when the shader is created, and an
 * overflow there (`-1.0 / 0.0`, `1e38 * 10.0`, `exp(100.0)`) is a compile error, not an
 * infinity. After this pass no emitted operation has only constant operands, so the
 * shader never asks WGSL to fold anything the author wrote; a non-finite constant is
 * emitted through a run-time value (wgsl/values.ts). Both backends read the folded
 * constant, so they agree on it exactly.
 *
 * f16 operations are left alone (their rounding is not f32's); so is `erf` (its WGSL
 * form is a helper function, never a constant expression) and `pow` of a negative base
 * (JavaScript and WGSL differ there).
 */
import type { BinaryOp, DType, Stmt, UnaryOp, Value } from '../ir/nodes.ts';
import { mapIndexValues, mapOperands } from '../ir/walk.ts';

type Num = number;

const F32_UNARY: Partial<Record<UnaryOp, (x: Num) => Num>> = {
  neg: (x) => -x, abs: Math.abs, exp: Math.exp, exp2: (x) => 2 ** x, log: Math.log, log2: Math.log2,
  sqrt: Math.sqrt, rsqrt: (x) => 1 / Math.sqrt(x), sin: Math.sin, cos: Math.cos, tan: Math.tan, tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)), floor: Math.floor, ceil: Math.ceil,
  round: (x) => {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
};

const F32_BINARY: Partial<Record<BinaryOp, (a: Num, b: Num) => Num | undefined>> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, mod: (a, b) => a % b,
  min: Math.min, max: Math.max, pow: (a, b) => (a < 0 ? undefined : a ** b),
};

const I32_BINARY: Partial<Record<BinaryOp, (a: Num, b: Num) => Num>> = {
  add: (a, b) => (a + b) | 0, sub: (a, b) => (a - b) | 0, mul: (a, b) => Math.imul(a, b),
  div: (a, b) => (b === 0 ? a : (a / b) | 0), mod: (a, b) => (b === 0 ? 0 : (a % b) | 0), min: Math.min, max: Math.max,
  bitand: (a, b) => a & b, bitor: (a, b) => a | b, bitxor: (a, b) => a ^ b, shl: (a, b) => a << b, shr: (a, b) => a >> b,
};

const U32_BINARY: Partial<Record<BinaryOp, (a: Num, b: Num) => Num>> = {
  add: (a, b) => (a + b) >>> 0, sub: (a, b) => (a - b) >>> 0, mul: (a, b) => Math.imul(a, b) >>> 0,
  div: (a, b) => (b === 0 ? a : Math.floor(a / b)), mod: (a, b) => (b === 0 ? 0 : a % b), min: Math.min, max: Math.max,
  bitand: (a, b) => (a & b) >>> 0, bitor: (a, b) => (a | b) >>> 0, bitxor: (a, b) => (a ^ b) >>> 0,
  shl: (a, b) => (a << b) >>> 0, shr: (a, b) => a >>> b,
};

const COMPARE: Partial<Record<BinaryOp, (a: Num, b: Num) => boolean>> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
};

/** A number of dtype `d` converted as WGSL's conversions do (floats to ints saturate, NaN to 0). */
function convert(x: Num, from: DType, to: DType): Num | boolean | undefined {
  if (from === 'f16' || to === 'f16') return undefined;
  if (to === 'bool') return x !== 0;
  if (to === 'f32') return Math.fround(x);
  if (from === 'f32') {
    if (x !== x) return 0;
    if (to === 'i32') return x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0;
    return x <= 0 ? 0 : x >= 4294967295 ? 4294967295 : Math.trunc(x) >>> 0;
  }
  return to === 'i32' ? x | 0 : x >>> 0;
}

const isConst = (v: Value): v is Extract<Value, { kind: 'const' }> => v.kind === 'const';
const num = (v: Extract<Value, { kind: 'const' }>): Num => (typeof v.value === 'boolean' ? (v.value ? 1 : 0) : v.value);

function constant(like: Value, value: Num | boolean): Value {
  const d = like.type.dtype;
  const fixed = typeof value === 'boolean' || d === 'bool' ? Boolean(value) : d === 'f32' ? Math.fround(value) : value;
  return { kind: 'const', type: like.type, value: fixed };
}

/** The folded form of `v` (whose operands are already folded), or `v` itself. */
function foldNode(v: Value): Value {
  if (v.type.axes.length > 0) return v;
  const d = v.type.dtype;
  switch (v.kind) {
    case 'unary': {
      if (!isConst(v.x)) return v;
      const x = num(v.x);
      if (v.op === 'not') return constant(v, x === 0);
      if (d === 'f32') {
        const f = F32_UNARY[v.op];
        return f ? constant(v, f(x)) : v;
      }
      if (d === 'i32' && v.op === 'neg') return constant(v, -x | 0);
      if (d === 'i32' && v.op === 'abs') return constant(v, Math.abs(x) | 0);
      if (v.op === 'bitnot' && (d === 'i32' || d === 'u32')) return constant(v, d === 'i32' ? ~x : ~x >>> 0);
      return v;
    }
    case 'binary': {
      if (!isConst(v.a) || !isConst(v.b)) return v;
      const [a, b] = [num(v.a), num(v.b)];
      const operand = v.a.type.dtype;
      if (v.op === 'and') return constant(v, a !== 0 && b !== 0);
      if (v.op === 'or') return constant(v, a !== 0 || b !== 0);
      const cmp = COMPARE[v.op];
      if (cmp) return operand === 'f16' ? v : constant(v, cmp(a, b));
      const table = d === 'f32' ? F32_BINARY : d === 'i32' ? I32_BINARY : d === 'u32' ? U32_BINARY : undefined;
      const r = table?.[v.op]?.(a, b);
      return r === undefined ? v : constant(v, r);
    }
    case 'cast': {
      if (!isConst(v.x)) return v;
      const r = convert(num(v.x), v.x.type.dtype, d);
      return r === undefined ? v : constant(v, r);
    }
    case 'select': {
      if (!isConst(v.cond) || !isConst(v.a) || !isConst(v.b)) return v;
      return num(v.cond) !== 0 ? constant(v, num(v.a)) : constant(v, num(v.b));
    }
    default:
      return v;
  }
}

/**
 * Value trees share subtrees (an inlined `let` used twice), and later passes find shared
 * work by object identity (hoistMaterializations computes one reduction once). So a
 * subtree with nothing to fold stays the same object, and a folded one is rebuilt once.
 */
function folder(): (v: Value) => Value {
  const done = new WeakMap<Value, Value>();
  const fold = (v: Value): Value => {
    const hit = done.get(v);
    if (hit) return hit;
    let changed = false;
    const rebuilt = mapOperands(v, (x) => {
      const y = fold(x);
      if (y !== x) changed = true;
      return y;
    });
    const out = foldNode(changed ? rebuilt : v);
    done.set(v, out);
    return out;
  };
  return fold;
}

export function foldConstants(stmts: readonly Stmt[]): Stmt[] {
  return foldStmts(stmts, folder());
}

function foldStmts(stmts: readonly Stmt[], foldValue: (v: Value) => Value): Stmt[] {
  const foldConstants = (body: readonly Stmt[]): Stmt[] => foldStmts(body, foldValue);
  return stmts.map((s): Stmt => {
    switch (s.kind) {
      case 'declare': return { ...s, init: foldValue(s.init) };
      case 'assign': case 'materialize': case 'return': return { ...s, value: foldValue(s.value) };
      case 'store': return { ...s, value: foldValue(s.value), index: mapIndexValues(s.index, foldValue) };
      case 'tileLoop': return { ...s, body: foldConstants(s.body) };
      case 'rangeLoop': return { ...s, lo: foldValue(s.lo), hi: foldValue(s.hi), body: foldConstants(s.body) };
      case 'if': return { ...s, cond: foldValue(s.cond), then: foldConstants(s.then), otherwise: foldConstants(s.otherwise) };
    }
  });
}
