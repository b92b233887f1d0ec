/**
 * How a `@` outside the micro-tile layout (layout.ts) shares its result out when the
 * result's size is known at compile time: the workgroup's invocations form a gy×gx grid
 * over the [R, C] result, and each invocation computes a tr×tc block of it in registers
 * (dot-blocked.ts). Per step of the contraction an invocation then reads tr values of a
 * and tc values of b (tc / w vector loads when b is read in vectors) for tr·tc fma —
 * instead of two reads per fma, one element at a time.
 *
 * Decided from sizes alone, so the layout (which tensors are declared as vectors) and
 * the emitter agree on it.
 */

export interface BlockedDotPlan {
  /** Invocation grid: gy rows of gx invocations. */
  readonly gy: number;
  readonly gx: number;
  /** Rows and columns of the result each invocation computes. */
  readonly tr: number;
  readonly tc: number;
  /** Rows computed per pass (≤ tr), so at most MAX_ACCUMULATORS sums are live at once. */
  readonly rowsPerPass: number;
  /** Width of the column groups an invocation owns (b's vector loads), 1 for scalars. */
  readonly w: number;
}

/** Most sums one invocation keeps in registers at a time (the micro-tile's largest, 16×8). */
const MAX_ACCUMULATORS = 128;

/**
 * The plan with the fewest reads per contraction step, or undefined when the workgroup
 * does not divide the result evenly (the one-element-at-a-time path handles that).
 *
 * Cost: a's reads count a quarter when every invocation reads the same rows (gy = 1):
 * the address is uniform, which a GPU serves as one broadcast read; an eighth with
 * `broadcast` (the config's broadcastA), where the lanes of a subgroup split those reads
 * and hand them round (dot-blocked.ts). Passes repeat b's reads.
 */
export function blockedDotPlan(rows: number, cols: number, invocations: number, vectorWidth: number, broadcast = false): BlockedDotPlan | undefined {
  let best: { plan: BlockedDotPlan; cost: number } | undefined;
  for (let gy = 1; gy <= invocations; gy++) {
    if (invocations % gy !== 0 || rows % gy !== 0) continue;
    const gx = invocations / gy;
    if (cols % gx !== 0) continue;
    const tr = rows / gy;
    const tc = cols / gx;
    if (tc > MAX_ACCUMULATORS) continue;
    const w = vectorWidth > 1 && tc % vectorWidth === 0 ? vectorWidth : 1;
    let rowsPerPass = tr;
    while (rowsPerPass * tc > MAX_ACCUMULATORS || tr % rowsPerPass !== 0) rowsPerPass--;
    const passes = tr / rowsPerPass;
    const cost = (gy === 1 ? (broadcast ? 0.125 : 0.25) : 1) * tr + passes * (tc / w);
    if (!best || cost < best.cost) best = { plan: { gy, gx, tr, tc, rowsPerPass, w }, cost };
  }
  return best?.plan;
}
