/**
 * The wasm device's memory: one WebAssembly.Memory (shared between threads when the
 * engine has SharedArrayBuffer) holding every tensor of the device, each call's argument
 * block and the threads' scratch. A first-fit free list with coalescing, 16-byte
 * aligned, grows the memory as needed. Tensors are typed-array views into it, so a
 * kernel reads and writes them in place (no copy per call).
 *
 * Growing a shared memory keeps old views valid (the memory never moves); an unshared
 * one would detach them, so unshared memories are created at a fixed size.
 */
import { ArgumentError } from '../errors.ts';

const PAGE = 65536;
const ALIGN = 16;
/** Address 0 stays unused, so a zero address is never a tensor. */
const FIRST = 1024;

export interface MemoryOptions {
  readonly shared: boolean;
  /** Most bytes the memory may hold (shared: its maximum; unshared: its fixed size). */
  readonly maxBytes: number;
}

export class WasmMemory {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  private readonly maxPages: number;
  private free: { addr: number; size: number }[] = [];
  private top = FIRST;
  private used = 0;
  private readonly registry = new FinalizationRegistry<number>((addr) => this.release(addr));
  private readonly sizes = new Map<number, number>();

  /**
   * The whole memory as 4-byte words, for writing argument blocks without a DataView (and
   * a `memory.buffer` read, which a shared memory answers slowly) per call. Remade after
   * each grow, the only place the memory grows (kernels never grow it).
   */
  i32: Int32Array;
  f32: Float32Array;

  constructor(options: MemoryOptions) {
    this.shared = options.shared;
    this.maxPages = Math.max(1, Math.floor(options.maxBytes / PAGE));
    this.memory = options.shared
      ? new WebAssembly.Memory({ initial: 16, maximum: this.maxPages, shared: true })
      : new WebAssembly.Memory({ initial: this.maxPages, maximum: this.maxPages });
    this.i32 = new Int32Array(this.memory.buffer);
    this.f32 = new Float32Array(this.memory.buffer);
  }

  get bytesInUse(): number {
    return this.used;
  }

  /** Allocates `bytes` (16-aligned); `what` names the allocation in an out-of-memory error. */
  allocate(bytes: number, what: string, hint?: string): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const i = this.free.findIndex((b) => b.size >= size);
    let addr: number;
    const hit = i >= 0 ? this.free[i] : undefined;
    if (hit) {
      addr = hit.addr;
      if (hit.size === size) this.free.splice(i, 1);
      else this.free[i] = { addr: hit.addr + size, size: hit.size - size };
    } else {
      addr = this.top;
      this.ensure(addr + size, what, hint);
      this.top = addr + size;
    }
    this.sizes.set(addr, size);
    this.used += size;
    return addr;
  }

  /** Frees an allocation; unknown addresses (already freed) are ignored. */
  release(addr: number): void {
    const size = this.sizes.get(addr);
    if (size === undefined) return;
    this.sizes.delete(addr);
    this.used -= size;
    let block = { addr, size };
    // Insert sorted by address, merging with neighbours.
    let i = this.free.findIndex((b) => b.addr > addr);
    if (i < 0) i = this.free.length;
    const prev = this.free[i - 1];
    const next = this.free[i];
    if (next && block.addr + block.size === next.addr) {
      block = { addr: block.addr, size: block.size + next.size };
      this.free.splice(i, 1);
    }
    if (prev && prev.addr + prev.size === block.addr) {
      prev.size += block.size;
      block = prev;
    } else {
      this.free.splice(i, 0, block);
    }
    if (block.addr + block.size === this.top) {
      this.top = block.addr;
      this.free.splice(this.free.indexOf(block), 1);
    }
  }

  /** A typed-array view of an allocation, freed when the view is garbage collected (or by release). */
  view<T extends ArrayBufferView>(make: (buffer: ArrayBufferLike, addr: number) => T, addr: number): T {
    const v = make(this.memory.buffer, addr);
    this.registry.register(v, addr, v);
    return v;
  }

  /** Frees the allocation behind a view made by view(). */
  releaseView(v: ArrayBufferView): void {
    this.registry.unregister(v);
    this.release(v.byteOffset);
  }

  private ensure(end: number, what: string, hint = 'Destroy tensors you no longer need (tensor.destroy()), or create the device with a larger wasmMemoryBytes.'): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (!this.shared || have / PAGE + pages > this.maxPages) {
      throw new ArgumentError('shape', `at most ${this.maxPages * PAGE} bytes in all on the wasm device`,
        `${end - this.used} bytes needed for ${what} (${this.used} in use)`, hint);
    }
    this.memory.grow(Math.min(this.maxPages - have / PAGE, Math.max(pages, 256)));
    this.i32 = new Int32Array(this.memory.buffer);
    this.f32 = new Float32Array(this.memory.buffer);
  }
}
