/**
 * Seeded dropout without a mask tensor (Triton's "low-memory dropout" tutorial, Helion's
 * low_mem_dropout): each element's keep/drop decision is `rand(seed, tn.index) > p`, a
 * counter-based random number of the seed and the element's position, so the same seed
 * drops the same elements again (in the backward pass, say) without storing a mask.
 *
 * The plain-JS reference below reimplements Tessera's hash from its definition
 * (docs/language.md, "Random numbers"); it is not Triton's Philox stream, so the kept
 * elements differ from Triton's for the same seed, while the usage is the same.
 */
import { kernel } from 'tessera-gpu';

export const dropout = kernel`
fn dropout(x: f32[N], p: f32, seed: i32) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    let keep = rand(seed, tn.index) > p;
    out[tn] = where(keep, x[tn] / (1.0 - p), 0.0);
  }
  return out;
}`;

/** lowbias32: the integer finalizer the hash mixes with (u32 arithmetic, as the kernel's). */
function mix(v: number): number {
  let x = v >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The salts of Tessera's two random streams (randint and rand use the first; randn both). */
export const RNG_SALTS = [0x9e3779b9, 0x6a09e667] as const;

/** `randint(seed, offset)`'s bits with salt `salt`: seed and offset as their u32 bits. */
export function rngBits(seed: number, offset: number, salt: number = RNG_SALTS[0]): number {
  const key = mix((seed ^ salt) >>> 0);
  return mix((mix((offset ^ key) >>> 0) + key) >>> 0);
}

/** `rand(seed, offset)`: the top 24 bits as a fraction, exactly an f32 in [0, 1). */
export function randReference(seed: number, offset: number): number {
  return (rngBits(seed, offset) >>> 8) * 2 ** -24;
}

/** `randn(seed, offset)` by Box–Muller, in double (the kernel computes it in f32). */
export function randnReference(seed: number, offset: number): number {
  const u1 = ((rngBits(seed, offset, RNG_SALTS[0]) >>> 8) + 1) * 2 ** -24;
  const u2 = (rngBits(seed, offset, RNG_SALTS[1]) >>> 8) * 2 ** -24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Plain-JS reference, rounded to f32 like the kernel. */
export function dropoutReference(x: Float32Array, p: number, seed: number): Float32Array {
  const fp = Math.fround(p);
  const scale = Math.fround(1 - fp);
  return x.map((v, i) => (randReference(seed, i) > fp ? Math.fround(v / scale) : 0));
}
