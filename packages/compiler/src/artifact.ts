/**
 * What the compiler hands the runtime: one WGSL compute shader for one kernel and one
 * config, plus everything needed to launch it. The runtime never looks inside the WGSL;
 * the compiler never touches a GPU object. This file is the contract between the two.
 */

/** Element types a tensor may hold. `bool` is stored as u32 (0/1) in WGSL buffers. */
export type DType = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

/** One storage buffer the shader reads or writes, at `@group(0) @binding(binding)`. */
export interface TensorBinding {
  readonly binding: number;
  /** Kernel parameter name, or the output's name (`out`, `out0`, ...). */
  readonly name: string;
  /** `input`: a kernel parameter (read-only storage). `output`: a result (read_write). */
  readonly role: 'input' | 'output';
  /** Position among the kernel's parameters (inputs) or among its results (outputs). */
  readonly index: number;
  readonly dtype: DType;
  /** Symbolic shape, e.g. ['M', 'N']; numbers are fixed sizes. */
  readonly shape: readonly (string | number)[];
  /** Outputs only: the buffer must be zero-filled before launch (atomics accumulate into it). */
  readonly zeroInit: boolean;
  /**
   * Bytes per element of the WGSL array the shader declares for it (16 for a tensor read
   * as array<vec4<f32>>; absent: the element size). A binding must cover the tensor's bytes rounded up to this, or
   * the last vector would lie past the binding; Tessera's own buffers are padded to 16.
   */
  readonly arrayStride?: number;
  /**
   * A tensor larger than one storage binding (maxStorageBufferBindingSize) is bound as
   * `count` consecutive ranges of one buffer, at bindings `binding` … `binding + count - 1`:
   * range j starts `j * bytes` bytes into the tensor and the last one ends with it. Absent:
   * one binding.
   */
  readonly ranges?: { readonly count: number; readonly bytes: number };
  /** Where the kernel source declares it (its parameter, or the `let` allocating an output), for diagnostics. */
  readonly span?: SourceSpan;
}

/** A range of the kernel source, 1-based lines and columns (the DSL's Span). */
export interface SourceSpan {
  readonly start: { readonly offset: number; readonly line: number; readonly col: number };
  readonly end: { readonly offset: number; readonly line: number; readonly col: number };
}

/** Scalar (non-tensor) kernel parameters and every symbolic dim, packed into one uniform buffer. */
export interface UniformLayout {
  readonly binding: number;
  /** Field order in the buffer; each field is 4 bytes (u32 dims, f32/i32/u32 scalars). */
  /** `source`/`key`: the dim or scalar parameter each member holds (`pad`: none). */
  readonly fields: readonly { readonly name: string; readonly type: 'u32' | 'i32' | 'f32'; readonly source?: 'dim' | 'param' | 'pad'; readonly key?: string }[];
}

export interface LaunchPlan {
  /** Workgroup counts for dispatchWorkgroups(x, y, z), each within adapter limits. */
  readonly grid: readonly [number, number, number];
  /** Contents of the uniform buffer (bytes), in `UniformLayout.fields` order, padded to 16. */
  readonly uniforms: ArrayBuffer;
}

export interface KernelArtifact {
  readonly kernelName: string;
  readonly wgsl: string;
  readonly entryPoint: string;
  readonly workgroupSize: readonly [number, number, number];
  readonly tensors: readonly TensorBinding[];
  readonly uniforms: UniformLayout;
  /** Adapter features the shader needs, e.g. 'shader-f16', 'subgroups'. */
  readonly requiredFeatures: readonly string[];
  /**
   * Grid and uniform contents for one call. `dims` holds every symbolic dim bound from the
   * argument shapes; `scalars` the scalar parameters' values.
   */
  plan(dims: Readonly<Record<string, number>>, scalars: Readonly<Record<string, number>>): LaunchPlan;
}
