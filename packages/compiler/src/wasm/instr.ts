/**
 * WebAssembly instructions as byte arrays (the subset the lowering emits). Each helper
 * returns the bytes of one instruction; an expression is the concatenation of its
 * operands' bytes and its operator's, in stack order.
 */
import { f32Bytes, f64Bytes, sleb, uleb, type Bytes } from './encoder.ts';

export const I = {
  unreachable: [0x00],
  block: (bt = 0x40): number[] => [0x02, bt],
  loop: (bt = 0x40): number[] => [0x03, bt],
  /** Block type 0x40: no result; 0x7b: one v128. */
  if: (bt = 0x40): number[] => [0x04, bt],
  else: [0x05],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  return: [0x0f],
  call: (f: number): number[] => [0x10, ...uleb(f)],
  drop: [0x1a],
  select: [0x1b],
  localGet: (i: number): number[] => [0x20, ...uleb(i)],
  localSet: (i: number): number[] => [0x21, ...uleb(i)],
  localTee: (i: number): number[] => [0x22, ...uleb(i)],
  i32Load: (offset = 0): number[] => [0x28, 2, ...uleb(offset)],
  f32Load: (offset = 0): number[] => [0x2a, 2, ...uleb(offset)],
  i32Load16u: (offset = 0): number[] => [0x2f, 1, ...uleb(offset)],
  i32Store: (offset = 0): number[] => [0x36, 2, ...uleb(offset)],
  f32Store: (offset = 0): number[] => [0x38, 2, ...uleb(offset)],
  i32Store16: (offset = 0): number[] => [0x3b, 1, ...uleb(offset)],
  i32Const: (n: number): number[] => [0x41, ...sleb(n | 0)],
  f32Const: (x: number): number[] => [0x43, ...f32Bytes(x)],
  f64Const: (x: number): number[] => [0x44, ...f64Bytes(x)],
  i32Eqz: [0x45], i32Eq: [0x46], i32Ne: [0x47], i32LtS: [0x48], i32LtU: [0x49], i32GtS: [0x4a], i32GtU: [0x4b],
  i32LeS: [0x4c], i32LeU: [0x4d], i32GeS: [0x4e], i32GeU: [0x4f],
  f32Eq: [0x5b], f32Ne: [0x5c], f32Lt: [0x5d], f32Gt: [0x5e], f32Le: [0x5f], f32Ge: [0x60],
  i32Add: [0x6a], i32Sub: [0x6b], i32Mul: [0x6c], i32DivS: [0x6d], i32DivU: [0x6e], i32RemS: [0x6f], i32RemU: [0x70],
  i32And: [0x71], i32Or: [0x72], i32Xor: [0x73], i32Shl: [0x74], i32ShrS: [0x75], i32ShrU: [0x76],
  f32Abs: [0x8b], f32Neg: [0x8c], f32Ceil: [0x8d], f32Floor: [0x8e], f32Trunc: [0x8f], f32Nearest: [0x90], f32Sqrt: [0x91],
  f32Add: [0x92], f32Sub: [0x93], f32Mul: [0x94], f32Div: [0x95], f32Min: [0x96], f32Max: [0x97],
  f64Add: [0xa0], f64Sub: [0xa1], f64Mul: [0xa2], f64Div: [0xa3],
  f32ConvertI32S: [0xb2], f32ConvertI32U: [0xb3], f32DemoteF64: [0xb6],
  f64ConvertI32U: [0xb8], f64PromoteF32: [0xbb],
  i32ReinterpretF32: [0xbc], f32ReinterpretI32: [0xbe],
  i32TruncSatF32S: [0xfc, 0x00], i32TruncSatF32U: [0xfc, 0x01],
  // Threads: read-modify-write on 4-byte aligned words (valid on shared and unshared memory).
  i32AtomicRmwAdd: (offset = 0): number[] => [0xfe, 0x1e, 2, ...uleb(offset)],
  i32AtomicRmwCmpxchg: (offset = 0): number[] => [0xfe, 0x48, 2, ...uleb(offset)],
  i32AtomicLoad: (offset = 0): number[] => [0xfe, 0x10, 2, ...uleb(offset)],
  /** Wakes up to `count` (u32; -1: all) threads waiting on the word; leaves how many woke. */
  memoryAtomicNotify: (offset = 0): number[] => [0xfe, 0x00, 2, ...uleb(offset)],
} as const;

/** 128-bit SIMD (prefix 0xfd); lane ops on f32x4 and i32x4. */
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
export const V = {
  load: (offset = 0): number[] => [...simd(0x00), 4, ...uleb(offset)],
  /** Unaligned hint (alignment 2^2): tensor rows start at any element. */
  loadAlign4: (offset = 0): number[] => [...simd(0x00), 2, ...uleb(offset)],
  store: (offset = 0): number[] => [...simd(0x0b), 2, ...uleb(offset)],
  f32x4Splat: simd(0x13),
  i32x4Splat: simd(0x11),
  f32x4ReplaceLane: (lane: number): number[] => [...simd(0x20), lane],
  f32x4Eq: simd(0x41), f32x4Ne: simd(0x42), f32x4Lt: simd(0x43), f32x4Gt: simd(0x44), f32x4Le: simd(0x45), f32x4Ge: simd(0x46),
  bitselect: simd(0x52),
  and: simd(0x4e),
  or: simd(0x50),
  /** A 16-byte constant: four i32 lanes, lane 0 first. */
  i32x4Const: (lanes: readonly [number, number, number, number]): number[] => [...simd(0x0c), ...lanes.flatMap((v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff])],
  i32x4LtS: simd(0x39),
  i32x4ExtractLane: (lane: number): number[] => [...simd(0x1b), lane],
  /** a & ~b */
  andnot: simd(0x4f),
  f32x4Abs: simd(0xe0), f32x4Neg: simd(0xe1), f32x4Sqrt: simd(0xe3),
  f32x4Ceil: simd(0x67), f32x4Floor: simd(0x68), f32x4Nearest: simd(0x6a),
  f32x4Pmin: simd(0xea), f32x4Pmax: simd(0xeb),
  i32x4TruncSatF32x4S: simd(0xf8), i32x4Add: simd(0xae), i32x4Shl: simd(0xab),
  /** The lanes' sign bits as an i32 (lane 0 in bit 0): 15 when a compare held in every lane. */
  i32x4Bitmask: simd(0xa4),
  /** Lanes of two vectors picked by 16 byte indices (0…31; 16… are the second's). */
  i8x16Shuffle: (lanes: readonly number[]): number[] => [...simd(0x0d), ...lanes],
  /** One 4-byte load broadcast to every lane. */
  load32Splat: (offset = 0): number[] => [...simd(0x09), 2, ...uleb(offset)],
  f32x4ExtractLane: (lane: number): number[] => [...simd(0x1f), lane],
  f32x4Add: simd(0xe4), f32x4Sub: simd(0xe5), f32x4Mul: simd(0xe6), f32x4Div: simd(0xe7),
  f32x4Min: simd(0xe8), f32x4Max: simd(0xe9),
  /** Relaxed SIMD: a * b + c, fused or not as the engine chooses. */
  f32x4RelaxedMadd: simd(0x105),
} as const;

export function seq(...parts: readonly Bytes[]): number[] {
  return parts.flat();
}
