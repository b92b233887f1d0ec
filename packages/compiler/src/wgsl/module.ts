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
import { EmitContext, ident, offsetName } from './context.ts';
import { dimExpr } from './shape.ts';
import { emitStmts } from './stmts.ts';
import { storageType, wgslType } from './values.ts';

export interface UniformField {
  readonly name: string;
  readonly type: 'u32' | 'i32' | 'f32';
}

export interface EmittedModule {
  readonly wgsl: string;
  readonly uniformFields: readonly UniformField[];
  readonly tensors: readonly TensorRef[];
  readonly usesF16: boolean;
}

export function uniformFields(k: KernelIR): UniformField[] {
  const fields: UniformField[] = k.dims.map((d) => ({ name: d.name, type: 'i32' }));
  for (const p of k.params) {
    if (p.kind === 'scalar') fields.push({ name: p.name, type: p.dtype === 'f32' || p.dtype === 'f16' ? 'f32' : p.dtype === 'u32' ? 'u32' : 'i32' });
  }
  // Pad to a multiple of 16 bytes; WGSL also forbids an empty struct.
  while (fields.length === 0 || fields.length % 4 !== 0) fields.push({ name: `_pad${fields.length}`, type: 'u32' });
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

export function emitModule(k: KernelIR, config: KernelConfig, limits: DeviceLimits): EmittedModule {
  const ctx = new EmitContext(k, config, limits);
  const tensors = tensorBindings(k);
  const fields = uniformFields(k);
  const funcs = k.funcs.map((f) => emitFunc(ctx, f));

  // Entry point: find this workgroup's tile, then run the body.
  const counts = k.grid.map((l) => `(${dimExpr(l.dim)} + ${ctx.block(l) - 1}) / ${ctx.block(l)}`);
  ctx.line('let lid = i32(lidx);');
  ctx.line('let tile_id = i32(wid.x + wid.y * nwg.x);');
  k.grid.forEach((l, i) => ctx.line(`let n_${ident(l.id)} = ${counts[i] ?? '1'};`));
  ctx.line(`if (tile_id >= ${k.grid.map((l) => `n_${ident(l.id)}`).join(' * ') || '1'}) { return; }`);
  let rest = 'tile_id';
  for (let i = k.grid.length - 1; i >= 0; i--) {
    const l = k.grid[i];
    if (!l) continue;
    const pid = i === 0 ? rest : `${rest} % n_${ident(l.id)}`;
    ctx.line(`let ${offsetName(l)} = (${pid}) * ${ctx.block(l)};`);
    if (i > 0) {
      const next = `t_${i}`;
      ctx.line(`let ${next} = ${rest} / n_${ident(l.id)};`);
      rest = next;
    }
  }
  emitStmts(ctx, k.body);
  const main = ctx.body();

  const dtypes = new Set<DType>(tensors.map((t) => t.dtype));
  const usesF16 = dtypes.has('f16') || k.params.some((p) => p.kind === 'scalar' && p.dtype === 'f16') || /\bf16\b/.test(main + funcs.join(''));
  const out: string[] = [];
  if (usesF16) out.push('enable f16;', '');
  out.push(`// Tessera kernel '${k.name}' — config ${JSON.stringify(config)}`);
  out.push(`struct Uniforms {\n${fields.map((f) => `  ${f.name}: ${f.type},`).join('\n')}\n}`);
  tensors.forEach((t, i) => {
    const access = t.role === 'input' ? 'read' : 'read_write';
    out.push(`@group(0) @binding(${i}) var<storage, ${access}> ${ident(t.name)}: array<${storageType(t.dtype)}>;`);
  });
  out.push(`@group(0) @binding(${tensors.length}) var<uniform> u: Uniforms;`);
  out.push(...ctx.workgroupVars.values());
  out.push('', ...ctx.helpers.values(), ...funcs);
  out.push('', `@compute @workgroup_size(${config.workgroupSize})`);
  out.push('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {');
  out.push(main, '}', '');
  return { wgsl: out.join('\n'), uniformFields: fields, tensors, usesF16 };
}
