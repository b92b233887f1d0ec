/**
 * Uniform buffers reused across launches instead of one allocation per call.
 *
 * Why reuse is safe: `queue.writeBuffer` is a queue operation, ordered with `submit`. A
 * launch writes its uniforms and submits in the same synchronous step, so the next
 * launch's write lands after the previous dispatch in queue order even though both use
 * one buffer. Anything that submits the same uniforms more than once across awaits
 * (timing.ts) must take its own buffer, since another launch could write in between.
 */

/** Uniform bindings need a size that is a multiple of 16 (WGSL uniform struct layout). */
export function uniformSize(byteLength: number): number {
  return Math.max(16, Math.ceil(byteLength / 16) * 16);
}

export class UniformPool {
  /** One buffer per size; kernels have few distinct uniform sizes, so this stays small. */
  private readonly buffers = new Map<number, GPUBuffer>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.buffers.size;
  }

  /** A uniform buffer holding `data` (zero-padded to a multiple of 16 bytes), written via the queue. */
  write(data: ArrayBuffer): GPUBuffer {
    const size = uniformSize(data.byteLength);
    let buffer = this.buffers.get(size);
    if (buffer === undefined) {
      buffer = this.device.createBuffer({
        label: `tessera uniforms (${size} B)`,
        size,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
      this.buffers.set(size, buffer);
    }
    this.device.queue.writeBuffer(buffer, 0, padded(data, size));
    return buffer;
  }

  destroy(): void {
    for (const buffer of this.buffers.values()) buffer.destroy();
    this.buffers.clear();
  }
}

/** `data` zero-extended to `size` bytes (writeBuffer sizes must be multiples of 4). */
export function padded(data: ArrayBuffer, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  out.set(new Uint8Array(data, 0, Math.min(data.byteLength, size)));
  return out;
}
