/** The wasm binary encoder: LEB128 against known encodings, and modules the engine accepts and runs. */
import { describe, expect, it } from 'vitest';
import { encodeModule, sleb, uleb } from '../../packages/compiler/src/wasm/encoder.ts';
import { I, V } from '../../packages/compiler/src/wasm/instr.ts';

describe('wasm encoder', () => {
  it('encodes unsigned and signed LEB128 as the spec examples do', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(0)).toEqual([0]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(-2147483648)).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    expect(() => uleb(-1)).toThrow(RangeError);
    expect(() => sleb(2 ** 31)).toThrow(RangeError);
  });

  it('builds a module with imports, locals, SIMD and exports that validates and computes', async () => {
    // f(x, y) = sum of the lanes of splat(x) * splat(y) + imported g(x).
    const bytes = encodeModule({
      memory: { module: 'env', name: 'memory', initialPages: 1, maximumPages: 2, shared: false },
      imports: [{ module: 'm', name: 'g', type: { params: ['f64'], results: ['f64'] } }],
      funcs: [{
        type: { params: ['f32', 'f32'], results: ['f32'] }, locals: ['v128', 'f32'], export: 'f',
        body: [
          ...I.localGet(0), ...V.f32x4Splat, ...I.localGet(1), ...V.f32x4Splat, ...V.f32x4Mul, ...I.localSet(2),
          ...I.localGet(2), ...V.f32x4ExtractLane(0), ...I.localGet(2), ...V.f32x4ExtractLane(3), ...I.f32Add,
          ...I.localGet(0), ...I.f64PromoteF32, ...I.call(0), ...I.f32DemoteF64, ...I.f32Add,
        ],
      }],
    });
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const { instance } = await WebAssembly.instantiate(bytes as BufferSource, { env: { memory }, m: { g: (x: number) => 10 * x } });
    const f = instance.exports['f'] as (x: number, y: number) => number;
    expect(f(1.5, 3)).toBeCloseTo(2 * 4.5 + 15, 5);
    expect(f(-2, 0.25)).toBeCloseTo(2 * -0.5 - 20, 5);
  });

  it('rejects nothing silently: a malformed body fails validation', () => {
    const bytes = encodeModule({
      memory: { module: 'env', name: 'memory', initialPages: 1, maximumPages: 1, shared: false },
      imports: [],
      // i32.add with an empty stack.
      funcs: [{ type: { params: [], results: [] }, locals: [], body: [...I.i32Add, ...I.drop] }],
    });
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(false);
  });
});
