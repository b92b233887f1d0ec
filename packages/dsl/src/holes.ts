/**
 * `${…}` holes in the AST: a number or boolean becomes a literal marked with its hole
 * index (a compile-time constant); a `func` may only be called (`${relu}(x)`); anything
 * else is a diagnostic at the hole that names what was given.
 */
import type { IToken } from 'chevrotain';
import type { BoolLit, Callee, NumberLit, Span } from './ast.ts';
import type { ConvertContext } from './cst.ts';
import { isFuncDef, isKernelDef } from './defs.ts';

/** `${12}` → 12. */
export function holeIndex(t: IToken): number {
  return Number(t.image.slice(2, -1));
}

/** `${3}` as messages show it. */
export function holeLabel(index: number): string {
  return `\${${index}}`;
}

/** A short, human description of a value of any type, for "hole ${1} holds …". */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? `the number ${v}` : v > 0 ? 'Infinity' : '-Infinity';
    case 'boolean':
      return `the boolean ${v}`;
    case 'bigint':
      return `the bigint ${v}n`;
    case 'string': {
      const s = JSON.stringify(v.length > 24 ? `${v.slice(0, 21)}...` : v);
      return `the string ${s}`;
    }
    case 'symbol':
      return 'a symbol';
    case 'function':
      return `${v.name ? `the JavaScript function '${v.name}'` : 'a JavaScript function'} (device code is written with func\`…\`)`;
    case 'object': {
      if (v === null) return 'null';
      if (isFuncDef(v)) return `the func '${v.name}'`;
      if (isKernelDef(v)) return `the kernel '${v.name}' (a kernel cannot be called from a kernel; make it a func)`;
      if (Array.isArray(v)) return 'an array';
      const ctor: unknown = Reflect.get(v, 'constructor');
      const name = typeof ctor === 'function' ? ctor.name : '';
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}

type HoleLookup = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function lookup(ctx: ConvertContext, index: number, span: Span): HoleLookup {
  ctx.usedHoles.add(index);
  if (index >= ctx.holes.length) {
    ctx.report('TSR1033', span, holeLabel(index), ctx.holes.length);
    return { ok: false };
  }
  return { ok: true, value: ctx.holes[index] };
}

/** A hole in value position: a literal, or a placeholder `0` after a diagnostic. */
export function holeValue(ctx: ConvertContext, t: IToken): NumberLit | BoolLit {
  const index = holeIndex(t);
  const span = ctx.span(t);
  const placeholder: NumberLit = { kind: 'number', value: 0, isFloat: false, fromHole: index, span };
  const found = lookup(ctx, index, span);
  if (!found.ok) return placeholder;
  const v = found.value;
  if (typeof v === 'number') {
    // JavaScript has one number type: an integral value is an integer constant, unless it
    // is outside every 32-bit integer range, where only a float can hold it. Infinity,
    // -Infinity and NaN are float constants (as inf, -inf, nan); a finite number beyond
    // f32 is an error at the hole.
    const isInt = Number.isInteger(v) && v >= -2147483648 && v <= 4294967295;
    if (!isInt && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) ctx.report('TSR1036', span, `${v} (${holeLabel(index)})`);
    return { kind: 'number', value: v, isFloat: !isInt, fromHole: index, span };
  }
  if (typeof v === 'boolean') return { kind: 'bool', value: v, fromHole: index, span };
  if (isFuncDef(v)) ctx.report('TSR1031', span, v.name, holeLabel(index));
  else ctx.report('TSR1030', span, holeLabel(index), describeValue(v));
  return placeholder;
}

/** A hole in callee position (`${relu}(x)`): it must hold a func without errors. */
export function holeCallee(ctx: ConvertContext, t: IToken): Callee {
  const index = holeIndex(t);
  const span = ctx.span(t);
  const found = lookup(ctx, index, span);
  if (!found.ok) return { kind: 'hole', hole: index, name: '<missing>', span };
  const v = found.value;
  if (!isFuncDef(v)) {
    ctx.report('TSR1032', span, holeLabel(index), describeValue(v));
    return { kind: 'hole', hole: index, name: '<invalid>', span };
  }
  const firstError = v.diagnostics.find((d) => d.severity === 'error');
  if (firstError !== undefined || v.ast === undefined) {
    const what = firstError === undefined ? 'it has no fn' : `${firstError.code} ${firstError.message}`;
    ctx.report('TSR1034', span, v.name, holeLabel(index), what);
  }
  return { kind: 'hole', hole: index, name: v.name, span };
}
