/**
 * Config validation: a config that cannot work is rejected here, with the reason, before
 * any WGSL or pipeline is made.
 */
import type { KernelIR, Stmt, Value } from '../ir/nodes.ts';
import { ownValue } from 'tessera-gpu-dsl';
import { operands, stmtValues } from '../ir/walk.ts';
import { blockOf, type KernelConfig } from './config.ts';
import { layoutDot } from './dots.ts';
import { plainLoad } from '../wgsl/layout.ts';
import { cacheableRows } from '../wgsl/row-cache.ts';

/** Device limits that bound the config space (WebGPU's defaults when unknown). */
export interface DeviceLimits {
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxStorageBufferBindingSize: number;
  /** Storage buffers one kernel may bind, and the alignment of a binding's offset (wgsl/ranges.ts); checked when known. */
  readonly maxStorageBuffersPerShaderStage?: number;
  readonly minStorageBufferOffsetAlignment?: number;
  /**
   * The adapter's subgroup sizes (GPUAdapterInfo.subgroupMinSize/MaxSize), when it has
   * subgroups and reports them: broadcastA is only valid when they are known.
   */
  readonly subgroupMinSize?: number;
  readonly subgroupMaxSize?: number;
}

/** WebGPU's guaranteed minimums: a config valid under these runs on every adapter. */
export const DEFAULT_LIMITS: DeviceLimits = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 134217728,
};

export { ConfigError } from './config-error.ts';

const isPow2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Whether the kernel body reduces anything (the `reduction` knob matters only then). */
export function hasReduction(k: KernelIR): boolean {
  const inValue = (v: Value): boolean => v.kind === 'reduce' || operands(v).some(inValue);
  const inStmts = (stmts: readonly Stmt[]): boolean => stmts.some((s) =>
    stmtValues(s).some(inValue) ||
    ((s.kind === 'tileLoop' || s.kind === 'rangeLoop') && inStmts(s.body)) ||
    (s.kind === 'if' && (inStmts(s.then) || inStmts(s.otherwise))));
  return inStmts(k.body);
}

/**
 * Blocks that name no tile loop of the kernel (a misspelt loop would otherwise be ignored
 * and the default run instead), and blocks that contradict a block fixed in the source.
 * Every backend checks these; the sizes a backend allows are its own.
 */
export function blockNameProblems(k: KernelIR, c: KernelConfig): string[] {
  const problems: string[] = [];
  const names = new Set(k.loops.map((l) => l.name));
  for (const name of Object.keys(c.blocks)) {
    if (!names.has(name)) problems.push(`no tile loop named '${name}' (loops: ${[...names].join(', ') || 'none'})`);
  }
  for (const loop of k.loops) {
    const given = ownValue(c.blocks, loop.name);
    if (loop.fixedBlock !== undefined && given !== undefined && given !== loop.fixedBlock) {
      problems.push(`block ${loop.name} is fixed to ${loop.fixedBlock} in the kernel source (got ${given})`);
    }
  }
  return problems;
}

/**
 * `features` are the adapter's features when known: then `reduction: 'subgroup'` is
 * rejected without 'subgroups'. When unknown (undefined) it is not checked here; the
 * artifact's requiredFeatures lists 'subgroups', which the runtime checks at launch.
 */
export function configProblems(k: KernelIR, c: KernelConfig, limits: DeviceLimits, features?: readonly string[]): string[] {
  const problems = blockNameProblems(k, c);
  const names = new Set(k.loops.map((l) => l.name));
  for (const [name, b] of Object.entries(c.blocks)) {
    if (!names.has(name)) continue;
    if (!isPow2(b)) problems.push(`block ${name}=${b} is not a positive power of two`);
    else if (b > 4096) problems.push(`block ${name}=${b} is larger than 4096`);
  }
  const wg = c.workgroupSize;
  const maxWg = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  if (!isPow2(wg)) problems.push(`workgroupSize=${wg} is not a positive power of two`);
  else if (wg > maxWg) problems.push(`workgroupSize=${wg} exceeds the adapter's limit of ${maxWg} invocations`);
  problems.push(...knobProblems(c), ...dotProblems(k, c, limits), ...broadcastProblems(k, c, limits, features), ...rowCacheProblems(k, c, limits));
  if (c.reduction === 'subgroup' && features !== undefined && !features.includes('subgroups')) {
    problems.push("reduction='subgroup' needs the adapter feature 'subgroups', which this adapter lacks (use reduction='tree')");
  }
  return problems;
}

/** Each knob within its own domain (whether or not the kernel uses it). */
function knobProblems(c: KernelConfig): string[] {
  const problems: string[] = [];
  const [tm, tn] = c.microTile;
  if (c.microTile.length !== 2 || !isPow2(tm) || !isPow2(tn) || tm > 16 || tn > 16) {
    problems.push(`microTile=[${c.microTile.join(', ')}] must be two powers of two, each at most 16`);
  }
  if (![1, 2, 4].includes(c.vectorWidth)) problems.push(`vectorWidth=${c.vectorWidth} must be 1, 2 or 4`);
  if (!isPow2(c.unroll) || c.unroll > 64) problems.push(`unroll=${c.unroll} must be a power of two, at most 64`);
  if (!isPow2(c.groupM) || c.groupM > 64) problems.push(`groupM=${c.groupM} must be a power of two, at most 64 (1 = row-major)`);
  if (!isPow2(c.kChunk) || c.kChunk > 1024) problems.push(`kChunk=${c.kChunk} must be a power of two, at most 1024`);
  if (typeof c.stageA !== 'boolean' || typeof c.stageB !== 'boolean') problems.push('stageA and stageB must be true or false');
  if (typeof c.broadcastA !== 'boolean') problems.push('broadcastA must be true or false');
  if (c.reduction !== 'tree' && c.reduction !== 'subgroup' && c.reduction !== 'serial') problems.push(`reduction=${String(c.reduction)} must be 'tree', 'subgroup' or 'serial'`);
  if (c.rowCache !== 0 && (!isPow2(c.rowCache) || c.rowCache > 16384)) problems.push(`rowCache=${c.rowCache} must be 0 (off) or a power of two, at most 16384`);
  return problems;
}

