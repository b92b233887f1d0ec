/**
 * The one adapter between the compiler's config space and the search: a kernel's knobs,
 * for one call's shapes on one adapter, as typed search knobs.
 *
 * The compiler describes its knobs as plain data (`configSpace(ir, limits)`: name, kind,
 * values, default, and `build` from one value per knob to a config). This file
 *   - uses it when tessera-gpu-compiler exports it, else builds the same shape from what
 *     every KernelConfig has (a block per tile loop, the workgroup size);
 *   - drops block sizes beyond the call's shapes (a 1024-row block for 100 rows is the
 *     same launch as a 128-row one, and a wasted benchmark); a knob's default stays;
 *   - leaves the workgroup size of a kernel with `@` to resolveConfig, which derives it
 *     from blocks and micro-tile ((BM/TM)·(BN/TN) invocations): as a knob of its own,
 *     almost every single-knob move would break that equation and be rejected;
 *   - turns micro-tile pairs into values the search can compare (`4x4`), with moves
 *     along each side;
 *   - narrows knobs to the values a caller allows (`AutotuneOptions.space`), the way a
 *     Triton user lists candidate configs: a smaller space for a known-good region.
 */
import * as compiler from 'tessera-gpu-compiler';
import { defaultConfig, type ConfigInput, type DeviceLimits, type KernelConfig, type KernelIR } from 'tessera-gpu-compiler';
import { choiceKnob, orderedKnob, powersOfTwo, type Knob, type KnobValue } from './knobs.ts';
import { ArgumentError } from '../errors.ts';
import type { Rng } from './rng.ts';
import { makeSpace, type Point, type SearchSpace } from './space.ts';

type Pair = readonly [number, number];

/** The compiler's knob description (packages/compiler/src/config/space.ts). */
export type CompilerKnob =
  | { readonly kind: 'int'; readonly name: string; readonly values: readonly number[]; readonly default: number }
  | { readonly kind: 'bool'; readonly name: string; readonly values: readonly boolean[]; readonly default: boolean }
  | { readonly kind: 'pair'; readonly name: string; readonly values: readonly Pair[]; readonly default: Pair }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[]; readonly default: string };

export interface CompilerSpace {
  readonly knobs: readonly CompilerKnob[];
  build(choice: Readonly<Record<string, number | boolean | Pair | string>>): ConfigInput;
}

export type SpaceFn = (ir: KernelIR, limits: DeviceLimits, features?: readonly string[]) => CompilerSpace;

/** The compiler's configSpace when this build of tessera-gpu-compiler exports it. */
const compilerConfigSpace: SpaceFn | undefined = (compiler as { readonly configSpace?: SpaceFn }).configSpace;

export interface KernelSpace extends SearchSpace {
  toConfig(point: Point): ConfigInput;
  fromConfig(config: KernelConfig): Point;
  /** Identifies the knobs and their values: part of the tuning cache key. */
  readonly signature: string;
}

/**
 * Allowed values per knob name (`blocks.tm`, `microTile`, `vectorWidth`, …; micro-tiles
 * as `[4, 8]` pairs or `'4x8'`). Knobs not named keep all their values.
 */
export type SpaceRestriction = Readonly<Record<string, readonly (number | boolean | string | Pair)[]>>;

