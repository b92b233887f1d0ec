/**
 * The tuning cache key. A tuned config is reused only when everything that decides which
 * config is fastest matches: the kernel (its source, hole values and lowered IR), the
 * adapter, the argument dtypes, the shapes (bucketed) and the knobs offered. Two calls
 * with the same key share one tuning.
 *
 * The compiler that tuned it is part of the entry (`compiler`, the version and a hash of
 * the compiler's sources) but not of the key string: an entry tuned by other compiler code
 * is found, judged stale and tuned again once (its replacement takes the same key), and a
 * pinned one keeps serving across compiler versions.
 */
import { COMPILER_FINGERPRINT as FINGERPRINT, COMPILER_VERSION as COMPILER_PACKAGE_VERSION } from 'tessera-gpu-compiler';
import type { KernelDef } from 'tessera-gpu-dsl';
import type { AdapterDescription } from '../adapter.ts';
import { cyrb53Lanes } from '../hash.ts';

export const COMPILER_VERSION: string = COMPILER_PACKAGE_VERSION;
/** `version+sourcehash` of the compiler in use (TuningKey.compiler of what it tunes). */
export const COMPILER_FINGERPRINT: string = FINGERPRINT;

/**
 * How call shapes map to a key: `pow2` (default) rounds every dim up to a power of two,
 * so a config tuned at 1000 rows serves 600 to 1024 rows; `exact` keys each shape apart.
 */
export type ShapeBucket = 'pow2' | 'exact';

export interface TuningKey {
  readonly kernel: string;
  /** Hash of the kernel's source, hole values and tile IR. */
  readonly hash: string;
  /** The compiler fingerprint it was tuned with (COMPILER_FINGERPRINT); not in keyString. */
  readonly compiler: string;
  /** vendor/architecture/description of the adapter. */
  readonly adapter: string;
  /** Tensor parameters' dtypes, in order, e.g. `f32,f32`. */
  readonly dtypes: string;
  /** Bucketed dims, e.g. `M=2048,N=1024`. */
  readonly shape: string;
  /** Hash of the knobs and their ranges. */
  readonly space: string;
}

export function keyString(k: TuningKey): string {
  return [`${k.kernel}#${k.hash}`, k.adapter, k.dtypes, k.shape, `space#${k.space}`].join('|');
}

/** The key string of caches written before the compiler left it (it named `compiler=…`). */
export function legacyKeyString(k: TuningKey): string {
  return [`${k.kernel}#${k.hash}`, `compiler=${k.compiler}`, k.adapter, k.dtypes, k.shape, `space#${k.space}`].join('|');
}

/** Whether `entry` was tuned by other compiler code than this (and so is tuned again, unless pinned). */
export function tunedByOtherCompiler(key: TuningKey): boolean {
  return key.compiler !== COMPILER_FINGERPRINT;
}

export function adapterIdentity(info: AdapterDescription): string {
  return [info.vendor || '?', info.architecture || '?', info.description || info.name].join('/');
}

export function bucketDims(dims: Readonly<Record<string, number>>, bucket: ShapeBucket): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, size] of Object.entries(dims)) {
    out[name] = bucket === 'exact' || size <= 1 ? size : 2 ** Math.ceil(Math.log2(size));
  }
  return out;
}

export function shapeText(dims: Readonly<Record<string, number>>): string {
  return Object.entries(dims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, v]) => `${n}=${v}`).join(',');
}

/** Everything that makes a kernel this kernel: source text, holes (funcs by their source), lowered IR. */
export function kernelHash(def: KernelDef, printedIR: string): string {
  const holes = (values: readonly unknown[]): string => values.map((v) => {
    if (typeof v === 'object' && v !== null && 'source' in v && 'holes' in v) {
      const f = v as { readonly source: { readonly text: string }; readonly holes: readonly unknown[] };
      return `func(${f.source.text}|${holes(f.holes)})`;
    }
    return String(v);
  }).join(',');
  return hashText(`${def.source.text}\u0000${holes(def.holes)}\u0000${printedIR}`);
}

/** 64 bits of two cyrb53-style hashes, as hex: stable across runs and platforms, no crypto needed (browsers). */
export function hashText(text: string): string {
  const h = (seed: number): number => {
    const [h1, h2] = cyrb53Lanes(text, seed);
    return (h1 >>> 0) ^ ((h2 & 0xffff) << 0);
  };
  return [h(1), h(2)].map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}
