/**
 * `rand`, `randn` and `randint` → plain IR. The numbers come from one counter-based hash
 * of (seed, offset), written as a func of u32 multiplies, xors and shifts (RNG_BITS), so
 * every backend computes the same bits with the bitwise ops it already has and none
 * carries its own generator.
 *
 * The hash: a key from the seed, then the offset mixed with the key twice, each mix
 * being the `lowbias32` integer finalizer (x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15;
 * x *= 0x846ca68b; x ^= x >> 16). For a fixed seed it is a bijection of the offset, so
 * the 2^32 offsets of one seed never repeat a `randint`. The stream is not Triton's
 * Philox stream: the same seed and offsets give different numbers there.
 *
 *   key  = mix(seed ^ salt)
 *   bits = mix(mix(offset ^ key) + key)        randint = bits with salt 0x9e3779b9
 *   rand  = f32(bits >> 8) · 2^-24             exact: 24 bits fit an f32, in [0, 1)
 *   randn = sqrt(-2 log u1) · cos(2π u2)       Box–Muller (cos taken as -cos(2π u2 - π)); u1 = (f32(bits >> 8) + 1) · 2^-24
 *                                               in (0, 1], u2 from a second salt 0x6a09e667
 *
 * `rand` and `randint` are bit-identical on every backend; `randn` goes through log, sqrt
 * and cos, which backends round within their own accuracy: about 1e-6 relative on
 * lavapipe, the interpreter and wasm; WGSL allows cos 2⁻¹¹ absolute error (SwiftShader's
 * is ~2e-4), so up to ~3e-3 on a z near 6.
 */
import type { FuncIR, Stmt, VType, Value } from '../ir/nodes.ts';
import { coerce } from './build-value.ts';

const U32: VType = { dtype: 'u32', axes: [] };

/** The salts of the two streams `randn` draws from (`rand` and `randint` use the first). */
export const RNG_SALTS = [0x9e3779b9, 0x6a09e667] as const;
/** lowbias32's multipliers. */
const MIX_MUL = [0x7feb352d, 0x846ca68b] as const;

const u32 = (n: number): Value => ({ kind: 'const', type: U32, value: n >>> 0 });
const local = (id: string): Value => ({ kind: 'local', id, type: U32 });
const bin = (op: 'bitxor' | 'shr' | 'mul' | 'add', a: Value, b: Value): Value => ({ kind: 'binary', op, a, b, type: U32 });

/** lowbias32 on the local `id`, in place: one statement per step keeps each value small. */
function mix(id: string): Stmt[] {
  const x = local(id);
  const xorShift = (by: number): Stmt => ({ kind: 'assign', id, value: bin('bitxor', x, bin('shr', x, u32(by))) });
  const times = (m: number): Stmt => ({ kind: 'assign', id, value: bin('mul', x, u32(m)) });
  return [xorShift(16), times(MIX_MUL[0]), xorShift(15), times(MIX_MUL[1]), xorShift(16)];
}

/** `tessera_rng_bits(seed, offset, salt) -> u32`. Its key has no `_<digits>` end, so no user func's key is the same. */
export const RNG_BITS: FuncIR = {
  key: 'tessera_rng_bits',
  name: 'tessera_rng_bits',
  params: [
    { id: 'rng_seed', name: 'seed', dtype: 'u32' },
    { id: 'rng_offset', name: 'offset', dtype: 'u32' },
    { id: 'rng_salt', name: 'salt', dtype: 'u32' },
  ],
  result: 'u32',
  body: [
    { kind: 'declare', id: 'rng_key', name: 'key', init: bin('bitxor', local('rng_seed'), local('rng_salt')) },
    ...mix('rng_key'),
    { kind: 'declare', id: 'rng_h', name: 'h', init: bin('bitxor', local('rng_offset'), local('rng_key')) },
    ...mix('rng_h'),
    { kind: 'assign', id: 'rng_h', value: bin('add', local('rng_h'), local('rng_key')) },
    ...mix('rng_h'),
    { kind: 'return', value: local('rng_h') },
  ],
};

const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_PI = 6.283185307179586;

/** The value of `name(seed, offsets)` with result type `type`; `useFunc` registers RNG_BITS with the kernel. */
export function buildRandom(name: 'rand' | 'randn' | 'randint', seed: Value, offsets: Value, type: VType, useFunc: (f: FuncIR) => void): Value {
  useFunc(RNG_BITS);
  const bitsType: VType = { dtype: 'u32', axes: type.axes };
  const f32Type: VType = { dtype: 'f32', axes: type.axes };
  const bits = (salt: number): Value => ({ kind: 'call', func: RNG_BITS, args: [coerce(seed, 'u32'), coerce(offsets, 'u32'), u32(salt)], type: bitsType });
  if (name === 'randint') return bits(RNG_SALTS[0]);
  const f = (n: number): Value => ({ kind: 'const', type: { dtype: 'f32', axes: [] }, value: n });
  const fbin = (op: 'mul' | 'add', a: Value, b: Value): Value => ({ kind: 'binary', op, a, b, type: f32Type });
  const top24 = (salt: number): Value => ({ kind: 'cast', x: { kind: 'binary', op: 'shr', a: bits(salt), b: u32(8), type: bitsType }, type: f32Type });
  if (name === 'rand') return fbin('mul', top24(RNG_SALTS[0]), f(TWO_POW_MINUS_24));
  const u1 = fbin('mul', fbin('add', top24(RNG_SALTS[0]), f(1)), f(TWO_POW_MINUS_24));
  const u2 = fbin('mul', top24(RNG_SALTS[1]), f(TWO_POW_MINUS_24));
  const radius: Value = { kind: 'unary', op: 'sqrt', x: fbin('mul', f(-2), { kind: 'unary', op: 'log', x: u1, type: f32Type }), type: f32Type };
  // cos(2π u2) as -cos(2π u2 - π): the argument stays in [-π, π), where every backend's
  // cos is accurate (WGSL sets no bound outside it; SwiftShader's is ~2e-4 off there).
  const angle: Value = { kind: 'unary', op: 'cos', x: fbin('add', fbin('mul', f(TWO_PI), u2), f(-Math.PI)), type: f32Type };
  return { kind: 'binary', op: 'mul', a: fbin('mul', radius, f(-1)), b: angle, type: f32Type };
}
