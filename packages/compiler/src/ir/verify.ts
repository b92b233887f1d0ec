/**
 * The IR verifier: structural invariants every pass must keep. Run between passes in
 * tests (and on request), so a pass that breaks the IR is caught where it happens.
 */
import { InternalCompilerError } from 'tessera-gpu-dsl/errors';
import { axisText } from 'tessera-gpu-dsl/check';
import type { Axis, KernelIR, Stmt, Value } from './nodes.ts';
import { printValue } from './print.ts';
import { operands, stmtValues } from './walk.ts';

function axisEquals(a: Axis, b: Axis): boolean {
  if (a.kind === 'block') return b.kind === 'block' && a.loop.id === b.loop.id;
  if (a.kind === 'full') return b.kind === 'full' && JSON.stringify(a.dim) === JSON.stringify(b.dim);
  return b.kind === 'unit';
}

/** A gather has one subscript per dim, integer tiles on result axes, and every result axis covered. */
function gatherProblems(v: Value & { kind: 'gather' }): string[] {
  const problems: string[] = [];
  const rank = v.type.axes.length;
  if (v.index.length !== v.tensor.dims.length) problems.push(`${v.index.length} subscripts for ${v.tensor.dims.length} dims`);
  const covered = new Set<number>();
  for (const item of v.index) {
    if (item.kind === 'axis') covered.add(item.axis);
    if (item.kind === 'tile') {
      item.axes.forEach((a) => covered.add(a));
      if (item.axes.length !== item.value.type.axes.length) problems.push(`an index tile of ${item.value.type.axes.length} axes placed on ${item.axes.length}`);
    }
    if (item.kind !== 'axis' && item.value.type.dtype !== 'i32' && item.value.type.dtype !== 'u32') problems.push(`a ${item.value.type.dtype} index`);
    if (item.kind === 'scalar' && item.value.type.axes.length > 0) problems.push('a scalar subscript with axes');
  }
  if ([...covered].some((a) => a < 0 || a >= rank) || covered.size !== rank) problems.push(`subscripts cover result axes {${[...covered].join(', ')}} of ${rank}`);
  return problems;
}

/** A view maps each operand axis to a result axis it equals (or -1 for a dropped unit axis), in order. */
function viewProblems(v: Value & { kind: 'view' }): string[] {
  const from = v.x.type.axes;
  if (v.from.length !== from.length) return [`${v.from.length} mappings for ${from.length} axes`];
  const problems: string[] = [];
  let last = -1;
  v.from.forEach((to, i) => {
    const a = from[i];
    if (to === -1) {
      if (a?.kind !== 'unit') problems.push(`axis ${i} is dropped but is not a unit axis`);
      return;
    }
    const r = v.type.axes[to];
    if (!a || !r || !axisEquals(a, r) || to <= last) problems.push(`axis ${i} maps to result axis ${to}`);
    last = to;
  });
  v.type.axes.forEach((a, j) => {
    if (a.kind !== 'unit' && !v.from.includes(j)) problems.push(`result axis ${j} comes from nowhere`);
  });
  return problems;
}

export interface VerifyOptions {
  /** After hoistMaterializations: no reduce/scan/dot may remain inside value trees. */
  readonly hoisted: boolean;
}

