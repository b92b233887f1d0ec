/**
 * The strict schema of a config as it arrives from outside: a `run(args, { config })`
 * call, a tunings file read from disk or imported, a playground share link. Every knob
 * has one JSON type and range-free shape check here (the ranges that depend on the
 * kernel and the adapter are validate.ts's); an unknown key or a wrong type is a
 * ConfigError naming the key. Only what passes this check ever reaches a lowering, so
 * the knob values that appear in generated code are numbers, booleans, one of a few
 * fixed words, and loop names that are plain identifiers.
 */
import { ConfigError } from './config-error.ts';
import type { ConfigInput, Reduction, VectorWidth } from './config.ts';

/** A loop name as the lexer spells identifiers; nothing else can name a tile loop. */
const LOOP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Knob values are small integers; this only keeps absurd numbers out of error messages. */
const MAX_KNOB = 1 << 24;

type Problems = string[];

const describe = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
};

/** A printable form of a key for messages: quoted, with anything unusual escaped. */
export function quoteKey(key: string): string {
  const clipped = key.length > 40 ? `${key.slice(0, 37)}...` : key;
  return `'${clipped.replace(/[^\x20-\x7e]|['\\]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

function positiveInt(p: Problems, key: string, v: unknown, allowZero = false): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= (allowZero ? 0 : 1) && v <= MAX_KNOB) return v;
  p.push(`${key} must be ${allowZero ? 'a non-negative' : 'a positive'} integer (got ${describe(v)})`);
  return undefined;
}

function bool(p: Problems, key: string, v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  p.push(`${key} must be true or false (got ${describe(v)})`);
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function parseBlocks(p: Problems, v: unknown): Record<string, number> | undefined {
  if (!isPlainObject(v)) {
    p.push(`blocks must be an object of loop name to block size (got ${describe(v)})`);
    return undefined;
  }
  // Null prototype: a loop may be called `constructor` or `__proto__`.
  const blocks = Object.create(null) as Record<string, number>;
  for (const [name, size] of Object.entries(v)) {
    if (!LOOP_NAME.test(name)) {
      p.push(`blocks key ${quoteKey(name)} is not a loop name (letters, digits and _, not starting with a digit)`);
      continue;
    }
    const b = positiveInt(p, `blocks.${name}`, size);
    if (b !== undefined) blocks[name] = b;
  }
  return blocks;
}

type Field = (p: Problems, v: unknown) => unknown;

const FIELDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['blocks', parseBlocks],
  ['workgroupSize', (p, v) => positiveInt(p, 'workgroupSize', v)],
  ['microTile', (p, v) => {
    if (Array.isArray(v) && v.length === 2) {
      const tm = positiveInt(p, 'microTile[0]', v[0]);
      const tn = positiveInt(p, 'microTile[1]', v[1]);
      return tm === undefined || tn === undefined ? undefined : [tm, tn];
    }
    p.push(`microTile must be an array of two positive integers (got ${describe(v)})`);
    return undefined;
  }],
  ['vectorWidth', (p, v): VectorWidth | undefined => {
    if (v === 1 || v === 2 || v === 4) return v;
    p.push(`vectorWidth must be 1, 2 or 4 (got ${describe(v)})`);
    return undefined;
  }],
  ['unroll', (p, v) => positiveInt(p, 'unroll', v)],
  ['groupM', (p, v) => positiveInt(p, 'groupM', v)],
  ['kChunk', (p, v) => positiveInt(p, 'kChunk', v)],
  ['stageA', (p, v) => bool(p, 'stageA', v)],
  ['stageB', (p, v) => bool(p, 'stageB', v)],
  ['broadcastA', (p, v) => bool(p, 'broadcastA', v)],
  ['reduction', (p, v): Reduction | undefined => {
    if (v === 'tree' || v === 'subgroup' || v === 'serial') return v;
    p.push(`reduction must be 'tree', 'subgroup' or 'serial' (got ${describe(v)})`);
    return undefined;
  }],
  ['rowCache', (p, v) => positiveInt(p, 'rowCache', v, true)],
  // wasm backend only (other backends ignore it): threads the grid's tiles are shared over.
  ['threads', (p, v) => positiveInt(p, 'threads', v)],
]);

/** The knob names a config may have. */
export const CONFIG_KEYS: readonly string[] = [...FIELDS.keys()];

/**
 * The problems of a config from outside, one per bad key (empty when it is valid), and
 * a fresh copy holding only the checked values.
 */
export function checkConfigInput(input: unknown): { readonly problems: readonly string[]; readonly config: ConfigInput } {
  const problems: Problems = [];
  const out: Record<string, unknown> = {};
  if (input === undefined) return { problems, config: {} };
  if (!isPlainObject(input)) return { problems: [`a config must be a plain object (got ${describe(input)})`], config: {} };
  for (const [key, value] of Object.entries(input)) {
    const field = FIELDS.get(key);
    if (field === undefined) {
      problems.push(`unknown config key ${quoteKey(key)} (known: ${CONFIG_KEYS.join(', ')})`);
      continue;
    }
    if (value === undefined) continue;
    const checked = field(problems, value);
    if (checked !== undefined) out[key] = checked;
  }
  return { problems, config: out as ConfigInput };
}

/** A config from outside, checked against the schema: a ConfigError naming every bad key. */
export function parseConfigInput(input: unknown, kernel: string): ConfigInput {
  const { problems, config } = checkConfigInput(input);
  if (problems.length > 0) throw new ConfigError(kernel, problems);
  return config;
}
