/**
 * The compiler's entry points: a checked kernel → tile IR (once per kernel), and tile IR
 * + config → a launchable WGSL artifact (once per config).
 */
import type { CheckedKernel } from 'tessera-gpu-dsl/check';
import type { Span } from 'tessera-gpu-dsl/ast';
import { InternalCompilerError, TesseraError } from 'tessera-gpu-dsl/errors';
import type { KernelArtifact, LaunchPlan } from './artifact.ts';
import { buildKernelIR } from './build/build-kernel.ts';
import { blockOf, resolveConfig, type ConfigInput, type KernelConfig } from './config/config.ts';
import { ConfigError, configProblems, DEFAULT_LIMITS, type DeviceLimits } from './config/validate.ts';
import type { KernelIR, Stmt, Value } from './ir/nodes.ts';
import { stmtValues, valueDepth } from './ir/walk.ts';
import { runPasses } from './passes/index.ts';
import { batchAsGrid } from './passes/batch-as-grid.ts';
import { ownValue } from 'tessera-gpu-dsl';
import { emitModule } from './wgsl/module.ts';
import { BindingLimitError, rangeStepBytes } from './wgsl/ranges.ts';

/** Wraps anything unexpected as an internal compiler error; user-facing errors pass through. */
function guarded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    throw new InternalCompilerError(what, e);
  }
}

/**
 * Deepest value tree a kernel may have once its lets are inlined. The WGSL emitter spills
 * deep trees into lets, but the interpreter's JavaScript (and the passes) recurse over
 * them; a chain of a thousand lets is refused with a typed error instead.
 */
export const MAX_VALUE_DEPTH = 600;

export function lowerToIR(checked: CheckedKernel, opts: { verify?: boolean } = {}): KernelIR {
  const ir = guarded(`lowering kernel '${checked.name}' to tile IR`, () => buildKernelIR(checked));
  const kernelDeepest = deepestStatement(ir.body);
  const funcDeepest = Math.max(0, ...ir.funcs.flatMap((f) => f.body).flatMap(allValues).map(valueDepth));
  if (Math.max(kernelDeepest.depth, funcDeepest) > MAX_VALUE_DEPTH) {
    // A func's statements are positioned in the func's own text: only a kernel statement is located.
    const inKernel = kernelDeepest.depth >= funcDeepest;
    throw new ExpressionDepthError(checked.name, Math.max(kernelDeepest.depth, funcDeepest), inKernel ? kernelDeepest.span : undefined);
  }
  return guarded(`lowering kernel '${checked.name}' to tile IR`, () => runPasses(ir, { verify: opts.verify ?? false }));
}

/**
 * An expression too deep once its lets are inlined (TSR3003), with the kernel statement
 * that holds it when known (the store or assignment that reads the end of the chain).
 */
export class ExpressionDepthError extends TesseraError {
  readonly span: Span | undefined;
  constructor(kernel: string, depth: number, span: Span | undefined) {
    const at = span ? ` at kernel:${span.start.line}:${span.start.col}` : '';
    super('TSR3003', `kernel '${kernel}'${at}: an expression is ${depth} operations deep once its lets are inlined (at most ${MAX_VALUE_DEPTH})`,
      'break the chain with a var (var acc = …; acc = acc + …;), whose value is stored rather than inlined');
    this.span = span;
  }
}

/** The deepest value tree among `stmts` (nested ones included), and the span of the statement holding it. */
function deepestStatement(stmts: readonly Stmt[]): { depth: number; span: Span | undefined } {
  let best: { depth: number; span: Span | undefined } = { depth: 0, span: undefined };
  for (const s of stmts) {
    const own = Math.max(0, ...stmtValues(s).map(valueDepth));
    if (own > best.depth) best = { depth: own, span: s.span };
    const nested = s.kind === 'tileLoop' || s.kind === 'rangeLoop' ? s.body : s.kind === 'if' ? [...s.then, ...s.otherwise] : [];
    const inner = deepestStatement(nested);
    if (inner.depth > best.depth) best = inner;
  }
  return best;
}

/** Every value tree held by `s` and the statements nested in it. */
function allValues(s: Stmt): Value[] {
  const nested = s.kind === 'tileLoop' || s.kind === 'rangeLoop' ? s.body : s.kind === 'if' ? [...s.then, ...s.otherwise] : [];
  return [...stmtValues(s), ...nested.flatMap(allValues)];
}

/** `features`: the adapter's features, when known (see configProblems). */
export function validateConfig(ir: KernelIR, input: ConfigInput | undefined, limits: DeviceLimits = DEFAULT_LIMITS, features?: readonly string[]): KernelConfig {
  const config = resolveConfig(ir, input);
  const problems = configProblems(ir, config, limits, features);
  if (problems.length > 0) throw new ConfigError(ir.name, problems);
  return config;
}

