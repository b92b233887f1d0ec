/**
 * Typing of the random builtins `rand(seed, offsets)` (f32 uniform in [0, 1)),
 * `randn(seed, offsets)` (f32 standard normal) and `randint(seed, offsets)` (u32), in
 * Triton's argument order: an integer scalar seed and integer offsets, a scalar or a
 * tile; the result has the offsets' shape. They are counter-based (a hash of seed and
 * offset), so the same (seed, offset) always gives the same number.
 */
import type { Call } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { ERROR, makeValue, typeText, valueShape, type Type } from './types.ts';

const isInt = (d: string): boolean => d === 'i32' || d === 'u32';

export function typeRandom(ctx: CheckContext, e: Call, name: 'rand' | 'randn' | 'randint', argTypes: readonly Type[]): Type {
  const got = argTypes.map(typeText).join(', ') || 'no arguments';
  const usage = `${name}(seed, tn.index): an i32 or u32 scalar seed (a kernel parameter) and integer offsets, one per element`;
  const [seedType, offsetsType] = argTypes;
  const seed = seedType ? valueShape(seedType) : undefined;
  const offsets = offsetsType ? valueShape(offsetsType) : undefined;
  if (e.args.length !== 2 || !seed || !offsets) {
    ctx.report('TSR2007', e.span, name, 'a seed and offsets', got, usage);
    return ERROR;
  }
  if (!isInt(seed.dtype) || seed.axes.length > 0) {
    ctx.report('TSR2007', e.args[0]?.span ?? e.span, name, 'an i32 or u32 scalar seed', typeText(seedType ?? ERROR),
      seed.axes.length > 0 ? 'the seed is one number for the whole stream; vary the offsets per element instead' : `convert the seed with u32(…), or pass it as an i32/u32 parameter: ${usage}`);
    return ERROR;
  }
  if (!isInt(offsets.dtype)) {
    ctx.report('TSR2007', e.args[1]?.span ?? e.span, name, 'i32 or u32 offsets', typeText(offsetsType ?? ERROR),
      'offsets are integer positions (tn.index, or tm.index[:, None] * N + tn.index for a 2-D tile); convert with i32(…)');
    return ERROR;
  }
  return makeValue(name === 'randint' ? 'u32' : 'f32', offsets.axes);
}
