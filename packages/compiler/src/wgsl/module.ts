/**
 * Assembles the WGSL module for one kernel and one config: bindings, the uniform struct
 * (symbolic dims and scalar parameters), device functions, workgroup arrays, and the
 * entry point that maps workgroups to tiles.
 *
 * Grid: tile t of the grid loops (last loop fastest) runs on workgroup t, counted as
 * `wid.x + wid.y * nwg.x`, so launches beyond maxComputeWorkgroupsPerDimension spill into
 * the y dimension; workgroups past the last tile return at once (a workgroup-uniform exit).
 */
import type { DType, FuncIR, KernelIR, TensorRef } from '../ir/nodes.ts';
import type { KernelConfig } from '../config/config.ts';
import type { DeviceLimits } from '../config/validate.ts';
import { elideBarriers } from './fences.ts';
import { EmitContext, ident, mentions, offsetName } from './context.ts';
import { hasVectorStores } from '../config/vector-stores.ts';
import { ALL_KNOBS, describeConfig } from '../config/describe.ts';
import { emitMicroTileCoords } from './microtile.ts';
import { dimExpr } from './shape.ts';
import { emitStmts } from './stmts.ts';
import { cacheableRows, emitWithRowCache } from './row-cache.ts';
import { bufferName, wgslType } from './values.ts';
import { arrayElementType, arrayStride, rangeArray, rangesOf } from './ranged-access.ts';
import { uniformMember, wgslComment } from './names.ts';

export interface UniformField {
  /** The struct member (names.ts uniformMember). */
  readonly name: string;
  readonly type: 'u32' | 'i32' | 'f32';
  /** What it holds: the dim or scalar parameter called `key`, or padding. */
  readonly source: 'dim' | 'param' | 'pad';
  readonly key: string;
}

export interface EmittedModule {
  readonly wgsl: string;
  readonly uniformFields: readonly UniformField[];
  readonly tensors: readonly TensorRef[];
  /** Per tensor (same order): bytes per element of the WGSL array it is declared as (16 for array<vec4<f32>>). */
  readonly arrayStrides: readonly number[];
  /** Per tensor (same order): its first binding and how many it takes (more than one for a ranged tensor, ranges.ts). */
  readonly bindings: readonly { readonly first: number; readonly count: number }[];
  readonly usesF16: boolean;
}

export function uniformFields(k: KernelIR): UniformField[] {
  const fields: UniformField[] = [...k.dims, ...k.derivedDims].map((d) => ({ name: uniformMember(d.name), type: 'i32', source: 'dim', key: d.name }));
  for (const p of k.params) {
    if (p.kind !== 'scalar') continue;
    const type = p.dtype === 'f32' || p.dtype === 'f16' ? 'f32' : p.dtype === 'u32' ? 'u32' : 'i32';
    fields.push({ name: uniformMember(p.name), type, source: 'param', key: p.name });
  }
  // Pad to a multiple of 16 bytes; WGSL also forbids an empty struct. Mangled names start
  // with `_m`, plain ones with a letter: `_pad` never meets either.
  while (fields.length === 0 || fields.length % 4 !== 0) fields.push({ name: `_pad${fields.length}`, type: 'u32', source: 'pad', key: '' });
  return fields;
}

/** Inputs first (parameter order), then outputs: binding i is tensors[i]; the uniforms follow. */
export function tensorBindings(k: KernelIR): TensorRef[] {
  const inputs = k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : []));
  return [...inputs, ...k.outputs];
}

function emitFunc(ctx: EmitContext, f: FuncIR): string {
  const restore = ctx.capture();
  ctx.inFunc = true;
  for (const p of f.params) ctx.locals.set(p.id, { name: ident(p.id), storage: undefined });
  emitStmts(ctx, f.body);
  ctx.inFunc = false;
  const body = restore();
  const params = f.params.map((p) => `${ident(p.id)}_in: ${wgslType(p.dtype)}`).join(', ');
  // Parameters are copied into vars so the body may treat them like any local.
  const copies = f.params.map((p) => `  var ${ident(p.id)} = ${ident(p.id)}_in;`).join('\n');
  return `fn ${ident(f.key)}(${params}) -> ${wgslType(f.result)} {\n${copies}${copies ? '\n' : ''}${body}\n}`;
}

/**
 * Tile offsets from the tile id. Row-major by default (last grid loop fastest). With
 * groupM > 1, the last two loops (rows a, columns b) are walked in groups of groupM
 * rows, column by column within a group (Triton's GROUP_M ordering): consecutive
 * workgroups then share a few operand row blocks and column blocks, which stay in cache.
 */
function emitGridDecode(ctx: EmitContext, k: KernelIR): void {
  const grid = k.grid;
  const n = (i: number): string => `n_${ident(grid[i]?.id ?? '')}`;
  let rest = 'tile_id';
  let last = grid.length - 1;
  const g = ctx.config.groupM;
  if (grid.length >= 2 && g > 1) {
    const [la, lb] = [grid[last - 1], grid[last]];
    const group = `(${g} * ${n(last)})`;
    ctx.line(`let g_in = ${rest} % (${n(last - 1)} * ${n(last)});`);
    ctx.line(`let g_first = (g_in / ${group}) * ${g};`);
    ctx.line(`let g_size = min(${n(last - 1)} - g_first, ${g});`);
    if (la) ctx.line(`let ${offsetName(la)} = (g_first + (g_in % ${group}) % g_size) * ${ctx.block(la)};`);
    if (lb) ctx.line(`let ${offsetName(lb)} = ((g_in % ${group}) / g_size) * ${ctx.block(lb)};`);
    if (grid.length > 2) {
      ctx.line(`let t_g = ${rest} / (${n(last - 1)} * ${n(last)});`);
      rest = 't_g';
    }
    last -= 2;
  }
  for (let i = last; i >= 0; i--) {
    const l = grid[i];
    if (!l) continue;
    const pid = i === 0 ? rest : `${rest} % ${n(i)}`;
    ctx.line(`let ${offsetName(l)} = (${pid}) * ${ctx.block(l)};`);
    if (i > 0) {
      const next = `t_${i}`;
      ctx.line(`let ${next} = ${rest} / ${n(i)};`);
      rest = next;
    }
  }
}

