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
 * Bounded by bytes; past the bound, released buffers are destroyed.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private bytes = 0;

  constructor(private readonly limitBytes: number) {}

  /** A kept buffer of exactly this size and usage, if there is one. */
  take(size: number, usage: number): GPUBuffer | undefined {
    const list = this.free.get(key(size, usage));
    const buffer = list?.pop();
    if (buffer) this.bytes -= buffer.size;
    return buffer;
  }

  /** Keeps `buffer` for reuse; false when the pool is full (the caller destroys it then). */
  give(buffer: GPUBuffer): boolean {
    if (this.bytes + buffer.size > this.limitBytes) return false;
    const k = key(buffer.size, buffer.usage);
    const list = this.free.get(k) ?? [];
    list.push(buffer);
    this.free.set(k, list);
    this.bytes += buffer.size;
    return true;
  }

  get size(): number {
    let n = 0;
    for (const list of this.free.values()) n += list.length;
    return n;
  }

  destroy(): void {
    for (const list of this.free.values()) list.forEach((b) => b.destroy());
    this.free.clear();
    this.bytes = 0;
  }
}

const key = (size: number, usage: number): string => `${size}:${usage}`;