export function kernelSpace(
  ir: KernelIR, limits: DeviceLimits, dims: Readonly<Record<string, number>>, features: readonly string[] = [], restrict: SpaceRestriction = {},
  /** Backend knobs on top of the compiler's (the wasm backend's `threads`), set in the config under their name. */
  extra: readonly CompilerKnob[] = [],
  /** The backend's own space instead of the compiler's WebGPU one (the wasm backend's). */
  backendSpace?: SpaceFn,
): KernelSpace {
  // Features gate knobs such as reduction='subgroup' (only offered where the adapter has them).
  const spaceFn = backendSpace ?? compilerConfigSpace;
  const compiled = spaceFn ? spaceFn(ir, limits, features) : fallbackSpace(ir, limits);
  const source: CompilerSpace = extra.length === 0 ? compiled : {
    knobs: [...compiled.knobs, ...extra],
    build(choice) {
      const config: Record<string, unknown> = { ...compiled.build(choice) };
      for (const k of extra) if (choice[k.name] !== undefined) config[k.name] = choice[k.name];
      return config as ConfigInput;
    },
  };
  const derivedWorkgroup = source.knobs.some((k) => k.name === 'microTile');
  const kept = source.knobs.filter((k) => !(derivedWorkgroup && k.name === 'workgroupSize')).map((k) => restrictKnob(k, restrict[k.name], ir.name));
  const unknown = Object.keys(restrict).filter((name) => !kept.some((k) => k.name === name));
  if (unknown.length > 0) {
    throw new ArgumentError('space', `knobs of kernel '${ir.name}': ${kept.map((k) => k.name).join(', ')}`, unknown.join(', '), 'name only knobs the kernel has (kernel.configSpace lists them)');
  }
  const knobs: Knob[] = kept.map((k) => searchKnob(k, ir, dims));
  const space = makeSpace(knobs);

  const toConfig = (point: Point): ConfigInput => {
    const choice: Record<string, number | boolean | Pair | string> = {};
    kept.forEach((k, i) => {
      const v = point[i];
      if (v === undefined) return;
      choice[k.name] = k.kind === 'pair' ? parsePair(String(v), k.default) : v;
    });
    const built = source.build(choice);
    if (!derivedWorkgroup) return built;
    const { workgroupSize: _derived, ...rest } = built;
    return rest;
  };

  return {
    ...space,
    toConfig,
    toObject: (point) => ({ ...toConfig(point) }),
    fromConfig: (config) => kept.map((k, i) => {
      const knob = knobs[i];
      const v = readKnob(config, k);
      return knob !== undefined && knob.values().includes(v) ? v : knob?.default() ?? v;
    }),
    fromObject: (config) => space.fromObject(config),
    signature: knobs.map((k) => `${k.name}:${k.values().join('/')}`).join(';'),
  };
}

/** The space every KernelConfig supports: a block per tile loop and the workgroup size. */
function fallbackSpace(ir: KernelIR, limits: DeviceLimits): CompilerSpace {
  const base = defaultConfig(ir);
  const knobs: CompilerKnob[] = [];
  for (const loop of ir.loops) {
    if (loop.fixedBlock !== undefined) continue;
    knobs.push({ kind: 'int', name: `blocks.${loop.name}`, values: powersOfTwo(1, 1024), default: base.blocks[loop.name] ?? 1 });
  }
  const maxWg = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  knobs.push({ kind: 'int', name: 'workgroupSize', values: powersOfTwo(Math.min(16, maxWg), maxWg), default: base.workgroupSize });
  return {
    knobs,
    build(choice) {
      const blocks: Record<string, number> = { ...base.blocks };
      for (const [name, v] of Object.entries(choice)) if (name.startsWith('blocks.') && typeof v === 'number') blocks[name.slice(7)] = v;
      const wg = choice['workgroupSize'];
      return { blocks, workgroupSize: typeof wg === 'number' ? wg : base.workgroupSize };
    },
  };
}

/** `k` with only the `allowed` values (its default too when allowed, else the first allowed). */
function restrictKnob(k: CompilerKnob, allowed: SpaceRestriction[string] | undefined, kernel: string): CompilerKnob {
  if (allowed === undefined) return k;
  const text = (v: unknown): string => (Array.isArray(v) ? `${String(v[0])}x${String(v[1])}` : String(v));
  const wanted = new Set(allowed.map(text));
  const pick = <T>(values: readonly T[], d: T): { values: T[]; default: T } => {
    const kept = values.filter((v) => wanted.has(text(v)));
    if (kept.length === 0) {
      throw new ArgumentError(`space.${k.name}`, `some of ${values.map(text).join(', ')}`, [...wanted].join(', '), `kernel '${kernel}' offers these values for ${k.name} on this adapter`);
    }
    return { values: kept, default: kept.some((v) => text(v) === text(d)) ? d : kept[0] as T };
  };
  switch (k.kind) {
    case 'int': return { ...k, ...pick(k.values, k.default) };
    case 'bool': return { ...k, ...pick(k.values, k.default) };
    case 'pair': return { ...k, ...pick(k.values, k.default) };
    case 'enum': return { ...k, ...pick(k.values, k.default) };
  }
}

