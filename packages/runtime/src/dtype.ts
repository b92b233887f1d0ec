/**
 * How each tensor dtype is stored in a GPU buffer and seen on the host.
 * Storage: f32/i32/u32 as themselves, f16 as 16-bit patterns, bool as u32 0/1 (WGSL has
 * no 1-byte storage type, and `bool` itself is not host-shareable).
 * Host view on readback: f16 widens to Float32Array (no Float16Array in Node 20), bool
 * narrows to Uint8Array of 0/1 (what TF.js users expect).
 */
import type { DType } from 'tessera-gpu-compiler';
import { ArgumentError } from './errors.ts';
import { fromF16Bits, toF16Bits } from './half.ts';
import { checkData, checkIntegers } from './host-data.ts';

export type { DType };

export const DTYPES: readonly DType[] = ['f32', 'f16', 'i32', 'u32', 'bool'];

/** The typed array `tensor.read()` returns for each dtype. */
export type HostArray<D extends DType> = D extends 'f32' | 'f16'
  ? Float32Array
  : D extends 'i32'
    ? Int32Array
    : D extends 'u32'
      ? Uint32Array
      : D extends 'bool'
        ? Uint8Array
        : never;

/** What `device.tensor()` accepts as data. */
export type TensorData =
  | Float32Array
  | Int32Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | readonly number[]
  | readonly boolean[];

export function bytesPerElement(dtype: DType): number {
  return dtype === 'f16' ? 2 : 4;
}

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

/** The dtype a plain typed array stands for; ambiguous arrays need an explicit dtype. */
export function inferDType(data: TensorData): DType {
  checkData(data);
  if (data instanceof Float32Array) return 'f32';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Uint32Array) return 'u32';
  if (Array.isArray(data)) return typeof data[0] === 'boolean' ? 'bool' : 'f32';
  const kind = data instanceof Uint16Array ? 'Uint16Array' : 'Uint8Array';
  throw new ArgumentError(
    'dtype',
    "an explicit dtype for this data ('f16' for Uint16Array bits, 'bool' for Uint8Array)",
    `${kind} with no dtype`,
    `Pass the dtype: device.tensor(data, shape, '${kind === 'Uint16Array' ? 'f16' : 'bool'}').`,
    'device.tensor',
  );
}

/**
 * The element bytes for `data` stored as `dtype` (unpadded). Typed arrays must match the
 * dtype's storage (no silent truncation of f32 into i32); plain arrays convert to any dtype,
 * and Float32Array converts to f16 by rounding.
 */
export function encode(data: TensorData, dtype: DType): Uint8Array {
  const mismatch = (): ArgumentError =>
    new ArgumentError(
      'data',
      `data for dtype '${dtype}' (${expectedArrays(dtype)})`,
      describeData(data),
      'Convert the data to the matching typed array first, or pass a plain number array.',
      'device.tensor',
    );
  checkData(data);
  const plain = Array.isArray(data);
  const numbers = (): number[] => Array.from(data, (v: number | boolean) => Number(v));
  if (plain && (dtype === 'i32' || dtype === 'u32')) checkIntegers(numbers(), dtype);
  let view: ArrayBufferView;
  switch (dtype) {
    case 'f32':
      if (!plain && !(data instanceof Float32Array)) throw mismatch();
      view = plain ? new Float32Array(numbers()) : data;
      break;
    case 'i32':
      if (!plain && !(data instanceof Int32Array)) throw mismatch();
      view = plain ? new Int32Array(numbers()) : data;
      break;
    case 'u32':
      if (!plain && !(data instanceof Uint32Array)) throw mismatch();
      view = plain ? new Uint32Array(numbers()) : data;
      break;
    case 'f16':
      if (data instanceof Uint16Array) view = data;
      else if (plain || data instanceof Float32Array) view = toF16Bits(plain ? numbers() : data);
      else throw mismatch();
      break;
    case 'bool':
      if (!plain && !(data instanceof Uint8Array) && !(data instanceof Uint32Array)) {
        throw mismatch();
      }
      view = Uint32Array.from(plain ? numbers() : data, (v) => (v !== 0 ? 1 : 0));
      break;
  }
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The host array for `size` elements of `dtype` held in `bytes` (which may be padded). */
export function decode<D extends DType>(bytes: ArrayBuffer, dtype: D, size: number): HostArray<D> {
  // Each branch builds exactly the type HostArray<D> names for that dtype; TS cannot
  // narrow a generic conditional type through a switch, hence the casts.
  switch (dtype) {
    case 'f32':
      return new Float32Array(bytes, 0, size) as HostArray<D>;
    case 'i32':
      return new Int32Array(bytes, 0, size) as HostArray<D>;
    case 'u32':
      return new Uint32Array(bytes, 0, size) as HostArray<D>;
    case 'f16':
      return fromF16Bits(new Uint16Array(bytes, 0, size)) as HostArray<D>;
    case 'bool':
      return Uint8Array.from(new Uint32Array(bytes, 0, size), (v) => (v !== 0 ? 1 : 0)) as HostArray<D>;
  }
  // Unreachable for a DType; kept so a new dtype is a type error above, not a silent undefined.
  throw new ArgumentError('dtype', `one of ${DTYPES.join(', ')}`, String(dtype), 'Use a supported dtype.');
}

function expectedArrays(dtype: DType): string {
  switch (dtype) {
    case 'f32':
      return 'Float32Array or number[]';
    case 'i32':
      return 'Int32Array or number[]';
    case 'u32':
      return 'Uint32Array or number[]';
    case 'f16':
      return 'Uint16Array of f16 bits, Float32Array or number[]';
    case 'bool':
      return 'Uint8Array, Uint32Array, boolean[] or number[]';
  }
}

export function describeData(data: TensorData): string {
  return Array.isArray(data) ? `array of length ${data.length}` : `${data.constructor.name}(${data.length})`;
}