export interface CompileOptions {
  /**
   * Tensors larger than one storage binding at the call's sizes, by name, with how many
   * ranges each is bound as (wgsl/ranges.ts storageRanges); the others take one binding.
   */
  readonly ranges?: Readonly<Record<string, number>>;
}

export function compileWgsl(kernelIR: KernelIR, input?: ConfigInput, limits: DeviceLimits = DEFAULT_LIMITS, features?: readonly string[], options: CompileOptions = {}): KernelArtifact {
  const config = validateConfig(kernelIR, input, limits, features);
  // A batch loop at block 1 runs as a grid loop, so its matrices' tiles fit registers.
  const ir = batchAsGrid(kernelIR, config);
  const mod = guarded(`generating WGSL for kernel '${ir.name}'`, () => emitModule(ir, config, limits, options.ranges));
  const storageBindings = mod.bindings.reduce((n, b) => n + b.count, 0);
  const maxStorage = limits.maxStorageBuffersPerShaderStage;
  if (maxStorage !== undefined && storageBindings > maxStorage) {
    throw new BindingLimitError(ir.name, mod.tensors.map((t, i) => ({ name: t.name, count: mod.bindings[i]?.count ?? 1, span: t.span })), { maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxStorageBuffersPerShaderStage: maxStorage });
  }
  // Subgroup operations (reduction: 'subgroup') need `enable subgroups;` before any declaration.
  const usesSubgroups = /\bsubgroup[A-Z]\w*\(/.test(mod.wgsl);
  const wgsl = usesSubgroups && !/^enable subgroups;/m.test(mod.wgsl) ? `enable subgroups;\n${mod.wgsl}` : mod.wgsl;
  const requiredFeatures = [...(mod.usesF16 ? ['shader-f16'] : []), ...(usesSubgroups ? ['subgroups'] : [])];
  // Element types: scalars, or vectors (vec4<f32>) of them.
  const bytes = [...mod.wgsl.matchAll(/var<workgroup> \w+: array<(?:vec(\d)<)?(\w+)>?, (\d+)>/g)]
    .reduce((n, m) => n + Number(m[3]) * Number(m[1] ?? 1) * (m[2] === 'f16' ? 2 : 4), 0);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new ConfigError(ir.name, [`needs ${bytes} bytes of workgroup memory; the adapter allows ${limits.maxComputeWorkgroupStorageSize} (use smaller blocks or workgroup size)`]);
  }
  const fields = mod.uniformFields;
  const grid = ir.grid;
  return {
    kernelName: ir.name,
    wgsl,
    entryPoint: 'main',
    workgroupSize: [config.workgroupSize, 1, 1],
    tensors: mod.tensors.map((t, i) => {
      const b = mod.bindings[i] ?? { first: i, count: 1 };
      return {
        binding: b.first, name: t.name, role: t.role, index: t.index, dtype: t.dtype,
        shape: t.dims.map((d) => (d.kind === 'sym' ? d.name : d.value)), zeroInit: t.zeroInit,
        arrayStride: mod.arrayStrides[i] ?? 4,
        ...(b.count > 1 ? { ranges: { count: b.count, bytes: rangeStepBytes(limits) } } : {}),
        ...(t.span ? { span: t.span } : {}),
      };
    }),
    uniforms: { binding: storageBindings, fields },
    requiredFeatures,
    plan(dims, scalars): LaunchPlan {
      let tiles = 1;
      for (const loop of grid) {
        const size = loop.dim.kind === 'const' ? loop.dim.value : ownValue(dims, loop.dim.name) ?? 0;
        tiles *= Math.ceil(size / blockOf(config, loop));
      }
      const maxX = limits.maxComputeWorkgroupsPerDimension;
      const x = Math.max(1, Math.min(tiles, maxX));
      const y = Math.max(1, Math.ceil(tiles / x));
      const buf = new ArrayBuffer(fields.length * 4);
      const view = new DataView(buf);
      fields.forEach((f, i) => {
        // Own properties only: a dim called `constructor` is not Object.prototype's.
        const v = (f.source === 'dim' ? ownValue(dims, f.key) : f.source === 'param' ? ownValue(scalars, f.key) : 0) ?? 0;
        if (f.type === 'f32') view.setFloat32(i * 4, v, true);
        else if (f.type === 'u32') view.setUint32(i * 4, v >>> 0, true);
        else view.setInt32(i * 4, v | 0, true);
      });
      return { grid: [tiles === 0 ? 0 : x, tiles === 0 ? 0 : y, 1], uniforms: buf };
    },
  };
}
