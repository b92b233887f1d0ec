/**
 * Hand-written WGSL baselines, wrapped as artifacts so the runtime launches them exactly
 * as it launches Tessera's. They are what a user might write by hand in a first attempt:
 * the "naive" column of the benchmark table. (Baselines only: Tessera kernels never
 * contain hand-written WGSL.)
 */
import type { KernelArtifact } from 'tessera-gpu-runtime';

export interface NaiveSpec {
  readonly name: string;
  readonly wgsl: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Symbolic shape of each tensor, by name (the runtime checks arguments against it). */
  readonly shapes: Readonly<Record<string, readonly (string | number)[]>>;
  /** Uniform fields, in order (all u32). */
  readonly dims: readonly string[];
  readonly workgroupSize: number;
  /** Element types of tensors that are not f32, by name (declared to match in the WGSL). */
  readonly dtypes?: Readonly<Record<string, 'i32'>>;
  grid(dims: Readonly<Record<string, number>>): [number, number, number];
}

export function naiveArtifact(spec: NaiveSpec): KernelArtifact {
  const names = [...spec.inputs, ...spec.outputs];
  const fields = [...spec.dims];
  while (fields.length === 0 || fields.length % 4 !== 0) fields.push(`_pad${fields.length}`);
  return {
    kernelName: spec.name,
    wgsl: spec.wgsl,
    entryPoint: 'main',
    workgroupSize: [spec.workgroupSize, 1, 1],
    tensors: names.map((name, i) => ({
      binding: i, name, role: i < spec.inputs.length ? 'input' : 'output',
      index: i < spec.inputs.length ? i : i - spec.inputs.length, dtype: spec.dtypes?.[name] ?? 'f32', shape: spec.shapes[name] ?? [], zeroInit: false,
    })),
    uniforms: { binding: names.length, fields: fields.map((name) => ({ name, type: 'u32' as const })) },
    requiredFeatures: [],
    plan(dims) {
      const buf = new Uint32Array(fields.length);
      fields.forEach((f, i) => (buf[i] = dims[f] ?? 0));
      return { grid: spec.grid(dims), uniforms: buf.buffer };
    },
  };
}

/** Splits a 1-D workgroup count over x and y to stay within the per-dimension limit. */
export function grid1d(workgroups: number): [number, number, number] {
  const x = Math.min(workgroups, 65535);
  return [x, Math.ceil(workgroups / x), 1];
}
