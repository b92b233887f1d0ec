/**
 * What device.tensor() accepts as host data, checked before any conversion: Number()
 * would turn a string or an object into NaN and a typed-array constructor would truncate
 * 1.5 or wrap -1 silently, so each refusal names the value that came and where.
 */
import { ArgumentError } from './errors.ts';
import type { TensorData } from './dtype.ts';

/** The typed arrays device.tensor() takes; any other view is refused by name. */
const ACCEPTED_VIEWS = [Float32Array, Int32Array, Uint32Array, Uint16Array, Uint8Array] as const;

/**
 * Refuses data that is not a TensorData, naming what came: null, a non-array, a typed
 * array of another kind (Float64Array, BigInt64Array, …), or a plain array holding
 * something other than numbers and booleans (which Number() would turn into NaN).
 */
export function checkData(data: unknown): asserts data is TensorData {
  const refuse = (actual: string, hint: string): never => {
    throw new ArgumentError('data', 'a Float32Array, Int32Array, Uint32Array, Uint16Array, Uint8Array, number[] or boolean[]',
      actual, hint, 'device.tensor');
  };
  if (ArrayBuffer.isView(data)) {
    if (ACCEPTED_VIEWS.some((c) => data instanceof c)) return;
    const name = data.constructor.name;
    refuse(name, name.startsWith('Big')
      ? `Convert it first: Float32Array.from(data, Number) (or Int32Array.from(data, Number)); 64-bit integers are not a tensor dtype.`
      : `Convert it first, e.g. Float32Array.from(data) (${name} is not a tensor storage type).`);
  }
  if (!Array.isArray(data)) refuse(describeValue(data), 'Pass a typed array or a plain array of numbers.');
  const items = data as readonly unknown[];
  const first = items[0];
  const kind = typeof first === 'boolean' ? 'boolean' : 'number';
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (typeof v !== kind) {
      refuse(`${describeValue(v)} at index ${i} of ${kind === 'boolean' ? 'a boolean' : 'a number'} array`,
        kind === 'boolean' ? 'Pass only booleans (or only numbers).' : 'Pass only numbers (NaN and Infinity are numbers; strings, objects and holes are not).');
    }
  }
}

/** A short description of any value for an error message (never throws, never huge). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
    case 'number': return `the number ${String(v)}`;
    case 'bigint': return `the bigint ${String(v)}n`;
    case 'boolean': return `the boolean ${String(v)}`;
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    default: break;
  }
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (v instanceof ArrayBuffer) return `an ArrayBuffer (wrap it in a typed array, e.g. new Float32Array(buffer))`;
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name} object` : 'an object';
}

/** Plain arrays become i32/u32 only when every value fits: no silent truncation or wrap-around. */
export function checkIntegers(values: readonly number[], dtype: 'i32' | 'u32'): void {
  const [lo, hi] = dtype === 'i32' ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
  const bad = values.findIndex((v) => !Number.isInteger(v) || v < lo || v > hi);
  const v = values[bad];
  if (v !== undefined) {
    throw new ArgumentError('data', `integers in [${lo}, ${hi}] for dtype '${dtype}'`, `${String(v)} at index ${bad}`,
      'Round the values (Math.round) or pick a dtype that holds them (f32).', 'device.tensor');
  }
}

