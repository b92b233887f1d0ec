/**
 * The micro-tile an invocation owns (layout.ts): its thread coordinates, the tile-local
 * row and column of each owned element, and iteration over the owned elements.
 *
 * Owned element r = i*TN + j is row `ty*TM + i` and column `(g*TX + tx)*w + c` with
 * j = g*w + c: rows are contiguous per invocation (one invocation's a values come from
 * TM consecutive rows), columns come in groups of w contiguous elements (a w-wide load
 * of b serves one group) and the groups of neighbouring invocations are adjacent, so a
 * workgroup's loads and stores along a row are contiguous.
 */
import type { EmitContext } from './context.ts';
import type { MicroTile } from './layout.ts';
import { maskExpr } from './shape.ts';

export const ownedRow = (i: number): string => `mt_r${i}`;
export const ownedCol = (j: number): string => `mt_c${j}`;

/** Emits the invocation's thread coordinates and owned rows/columns (once, at entry). */
export function emitMicroTileCoords(ctx: EmitContext, m: MicroTile): void {
  ctx.line(`// micro-tile: ${m.threadsY}×${m.threadsX} invocations, each ${m.tm}×${m.tn} of the ${m.bm}×${m.bn} tile`);
  ctx.line(`let mt_y = lid / ${m.threadsX};`);
  ctx.line(`let mt_x = lid % ${m.threadsX};`);
  for (let i = 0; i < m.tm; i++) ctx.line(`let ${ownedRow(i)} = mt_y * ${m.tm} + ${i};`);
  for (let j = 0; j < m.tn; j++) {
    const g = Math.floor(j / m.w);
    const c = j % m.w;
    const group = g === 0 ? 'mt_x' : `(${g * m.threadsX} + mt_x)`;
    ctx.line(`let ${ownedCol(j)} = ${m.w === 1 ? group : `${group} * ${m.w} + ${c}`};`);
  }
}

/**
 * Runs `each` once per owned element, unrolled; `ctx.owned` holds the element's
 * register index meanwhile (a constant), so register tiles can be read and written.
 */
export function forEachOwned(ctx: EmitContext, m: MicroTile, each: (coords: string[], mask: string, r: number) => void): void {
  for (let i = 0; i < m.tm; i++) {
    for (let j = 0; j < m.tn; j++) {
      const r = i * m.tn + j;
      const coords = [ownedRow(i), ownedCol(j)];
      ctx.owned = { index: String(r), copies: new Map() };
      try {
        each(coords, maskExpr(m.axes, coords), r);
      } finally {
        ctx.owned = undefined;
      }
    }
  }
}

/**
 * Runs `each` for every owned element as one WGSL loop over them: for statements that
 * only read register tiles (an epilogue store), where unrolling would repeat their
 * loads, stores and masks TM×TN times. CPU adapters compile every memory access into a
 * per-lane loop, so the unrolled form of a 64-element epilogue took most of a 2 s
 * shader compile on lavapipe; the loop takes a few ms to run per tile.
 *
 * The loop index is not a constant, and indexing a register array with it would turn
 * the whole array into memory (the accumulation loop with it): the register tiles in
 * `reads` are read through a copy instead.
 */
export function forEachOwnedLooped(ctx: EmitContext, m: MicroTile, registerTiles: readonly string[], each: (coords: string[], mask: string) => void): void {
  const copies = new Map<string, string>();
  for (const name of registerTiles) {
    const copy = ctx.fresh(`${name}_c`);
    ctx.line(`var ${copy} = ${name};`);
    copies.set(name, copy);
  }
  const r = ctx.fresh('d_r');
  ctx.open(`for (var ${r} = 0; ${r} < ${m.tm * m.tn}; ${r}++) {`);
  const [row, col] = [ctx.fresh('d_row'), ctx.fresh('d_col')];
  ctx.line(`let ${row} = mt_y * ${m.tm} + ${r} / ${m.tn};`);
  const j = `${r} % ${m.tn}`;
  ctx.line(`let ${col} = ${m.w === 1 ? `(${j}) * ${m.threadsX} + mt_x` : `((${j}) / ${m.w} * ${m.threadsX} + mt_x) * ${m.w} + (${j}) % ${m.w}`};`);
  ctx.owned = { index: r, copies };
  try {
    each([row, col], maskExpr(m.axes, [row, col]));
  } finally {
    ctx.owned = undefined;
  }
  ctx.close();
}