function searchKnob(k: CompilerKnob, ir: KernelIR, dims: Readonly<Record<string, number>>): Knob {
  const path = k.name.split('.');
  switch (k.kind) {
    case 'int': {
      let values = [...new Set([...k.values, k.default])].sort((a, b) => a - b);
      const loop = k.name.startsWith('blocks.') ? ir.loops.find((l) => `blocks.${l.name}` === k.name) : undefined;
      if (loop !== undefined) {
        const size = loop.dim.kind === 'const' ? loop.dim.value : dims[loop.dim.name];
        if (size !== undefined && size > 0) {
          const cap = 2 ** Math.ceil(Math.log2(size));
          values = values.filter((v) => v <= cap || v === k.default);
        }
      }
      return orderedKnob(k.name, path, values, k.default);
    }
    case 'bool':
      return choiceKnob(k.name, path, k.values, k.default);
    case 'pair':
      return pairKnob(k.name, path, k.values, k.default);
    case 'enum':
      return choiceKnob(k.name, path, k.values, k.default);
  }
}

/** Pairs as `AxB` strings; a move changes one side by one step. */
function pairKnob(name: string, path: readonly string[], pairs: readonly Pair[], fallback: Pair): Knob<string> {
  const text = (p: Pair): string => `${p[0]}x${p[1]}`;
  const all = [...new Set([...pairs, fallback].map(text))];
  const firsts = [...new Set(pairs.map((p) => p[0]))].sort((a, b) => a - b);
  const seconds = [...new Set(pairs.map((p) => p[1]))].sort((a, b) => a - b);
  const def = text(fallback);
  const base = choiceKnob(name, path, all, def);
  const position = (v: string): [number, number] => {
    const [a, b] = parsePair(v, fallback);
    return [firsts.indexOf(a), seconds.indexOf(b)];
  };
  return {
    ...base,
    random: (rng: Rng) => rng.pick(all),
    neighbors(value, radius = 1) {
      const [i, j] = position(value);
      const out: string[] = [];
      for (const [di, dj] of [[-radius, 0], [radius, 0], [0, -radius], [0, radius]] as const) {
        const a = firsts[i + di];
        const b = seconds[j + dj];
        if (a !== undefined && b !== undefined && all.includes(`${a}x${b}`)) out.push(`${a}x${b}`);
      }
      return out;
    },
    encode(value) {
      const [i, j] = position(value);
      const norm = (x: number, n: number): number => (n <= 1 ? 0 : Math.max(0, x) / (n - 1));
      return [norm(i, firsts.length), norm(j, seconds.length)];
    },
  };
}

function parsePair(text: string, fallback: Pair): Pair {
  const m = /^(\d+)x(\d+)$/.exec(text);
  return m === null ? fallback : [Number(m[1]), Number(m[2])];
}

function readKnob(config: KernelConfig, k: CompilerKnob): KnobValue {
  const v: unknown = k.name.startsWith('blocks.') ? config.blocks[k.name.slice(7)] : Object.entries(config).find(([n]) => n === k.name)?.[1];
  if (k.kind === 'pair') return Array.isArray(v) && v.length === 2 ? `${String(v[0])}x${String(v[1])}` : `${k.default[0]}x${k.default[1]}`;
  if (k.kind === 'enum') return typeof v === 'string' && k.values.includes(v) ? v : k.default;
  return typeof v === 'number' || typeof v === 'boolean' ? v : k.default;
}
