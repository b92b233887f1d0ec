/**
 * Assembles the JavaScript module for one kernel and one config:
 *
 *   (rt) => function run(inputs, outputs, dims, scalars, tr) { … }
 *
 * `rt` brings the numeric helpers (numeric.ts); `run` binds dims, tensors and scalar
 * parameters to local constants, defines the device functions, allocates tile buffers,
 * then loops over the grid's tiles (last grid loop fastest, as the WGSL backend numbers
 * workgroups) and runs the body once per tile. `tr` is only used by the traced variant.
 */
import { ALL_KNOBS, describeConfig, type DType, type FuncIR, type KernelConfig, type KernelIR } from 'tessera-gpu-compiler';
import { jsComment, jsString } from './names.ts';
import { countName, dimName, ident, offsetName, paramName, tensorName, JsContext } from './context.ts';
import { RUNTIME, roundHalf } from './numeric.ts';
import { literal } from './ops.ts';
import { dimExpr } from './shape.ts';
import { emitStmts } from './stmts.ts';
import { funcName } from './values.ts';

/** Converts a host number to a scalar parameter's dtype. */
function paramConversion(d: DType, x: string): string {
  switch (d) {
    case 'f32': return `fr(${x})`;
    case 'f16': return `rh(${x})`;
    case 'i32': return `(${x} | 0)`;
    case 'u32': return `(${x} >>> 0)`;
    case 'bool': return `(${x} ? true : false)`;
  }
}

/** Every symbolic dim: those bound by parameters and any other a tensor names. */
export function symbolicDims(k: KernelIR): Set<string> {
  const names = new Set([...k.dims, ...k.derivedDims].map((d) => d.name));
  const tensors = [...k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : [])), ...k.outputs];
  for (const t of tensors) for (const d of t.dims) if (d.kind === 'sym') names.add(d.name);
  return names;
}

function emitFunc(ctx: JsContext, f: FuncIR): string {
  const restore = ctx.capture();
  const savedLocals = new Map(ctx.locals);
  ctx.locals.clear();
  ctx.inFunc = true;
  const params = f.params.map((p, i) => {
    const name = `L_${ident(p.id)}`;
    ctx.locals.set(p.id, { name, axes: [], dtype: p.dtype });
    return { name, arg: `a${i}` };
  });
  emitStmts(ctx, f.body);
  // WGSL requires a return on every path; falling off the end here yields zero.
  ctx.line(`return ${literal(f.result, 0, roundHalf)};`);
  const lets = [...ctx.scalarLets].map((n) => `  let ${n} = 0;`);
  ctx.inFunc = false;
  const body = restore();
  ctx.locals.clear();
  for (const [k, v] of savedLocals) ctx.locals.set(k, v);
  const copies = params.map((p) => `  let ${p.name} = ${p.arg};`);
  return [`function ${funcName(f.key)}(${params.map((p) => p.arg).join(', ')}) {`, ...copies, ...lets, body, '}'].join('\n');
}

export function emitKernelSource(k: KernelIR, config: KernelConfig, trace: boolean): string {
  const ctx = new JsContext(k, config, trace);
  const funcs = k.funcs.map((f) => emitFunc(ctx, f));

  const restore = ctx.capture();
  const counters: string[] = [];
  for (const [i, loop] of k.grid.entries()) {
    const b = ctx.block(loop);
    const dim = dimExpr(loop.dim);
    const g = `g${i}`;
    counters.push(g);
    ctx.open(`for (let ${g} = 0, ${g}n = Math.ceil(${dim} / ${b}); ${g} < ${g}n; ${g}++) {`);
    ctx.line(`const ${offsetName(loop)} = ${g} * ${b};`);
    ctx.line(`const ${countName(loop)} = Math.min(${b}, ${dim} - ${offsetName(loop)});`);
  }
  // A declared block size's axis outside its loops reads as the first tile (LoopInfo.blockSize);
  // inside a loop over it, the loop's own offset and count shadow these.
  for (const loop of k.loops) {
    if (!loop.blockSize) continue;
    ctx.line(`const ${offsetName(loop)} = 0;`);
    ctx.line(`const ${countName(loop)} = Math.min(${ctx.block(loop)}, ${dimExpr(loop.dim)});`);
  }
  if (trace) {
    // Computed keys: a loop called `__proto__` is a plain key, not the object's prototype.
    const tile = k.grid.map((l, i) => `[${jsString(l.name)}]: ${counters[i] ?? '0'}`).join(', ');
    ctx.line(`tr.begin({ ${tile} });`);
  }
  emitStmts(ctx, k.body);
  for (let i = 0; i < k.grid.length; i++) ctx.close();
  const lets = [...ctx.scalarLets].map((n) => `  let ${n} = 0;`);
  const body = restore();

  const binds: string[] = [];
  // Dims and scalars arrive by position (dimOrder, scalarOrder): no name is spelled in the code.
  [...symbolicDims(k)].forEach((name, i) => binds.push(`  const ${dimName(name)} = dims[${i}];`));
  let scalarIndex = 0;
  for (const p of k.params) {
    if (p.kind === 'tensor') binds.push(`  const ${tensorName(p.tensor)} = inputs[${p.tensor.index}];`);
    else binds.push(`  const ${paramName(p.name)} = ${paramConversion(p.dtype, `scalars[${scalarIndex++}]`)};`);
  }
  for (const o of k.outputs) binds.push(`  const ${tensorName(o)} = outputs[${o.index}];`);

  const helpers = Object.keys(RUNTIME).map((name) => `${name} = rt.${name}`).join(', ');
  return [
    `// Tessera interpreter: kernel '${jsComment(k.name)}', config ${jsComment(describeConfig(k, config, ALL_KNOBS))}${trace ? ', traced' : ''}`,
    `const fr = Math.fround, rh = rt.roundHalf, HT = rt.HALF_TABLE, ${helpers};`,
    `return function run_${ident(k.name)}(inputs, outputs, dims, scalars, tr) {`,
    ...binds,
    ...funcs,
    ...ctx.allocations.map((a) => `  ${a}`),
    ...lets,
    body,
    '};',
  ].join('\n');
}
