/**
 * The wasm backend's knobs: its defaults for the shared config fields, applied where a
 * call leaves a knob out (resolveWasmConfig), and the config space its autotuner
 * searches (wasmConfigSpace). The wasm lowering reads only blocks, microTile, unroll and
 * threads; the WebGPU-only knobs (workgroup size, vector width, staging, subgroups, grid
 * order, row caches) would only multiply the space by configs that run the same code.
 *
 * Kernels with `@`: 64×128 tiles, k in steps of 128, 4×8 register micro-tiles, k not
 * unrolled by hand. The register blocks worth trying are those that fit V8's 15 usable
 * xmm registers with the loads of a k step hoisted (dot-simd.ts): MR·NV accumulators +
 * NV b vectors + MR broadcasts + 1 product ≤ 15 (4×8 and 2×16 are the largest). From
 * bench/matmul-wasm.ts at 1024³ in Node 20 (SIMD128 without relaxed SIMD), per core:
 * 4×8 or 2×16 ~36 GFLOP/s; 4×8 unrolled 4 times ~20; 5×8, 6×8, 4×12 13–16 (spills).
 */
import { resolveConfig, type ConfigInput, type KernelConfig } from '../config/config.ts';
import { parseConfigInput } from '../config/schema.ts';
import { layoutDot } from '../config/dots.ts';
import { configSpace, type ConfigSpace, type Knob, type KnobValue, type MicroTile } from '../config/space.ts';
import type { DeviceLimits } from '../config/validate.ts';
import type { KernelIR } from '../ir/nodes.ts';
import { wasmConfigProblems } from './lower.ts';

export const WASM_DOT_DEFAULTS = { rows: 64, cols: 128, k: 128, microTile: [4, 8] as const, unroll: 1 };

export function resolveWasmConfig(ir: KernelIR, given: ConfigInput | undefined): KernelConfig {
  // Checked before its fields are spread into the defaults (a string or array would spread too).
  const input = parseConfigInput(given, ir.name);
  const dot = layoutDot(ir);
  if (!dot) return resolveConfig(ir, input);
  const d = WASM_DOT_DEFAULTS;
  const blocks: Record<string, number> = {};
  if (dot.rows.fixedBlock === undefined) blocks[dot.rows.name] = d.rows;
  if (dot.cols.fixedBlock === undefined) blocks[dot.cols.name] = d.cols;
  if (dot.k?.kind === 'block' && dot.k.loop.fixedBlock === undefined) blocks[dot.k.loop.name] = d.k;
  return resolveConfig(ir, {
    microTile: d.microTile, unroll: d.unroll,
    ...(input ?? {}),
    blocks: { ...blocks, ...(input?.blocks ?? {}) },
  });
}

/** Register blocks [MR, 4·NV] that run from registers under V8 on x64 (see above). */
export function wasmMicroTiles(): MicroTile[] {
  const out: MicroTile[] = [];
  for (let nv = 1; nv <= 4; nv++) for (let mr = 1; mr <= 8; mr++) if (mr * nv + nv + mr + 1 <= 15) out.push([mr, 4 * nv]);
  return out;
}

const pow2 = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let v = lo; v <= hi; v *= 2) out.push(v);
  return out;
};

/**
 * The autotuner's space on the wasm backend: a block per tile loop (for `@`, tiles of
 * 16…256 and k steps of 16…512) and, for `@`, the register blocks that fit and unroll
 * 1, 2 or 4; defaults as resolveWasmConfig gives them. (The runtime adds `threads`.)
 */
export function wasmConfigSpace(ir: KernelIR, limits: DeviceLimits, features: readonly string[] = []): ConfigSpace {
  const shared = configSpace(ir, limits, features);
  const base = resolveWasmConfig(ir, undefined);
  const dot = layoutDot(ir);
  const withDefault = (values: readonly number[], d: number): number[] => (values.includes(d) ? [...values] : [...values, d].sort((a, b) => a - b));
  const knobs: Knob[] = [];
  for (const loop of ir.loops) {
    if (loop.fixedBlock === undefined) {
      const d = base.blocks[loop.name] ?? 1;
      const sharedKnob = shared.knobs.find((k) => k.name === `blocks.${loop.name}`);
      let values = sharedKnob?.kind === 'int' ? [...sharedKnob.values] : pow2(1, 1024);
      if (dot && (loop.id === dot.rows.id || loop.id === dot.cols.id)) values = pow2(16, 256);
      else if (dot?.k?.kind === 'block' && loop.id === dot.k.loop.id) values = pow2(16, 512);
      knobs.push({ kind: 'int', name: `blocks.${loop.name}`, values: withDefault(values, d), default: d });
    }
  }
  if (dot) {
    knobs.push({ kind: 'pair', name: 'microTile', values: wasmMicroTiles(), default: base.microTile });
    knobs.push({ kind: 'int', name: 'unroll', values: withDefault([1, 2, 4], base.unroll), default: base.unroll });
  }
  const build = (choice: Readonly<Record<string, KnobValue>>): KernelConfig => {
    const blocks: Record<string, number> = {};
    for (const loop of ir.loops) {
      const v = choice[`blocks.${loop.name}`];
      if (loop.fixedBlock === undefined && typeof v === 'number') blocks[loop.name] = v;
    }
    const mt = choice['microTile'];
    const unroll = choice['unroll'];
    return resolveWasmConfig(ir, {
      blocks,
      ...(Array.isArray(mt) && mt.length === 2 ? { microTile: [mt[0] ?? 1, mt[1] ?? 1] as const } : {}),
      ...(typeof unroll === 'number' ? { unroll } : {}),
    });
  };
  return { knobs, default: base, build, problems: (c) => wasmConfigProblems(ir, c) };
}
