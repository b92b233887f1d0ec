/**
 * The interpreter's API around the numbers: traces, the compile cache, argument checks,
 * typed errors for IR it cannot run, and the f16 rounding helper.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type KernelIR, type Stmt } from 'tessera-gpu-compiler';
import { TesseraError } from 'tessera-gpu-dsl/errors';
import { f16BitsToF32, roundToF16 } from '../../packages/runtime/src/half.ts';
import {
  compileInterpreter, InterpreterArgumentError, InterpreterUnsupportedError,
} from '../../packages/runtime/src/interpreter/index.ts';
import { divI32, floatToI32, floatToU32, modI32, roundEven, roundHalf } from '../../packages/runtime/src/interpreter/numeric.ts';
import { interpret, lazyIr, randF32, rng } from './support.ts';

const ADD = `fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn];
  }
  return out;
}`;

describe('traces', () => {
  const ir = lazyIr(ADD);
  const x = Float32Array.from({ length: 10 }, (_, i) => i);
  const y = Float32Array.from({ length: 10 }, (_, i) => 100 * i);

  it('records every write per tile, ragged last tile included', () => {
    const out = new Float32Array(10);
    const { traces } = interpret(ir(), { blocks: { tn: 4 }, inputs: [x, y], outputs: [out], dims: { N: 10 }, trace: true });
    expect(traces?.map((t) => t.tile)).toEqual([{ tn: 0 }, { tn: 1 }, { tn: 2 }]);
    expect(traces?.map((t) => t.writes.map((w) => w.index))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(traces?.[2]?.writes).toEqual([{ tensor: 'out', index: 8, value: 808 }, { tensor: 'out', index: 9, value: 909 }]);
    expect(Array.from(out)).toEqual(Array.from(x, (v, i) => v + (y[i] ?? 0)));
  });

  it('stops at traceLimit writes; the run still completes', () => {
    const out = new Float32Array(10);
    const { traces } = interpret(ir(), { blocks: { tn: 4 }, inputs: [x, y], outputs: [out], dims: { N: 10 }, trace: true, traceLimit: 5 });
    expect(traces?.map((t) => t.writes.length)).toEqual([4, 1]);
    expect(out[9]).toBe(909);
  });

  it('is absent without trace, and the fast path has no tracing code', () => {
    const k = compileInterpreter(ir(), resolveConfig(ir(), { blocks: { tn: 4 } }));
    expect(k.run([x, y], [new Float32Array(10)], { N: 10 })).toEqual({});
    expect(k.source).not.toContain('tr.');
  });
});

describe('compile cache and source', () => {
  it('compiles once per IR and config', () => {
    const ir = lazyIr(ADD)();
    const a = compileInterpreter(ir, resolveConfig(ir, { blocks: { tn: 64 } }));
    expect(compileInterpreter(ir, resolveConfig(ir, { blocks: { tn: 64 } }))).toBe(a);
    expect(compileInterpreter(ir, resolveConfig(ir, { blocks: { tn: 128 } }))).not.toBe(a);
    expect(a.source).toContain('Math.min(64, D_N - o_tn');
  });
});

describe('argument errors', () => {
  const ir = lazyIr(ADD);
  const run = (inputs: Float32Array[], outputs: Float32Array[], dims: Record<string, number>): void => {
    compileInterpreter(ir(), resolveConfig(ir(), {})).run(inputs, outputs, dims);
  };
  const ok = new Float32Array(8);
  it.each([
    ['a missing dim', [ok, ok], [ok], {}, /dim N/],
    ['a negative dim', [ok, ok], [ok], { N: -1 }, /dim N/],
    ['a wrong length', [ok, new Float32Array(7)], [ok], { N: 8 }, /'y' has 7 elements/],
    ['too few inputs', [ok], [ok], { N: 8 }, /expected 2 input arrays/],
  ] as const)('%s → InterpreterArgumentError', (_, inputs, outputs, dims, message) => {
    let err: unknown;
    try {
      run([...inputs], [...outputs], dims);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InterpreterArgumentError);
    expect(err).toBeInstanceOf(TesseraError);
    expect((err as TesseraError).code).toBe('TSR4002');
    expect(String((err as Error).message)).toMatch(message);
  });

  it('rejects an array of the wrong dtype', () => {
    const k = compileInterpreter(ir(), resolveConfig(ir(), {}));
    expect(() => k.run([new Int32Array(4), new Float32Array(4)], [new Float32Array(4)], { N: 4 })).toThrow(/input 'x' \(f32\) is given as Int32Array/);
  });

  it('rejects a missing scalar parameter', () => {
    const src = `fn scale(x: f32[N], s: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] * s;
  }
  return out;
}`;
    const sir = lazyIr(src)();
    const k = compileInterpreter(sir, resolveConfig(sir, {}));
    expect(() => k.run([new Float32Array(2)], [new Float32Array(2)], { N: 2 })).toThrow(InterpreterArgumentError);
    const out = new Float32Array(2);
    k.run([Float32Array.of(1, 2)], [out], { N: 2 }, { s: 3 });
    expect(Array.from(out)).toEqual([3, 6]);
  });
});

describe('blocks and empty launches', () => {
  it('rejects a block that is not a positive integer', () => {
    const ir = lazyIr(ADD)();
    expect(() => resolveConfig(ir, { blocks: { tn: 0 } })).toThrow(/blocks\.tn must be a positive integer \(got 0\)/);
    // A config object built by hand, past the schema, is still refused by the interpreter.
    const config = { ...resolveConfig(ir, undefined), blocks: { tn: 0 } };
    expect(() => compileInterpreter(ir, config)).toThrow(/block tn=0 is not a positive integer/);
  });

  it('runs no tile for an empty dim', () => {
    const ir = lazyIr(ADD)();
    const { traces } = interpret(ir, { blocks: { tn: 4 }, inputs: [new Float32Array(0), new Float32Array(0)], outputs: [new Float32Array(0)], dims: { N: 0 }, trace: true });
    expect(traces).toEqual([]);
  });
});

describe('unsupported IR', () => {
  it('throws a typed error, not a TypeError', () => {
    const ir = lazyIr(ADD)();
    // atomic_add on an f16 output: the checker forbids it; a hand-made IR reaches us.
    const body = ir.body.map((s): Stmt => (s.kind === 'store' ? { ...s, atomic: true, tensor: { ...s.tensor, dtype: 'f16' } } : s));
    const bad: KernelIR = { ...ir, body };
    expect(() => compileInterpreter(bad, resolveConfig(bad, {}))).toThrow(InterpreterUnsupportedError);
  });

  it('rejects a reduction left inside a value tree (IR that skipped the passes)', () => {
    const ir = lazyIr(ADD)();
    const body = ir.body.map((s): Stmt => (s.kind === 'store'
      ? { ...s, value: { kind: 'reduce', op: 'sum', x: s.value, axis: 0, keepdim: false, type: { dtype: 'f32', axes: [] } } }
      : s));
    const bad: KernelIR = { ...ir, body };
    expect(() => compileInterpreter(bad, resolveConfig(bad, {}))).toThrow(/TSR4001|not supported by the interpreter/);
  });
});

describe('numeric helpers', () => {
  it('roundHalf agrees with the bit-level f16 conversion', () => {
    const r = rng(99);
    const values = [0, -0, 1, -1, 65504, 65519.99, 65520, -65520, 1e-8, 2.98e-8, 6.1e-5, 6.103515625e-5, 5.96e-8, NaN, Infinity, -Infinity, 0.1, 1 / 3];
    for (let i = 0; i < 20000; i++) {
      const e = Math.floor(r() * 40) - 28;
      values.push((r() - 0.5) * 2 ** e);
    }
    // Ties: halfway between two adjacent halves, both parities.
    for (let bits = 0; bits < 0x7bff; bits += 37) {
      const lo = f16BitsToF32(bits);
      const hi = f16BitsToF32(bits + 1);
      values.push(Math.fround((lo + hi) / 2));
    }
    for (const v of values) {
      const f = Math.fround(v);
      expect(Object.is(roundHalf(f), roundToF16(f)) || (f === 0 && roundHalf(f) === 0), `roundHalf(${f})`).toBe(true);
    }
  });

  it('integer and conversion helpers follow WGSL', () => {
    expect(divI32(7, 0)).toBe(7);
    expect(divI32(-2147483648, -1)).toBe(-2147483648);
    expect(divI32(-7, 2)).toBe(-3);
    expect(modI32(7, 0)).toBe(0);
    expect(modI32(-2147483648, -1)).toBe(0);
    expect(modI32(-7, 2)).toBe(-1);
    expect(floatToI32(NaN)).toBe(0);
    expect(floatToI32(3e9)).toBe(2147483647);
    expect(floatToI32(-3e9)).toBe(-2147483648);
    expect(floatToI32(-2.9)).toBe(-2);
    expect(floatToU32(-5)).toBe(0);
    expect(floatToU32(5e9)).toBe(4294967295);
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });

  it('runs the same kernel identically under every config, any positive block', () => {
    const ir = lazyIr(ADD)();
    const x = randF32(rng(5), 1000);
    const outs = [1, 2, 3, 64, 100, 1024].map((tn) => {
      const out = new Float32Array(1000);
      interpret(ir, { blocks: { tn }, inputs: [x, x], outputs: [out], dims: { N: 1000 } });
      return out;
    });
    for (const o of outs) expect(o).toEqual(outs[0]);
  });
});