/**
 * The knobs this kernel's code depends on, for the header comment: a kernel without `@`
 * ignores the micro-tile knobs, and a 1-D grid has no grid order.
 */
function configSummary(ctx: EmitContext, k: KernelIR): string {
  const c = ctx.config;
  if (ctx.layout.micro) return describeConfig(k, c, ALL_KNOBS);
  const knobs: (typeof ALL_KNOBS)[number][] = ['workgroupSize'];
  if (k.grid.length >= 2 && c.groupM > 1) knobs.push('groupM');
  if (c.rowCache > 0) knobs.push('rowCache');
  if (hasVectorStores(k)) knobs.push('vectorWidth');
  return describeConfig(k, c, knobs);
}

/** `ranges`: tensors bound as several ranges at the call's sizes (ranges.ts storageRanges). */
export function emitModule(k: KernelIR, config: KernelConfig, limits: DeviceLimits, ranges: Readonly<Record<string, number>> = {}): EmittedModule {
  const ctx = new EmitContext(k, config, limits, new Map(Object.entries(ranges)));
  const tensors = tensorBindings(k);
  const fields = uniformFields(k);
  const funcs = k.funcs.map((f) => emitFunc(ctx, f));

  // Entry point: find this workgroup's tile, then run the body.
  const counts = k.grid.map((l) => `(${dimExpr(l.dim)} + ${ctx.block(l) - 1}) / ${ctx.block(l)}`);
  ctx.line('let lid = i32(lidx);');
  ctx.line('let tile_id = i32(wid.x + wid.y * nwg.x);');
  k.grid.forEach((l, i) => ctx.line(`let n_${ident(l.id)} = ${counts[i] ?? '1'};`));
  ctx.line(`if (tile_id >= ${k.grid.map((l) => `n_${ident(l.id)}`).join(' * ') || '1'}) { return; }`);
  emitGridDecode(ctx, k);
  // A declared block size's axis outside its loops reads as the first tile (LoopInfo.blockSize);
  // inside a loop over it, the loop's own offset shadows this one.
  for (const l of k.loops) if (l.blockSize) ctx.line(`let ${offsetName(l)} = 0;`);
  if (ctx.layout.micro) emitMicroTileCoords(ctx, ctx.layout.micro);
  const cached = config.rowCache > 0 && !ctx.layout.micro ? cacheableRows(k) : [];
  if (cached.length > 0) emitWithRowCache(ctx, cached, config.rowCache, () => emitStmts(ctx, k.body));
  else emitStmts(ctx, k.body);
  const arrays = [...ctx.workgroupVars.keys()];
  // Barriers stay where functions called from the body touch workgroup memory themselves.
  const callees = [...ctx.helpers.values(), ...funcs].join('\n');
  const calleesShare = callees.includes('workgroupBarrier') || mentions(callees, arrays);
  const main = calleesShare ? ctx.body() : elideBarriers(ctx.body(), arrays);

  const dtypes = new Set<DType>(tensors.map((t) => t.dtype));
  const usesF16 = dtypes.has('f16') || k.params.some((p) => p.kind === 'scalar' && p.dtype === 'f16') || /\bf16\b/.test(main + funcs.join(''));
  const out: string[] = [];
  if (usesF16) out.push('enable f16;', '');
  out.push(`// Tessera kernel '${wgslComment(k.name)}' — config ${wgslComment(configSummary(ctx, k))}`);
  out.push(`struct Uniforms {\n${fields.map((f) => `  ${f.name}: ${f.type},`).join('\n')}\n}`);
  const bindings: { first: number; count: number }[] = [];
  let next = 0;
  for (const t of tensors) {
    const access = t.role === 'input' ? 'read' : 'read_write';
    const count = rangesOf(ctx, t);
    const type = `array<${arrayElementType(ctx, t)}>`;
    bindings.push({ first: next, count });
    if (count === 1) out.push(`@group(0) @binding(${next++}) var<storage, ${access}> ${bufferName(t)}: ${type};`);
    else for (let j = 0; j < count; j++) out.push(`@group(0) @binding(${next++}) var<storage, ${access}> ${rangeArray(t, j)}: ${type};`);
  }
  out.push(`@group(0) @binding(${next}) var<uniform> u: Uniforms;`);
  out.push(...ctx.workgroupVars.values());
  out.push('', ...ctx.helpers.values(), ...funcs);
  out.push('', `@compute @workgroup_size(${config.workgroupSize})`);
  // The lane within the subgroup, for broadcastA's loads (wgsl/dot.ts).
  const subgroupLane = config.broadcastA ? ', @builtin(subgroup_invocation_id) sg_id: u32' : '';
  out.push(`fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32${subgroupLane}) {`);
  out.push(main, '}', '');
  return { wgsl: out.join('\n'), uniformFields: fields, tensors, arrayStrides: tensors.map((t) => arrayStride(ctx, t)), bindings, usesF16 };
}
