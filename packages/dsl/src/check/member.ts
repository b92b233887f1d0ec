/**
 * Member access. Tile variables have members that say where their tile lies (Helion's
 * `tile.index` / `tile.begin` / `tile.end`, Triton's `pid * BLOCK + tl.arange(0, BLOCK)`):
 *
 *   tn.index       i32 tile [tn]: the position of each element along the dimension
 *   tn.begin       i32 scalar: the first position of the tile
 *   tn.end         i32 scalar: one past its last valid position (min(begin + block, N))
 *   tn.block_size  i32 scalar: the block size (the config's, or block=)
 *
 * Nothing else has members; what the author probably meant is in the hint.
 */
import type { Member } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { closestName } from './suggest.ts';
import { ERROR, typeText, type LoopInfo, type Type } from './types.ts';
import { typeExpr, type Mode } from './expr.ts';
import { foreignConstantHint, isForeignModule } from '../foreign-spellings.ts';

export const TILE_MEMBERS = ['index', 'begin', 'end', 'block_size'] as const;
export type TileMember = (typeof TILE_MEMBERS)[number];

export function isTileMember(name: string): name is TileMember {
  return (TILE_MEMBERS as readonly string[]).includes(name);
}

/** The type of `loop.member`. */
export function tileMemberType(loop: LoopInfo, member: TileMember): Type {
  if (member === 'index') return { kind: 'tile', dtype: 'i32', axes: [{ kind: 'block', loop }] };
  return { kind: 'scalar', dtype: 'i32' };
}

const TENSOR_HINTS: Readonly<Record<string, string>> = {
  shape: 'use the dims by name (M, N): they are i32 scalars in the body',
  dtype: 'the dtype is the one in the parameter type; cast with f32(…) if needed',
  T: 'write transpose(x[tm, tn]) for a tile with its axes swapped',
};

export function typeMember(ctx: CheckContext, e: Member, mode: Mode): Type {
  // `math.inf`, `torch.pi`: a Python module's constant, where the module is not a name in scope.
  if (e.object.kind === 'ident' && isForeignModule(e.object.name) && ctx.scope.lookup(e.object.name) === undefined) {
    ctx.report('TSR2044', e.span, e.object.name, e.name, foreignConstantHint(e.object.name, e.name));
    return ERROR;
  }
  const t = typeExpr(ctx, e.object, mode);
  if (t.kind === 'error') return ERROR;
  const what = e.object.kind === 'ident' ? e.object.name : typeText(t);
  if (t.kind === 'loopVar') {
    if (isTileMember(e.name)) return tileMemberType(t.loop, e.name);
    const near = closestName(e.name, TILE_MEMBERS);
    ctx.report('TSR2053', e.span, what, e.name, near ? `did you mean '${what}.${near}'? ` : '');
    return ERROR;
  }
  let hint = TENSOR_HINTS[e.name] ?? 'read a tensor with x[tm, :]; use the dims by name (M, N) for sizes';
  if (t.kind === 'scalar' && e.object.kind === 'ident' && ctx.resolved.get(e.object)?.kind === 'gridVar') {
    hint = `'${what}' is a grid loop variable: it already is the program's i32 index; members such as .index belong to tile variables (for tm in tile(M))`;
  } else if (isTileMember(e.name)) {
    hint = `.${e.name} belongs to tile variables (for tn in tile(N) { … tn.${e.name} … })`;
  }
  ctx.report('TSR2044', e.span, what, e.name, hint);
  return ERROR;
}
