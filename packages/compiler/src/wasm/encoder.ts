/**
 * A small WebAssembly binary encoder: LEB128 numbers, the opcodes the wasm lowering uses,
 * and a module builder (types, imports, functions, exports). Code is plain byte arrays
 * that concatenate, so an expression is the bytes that push its value.
 *
 * Written here rather than taken from a library (binaryen.js is ~10 MB of JavaScript):
 * it is a few hundred lines, costs nothing in a browser bundle, and encodes a matmul
 * module in well under a millisecond; the engine's own validation runs on compile.
 */

export type Bytes = readonly number[];
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

export function valType(t: ValType): number {
  return VALTYPE[t];
}

export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  if (n > 0xffffffff || n < 0) throw new RangeError(`uleb: ${n} out of range`);
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  if (n !== v) throw new RangeError(`sleb: ${n} is not an i32`);
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function f32Bytes(x: number): number[] {
  const b = new Uint8Array(new Float32Array([x]).buffer);
  return [...b];
}

export function f64Bytes(x: number): number[] {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [...b];
}

function utf8(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function vec(items: readonly Bytes[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: Bytes): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Block type of a structured instruction: no value, or one value of a type. */
export const VOID = 0x40;

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface FuncImport {
  readonly module: string;
  readonly name: string;
  readonly type: FuncType;
}

export interface FuncDef {
  readonly type: FuncType;
  /** Locals after the parameters, in index order. */
  readonly locals: readonly ValType[];
  readonly body: Bytes;
  readonly export?: string;
}

export interface MemoryImport {
  readonly module: string;
  readonly name: string;
  readonly initialPages: number;
  readonly maximumPages: number;
  readonly shared: boolean;
}

export interface ModuleSpec {
  readonly memory: MemoryImport;
  readonly imports: readonly FuncImport[];
  readonly funcs: readonly FuncDef[];
}

function typeKey(t: FuncType): string {
  return `${t.params.join(',')}>${t.results.join(',')}`;
}

function encodeLocals(locals: readonly ValType[]): number[] {
  // Runs of equal types, as the format groups them.
  const runs: Bytes[] = [];
  let i = 0;
  while (i < locals.length) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    runs.push([...uleb(j - i), valType(locals[i] ?? 'i32')]);
    i = j;
  }
  return vec(runs);
}

/** Encodes a whole module: imported memory and functions, then the defined functions. */
export function encodeModule(spec: ModuleSpec): Uint8Array {
  const types: FuncType[] = [];
  const typeIndex = new Map<string, number>();
  const typeOf = (t: FuncType): number => {
    const key = typeKey(t);
    let i = typeIndex.get(key);
    if (i === undefined) {
      i = types.length;
      types.push(t);
      typeIndex.set(key, i);
    }
    return i;
  };
  const importEntries: Bytes[] = spec.imports.map((imp) => [...utf8(imp.module), ...utf8(imp.name), 0x00, ...uleb(typeOf(imp.type))]);
  const m = spec.memory;
  const limitsFlag = m.shared ? 0x03 : 0x01;
  importEntries.push([...utf8(m.module), ...utf8(m.name), 0x02, limitsFlag, ...uleb(m.initialPages), ...uleb(m.maximumPages)]);
  const funcTypes = spec.funcs.map((f) => uleb(typeOf(f.type)));
  const typeSection = vec(types.map((t) => [0x60, ...vec(t.params.map((p) => [valType(p)])), ...vec(t.results.map((r) => [valType(r)]))]));
  const exports: Bytes[] = [];
  spec.funcs.forEach((f, i) => {
    if (f.export !== undefined) exports.push([...utf8(f.export), 0x00, ...uleb(spec.imports.length + i)]);
  });
  const codes = spec.funcs.map((f) => {
    const body = [...encodeLocals(f.locals), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, typeSection),
    ...section(2, vec(importEntries)),
    ...section(3, vec(funcTypes)),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ];
  return new Uint8Array(bytes);
}
