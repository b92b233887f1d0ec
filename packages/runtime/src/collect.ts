/**
 * Frees the storage of tensors that become unreachable without destroy(): a
 * FinalizationRegistry releases a collected tensor's GPU buffer (or the interpreter's
 * count of its host array) exactly as destroy() would. destroy() stays the way to free
 * promptly: a collection comes when the JavaScript heap needs one, which GPU memory does
 * not drive.
 *
 * Releasing at collection is as safe as destroy(): nothing can submit new work for an
 * unreachable tensor, and work already submitted runs before anything submitted later
 * that reuses the buffer (see buffer-pool.ts).
 */
import type { Device } from './device.ts';

interface Held {
  readonly device: Device;
  /** The GPU buffer, or the byte length of an interpreter tensor's host array. */
  readonly storage: GPUBuffer | number;
}

// The held value must not reference the tensor itself, or it would never be collected.
const registry = new FinalizationRegistry<Held>(({ device, storage }) => {
  if (typeof storage === 'number') device.trackHost(storage, -1);
  else device.release(storage, true);
});

/** Registers `tensor` so its storage is freed if it is collected before destroy(). */
export function freeWhenCollected(tensor: object, device: Device, storage: GPUBuffer | ArrayBufferView): void {
  registry.register(tensor, { device, storage: ArrayBuffer.isView(storage) ? storage.byteLength : storage }, tensor);
}

/** destroy() frees the storage itself: the collection-time free must not run too. */
export function forgetTensor(tensor: object): void {
  registry.unregister(tensor);
}

/**
 * Keeps `value` reachable up to this call: placed after an await that reads a tensor's
 * buffer, so the tensor cannot be collected (and its buffer reused) mid-read.
 */
export function keepAlive(value: object): void {
  void value;
}