export function verifyKernel(k: KernelIR, opts: VerifyOptions, afterPass = 'build'): void {
  const problems: string[] = [];
  const mats = new Set<string>();
  const gridIds = new Set(k.grid.map((l) => l.id));
  const loopIds = new Set([...k.grid, ...k.loops].map((l) => l.id));
  for (const l of k.grid) {
    if (l.iter === 'grid' && l.fixedBlock !== 1) problems.push(`grid loop ${l.name} has block ${String(l.fixedBlock)}, not 1`);
    if (l.iter === 'grid' && k.loops.some((x) => x.id === l.id)) problems.push(`grid loop ${l.name} is listed as a config loop`);
  }
  const checkValue = (v: Value, where: string): void => {
    if (v.kind === 'gridIndex' && (!gridIds.has(v.loop.id) || v.loop.iter !== 'grid' || v.type.dtype !== 'i32' || v.type.axes.length > 0)) {
      problems.push(`${where}: pid(${v.loop.name}) must be an i32 scalar of a grid loop of the launch grid`);
    }
    if (opts.hoisted && (v.kind === 'reduce' || v.kind === 'scan' || v.kind === 'dot')) problems.push(`${where}: ${v.kind} left inside a value tree`);
    if (v.kind === 'mat' && !mats.has(v.id)) problems.push(`${where}: @${v.id} read before it is materialized`);
    if (v.kind === 'binary' && !['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or'].includes(v.op) && v.a.type.dtype !== v.type.dtype) {
      problems.push(`${where}: ${v.op} operand dtype ${v.a.type.dtype} differs from result ${v.type.dtype}`);
    }
    if (v.kind === 'transpose') {
      // The last two axes swap; a 3-D (batched) tile keeps its batch axis in front.
      const from = v.x.type.axes;
      const to = v.type.axes;
      const n = from.length;
      const [a0, a1] = from.slice(-2);
      const [r0, r1] = to.slice(-2);
      const swapped = (n === 2 || n === 3) && to.length === n && !!a0 && !!a1 && !!r0 && !!r1 && axisEquals(a0, r1) && axisEquals(a1, r0) &&
        from.slice(0, -2).every((a, i) => { const r = to[i]; return !!r && axisEquals(a, r); });
      if (!swapped || v.x.type.dtype !== v.type.dtype) problems.push(`${where}: transpose must swap the last two axes of a 2-D or 3-D tile (got ${printValue(v.x)} -> ${v.type.dtype}[${v.type.axes.map(axisText).join(', ')}])`);
    }
    if (v.kind === 'view') viewProblems(v).forEach((p) => problems.push(`${where}: ${printValue(v)}: ${p}`));
    if ((v.kind === 'position' || v.kind === 'tileBound') && !loopIds.has(v.loop.id)) problems.push(`${where}: ${printValue(v)} of a loop the kernel does not have`);
    if (v.kind === 'position' && (v.type.dtype !== 'i32' || v.type.axes.length !== 1 || v.type.axes[0]?.kind !== 'block')) problems.push(`${where}: ${printValue(v)} must be an i32 tile along its block`);
    if (v.kind === 'gather') gatherProblems(v).forEach((p) => problems.push(`${where}: ${v.tensor.name}[…]: ${p}`));
    // Only a store can skip elements: a moved read is built as a masked gather (build-shift.ts).
    if (v.kind === 'load' && v.index.some((i) => i.kind === 'shifted' || i.kind === 'slice' || i.kind === 'tile')) problems.push(`${where}: ${printValue(v)}: a load with a moved, sliced or index-tile subscript`);
    if (v.kind === 'binary' && v.a.type.dtype !== v.b.type.dtype) problems.push(`${where}: ${v.op} operands ${v.a.type.dtype} and ${v.b.type.dtype} differ`);
    for (const o of operands(v)) checkValue(o, where);
  };
  const walk = (stmts: readonly Stmt[], where: string): void => {
    for (const [i, s] of stmts.entries()) {
      const here = `${where}/${i}:${s.kind}`;
      if (opts.hoisted && s.kind === 'materialize') {
        for (const o of operands(s.value)) checkValue(o, here);
        mats.add(s.id);
      } else {
        for (const v of stmtValues(s)) checkValue(v, here);
        if (s.kind === 'materialize') mats.add(s.id);
      }
      if (s.kind === 'store') {
        for (const item of s.index) {
          if (item.kind === 'slice' && (item.from.type.dtype !== 'i32' || item.from.type.axes.length > 0)) problems.push(`${here}: ${s.tensor.name}'s slice starts at a ${item.from.type.dtype} with ${item.from.type.axes.length} axes, not an i32 scalar`);
          if (item.kind === 'tile' && item.value.type.dtype !== 'i32' && item.value.type.dtype !== 'u32') problems.push(`${here}: ${s.tensor.name} is indexed by a ${item.value.type.dtype} tile`);
          if (item.kind !== 'shifted') continue;
          if (item.by.type.dtype !== 'i32' || item.by.type.axes.length > 0) problems.push(`${here}: ${s.tensor.name} is moved by a ${item.by.type.dtype} with ${item.by.type.axes.length} axes, not an i32 scalar`);
          if (!loopIds.has(item.loop.id)) problems.push(`${here}: ${s.tensor.name} is moved along a loop the kernel does not have`);
        }
      }
      if (s.kind === 'tileLoop' && (s.loop.iter !== 'tile' || gridIds.has(s.loop.id))) problems.push(`${here}: ${s.loop.name} is a launch-grid or grid loop, not a nested tile loop`);
      if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') walk(s.body, here);
      if (s.kind === 'if') {
        walk(s.then, here);
        walk(s.otherwise, here);
      }
    }
  };
  walk(k.body, k.name);
  for (const f of k.funcs) walk(f.body, f.key);
  if (problems.length > 0) {
    throw new InternalCompilerError(`verifying the IR after ${afterPass}`, problems.join('; '));
  }
}
