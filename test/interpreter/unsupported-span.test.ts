/**
 * IR the interpreter (TSR4001) or the wasm backend (TSR4101) cannot lower names the kernel
 * statement it came from, as `kernel:line:col` in the message and as the error's span,
 * like the WGSL backend's TSR3002. The IR is made by hand (the checker forbids atomics on
 * f16 outputs), so the statement still carries the span of its source.
 */
import { describe, expect, it } from 'vitest';
import { BASELINE_FEATURES, lowerWasm, resolveConfig, resolveWasmConfig, WasmUnsupportedError, type KernelIR, type Stmt } from 'tessera-gpu-compiler';
import { compileInterpreter, InterpreterUnsupportedError } from '../../packages/runtime/src/interpreter/index.ts';
import { lazyIr } from './support.ts';

const ADD = `fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    let s = x[tn] + y[tn];
    out[tn] = s;
  }
  return out;
}`;

/** ADD with its store turned into an atomic add on an f16 output, which no backend lowers. */
function atomicF16(): KernelIR {
  const ir = lazyIr(ADD)();
  const retarget = (s: Stmt): Stmt => {
    if (s.kind === 'store') return { ...s, atomic: true, tensor: { ...s.tensor, dtype: 'f16' } };
    if (s.kind === 'tileLoop') return { ...s, body: s.body.map(retarget) };
    return s;
  };
  return { ...ir, body: ir.body.map(retarget) };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('unsupported IR is located in the kernel source', () => {
  it('interpreter: TSR4001 at the store', () => {
    const bad = atomicF16();
    const error = thrown(() => compileInterpreter(bad, resolveConfig(bad, {})));
    expect(error).toBeInstanceOf(InterpreterUnsupportedError);
    const e = error as InterpreterUnsupportedError;
    expect(e.code).toBe('TSR4001');
    expect(e.message).toBe("kernel 'add' at kernel:5:5: atomic_add on a f16 output is not supported by the interpreter");
    expect(e.span?.start).toMatchObject({ line: 5, col: 5 });
  });

  it('wasm: TSR4101 at the store', () => {
    const bad = atomicF16();
    const error = thrown(() => lowerWasm(bad, resolveWasmConfig(bad, {}), { features: BASELINE_FEATURES, shared: true }));
    expect(error).toBeInstanceOf(WasmUnsupportedError);
    const e = error as WasmUnsupportedError;
    expect(e.code).toBe('TSR4101');
    expect(e.message).toBe("kernel 'add' at kernel:5:5: atomic_add on a f16 output is not supported by the wasm backend");
    expect(e.span?.start).toMatchObject({ line: 5, col: 5 });
  });
});
