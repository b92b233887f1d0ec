/**
 * How the calling thread waits for the rest of a call's grid once its own share is done:
 * on the argument block's done count (artifact.ts), which the thread finishing the last
 * tiles brings to the tile count and notifies. Waiting on the count instead of on each
 * worker's reply, a call returns as soon as its tiles are done: a worker that was slow to
 * wake, or found no tile left, holds nothing up.
 *
 * Where the thread may block (Node, workers), it spins briefly (the other threads'
 * last tiles usually end within microseconds of its own), then sleeps in Atomics.wait in
 * slices, returning to the event loop between slices so a worker that died (its error
 * event) is noticed. A browser's main thread may not block: it uses Atomics.waitAsync,
 * or, without it, the workers' replies.
 */

/** Word indexes in the status words after the argument slots (artifact.ts). */
const DONE = 1;
const FAILED = 2;
/** Loads of the done count before sleeping: a few microseconds. */
const SPIN = 512;
/** Longest sleep before the event loop runs again. */
const SLICE_MS = 25;

export type TilesOutcome = 'done' | 'failed';

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
export function canBlock(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: Promise<unknown> | string };

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Resolves 'done' once the done count of the status words at byte address `status` of
 * `words` (the memory as an Int32Array) reaches `tiles`, 'failed' once a thread flagged a
 * trap or a worker stopped (its job settled) with the grid unfinished.
 */
export async function waitForTiles(
  words: Int32Array, status: number, tiles: number, jobs: readonly Promise<void>[], blocking: boolean,
): Promise<TilesOutcome> {
  const word = words.subarray(status >> 2, (status >> 2) + 3);
  let stopped = false;
  for (const j of jobs) j.catch(() => { stopped = true; });
  void Promise.allSettled(jobs).then(() => { stopped = true; });
  const check = (): TilesOutcome | undefined => {
    if (Atomics.load(word, DONE) >= tiles) return 'done';
    if (Atomics.load(word, FAILED) !== 0 || stopped) return 'failed';
    return undefined;
  };
  for (let i = 0; i < SPIN; i++) {
    const got = check();
    if (got) return got;
  }
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  for (;;) {
    const seen = Atomics.load(word, DONE);
    const got = check();
    if (got) {
      // A job that settled after the last tile was counted is not a failure.
      return got === 'failed' && Atomics.load(word, DONE) >= tiles ? 'done' : got;
    }
    if (blocking) {
      if (Atomics.wait(word, DONE, seen, SLICE_MS) === 'timed-out') await nextTask();
    } else if (waitAsync) {
      const r = waitAsync(word, DONE, seen, SLICE_MS);
      if (r.async) await r.value;
    } else {
      await Promise.allSettled(jobs);
      stopped = true;
    }
  }
}