/**
 * The row cache's workgroup copy (wgsl/row-cache.ts): block × rowCache elements per
 * cached tensor. Rejected here so the autotuner skips it without generating WGSL; the
 * generated module's total (with reduction scratch) is checked again when it is compiled.
 */
function rowCacheProblems(k: KernelIR, c: KernelConfig, limits: DeviceLimits): string[] {
  if (c.rowCache === 0 || layoutDot(k)) return [];
  const rows = cacheableRows(k);
  const bytes = rows.reduce((n, r) => n + blockOf(c, r.loop) * c.rowCache * (r.tensor.dtype === 'f16' ? 2 : 4), 0);
  if (bytes <= limits.maxComputeWorkgroupStorageSize) return [];
  const loops = [...new Set(rows.map((r) => r.loop.name))].join(', ');
  return [`rowCache=${c.rowCache} copies ${rows.length} ${rows.length === 1 ? "tensor's" : "tensors'"} rows of block ${loops} into ${bytes} bytes of workgroup memory; the adapter allows ${limits.maxComputeWorkgroupStorageSize} (use a smaller rowCache or block ${loops}, or rowCache=0)`];
}

/** broadcastA's conditions (see KernelConfig.broadcastA). */
function broadcastProblems(k: KernelIR, c: KernelConfig, limits: DeviceLimits, features?: readonly string[]): string[] {
  if (!c.broadcastA) return [];
  const dot = layoutDot(k);
  if (!dot) return ["broadcastA applies only to kernels with '@'"];
  const problems: string[] = [];
  if (features !== undefined && !features.includes('subgroups')) problems.push("broadcastA needs the adapter feature 'subgroups', which this adapter lacks");
  if (c.stageA) problems.push('broadcastA reads a directly: it cannot be combined with stageA');
  if (!plainLoad(dot.value.a)) problems.push("broadcastA needs a to be an f32 input matrix read at tile blocks (e.g. a[tm, tk])");
  const { subgroupMinSize: min, subgroupMaxSize: max } = limits;
  const [tm, tn] = c.microTile;
  const threadsX = blockOf(c, dot.cols) / tn;
  if (min === undefined || max === undefined) problems.push("broadcastA needs the adapter's subgroup sizes, which are not known here");
  else {
    if (threadsX % max !== 0) problems.push(`broadcastA needs ${dot.cols.name}/microTile[1] (${threadsX}) to be a multiple of the subgroup size (up to ${max} here)`);
  }
  return problems;
}

/** Elements of the contraction staged per step of the kernel's register-tiled `@`. */
export function dotChunk(k: KernelIR, c: KernelConfig): number | undefined {
  const dot = layoutDot(k);
  if (!dot) return undefined;
  return dot.k?.kind === 'block' ? blockOf(c, dot.k.loop) : c.kChunk;
}

/** Bytes of workgroup memory the `@` staging needs (f32 tiles of a and b). */
export function dotStagingBytes(k: KernelIR, c: KernelConfig): number {
  const dot = layoutDot(k);
  const chunk = dotChunk(k, c);
  if (!dot || chunk === undefined) return 0;
  const bm = blockOf(c, dot.rows);
  const bn = blockOf(c, dot.cols);
  return 4 * chunk * ((c.stageA ? bm : 0) + (c.stageB ? bn : 0));
}

/** How the knobs of a kernel with `@` must fit together. */
function dotProblems(k: KernelIR, c: KernelConfig, limits: DeviceLimits): string[] {
  const dot = layoutDot(k);
  const chunk = dotChunk(k, c);
  if (!dot || chunk === undefined) return [];
  const problems: string[] = [];
  const bm = blockOf(c, dot.rows);
  const bn = blockOf(c, dot.cols);
  const [tm, tn] = c.microTile;
  const w = c.vectorWidth;
  if (bm % tm !== 0 || bn % tn !== 0) {
    problems.push(`microTile=[${tm}, ${tn}] must divide the result tile [${dot.rows.name}=${bm}, ${dot.cols.name}=${bn}]`);
  } else if ((bm / tm) * (bn / tn) !== c.workgroupSize) {
    problems.push(`the ${bm}×${bn} tile in ${tm}×${tn} micro-tiles needs ${(bm / tm) * (bn / tn)} invocations, but workgroupSize=${c.workgroupSize} (make (${dot.rows.name}/${tm})×(${dot.cols.name}/${tn}) equal the workgroup size)`);
  }
  if (tn % w !== 0) problems.push(`vectorWidth=${w} must divide microTile[1]=${tn} (each invocation owns groups of ${w} columns)`);
  const kName = dot.k?.kind === 'block' ? `block ${dot.k.loop.name}` : 'kChunk';
  if (chunk % w !== 0) problems.push(`vectorWidth=${w} must divide the contraction step (${kName}=${chunk})`);
  if (c.unroll > chunk) problems.push(`unroll=${c.unroll} is more than the contraction step (${kName}=${chunk})`);
  const bytes = dotStagingBytes(k, c);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    problems.push(`staging the operands needs ${bytes} bytes of workgroup memory; the adapter allows ${limits.maxComputeWorkgroupStorageSize} (use smaller blocks or ${kName}, or stageA/stageB=false)`);
  }
  return problems;
}
