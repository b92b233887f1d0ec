/** The f64 row-softmax reference and the error measure the wasm call-path tests share. */

export function softmaxRef(x: Float32Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let r = 0; r < m; r++) {
    let mx = -Infinity;
    for (let c = 0; c < n; c++) mx = Math.max(mx, x[r * n + c] ?? 0);
    let s = 0;
    for (let c = 0; c < n; c++) s += Math.exp((x[r * n + c] ?? 0) - mx);
    for (let c = 0; c < n; c++) out[r * n + c] = Math.exp((x[r * n + c] ?? 0) - mx) / s;
  }
  return out;
}

/** The largest |got - want|; Infinity where got is shorter or holds NaN. */
export function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)));
  return Number.isNaN(worst) ? Infinity : worst;
}
