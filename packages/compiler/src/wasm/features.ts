/** What the engine a wasm module runs on offers, probed by the runtime before lowering. */
import { encodeModule } from './encoder.ts';
import { I, V } from './instr.ts';

export interface WasmFeatures {
  /** `f32x4.relaxed_madd` validates (relaxed SIMD). */
  readonly relaxedSimd: boolean;
}

export const BASELINE_FEATURES: WasmFeatures = { relaxedSimd: false };

/** A module whose one function uses `f32x4.relaxed_madd`: it validates where relaxed SIMD exists. */
export function relaxedSimdProbe(): Uint8Array {
  const zero = [...I.f32Const(0), ...V.f32x4Splat];
  return encodeModule({
    memory: { module: 'env', name: 'memory', initialPages: 1, maximumPages: 1, shared: false },
    imports: [],
    funcs: [{ type: { params: [], results: [] }, locals: [], body: [...zero, ...zero, ...zero, ...V.f32x4RelaxedMadd, ...I.drop] }],
  });
}

/** A module with one plain SIMD instruction: validates where 128-bit SIMD exists. */
export function simdProbe(): Uint8Array {
  return encodeModule({
    memory: { module: 'env', name: 'memory', initialPages: 1, maximumPages: 1, shared: false },
    imports: [],
    funcs: [{ type: { params: [], results: [] }, locals: [], body: [...I.f32Const(0), ...V.f32x4Splat, ...I.drop] }],
  });
}
