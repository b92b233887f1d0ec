/**
 * Storage buffers of destroyed tensors, kept for the next tensor of the same size and
 * usage (Device.allocate / release).
 *
 * Why: WebGPU zero-fills every new buffer before its first use, so a fresh output that a
 * kernel then overwrites entirely is written twice. For a 16 MB output on a CPU adapter
 * the fill costs about as much as a softmax over it, on every call that allocates its
 * output. Reuse is safe because the queue runs work in submission order: anything
 * submitted before the tensor was destroyed that still reads its buffer finishes before
 * anything submitted later writes it.
 *
 * Bounded by bytes. When a released buffer does not fit, the buffers released longest
 * ago are destroyed to make room: the buffer just released is the likeliest to be asked
 * for next (the same call again), while old ones are often of sizes no longer in use.
 * Refusing the newcomer instead left a pool full of stale sizes that made every later
 * call of a large kernel allocate (and zero-fill) its output afresh — on lavapipe a
 * 45 MB output cost ~400 ms of CPU time per call against ~65 ms for the kernel itself.
 */
export class BufferPool {
  /** Kept buffers by size and usage; each list in release order, newest last. */
  private readonly free = new Map<string, GPUBuffer[]>();
  /** Every kept buffer, in release order, oldest first: the eviction order. */
  private readonly order: GPUBuffer[] = [];
  private bytes = 0;

  constructor(private readonly limitBytes: number) {}

  /** A kept buffer of exactly this size and usage, if there is one (the newest such). */
  take(size: number, usage: number): GPUBuffer | undefined {
    const k = key(size, usage);
    const list = this.free.get(k);
    const buffer = list?.pop();
    if (list?.length === 0) this.free.delete(k);
    if (buffer) this.forget(buffer, false);
    return buffer;
  }

  /**
   * Keeps `buffer` for reuse, destroying the oldest kept buffers if it does not fit; false
   * when it is larger than the whole pool (the caller destroys it then).
   */
  give(buffer: GPUBuffer): boolean {
    if (buffer.size > this.limitBytes) return false;
    while (this.bytes + buffer.size > this.limitBytes) {
      const oldest = this.order[0];
      if (oldest === undefined) break;
      this.forget(oldest, true);
      oldest.destroy();
    }
    const k = key(buffer.size, buffer.usage);
    const list = this.free.get(k) ?? [];
    list.push(buffer);
    this.free.set(k, list);
    this.order.push(buffer);
    this.bytes += buffer.size;
    return true;
  }

  get size(): number {
    return this.order.length;
  }

  destroy(): void {
    this.order.forEach((b) => b.destroy());
    this.order.length = 0;
    this.free.clear();
    this.bytes = 0;
  }

  /** Drops a kept buffer from the books; `fromList` also from its size's list (take() has popped it already). */
  private forget(buffer: GPUBuffer, fromList: boolean): void {
    const i = this.order.indexOf(buffer);
    if (i >= 0) this.order.splice(i, 1);
    this.bytes -= buffer.size;
    if (!fromList) return;
    const k = key(buffer.size, buffer.usage);
    const list = this.free.get(k);
    const j = list?.indexOf(buffer) ?? -1;
    if (list && j >= 0) list.splice(j, 1);
    if (list?.length === 0) this.free.delete(k);
  }
}

const key = (size: number, usage: number): string => `${size}:${usage}`;
