/**
 * Resolved configs remembered per kernel and config input, for the call path. Resolving
 * a config (the defaults from the shape and loop structure, then every knob checked)
 * takes ~6–9 µs on the wasm backend, about half of a small kernel's whole call; a kernel
 * called again with an equal config — the tuner hands back the same one per shape —
 * gets the earlier result.
 *
 * Only plain data is remembered, by its text: an input holding anything else (a
 * function, NaN, a BigInt, an accessor, a class instance) is resolved, and rejected if it
 * is wrong, on every call, as is an input whose resolution failed. What is remembered is
 * a frozen copy (every later call shares it; the resolution may hand back parts of the
 * caller's own input, which stay the caller's to change).
 */
import type { ConfigInput, KernelIR } from 'tessera-gpu-compiler';

/** Kept per kernel and backend; a kernel called with ever new configs starts again past this. */
const MAX_REMEMBERED = 64;

const remembered = new WeakMap<KernelIR, Map<string, unknown>>();

export function memoConfig<T extends object>(ir: KernelIR, backend: string, input: ConfigInput | undefined, resolve: () => T): T {
  const text = plainText(input, 0);
  if (text === undefined) return resolve();
  const key = `${backend}|${text}`;
  let byKey = remembered.get(ir);
  if (byKey === undefined) remembered.set(ir, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit !== undefined) return hit as T;
  const resolved = resolve();
  let config: T;
  try {
    config = deepFreeze(structuredClone(resolved));
  } catch {
    return resolved;
  }
  if (byKey.size >= MAX_REMEMBERED) byKey.clear();
  byKey.set(key, config);
  return config;
}

/** A text that equal plain-data inputs share, or undefined for anything else. */
function plainText(v: unknown, depth: number): string | undefined {
  if (depth > 6) return undefined;
  switch (typeof v) {
    case 'undefined': return depth === 0 ? '-' : undefined;
    case 'boolean': return v ? 't' : 'f';
    case 'number': return Number.isFinite(v) ? `n${v}` : undefined;
    case 'string': return JSON.stringify(v);
    case 'object': break;
    default: return undefined;
  }
  if (v === null) return undefined;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return undefined;
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const d = Object.getOwnPropertyDescriptor(v, i);
      const part = d && 'value' in d ? plainText(d.value, depth + 1) : undefined;
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype || Object.getOwnPropertySymbols(v).length > 0) return undefined;
  const parts: string[] = [];
  for (const k of Object.getOwnPropertyNames(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    const part = d && 'value' in d && d.enumerable ? plainText(d.value, depth + 1) : undefined;
    if (part === undefined) return undefined;
    parts.push(`${JSON.stringify(k)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  return Object.freeze(o);
}
